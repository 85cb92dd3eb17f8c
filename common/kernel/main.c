/*
 * kmain: the first C code. Runs on the boot stack with interrupts off and
 * brings the subsystems up in dependency order. Each step's owner adds its
 * call in the marked place; keep the order (later steps use earlier ones).
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

    /* [cpu] GDT, TSS, IDT: exceptions are reported from here on */
    /* [mm] Multiboot2 info, command line, physical pages, own page tables, heap */
    /* [devices] PIC, timer, keyboard, serial receive, VGA console */
    /* [vmx] VT-x detection line */
    /* [fs] mount the boot archive at / and ramfs at /tmp */

    kprintf("Welcome to SWEB-VX\n");

    /* [selftest] selftest=NAME runs here and powers off */
    /* [sched] start the scheduler; the first thread starts /bin/shell */
    power_off(POWER_EXIT_OK);
}
