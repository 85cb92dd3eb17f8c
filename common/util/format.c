/*
 * The printf engine of the kernel and of the userspace libc (see format.h
 * for what it supports). Pure code: no global state, no floating point,
 * only freestanding headers; safe from any thread and with interrupts off.
 *
 * A conversion is parsed into a struct spec, its digits are produced into a
 * small buffer in reverse order, and emit_number() adds sign, prefix,
 * precision zeros and space or zero padding around them.
 */
#include <stdint.h>
#include "format.h"

struct spec {
    int left;        /* '-' : pad on the right */
    int zero;        /* '0' : pad with zeros */
    int plus;        /* '+' : always print a sign */
    int space;       /* ' ' : space in place of '+' */
    int alt;         /* '#' : 0x / 0 prefix */
    int width;       /* minimum field width, 0 = none */
    int precision;   /* minimum digits / maximum string length, -1 = none */
    int length;      /* 'H' hh, 'h', 'l', 'L' ll, 'z', 'j', 't', 0 = int */
};

struct out {
    format_sink sink;
    void *ctx;
    int count;
};

static void put(struct out *o, char c)
{
    o->sink(c, o->ctx);
    o->count++;
}

static void put_repeat(struct out *o, char c, int n)
{
    while (n-- > 0)
        put(o, c);
}

/* Write digits of v in base into buf backwards; returns how many. */
static int utoa_rev(uint64_t v, unsigned base, int upper, char *buf)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    int n = 0;
    do {
        buf[n++] = digits[v % base];
        v /= base;
    } while (v != 0);
    return n;
}

/* The reversed digits of v as s asks for them: none for 0 at precision 0. */
static int spec_digits(const struct spec *s, uint64_t v, unsigned base, int upper, char *buf)
{
    return (s->precision == 0 && v == 0) ? 0 : utoa_rev(v, base, upper, buf);
}

/* Emit one field: sign/prefix, precision zeros, the reversed digits, padding. */
static void emit_number(struct out *o, const struct spec *s, const char *prefix,
                        const char *rev, int ndigits)
{
    int plen = 0;
    while (prefix[plen])
        plen++;
    int zeros = s->precision > ndigits ? s->precision - ndigits : 0;
    int body = plen + zeros + ndigits;
    int pad = s->width > body ? s->width - body : 0;
    int zero_pad = s->zero && !s->left && s->precision < 0;

    if (!s->left && !zero_pad)
        put_repeat(o, ' ', pad);
    for (int i = 0; i < plen; i++)
        put(o, prefix[i]);
    if (zero_pad)
        put_repeat(o, '0', pad);
    put_repeat(o, '0', zeros);
    for (int i = ndigits - 1; i >= 0; i--)
        put(o, rev[i]);
    if (s->left)
        put_repeat(o, ' ', pad);
}

static void format_signed(struct out *o, const struct spec *s, int64_t v)
{
    char rev[24];
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    int n = spec_digits(s, mag, 10, 0, rev);
    const char *prefix = v < 0 ? "-" : s->plus ? "+" : s->space ? " " : "";
    emit_number(o, s, prefix, rev, n);
}

static void format_unsigned(struct out *o, const struct spec *s, uint64_t v,
                            unsigned base, int upper)
{
    char rev[24];
    int n = spec_digits(s, v, base, upper, rev);
    const char *prefix = "";
    if (s->alt && v != 0 && base == 16)
        prefix = upper ? "0X" : "0x";
    if (s->alt && base == 8 && (n == 0 || rev[n - 1] != '0'))
        prefix = "0";
    emit_number(o, s, prefix, rev, n);
}

/* %p: "0x" and lower-case hex digits, also for NULL ("0x0"). */
static void format_pointer(struct out *o, const struct spec *s, uintptr_t v)
{
    char rev[24];
    emit_number(o, s, "0x", rev, spec_digits(s, v, 16, 0, rev));
}

/* Emit len characters of text, space-padded to the field width. */
static void emit_text(struct out *o, const struct spec *s, const char *text, int len)
{
    int pad = s->width > len ? s->width - len : 0;
    if (!s->left)
        put_repeat(o, ' ', pad);
    for (int i = 0; i < len; i++)
        put(o, text[i]);
    if (s->left)
        put_repeat(o, ' ', pad);
}

static void format_string(struct out *o, const struct spec *s, const char *str)
{
    if (!str)
        str = "(null)";
    int len = 0;
    while (str[len] && (s->precision < 0 || len < s->precision))
        len++;
    emit_text(o, s, str, len);
}

