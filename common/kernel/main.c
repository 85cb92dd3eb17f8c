/*
 * kmain: the first C code. Runs on the boot stack with interrupts off and
 * brings the subsystems up in dependency order.
 */
#include "console.h"
#include "kprintf.h"
#include "panic.h"
#include "power.h"

#define MULTIBOOT2_BOOTLOADER_MAGIC 0x36D76289

void kmain(uint32_t magic, uint64_t mb_info_phys);

void kmain(uint32_t magic, uint64_t mb_info_phys)
{
    console_init();
    if (magic != MULTIBOOT2_BOOTLOADER_MAGIC)
        panic("not booted by a Multiboot2 loader (magic 0x%x)", magic);
    kprintf("SWEB-VX booting (multiboot info at %p)\n", (void *)mb_info_phys);
    kprintf("Welcome to SWEB-VX\n");
    power_off(POWER_EXIT_OK);
}
