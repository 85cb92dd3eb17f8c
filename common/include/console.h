/* The kernel console: output fans out to every sink (COM1, VGA). */
#pragma once

#include "types.h"

/* COM1 and VGA ready for output (no interrupts needed). */
void console_init(void);
void console_putc(char c);
void console_write(const char *s, size_t n);
/* From now on COM1 only: used when a crash report itself faults. */
void console_emergency(void);
