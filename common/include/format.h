/*
 * printf-style formatting, independent of any output device: ONE engine
 * (common/util/format.c) serves the kernel console, ksnprintf, the
 * userspace libc (printf, fprintf, snprintf, ...) and the host unit tests.
 * Only freestanding headers are used, so it compiles unchanged in all three.
 *
 * Conversions: %d %i %u %o %x %X %p %s %c %%. Flags: '-' left align,
 * '0' zero padding, '+' and ' ' sign, '#' alternate form (0x / 0).
 * Field width and precision, each a number or '*'. Length modifiers:
 * hh h l ll z j t. No floating point: the kernel is built without SSE.
 * %p prints "0x" and the hex address (also "0x0" for NULL); an unknown
 * conversion is printed as written so the mistake is visible.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>

typedef void (*format_sink)(char c, void *ctx);

/* Format into sink; returns the number of characters produced. */
int format_v(format_sink sink, void *ctx, const char *fmt, va_list ap);

/* Like C's vsnprintf (libc's vsnprintf is this one): always NUL-terminates
   when size > 0 and returns the length the full output would have had. */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