static int64_t fetch_signed(const struct spec *s, va_list *ap)
{
    switch (s->length) {
    case 'H': return (signed char)va_arg(*ap, int);
    case 'h': return (short)va_arg(*ap, int);
    case 'l': return va_arg(*ap, long);
    case 'L': return va_arg(*ap, long long);
    case 'z': return va_arg(*ap, long);        /* ssize_t */
    case 'j': return va_arg(*ap, int64_t);
    case 't': return va_arg(*ap, ptrdiff_t);
    default: return va_arg(*ap, int);
    }
}

static uint64_t fetch_unsigned(const struct spec *s, va_list *ap)
{
    switch (s->length) {
    case 'H': return (unsigned char)va_arg(*ap, unsigned);
    case 'h': return (unsigned short)va_arg(*ap, unsigned);
    case 'l': return va_arg(*ap, unsigned long);
    case 'L': return va_arg(*ap, unsigned long long);
    case 'z': return va_arg(*ap, size_t);
    case 'j': return va_arg(*ap, uint64_t);
    case 't': return (uint64_t)va_arg(*ap, ptrdiff_t);
    default: return va_arg(*ap, unsigned);
    }
}

/* Parse flags, width, precision and length at *fmt; advances *fmt. */
static void parse_spec(const char **fmt, struct spec *s, va_list *ap)
{
    const char *p = *fmt;
    *s = (struct spec){ .precision = -1 };
    for (;; p++) {
        if (*p == '-') s->left = 1;
        else if (*p == '0') s->zero = 1;
        else if (*p == '+') s->plus = 1;
        else if (*p == ' ') s->space = 1;
        else if (*p == '#') s->alt = 1;
        else break;
    }
    if (*p == '*') {
        s->width = va_arg(*ap, int);
        if (s->width < 0) {
            s->left = 1;
            s->width = -s->width;
        }
        p++;
    } else {
        while (*p >= '0' && *p <= '9')
            s->width = s->width * 10 + (*p++ - '0');
    }
    if (*p == '.') {
        p++;
        s->precision = 0;
        if (*p == '*') {
            s->precision = va_arg(*ap, int);
            if (s->precision < 0)
                s->precision = -1;
            p++;
        } else {
            while (*p >= '0' && *p <= '9')
                s->precision = s->precision * 10 + (*p++ - '0');
        }
    }
    if (p[0] == 'h' && p[1] == 'h') { s->length = 'H'; p += 2; }
    else if (p[0] == 'l' && p[1] == 'l') { s->length = 'L'; p += 2; }
    else if (*p == 'h' || *p == 'l' || *p == 'z' || *p == 'j' || *p == 't')
        s->length = *p++;
    *fmt = p;
}

/* Handle one conversion character c with spec s. */
static void convert(struct out *o, char c, const struct spec *s, va_list *ap)
{
    switch (c) {
    case 'd': case 'i': format_signed(o, s, fetch_signed(s, ap)); break;
    case 'u': format_unsigned(o, s, fetch_unsigned(s, ap), 10, 0); break;
    case 'x': format_unsigned(o, s, fetch_unsigned(s, ap), 16, 0); break;
    case 'X': format_unsigned(o, s, fetch_unsigned(s, ap), 16, 1); break;
    case 'o': format_unsigned(o, s, fetch_unsigned(s, ap), 8, 0); break;
    case 'p': format_pointer(o, s, (uintptr_t)va_arg(*ap, void *)); break;
    case 's': format_string(o, s, va_arg(*ap, const char *)); break;
    case 'c': {
        char ch = (char)va_arg(*ap, int);
        emit_text(o, s, &ch, 1);
        break;
    }
    case '%': put(o, '%'); break;
    default:            /* unknown conversion: print it as written */
        put(o, '%');
        if (c)
            put(o, c);
        break;
    }
}

int format_v(format_sink sink, void *ctx, const char *fmt, va_list ap)
{
    struct out o = { sink, ctx, 0 };
    va_list args;
    va_copy(args, ap);
    while (*fmt) {
        if (*fmt != '%') {
            put(&o, *fmt++);
            continue;
        }
        fmt++;
        struct spec s;
        parse_spec(&fmt, &s, &args);
        char c = *fmt;
        if (c)
            fmt++;
        convert(&o, c, &s, &args);
    }
    va_end(args);
    return o.count;
}

struct buf_sink {
    char *buf;
    size_t size;   /* capacity including the terminating NUL */
    size_t pos;    /* characters produced so far (may exceed size) */
};

static void buf_put(char c, void *ctx)
{
    struct buf_sink *b = ctx;
    if (b->pos + 1 < b->size)
        b->buf[b->pos] = c;
    b->pos++;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct buf_sink b = { buf, size, 0 };
    int n = format_v(buf_put, &b, fmt, ap);
    if (size)
        buf[b.pos < size ? b.pos : size - 1] = '\0';
    return n;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
