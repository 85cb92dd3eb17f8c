/* Console output fan-out. Interrupts are disabled while a character is
   written so lines from interrupt handlers do not tear mid-escape. */
#include "console.h"
#include "serial.h"
#include "x86.h"

void console_init(void)
{
    serial_init();
}

void console_putc(char c)
{
    bool irq = irq_save();
    serial_putc(c);
    irq_restore(irq);
}

void console_write(const char *s, size_t n)
{
    bool irq = irq_save();
    for (size_t i = 0; i < n; i++)
        serial_putc(s[i]);
    irq_restore(irq);
}
