/*
 * Fatal kernel errors. panic() itself is a small assembly entry
 * (arch/x86_64/panic_entry.asm) that records the caller's registers in
 * panic_regs and jumps to panic_report here. Interrupts are off from the
 * first instruction of panic() on; the report ends in power_off so that a
 * test run ends with the failure status.
 */
#include "panic.h"
#include "backtrace.h"
#include "console.h"
#include "kprintf.h"
#include "power.h"
#include "trapframe.h"

struct trap_frame panic_regs;     /* written by panic_entry.asm */
uint8_t panic_regs_valid;

NORETURN PRINTF_LIKE(1, 2) void panic_report(const char *fmt, ...);

static int fatal_reports;

bool panic_enter(void)
{
    if (fatal_reports++ == 0) {
        console_sync();   /* what was queued first, then the report, polled */
        return true;
    }
    console_emergency();
    return false;
}

NORETURN void panic_report(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (!panic_enter()) {
        kprintf("\n*** recursive panic: ");
        kvprintf(fmt, ap);
        kprintf("\n");
        power_off(POWER_EXIT_FAIL);
    }
    kprintf("\n*** KERNEL PANIC: ");
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf("\nregisters at the call of panic():\n");
    trap_frame_print(&panic_regs);
    backtrace_print_from_call(panic_regs.rip, panic_regs.rbp);
    power_off(POWER_EXIT_FAIL);
}
