/* The kernel console: output fans out to every sink (COM1, VGA). */
#pragma once

#include "types.h"

void console_init(void);
void console_putc(char c);
void console_write(const char *s, size_t n);
