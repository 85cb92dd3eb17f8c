/*
 * Console output fan-out to COM1 and the VGA text console. Output of one
 * call is written with interrupts off, so lines from interrupt handlers and
 * other threads do not tear mid-escape (single CPU). In emergency mode
 * (a fault while reporting a fault) only COM1 is used: it needs no memory
 * mapping and cannot fault.
 */
#include "console.h"
#include "serial.h"
#include "vga.h"
#include "x86.h"

static bool emergency;

void console_init(void)
{
    serial_init();
    vga_init();
}

void console_emergency(void) { emergency = true; }

void console_write(const char *s, size_t n)
{
    bool irq = irq_save();
    for (size_t i = 0; i < n; i++)
        serial_putc(s[i]);
    if (!emergency)
        vga_write(s, n);
    irq_restore(irq);
}

void console_putc(char c)
{
    console_write(&c, 1);
}
