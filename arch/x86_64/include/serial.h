/* COM1 (16550 UART at I/O port 0x3F8). */
#pragma once

#include "types.h"

/* 115200 8N1, FIFOs on, no interrupts: output works from here on. */
void serial_init(void);
/* Polled output; '\n' is sent as "\r\n". */
void serial_putc(char c);
/* Wait until the transmitter has sent every byte (LSR bit 6). */
void serial_flush(void);
/* Receive on IRQ 4: every byte goes to console_input_push. */
void serial_enable_receive(void);

/* Interrupt-driven output (after serial_enable_receive, which owns IRQ 4):
   the source hands out up to max bytes to send ('\n' is sent as "\r\n"),
   0 when it has none; it is called from the interrupt handler. */
typedef size_t (*serial_tx_source)(char *buf, size_t max);
void serial_set_tx_source(serial_tx_source source);
/* The source has bytes: make sure the transmit interrupt is on (it stays
   on until the source says 0). Interrupts off. */
void serial_tx_kick(void);
/* Back to polled output only (a panic): the transmit interrupt goes off. */
void serial_tx_stop(void);
