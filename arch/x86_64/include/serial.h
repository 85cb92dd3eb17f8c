/* COM1 (16550 UART at I/O port 0x3F8). */
#pragma once

#include "types.h"

void serial_init(void);
void serial_putc(char c);
