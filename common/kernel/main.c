/*
 * kmain: the first C code. Runs on the boot stack with interrupts off and
 * brings the subsystems up in dependency order. Each step's owner adds its
 * call in the marked place; keep the order (later steps use earlier ones).
 */
#include "cmdline.h"
#include "console.h"
#include "gdb.h"
#include "gdb_vmx.h"
#include "gdt.h"
#include "init.h"
#include "idt.h"
#include "keyboard.h"
#include "pic.h"
#include "serial.h"
#include "timer.h"
#include "x86.h"
#include "kprintf.h"
#include "multiboot2.h"
#include "paging.h"
#include "panic.h"
#include "pmm.h"
#include "power.h"
#include "selftest.h"
#include "vfs.h"
#include "vmx.h"
#include "vm_syscalls.h"

#define MULTIBOOT2_BOOTLOADER_MAGIC 0x36D76289

void kmain(uint32_t magic, uint64_t mb_info_phys);

void kmain(uint32_t magic, uint64_t mb_info_phys)
{
    console_init();
    if (magic != MULTIBOOT2_BOOTLOADER_MAGIC)
        panic("not booted by a Multiboot2 loader (magic 0x%x)", magic);

    /* [cpu] GDT, TSS, IDT: exceptions are reported from here on */
    gdt_init();
    idt_init();
    kprintf("cpu: GDT+TSS (IST stacks for #DF/NMI/#MC), IDT with 32 exceptions and 16 IRQs\n");
    /* [mm] Multiboot2 info, command line, physical pages, own page tables, heap */
    mb2_init(mb_info_phys);
    cmdline_init(mb2_boot_info()->cmdline);
    pmm_init();
    paging_init();
    pmm_print_summary();   /* "mem: ..." compared with the emulator's -m by the system tests */
    /* [devices] PIC, timer, keyboard, serial receive, VGA console */
    pic_init();
    timer_init();
    keyboard_init();
    serial_enable_receive();
    sti();
    kprintf("devices: PIC at vectors 32-47, PIT %d Hz, PS/2 keyboard, COM1 rx, VGA 80x25\n", TIMER_HZ);
    /* [vmx] VT-x detection line */
    vmx_detect();
    /* [gdb] gdb=com2 arms the GDB stub on COM2; gdb=wait also stops here for gdb */
    gdb_vmx_register();   /* vCPUs as gdb threads, monitor vmexit/vmcs/vcpu */
    gdb_init();
    /* [fs] mount the boot archive at / and ramfs at /tmp */
    fs_init();
    /* [vmuser] VM system calls 64..80 (vmx/vm_syscalls.c) */
    vm_syscalls_init();

    kprintf("Welcome to SWEB-VX\n");

    /* [selftest] selftest=NAME runs here and powers off */
    selftest_run_from_cmdline();
    /* [sched] start the scheduler; the first thread starts /bin/shell */
    init_start();
    power_off(POWER_EXIT_OK);
}
