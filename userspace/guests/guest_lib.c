/*
 * guest_lib.c - tiny printf and memory helpers for C guests (see guest.h).
 *
 * Context: guest code, single vCPU per buffer (the line buffer is global, so
 * a multi-vCPU C guest should print from one vCPU only).
 */
#include "guest.h"

#define LINE_MAX 128

static char line[LINE_MAX];
static size_t line_len;

/* Send the buffered bytes to the host with one HC_WRITE and empty the buffer. */
void guest_flush(void)
{
    if (line_len > 0)
        hc_write(line, line_len);
    line_len = 0;
}

/* Buffer one character; a newline or a full buffer flushes. */
void guest_putchar(char c)
{
    line[line_len++] = c;
    if (c == '\n' || line_len == LINE_MAX)
        guest_flush();
}

/* Print v in the given base, at least width characters wide. */
static int put_unsigned(uint64_t v, unsigned base, int width, char pad)
{
    char digits[24];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v != 0);
    int printed = 0;
    for (; width > n; width--, printed++)
        guest_putchar(pad);
    while (n > 0) {
        guest_putchar(digits[--n]);
        printed++;
    }
    return printed;
}

/* Print a signed value: the sign, then the magnitude. */
static int put_signed(int64_t v, int width, char pad)
{
    if (v >= 0)
        return put_unsigned((uint64_t)v, 10, width, pad);
    guest_putchar('-');
    return 1 + put_unsigned(-(uint64_t)v, 10, width > 0 ? width - 1 : 0, pad);
}

/* Fetch an integer argument of the given length (0 int, 1 long, 2 long long). */
static uint64_t fetch_unsigned(va_list *ap, int longs)
{
    if (longs > 0)
        return va_arg(*ap, unsigned long);
    return va_arg(*ap, unsigned int);
}

static int64_t fetch_signed(va_list *ap, int longs)
{
    if (longs > 0)
        return va_arg(*ap, long);
    return va_arg(*ap, int);
}

/* Format one conversion (the character after % and its modifiers). */
static int put_conversion(char conv, va_list *ap, int longs, int width, char pad)
{
    switch (conv) {
    case 'd':
    case 'i':
        return put_signed(fetch_signed(ap, longs), width, pad);
    case 'u':
        return put_unsigned(fetch_unsigned(ap, longs), 10, width, pad);
    case 'x':
        return put_unsigned(fetch_unsigned(ap, longs), 16, width, pad);
    case 'p':
        guest_putchar('0');
        guest_putchar('x');
        return 2 + put_unsigned((uint64_t)(uintptr_t)va_arg(*ap, void *), 16, width, pad);
    case 'c':
        guest_putchar((char)va_arg(*ap, int));
        return 1;
    case 's': {
        const char *s = va_arg(*ap, const char *);
        int n = 0;
        for (; s[n] != '\0'; n++)
            guest_putchar(s[n]);
        return n;
    }
    default:                    /* %% and anything unknown: print as is */
        guest_putchar(conv);
        return 1;
    }
}

int guest_vprintf(const char *fmt, va_list ap)
{
    va_list args;
    va_copy(args, ap);
    int printed = 0;
    for (; *fmt != '\0'; fmt++) {
        if (*fmt != '%') {
            guest_putchar(*fmt);
            printed++;
            continue;
        }
        fmt++;
        char pad = ' ';
        if (*fmt == '0') {
            pad = '0';
            fmt++;
        }
        int width = 0;
        for (; *fmt >= '0' && *fmt <= '9'; fmt++)
            width = width * 10 + (*fmt - '0');
        int longs = 0;
        for (; *fmt == 'l'; fmt++)
            longs++;
        if (*fmt == '\0')
            break;
        printed += put_conversion(*fmt, &args, longs, width, pad);
    }
    va_end(args);
    return printed;
}

int guest_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int printed = guest_vprintf(fmt, ap);
    va_end(ap);
    return printed;
}

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    while (n-- > 0)
        *d++ = (unsigned char)c;
    return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n-- > 0)
        *d++ = *s++;
    return dst;
}
