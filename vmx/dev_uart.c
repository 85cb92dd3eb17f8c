/*
 * The 16550A (dev_uart.h). Register bits and the interrupt table are from
 * the PC16550D datasheet, Table II ("Summary of Registers") and Table IV
 * ("Interrupt Control Functions"). Pure C, called with the platform lock
 * held.
 */
#include "dev_uart.h"
#include "kstring.h"

enum { RBR_THR, IER, IIR_FCR, LCR, MCR, LSR, MSR, SCR };

#define IER_RDA 0x01        /* received data available */
#define IER_THRE 0x02
#define IER_RLS 0x04        /* receiver line status */
#define IER_MS 0x08         /* modem status */
#define IIR_NONE 0x01
#define IIR_MS 0x00
#define IIR_THRE 0x02
#define IIR_RDA 0x04
#define IIR_RLS 0x06
#define IIR_TIMEOUT 0x0C
#define IIR_FIFO 0xC0       /* FIFOs enabled */
#define FCR_ENABLE 0x01
#define FCR_CLEAR_RX 0x02
#define LCR_DLAB 0x80
#define MCR_DTR 0x01
#define MCR_RTS 0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10
#define LSR_DR 0x01
#define LSR_OE 0x02
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define LSR_FIFO_ERR 0x80
#define MSR_CTS 0x10
#define MSR_DSR 0x20
#define MSR_RI 0x40
#define MSR_DCD 0x80

static const uint8_t trigger_levels[4] = {1, 4, 8, 14};

void uart_init(struct uart *u, void (*transmit)(void *ctx, uint8_t byte), void (*set_irq)(void *ctx, bool level),
               void *ctx)
{
    memset(u, 0, sizeof(*u));
    u->transmit = transmit;
    u->set_irq = set_irq;
    u->ctx = ctx;
    u->divisor = 12;   /* 9600 baud; firmware sets its own */
}

static unsigned rx_capacity(const struct uart *u) { return u->fifo_on ? UART_FIFO_SIZE : 1; }

/* The modem status inputs: wired to the outputs in loopback, else a
   terminal that is always there (CTS, DSR, DCD). */
static uint8_t modem_inputs(const struct uart *u)
{
    if (!(u->mcr & MCR_LOOP))
        return MSR_CTS | MSR_DSR | MSR_DCD;
    return (uint8_t)(((u->mcr & MCR_RTS) ? MSR_CTS : 0) | ((u->mcr & MCR_DTR) ? MSR_DSR : 0) |
                     ((u->mcr & MCR_OUT1) ? MSR_RI : 0) | ((u->mcr & MCR_OUT2) ? MSR_DCD : 0));
}

/* The highest-priority pending interrupt's IIR code (Table IV). */
static uint8_t pending_iir(const struct uart *u)
{
    if ((u->ier & IER_RLS) && u->lsr_errors)
        return IIR_RLS;
    if ((u->ier & IER_RDA) && u->rx_count) {
        bool full = !u->fifo_on || u->rx_count >= trigger_levels[u->fcr >> 6];
        return full ? IIR_RDA : IIR_TIMEOUT;
    }
    if ((u->ier & IER_THRE) && u->thre_pending)
        return IIR_THRE;
    if ((u->ier & IER_MS) && u->msr_delta)
        return IIR_MS;
    return IIR_NONE;
}

static void update_irq(struct uart *u)
{
    bool level = pending_iir(u) != IIR_NONE && (u->mcr & MCR_OUT2) && !(u->mcr & MCR_LOOP);
    if (level != u->irq_line) {
        u->irq_line = level;
        if (u->set_irq)
            u->set_irq(u->ctx, level);
    }
}

static bool rx_push(struct uart *u, uint8_t b)
{
    if (u->rx_count >= rx_capacity(u)) {
        u->lsr_errors |= LSR_OE;
        u->rx_dropped++;
        return false;
    }
    u->rx[(u->rx_head + u->rx_count) % UART_FIFO_SIZE] = b;
    u->rx_count++;
    return true;
}

bool uart_receive(struct uart *u, uint8_t byte)
{
    if (u->mcr & MCR_LOOP)
        return false;   /* the serial input is disconnected in loopback */
    bool ok = rx_push(u, byte);
    update_irq(u);
    return ok;
}

bool uart_can_receive(const struct uart *u) { return !(u->mcr & MCR_LOOP) && u->rx_count < rx_capacity(u); }

