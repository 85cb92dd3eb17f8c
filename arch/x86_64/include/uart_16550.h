/*
 * The 16550A UART's registers, offsets from the port base, and the bits
 * the host's serial drivers use (COM1 console in serial.c, COM2 gdb link
 * in serial_com2.c). Source: the National Semiconductor PC16550D datasheet,
 * "Register Description" (Table II).
 */
#pragma once

#include "x86.h"

#define UART_REG_DATA 0                 /* RBR read, THR write; DLL with LCR.DLAB */
#define UART_REG_IER 1                  /* interrupt enable; DLM with LCR.DLAB */
#define UART_REG_IIR 2                  /* interrupt identification (read) */
#define UART_REG_FCR 2                  /* FIFO control (write) */
#define UART_REG_LCR 3                  /* line control */
#define UART_REG_MCR 4                  /* modem control */
#define UART_REG_LSR 5                  /* line status */

#define UART_IER_RX_AVAILABLE 0x01
#define UART_IER_TX_EMPTY 0x02          /* interrupt when the holding register (FIFO) is empty */
#define UART_LCR_8N1 0x03
#define UART_LCR_DLAB 0x80              /* registers 0 and 1 become the divisor latch */
#define UART_FCR_ENABLE_CLEAR_TRIGGER1 0x07   /* FIFOs on, both cleared, IRQ at 1 byte */
#define UART_MCR_DTR_RTS_OUT2 0x0B      /* OUT2 gates the IRQ line on PCs */
#define UART_LSR_DATA_READY 0x01
#define UART_LSR_THR_EMPTY 0x20
#define UART_LSR_TRANSMITTER_EMPTY 0x40 /* holding and shift register both empty */
#define UART_LSR_NO_UART 0xFF           /* what reads of an absent port return */
#define UART_TX_FIFO_DEPTH 16           /* 16550A transmit FIFO, enabled by FCR bit 0 */

/* 115200 baud (divisor 1 of 1.8432 MHz / 16), 8N1, FIFOs on with the IRQ
   at 1 byte, DTR/RTS/OUT2; the caller enables its interrupts in IER. */
static inline void uart_16550_setup(uint16_t base)
{
    outb(base + UART_REG_IER, 0x00);
    outb(base + UART_REG_LCR, UART_LCR_DLAB);
    outb(base + UART_REG_DATA, 0x01);  /* divisor low byte */
    outb(base + UART_REG_IER, 0x00);   /* divisor high byte */
    outb(base + UART_REG_LCR, UART_LCR_8N1);
    outb(base + UART_REG_FCR, UART_FCR_ENABLE_CLEAR_TRIGGER1);
    outb(base + UART_REG_MCR, UART_MCR_DTR_RTS_OUT2);
}
