#include "panic.h"
#include "kprintf.h"
#include "power.h"
#include "x86.h"

NORETURN void panic(const char *fmt, ...)
{
    cli();
    kprintf("\n*** KERNEL PANIC: ");
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
    power_off(POWER_EXIT_FAIL);
}
