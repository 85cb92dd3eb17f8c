/*
 * COM1, a 16550 UART at I/O port 0x3F8 (PC16550D data sheet). Register
 * offsets: +0 data / divisor low, +1 IER / divisor high, +2 IIR (read) /
 * FCR (write), +3 LCR, +4 MCR, +5 LSR (bit 0 data ready, bit 5 transmit
 * holding register empty). Output polls LSR; input is interrupt driven on
 * IRQ 4 and every interrupt drains the receive FIFO completely.
 */
#include "serial.h"
#include "console_input.h"
#include "irq.h"
#include "panic.h"
#include "x86.h"

#define COM1 0x3F8
#define REG_DATA 0
#define REG_IER 1
#define REG_IIR 2
#define REG_FCR 2
#define REG_LCR 3
#define REG_MCR 4
#define REG_LSR 5
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20
#define LSR_TRANSMITTER_EMPTY 0x40         /* holding and shift register both empty */
#define IER_RX_AVAILABLE 0x01
#define FCR_ENABLE_CLEAR_TRIGGER1 0x07  /* FIFOs on, both cleared, IRQ at 1 byte */
#define MCR_DTR_RTS_OUT2 0x0B           /* OUT2 gates the IRQ line on PCs */
#define LSR_NO_UART 0xFF                /* what reads of an absent port return */

void serial_init(void)
{
    outb(COM1 + REG_IER, 0x00);        /* no interrupts yet */
    outb(COM1 + REG_LCR, 0x80);        /* DLAB on */
    outb(COM1 + 0, 0x01);              /* divisor 1 = 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + REG_LCR, 0x03);        /* 8N1, DLAB off */
    outb(COM1 + REG_FCR, FCR_ENABLE_CLEAR_TRIGGER1);
    outb(COM1 + REG_MCR, MCR_DTR_RTS_OUT2);
}

void serial_putc(char c)
{
    if (c == '\n')
        serial_putc('\r');
    while (!(inb(COM1 + REG_LSR) & LSR_THR_EMPTY))
        cpu_relax();
    outb(COM1 + REG_DATA, (uint8_t)c);
}

void serial_flush(void)
{
    while (!(inb(COM1 + REG_LSR) & LSR_TRANSMITTER_EMPTY))
        cpu_relax();
}

/* Move every received byte to the console input. The PIC is edge
   triggered: a byte left in the FIFO would keep the UART's line high and
   no further interrupt would come, so drain until LSR says empty. */
static void serial_drain(void)
{
    uint8_t lsr;
    while ((lsr = inb(COM1 + REG_LSR)) != LSR_NO_UART && (lsr & LSR_DATA_READY))
        console_input_push((char)inb(COM1 + REG_DATA));
}

static void serial_irq(struct trap_frame *f)
{
    UNUSED(f);
    inb(COM1 + REG_IIR);               /* read the cause (acknowledges THR-empty ones) */
    serial_drain();
}

void serial_enable_receive(void)
{
    if (irq_register(IRQ_COM1, serial_irq) != 0)
        panic("serial: IRQ 4 already taken");
    outb(COM1 + REG_IER, IER_RX_AVAILABLE);
    serial_drain();                    /* bytes that arrived before we listened */
}
