/*
 * printf-style formatting, independent of any output device, so that the
 * kernel console, snprintf and the host unit tests share one implementation.
 * Supports %d %i %u %x %X %p %s %c %%, the l, ll and z length modifiers,
 * a field width (also '*'), '0' padding and '-' left alignment.
 */
#pragma once

#include "types.h"

typedef void (*format_sink)(char c, void *ctx);

/* Format into sink; returns the number of characters produced. */
int format_v(format_sink sink, void *ctx, const char *fmt, va_list ap);

/* Like C's vsnprintf: always NUL-terminates when size > 0 and returns the
   length the full output would have had. */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) PRINTF_LIKE(3, 4);
