/*
 * The byte level of the GDB remote protocol (gdb_packet.h): framing,
 * checksums, hex and binary escaping. Pure code shared by the kernel stub
 * and the host unit tests; every input is bounds-checked, nothing trusts
 * the peer.
 */
#include "gdb_packet.h"

int gdb_hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char gdb_hex_digit(unsigned v) { return "0123456789abcdef"[v & 0xF]; }

uint8_t gdb_checksum(const char *data, size_t n)
{
    uint8_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum = (uint8_t)(sum + (uint8_t)data[i]);
    return sum;
}

int gdb_hex_decode(void *out, size_t max, const char *hex, size_t len)
{
    uint8_t *o = out;
    if (len % 2 || len / 2 > max)
        return -1;
    for (size_t i = 0; i < len; i += 2) {
        int hi = gdb_hex_value(hex[i]), lo = gdb_hex_value(hex[i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        o[i / 2] = (uint8_t)(hi << 4 | lo);
    }
    return (int)(len / 2);
}

bool gdb_parse_hex(const char **p, const char *end, uint64_t *v)
{
    const char *s = *p;
    uint64_t x = 0;
    int digits = 0;
    for (; s < end && gdb_hex_value(*s) >= 0; s++, digits++) {
        if (digits == 16)
            return false;
        x = x << 4 | (uint64_t)gdb_hex_value(*s);
    }
    if (digits == 0)
        return false;
    *v = x;
    *p = s;
    return true;
}

int gdb_unescape(void *out, size_t max, const char *in, size_t n)
{
    uint8_t *o = out;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t b = (uint8_t)in[i];
        if (b == GDB_ESCAPE) {
            if (++i == n)
                return -1;
            b = (uint8_t)in[i] ^ GDB_ESCAPE_XOR;
        }
        if (k == max)
            return -1;
        o[k++] = b;
    }
    return (int)k;
}

void gdb_reply_init(struct gdb_reply *r, char *buf, size_t cap)
{
    r->buf = buf;
    r->cap = cap;
    r->len = 0;
    r->overflow = false;
}

void gdb_reply_char(struct gdb_reply *r, char c)
{
    if (r->len < r->cap)
        r->buf[r->len++] = c;
    else
        r->overflow = true;
}

void gdb_reply_str(struct gdb_reply *r, const char *s)
{
    while (*s)
        gdb_reply_char(r, *s++);
}

void gdb_reply_hex(struct gdb_reply *r, const void *data, size_t n)
{
    const uint8_t *d = data;
    for (size_t i = 0; i < n; i++) {
        gdb_reply_char(r, gdb_hex_digit(d[i] >> 4));
        gdb_reply_char(r, gdb_hex_digit(d[i]));
    }
}

void gdb_reply_hex_u64(struct gdb_reply *r, uint64_t v)
{
    int shift = 60;
    while (shift > 0 && !((v >> shift) & 0xF))
        shift -= 4;
    for (; shift >= 0; shift -= 4)
        gdb_reply_char(r, gdb_hex_digit((unsigned)(v >> shift)));
}

void gdb_reply_escaped(struct gdb_reply *r, const void *data, size_t n)
{
    const uint8_t *d = data;
    for (size_t i = 0; i < n; i++) {
        uint8_t b = d[i];
        if (b == '$' || b == '#' || b == GDB_ESCAPE || b == '*') {
            gdb_reply_char(r, GDB_ESCAPE);
            b ^= GDB_ESCAPE_XOR;
        }
        gdb_reply_char(r, (char)b);
    }
}

void gdb_reply_error(struct gdb_reply *r, uint8_t code)
{
    r->len = 0;
    r->overflow = false;
    gdb_reply_char(r, 'E');
    gdb_reply_char(r, gdb_hex_digit(code >> 4));
    gdb_reply_char(r, gdb_hex_digit(code));
}

/* How many of the repeats of c after its first copy one `*` code can say
   (E.1: the count byte is repeats + 29, printable, and never `#` or `$`). */
static size_t rle_repeats(size_t run)
{
    size_t r = MIN(run - 1, (size_t)(GDB_RLE_MAX - GDB_RLE_BASE));
    while (r + GDB_RLE_BASE == '#' || r + GDB_RLE_BASE == '$')
        r--;                             /* 6 and 7 repeats are not allowed: take 5 */
    return r;
}

size_t gdb_frame(char *out, size_t cap, const char *payload, size_t n)
{
    size_t o = 1, i = 0;
    if (cap < 4)
        return 0;
    out[0] = '$';
    while (i < n) {
        size_t run = 1;
        while (i + run < n && payload[i + run] == payload[i])
            run++;
        size_t rep = run > GDB_RLE_MIN ? rle_repeats(run) : 0;
        size_t need = rep ? 3 : 1;
        if (o + need + 3 > cap)
            return 0;
        out[o++] = payload[i];
        if (rep) {
            out[o++] = '*';
            out[o++] = (char)(rep + GDB_RLE_BASE);
            i += rep + 1;
        } else {
            i++;
        }
    }
    uint8_t sum = gdb_checksum(out + 1, o - 1);
    out[o++] = '#';
    out[o++] = gdb_hex_digit(sum >> 4);
    out[o++] = gdb_hex_digit(sum);
    return o;
}

void gdb_rx_reset(struct gdb_rx *rx)
{
    rx->state = RX_IDLE;
    rx->len = 0;
    rx->sum = 0;
    rx->too_long = false;
}

/* A byte outside any packet. */
static enum gdb_rx_event rx_idle(struct gdb_rx *rx, uint8_t byte)
{
    switch (byte) {
    case '$':
        gdb_rx_reset(rx);
        rx->state = RX_DATA;
        return GDB_RX_NONE;
    case GDB_CHAR_INTERRUPT: return GDB_RX_INTERRUPT;
    case '+': return GDB_RX_ACK;
    case '-': return GDB_RX_NAK;
    default: return GDB_RX_NONE;     /* line noise between packets */
    }
}

enum gdb_rx_event gdb_rx_feed(struct gdb_rx *rx, uint8_t byte)
{
    switch (rx->state) {
    case RX_IDLE:
        return rx_idle(rx, byte);
    case RX_DATA:
        if (byte == '$') {           /* a new packet before this one ended: gdb restarted */
            gdb_rx_reset(rx);
            rx->state = RX_DATA;
        } else if (byte == '#') {
            rx->state = RX_SUM1;
        } else if (rx->len < GDB_PACKET_MAX) {
            rx->buf[rx->len++] = (char)byte;
            rx->sum = (uint8_t)(rx->sum + byte);
        } else {
            rx->too_long = true;
        }
        return GDB_RX_NONE;
    case RX_SUM1:
        rx->sum_hi = byte;
        rx->state = RX_SUM2;
        return GDB_RX_NONE;
    case RX_SUM2: {
        int hi = gdb_hex_value((char)rx->sum_hi), lo = gdb_hex_value((char)byte);
        rx->state = RX_IDLE;
        rx->buf[rx->len] = '\0';
        if (hi < 0 || lo < 0 || rx->too_long || (uint8_t)(hi << 4 | lo) != rx->sum)
            return GDB_RX_BAD;
        return GDB_RX_PACKET;
    }
    }
    return GDB_RX_NONE;
}
