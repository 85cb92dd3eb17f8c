/*
 * COM2, a 16550 UART at I/O port 0x2F8 on IRQ 3 (PC16550D data sheet;
 * register offsets as in serial.c): the line of the GDB stub. Output is
 * polled (the stub sends while the kernel is stopped); input comes by
 * interrupt while the kernel runs, so Ctrl-C from gdb stops it, and by
 * polling while it is stopped.
 *
 * The FIFOs go on (Bochs polls a FIFO-less port's socket only every 100 ms
 * of guest time, which made every packet take that long), but only after
 * the byte gdb may already have sent is taken out of the receive register:
 * enabling the FIFO drops it in QEMU and Bochs, and the emulators deliver
 * the rest of what gdb sent only once that one was read. Interrupts off in
 * the IRQ handler; the polled calls run stopped.
 */
#include "serial_com2.h"
#include "errno.h"
#include "irq.h"
#include "uart_16550.h"
#include "x86.h"

#define COM2 0x2F8

static void (*byte_handler)(uint8_t byte, void *frame);

size_t com2_init(uint8_t *early, size_t max)
{
    size_t n = 0;
    int c;
    outb(COM2 + UART_REG_IER, 0x00);
    while (n < max && (c = com2_poll()) >= 0)
        early[n++] = (uint8_t)c;
    uart_16550_setup(COM2);
    return n;
}

void com2_putc(uint8_t c)
{
    for (int spins = 0; !(inb(COM2 + UART_REG_LSR) & UART_LSR_THR_EMPTY); spins++) {
        if (spins > 1000000)
            return;                     /* no UART there: drop rather than hang */
        cpu_relax();
    }
    outb(COM2 + UART_REG_DATA, c);
}

void com2_write(const char *data, size_t n)
{
    for (size_t i = 0; i < n; i++)
        com2_putc((uint8_t)data[i]);
}

int com2_poll(void)
{
    uint8_t lsr = inb(COM2 + UART_REG_LSR);
    if (lsr == UART_LSR_NO_UART || !(lsr & UART_LSR_DATA_READY))
        return -1;
    return inb(COM2 + UART_REG_DATA);
}

/* Edge-triggered PIC: read until empty, or the line stays high and silent. */
static void com2_irq(struct trap_frame *f)
{
    int c;
    inb(COM2 + UART_REG_IIR);
    while ((c = com2_poll()) >= 0)
        byte_handler((uint8_t)c, f);
}

int com2_enable_receive(void (*on_byte)(uint8_t byte, void *frame))
{
    byte_handler = on_byte;
    int rc = irq_register(IRQ_COM2, com2_irq);
    if (rc < 0)
        return rc;
    outb(COM2 + UART_REG_IER, UART_IER_RX_AVAILABLE);
    return 0;
}
