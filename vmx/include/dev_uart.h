/*
 * A National Semiconductor PC16550D UART (datasheet "PC16550D Universal
 * Asynchronous Receiver/Transmitter with FIFOs") at 0x3F8-0x3FF (COM1):
 * RBR/THR, IER, IIR/FCR, LCR (DLAB), MCR (incl. loopback), LSR, MSR, SCR,
 * the divisor latch, 16-byte receive FIFO with trigger levels, and the
 * interrupt priorities of the IIR (line status > received data / character
 * timeout > THR empty > modem status). A byte written to THR leaves at once
 * (the transmitter is always idle again by the next access); in loopback
 * mode it comes back to the receiver instead and the modem inputs follow
 * the modem outputs. The interrupt line (IRQ4) is the IIR's "interrupt
 * pending" gated by MCR.OUT2, as a PC wires it; a character timeout is
 * reported as soon as data sits below the trigger level.
 * Pure C: output and the interrupt line go to caller-supplied functions;
 * the caller serialises.
 */
#pragma once

#include "types.h"

#define UART_COM1_BASE 0x3F8
#define UART_FIFO_SIZE 16

struct uart {
    uint8_t ier, lcr, mcr, lsr_errors, msr_delta, scr, fcr;
    uint16_t divisor;
    bool thre_pending;   /* THR-empty interrupt armed (cleared by IIR read or THR write) */
    bool fifo_on;
    uint8_t rx[UART_FIFO_SIZE];
    unsigned rx_head, rx_count;
    bool irq_line;       /* the last level given to set_irq */
    void (*transmit)(void *ctx, uint8_t byte);
    void (*set_irq)(void *ctx, bool level);
    void *ctx;
    uint64_t rx_dropped;  /* bytes that arrived to a full FIFO (overrun) */
};

void uart_init(struct uart *u, void (*transmit)(void *ctx, uint8_t byte), void (*set_irq)(void *ctx, bool level),
               void *ctx);
/* A byte arrives on the serial line: false when the FIFO (or the one-byte
   holding register with FIFOs off) was full and it was lost (overrun). */
bool uart_receive(struct uart *u, uint8_t byte);
/* Room for more received bytes now. */
bool uart_can_receive(const struct uart *u);
/* Register access; offset is port - base (0-7). */
uint8_t uart_read(struct uart *u, unsigned offset);
void uart_write(struct uart *u, unsigned offset, uint8_t value);
/* io_bus handlers (dev = struct uart at UART_COM1_BASE). */
uint32_t uart_io_read(void *dev, uint16_t port, unsigned size);
void uart_io_write(void *dev, uint16_t port, unsigned size, uint32_t value);
