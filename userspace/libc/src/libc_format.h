/*
 * The printf engine shared by every output function of libc (printf,
 * fprintf, snprintf, ...). It only depends on <stdarg.h>, so the host unit
 * tests compile it unchanged. Output goes character by character to a sink.
 */
#pragma once

#include <stdarg.h>

typedef void (*libc_sink)(char c, void *ctx);

/* Format fmt with ap into sink; returns the number of characters produced. */
int libc_vformat(libc_sink sink, void *ctx, const char *fmt, va_list ap);
