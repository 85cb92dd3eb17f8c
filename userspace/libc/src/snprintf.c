/*
 * Formatting into memory: vsnprintf, snprintf, sprintf. Pure code over the
 * printf engine (format.c); safe from any thread.
 */
#include <stdio.h>
#include "libc_format.h"

struct buf_sink {
    char *buf;
    size_t size;   /* capacity including the terminating NUL */
    size_t pos;    /* characters produced so far (may exceed size) */
};

static void buf_put(char c, void *ctx)
{
    struct buf_sink *b = ctx;
    if (b->size && b->pos < b->size - 1)
        b->buf[b->pos] = c;
    b->pos++;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct buf_sink b = { buf, size, 0 };
    int n = libc_vformat(buf_put, &b, fmt, ap);
    if (size)
        buf[b.pos < size ? b.pos : size - 1] = '\0';
    return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int sprintf(char *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, (size_t)-1 / 2, fmt, ap);
    va_end(ap);
    return n;
}
