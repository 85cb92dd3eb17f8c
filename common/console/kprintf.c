#include "kprintf.h"
#include "console.h"

static void console_sink(char c, void *ctx)
{
    UNUSED(ctx);
    console_putc(c);
}

int kvprintf(const char *fmt, va_list ap)
{
    return format_v(console_sink, NULL, fmt, ap);
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvprintf(fmt, ap);
    va_end(ap);
    return n;
}
