/* Formatted output to the kernel console (format.h has the conversions). */
#pragma once

#include "types.h"
#include "format.h"

int kprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);
int kvprintf(const char *fmt, va_list ap);
