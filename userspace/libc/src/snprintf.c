/*
 * Formatting into memory: vsnprintf, snprintf, sprintf. Pure code over the
 * printf engine shared with the kernel (common/util/format.c, format.h);
 * safe from any thread.
 */
#include <stdio.h>
#include "format.h"

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    return kvsnprintf(buf, size, fmt, ap);
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
