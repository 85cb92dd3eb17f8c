/* printf-style formatting core; see format.h for the supported subset. */
#include "format.h"

struct spec {
    bool left;       /* '-' flag */
    bool zero;       /* '0' flag */
    int width;
    int length;      /* 0 = int, 1 = long, 2 = long long, 3 = size_t */
};

struct out {
    format_sink sink;
    void *ctx;
    int count;
};

static void emit(struct out *o, char c)
{
    o->sink(c, o->ctx);
    o->count++;
}

static void emit_padding(struct out *o, int n, char c)
{
    while (n-- > 0)
        emit(o, c);
}

/* Emit a finished body (sign/prefix + digits) honouring width and flags. */
static void emit_field(struct out *o, const struct spec *s, const char *prefix,
                       const char *body, int body_len)
{
    int prefix_len = 0;
    while (prefix[prefix_len])
        prefix_len++;
    int pad = s->width - prefix_len - body_len;
    if (!s->left && !s->zero)
        emit_padding(o, pad, ' ');
    for (int i = 0; i < prefix_len; i++)
        emit(o, prefix[i]);
    if (!s->left && s->zero)
        emit_padding(o, pad, '0');
    for (int i = 0; i < body_len; i++)
        emit(o, body[i]);
    if (s->left)
        emit_padding(o, pad, ' ');
}

static int utoa_rev(uint64_t v, unsigned base, bool upper, char *digits)
{
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    int n = 0;
    do {
        digits[n++] = set[v % base];
        v /= base;
    } while (v);
    return n;
}

static void emit_unsigned(struct out *o, const struct spec *s, const char *prefix,
                          uint64_t v, unsigned base, bool upper)
{
    char rev[24], body[24];
    int n = utoa_rev(v, base, upper, rev);
    for (int i = 0; i < n; i++)
        body[i] = rev[n - 1 - i];
    emit_field(o, s, prefix, body, n);
}

static int64_t fetch_signed(const struct spec *s, va_list *ap)
{
    switch (s->length) {
    case 1: return va_arg(*ap, long);
    case 2: return va_arg(*ap, long long);
    case 3: return (int64_t)va_arg(*ap, size_t);
    default: return va_arg(*ap, int);
    }
}

static uint64_t fetch_unsigned(const struct spec *s, va_list *ap)
{
    switch (s->length) {
    case 1: return va_arg(*ap, unsigned long);
    case 2: return va_arg(*ap, unsigned long long);
    case 3: return va_arg(*ap, size_t);
    default: return va_arg(*ap, unsigned int);
    }
}

/* Parse flags, width and length after '%'; returns the conversion char. */
static const char *parse_spec(const char *p, struct spec *s, va_list *ap)
{
    *s = (struct spec){0};
    for (;; p++) {
        if (*p == '-')
            s->left = true;
        else if (*p == '0')
            s->zero = true;
        else
            break;
    }
    if (*p == '*') {
        s->width = va_arg(*ap, int);
        if (s->width < 0) {
            s->left = true;
            s->width = -s->width;
        }
        p++;
    }
    while (*p >= '0' && *p <= '9')
        s->width = s->width * 10 + (*p++ - '0');
    if (*p == 'z') {
        s->length = 3;
        p++;
    } else if (*p == 'l') {
        s->length = 1;
        if (*++p == 'l') {
            s->length = 2;
            p++;
        }
    }
    return p;
}

static void convert(struct out *o, const struct spec *s, char conv, va_list *ap)
{
    switch (conv) {
    case 'd':
    case 'i': {
        int64_t v = fetch_signed(s, ap);
        uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        emit_unsigned(o, s, v < 0 ? "-" : "", mag, 10, false);
        break;
    }
    case 'u': emit_unsigned(o, s, "", fetch_unsigned(s, ap), 10, false); break;
    case 'x': emit_unsigned(o, s, "", fetch_unsigned(s, ap), 16, false); break;
    case 'X': emit_unsigned(o, s, "", fetch_unsigned(s, ap), 16, true); break;
    case 'p': emit_unsigned(o, s, "0x", (uintptr_t)va_arg(*ap, void *), 16, false); break;
    case 'c': {
        char c = (char)va_arg(*ap, int);
        emit_field(o, s, "", &c, 1);
        break;
    }
    case 's': {
        const char *str = va_arg(*ap, const char *);
        if (!str)
            str = "(null)";
        int len = 0;
        while (str[len])
            len++;
        struct spec sp = *s;
        sp.zero = false;
        emit_field(o, &sp, "", str, len);
        break;
    }
    case '%': emit(o, '%'); break;
    default: /* unknown conversion: print it verbatim so the bug is visible */
        emit(o, '%');
        if (conv)
            emit(o, conv);
        break;
    }
}

int format_v(format_sink sink, void *ctx, const char *fmt, va_list ap)
{
    struct out o = {sink, ctx, 0};
    va_list args;
    va_copy(args, ap);
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            emit(&o, *p);
            continue;
        }
        struct spec s;
        p = parse_spec(p + 1, &s, &args);
        convert(&o, &s, *p, &args);
        if (!*p)
            break;
    }
    va_end(args);
    return o.count;
}

struct buf_ctx {
    char *buf;
    size_t size;
    size_t pos;
};

static void buf_sink(char c, void *ctx)
{
    struct buf_ctx *b = ctx;
    if (b->pos + 1 < b->size)
        b->buf[b->pos] = c;
    b->pos++;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct buf_ctx b = {buf, size, 0};
    int n = format_v(buf_sink, &b, fmt, ap);
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
