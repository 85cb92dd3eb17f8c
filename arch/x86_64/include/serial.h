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