static uint8_t rx_pop(struct uart *u)
{
    if (!u->rx_count)
        return 0;
    uint8_t b = u->rx[u->rx_head];
    u->rx_head = (u->rx_head + 1) % UART_FIFO_SIZE;
    u->rx_count--;
    return b;
}

static void transmit(struct uart *u, uint8_t b)
{
    if (u->mcr & MCR_LOOP)
        rx_push(u, b);
    else if (u->transmit)
        u->transmit(u->ctx, b);
    u->thre_pending = true;   /* THR is empty again at once */
}

static void write_fcr(struct uart *u, uint8_t v)
{
    bool on = (v & FCR_ENABLE) != 0;
    if (on != u->fifo_on || (v & FCR_CLEAR_RX))
        u->rx_head = u->rx_count = 0;   /* changing the FIFO mode clears the FIFOs */
    u->fifo_on = on;
    u->fcr = on ? (v & 0xC0) : 0;
}

static void write_mcr(struct uart *u, uint8_t v)
{
    uint8_t before = modem_inputs(u);
    u->mcr = v & 0x1F;
    uint8_t after = modem_inputs(u);
    uint8_t changed = before ^ after;
    /* delta bits 0-2 (DCTS, DDSR, DDCD as bits 0, 1, 3); TERI (bit 2) on RI falling */
    u->msr_delta |= (uint8_t)(((changed & MSR_CTS) ? 1 : 0) | ((changed & MSR_DSR) ? 2 : 0) |
                              ((before & MSR_RI) && !(after & MSR_RI) ? 4 : 0) | ((changed & MSR_DCD) ? 8 : 0));
}

uint8_t uart_read(struct uart *u, unsigned offset)
{
    uint8_t v = 0;
    switch (offset & 7) {
    case RBR_THR:
        v = (u->lcr & LCR_DLAB) ? (uint8_t)u->divisor : rx_pop(u);
        break;
    case IER:
        v = (u->lcr & LCR_DLAB) ? (uint8_t)(u->divisor >> 8) : u->ier;
        break;
    case IIR_FCR:
        v = pending_iir(u);
        if (v == IIR_THRE)
            u->thre_pending = false;   /* reading the IIR clears a THRE interrupt */
        v |= u->fifo_on ? IIR_FIFO : 0;
        break;
    case LCR: v = u->lcr; break;
    case MCR: v = u->mcr; break;
    case LSR:
        v = (uint8_t)(LSR_THRE | LSR_TEMT | (u->rx_count ? LSR_DR : 0) | u->lsr_errors);
        if (u->lsr_errors & ~LSR_OE)
            v |= LSR_FIFO_ERR;
        u->lsr_errors = 0;   /* reading the LSR clears the error bits */
        break;
    case MSR:
        v = (uint8_t)(modem_inputs(u) | u->msr_delta);
        u->msr_delta = 0;
        break;
    default: v = u->scr; break;
    }
    update_irq(u);
    return v;
}

void uart_write(struct uart *u, unsigned offset, uint8_t v)
{
    switch (offset & 7) {
    case RBR_THR:
        if (u->lcr & LCR_DLAB)
            u->divisor = (uint16_t)((u->divisor & 0xFF00) | v);
        else
            transmit(u, v);
        break;
    case IER:
        if (u->lcr & LCR_DLAB) {
            u->divisor = (uint16_t)((u->divisor & 0xFF) | (v << 8));
        } else {
            if ((v & IER_THRE) && !(u->ier & IER_THRE))
                u->thre_pending = true;   /* enabling ETBEI with THR empty interrupts at once */
            u->ier = v & 0x0F;
        }
        break;
    case IIR_FCR: write_fcr(u, v); break;
    case LCR: u->lcr = v; break;
    case MCR: write_mcr(u, v); break;
    case LSR: break;   /* factory test only */
    case MSR: break;
    default: u->scr = v; break;
    }
    update_irq(u);
}

uint32_t uart_io_read(void *dev, uint16_t port, unsigned size)
{
    UNUSED(size);
    return uart_read(dev, port - UART_COM1_BASE);
}

void uart_io_write(void *dev, uint16_t port, unsigned size, uint32_t value)
{
    UNUSED(size);
    uart_write(dev, port - UART_COM1_BASE, (uint8_t)value);
}
