/*
 * COM1, a 16550 UART at I/O port 0x3F8 (PC16550D data sheet). Register
 * offsets: +0 data / divisor low, +1 IER / divisor high, +2 IIR (read) /
 * FCR (write), +3 LCR, +4 MCR, +5 LSR (bit 0 data ready, bit 5 transmit
 * holding register empty). Input is interrupt driven on IRQ 4 and every
 * interrupt drains the receive FIFO completely. Output either polls LSR
 * (serial_putc: early boot, panics) or, once a transmit source is set
 * (console.c's ring), is interrupt driven too: the "transmitter holding
 * register empty" interrupt (IER bit 1) refills the 16-byte FIFO from the
 * source until it runs dry. Interrupt handler and callers: interrupts off.
 * Only COM1 (0x3F8, IRQ 4) is touched here.
 */
#include "serial.h"
#include "console_input.h"
#include "irq.h"
#include "panic.h"
#include "uart_16550.h"
#include "x86.h"

#define COM1 0x3F8

void serial_init(void)
{
    uart_16550_setup(COM1);
}

static uint8_t ier;                      /* the interrupts enabled now */
static serial_tx_source tx_source;
static bool tx_on;                       /* UART_IER_TX_EMPTY set: the interrupt refills the FIFO */

static void set_ier(uint8_t value)
{
    ier = value;
    outb(COM1 + UART_REG_IER, ier);
}

void serial_putc(char c)
{
    if (c == '\n')
        serial_putc('\r');
    while (!(inb(COM1 + UART_REG_LSR) & UART_LSR_THR_EMPTY))
        cpu_relax();
    outb(COM1 + UART_REG_DATA, (uint8_t)c);
}

void serial_flush(void)
{
    while (!(inb(COM1 + UART_REG_LSR) & UART_LSR_TRANSMITTER_EMPTY))
        cpu_relax();
}

/* Move every received byte to the console input. The PIC is edge
   triggered: a byte left in the FIFO would keep the UART's line high and
   no further interrupt would come, so drain until LSR says empty. */
static void serial_drain(void)
{
    uint8_t lsr;
    while ((lsr = inb(COM1 + UART_REG_LSR)) != UART_LSR_NO_UART && (lsr & UART_LSR_DATA_READY))
        console_input_push((char)inb(COM1 + UART_REG_DATA));
}

/* The holding register is empty: fill the FIFO from the source, half its
   depth in bytes at a time so that every '\n' still has room for its '\r'.
   A source that has nothing more turns the interrupt off. */
static void tx_fill(void)
{
    char buf[UART_TX_FIFO_DEPTH / 2];
    if (!(inb(COM1 + UART_REG_LSR) & UART_LSR_THR_EMPTY))
        return;                        /* still sending what the last fill gave */
    for (unsigned slots = UART_TX_FIFO_DEPTH; slots >= 2;) {
        size_t n = tx_source(buf, slots / 2);
        if (n == 0) {
            tx_on = false;
            set_ier(ier & ~UART_IER_TX_EMPTY);
            return;
        }
        for (size_t i = 0; i < n; i++) {
            if (buf[i] == '\n') {
                outb(COM1 + UART_REG_DATA, '\r');
                slots--;
            }
            outb(COM1 + UART_REG_DATA, (uint8_t)buf[i]);
            slots--;
        }
    }
}

static void serial_irq(struct trap_frame *f)
{
    UNUSED(f);
    inb(COM1 + UART_REG_IIR);               /* read the cause (acknowledges THR-empty ones) */
    serial_drain();
    if (tx_on)
        tx_fill();
    /* The PIC is edge triggered: a condition that became pending while we
       ran (QEMU empties the FIFO at once) would keep the line high and never
       interrupt again. Disabling and re-enabling every source drops the
       line and raises it anew for whatever is still pending. */
    outb(COM1 + UART_REG_IER, 0);
    outb(COM1 + UART_REG_IER, ier);
}

void serial_enable_receive(void)
{
    if (irq_register(IRQ_COM1, serial_irq) != 0)
        panic("serial: IRQ 4 already taken");
    set_ier(ier | UART_IER_RX_AVAILABLE);
    serial_drain();                    /* bytes that arrived before we listened */
}

void serial_set_tx_source(serial_tx_source source)
{
    tx_source = source;
}

void serial_tx_kick(void)
{
    if (tx_on || !tx_source)
        return;
    tx_on = true;
    set_ier(ier | UART_IER_TX_EMPTY);       /* the UART interrupts at once: the FIFO is empty or will be */
}

void serial_tx_stop(void)
{
    tx_on = false;
    set_ier(ier & ~UART_IER_TX_EMPTY);
}
