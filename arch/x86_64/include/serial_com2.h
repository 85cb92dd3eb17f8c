/*
 * COM2 (16550 UART at I/O port 0x2F8, IRQ 3): the GDB stub's line. The
 * kernel log stays on COM1 (serial.h). Nothing touches COM2 unless
 * `gdb=` is on the kernel command line.
 */
#pragma once

#include "types.h"

#define IRQ_COM2 3

/* 115200 8N1, FIFOs on, no interrupts yet. Bytes that had arrived before
   go to early (at most max); returns how many. */
size_t com2_init(uint8_t *early, size_t max);
/* Polled output of one byte / n bytes (no newline translation). */
void com2_putc(uint8_t c);
void com2_write(const char *data, size_t n);
/* A received byte, or -1 when none is waiting (never blocks). */
int com2_poll(void);
/* Deliver every received byte to on_byte, from the IRQ 3 handler
   (interrupts off); 0 or -EBUSY if the line is taken. */
int com2_enable_receive(void (*on_byte)(uint8_t byte, void *frame));
