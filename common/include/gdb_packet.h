/*
 * GDB Remote Serial Protocol, the byte level (gdb manual, Appendix E
 * "Remote Protocol", sections Overview and Packets): framing `$data#cs`,
 * the modulo-256 checksum, hex encoding, the escaping of binary data
 * (`}` followed by the byte XOR 0x20) and the reply buffer a packet handler
 * writes into. Pure code: no hardware, no allocation, unit-tested on the host
 * (tests/unit/test_gdb_packet.c). Any context; nothing here blocks.
 */
#pragma once

#include "types.h"

#define GDB_PACKET_MAX 4096          /* payload bytes; announced as PacketSize */
#define GDB_CHAR_INTERRUPT 0x03      /* Ctrl-C outside a packet: stop the target */
#define GDB_ESCAPE '}'               /* binary escape: next byte is XOR 0x20 */
#define GDB_ESCAPE_XOR 0x20

/* Hex digit value of c (either case), or -1. */
int gdb_hex_value(char c);
/* Lower-case hex digit for v & 0xF. */
char gdb_hex_digit(unsigned v);
/* Sum of the bytes of data modulo 256: the packet checksum. */
uint8_t gdb_checksum(const char *data, size_t n);

/* Decode exactly len hex characters into at most max bytes: the number of
   bytes, or -1 for an odd length, a non-hex character or too many bytes. */
int gdb_hex_decode(void *out, size_t max, const char *hex, size_t len);
/* Parse a hex number of 1-16 digits at *p into *v and advance *p past it;
   false (and *p unchanged) when there is no digit or more than 16. */
bool gdb_parse_hex(const char **p, const char *end, uint64_t *v);
/* Undo binary escaping of n bytes at in into at most max bytes: the number of
   bytes, or -1 for a dangling escape or output that does not fit. */
int gdb_unescape(void *out, size_t max, const char *in, size_t n);

/* A reply under construction. Appends never overrun cap; once something did
   not fit, overflow stays set and the caller answers an error instead. */
struct gdb_reply {
    char *buf;
    size_t cap;
    size_t len;
    bool overflow;
};
void gdb_reply_init(struct gdb_reply *r, char *buf, size_t cap);
void gdb_reply_char(struct gdb_reply *r, char c);
void gdb_reply_str(struct gdb_reply *r, const char *s);
void gdb_reply_hex(struct gdb_reply *r, const void *data, size_t n);
/* Hex number without leading zeros ("0" for 0). */
void gdb_reply_hex_u64(struct gdb_reply *r, uint64_t v);
/* data with binary escaping of `$ # } *` (qXfer replies). */
void gdb_reply_escaped(struct gdb_reply *r, const void *data, size_t n);
/* "Enn": an error reply with a two-digit code. */
void gdb_reply_error(struct gdb_reply *r, uint8_t code);

/* Frame a payload for sending: `$`, payload, `#`, two hex digits into out
   (cap bytes), runs of more than GDB_RLE_MIN equal bytes run-length encoded
   as `c*N` (E.1 "Overview": N - 29 more copies of c; the g reply is half
   zeros). Returns the frame length, or 0 when it does not fit. */
#define GDB_RLE_MIN 3
#define GDB_RLE_BASE 29
#define GDB_RLE_MAX 126
size_t gdb_frame(char *out, size_t cap, const char *payload, size_t n);

/*
 * The receiving side: a state machine fed one byte at a time. Outside a
 * packet only `$` (start), Ctrl-C, `+` and `-` mean something; every other
 * byte is dropped. A packet longer than GDB_PACKET_MAX is read to its end
 * and reported as bad, so the stream stays in step.
 */
enum gdb_rx_event {
    GDB_RX_NONE,                     /* nothing complete yet */
    GDB_RX_PACKET,                   /* rx->buf[0..len) holds a checked payload */
    GDB_RX_BAD,                      /* a packet with a wrong checksum or too long: NAK it */
    GDB_RX_INTERRUPT,                /* Ctrl-C */
    GDB_RX_ACK,                      /* `+` */
    GDB_RX_NAK,                      /* `-`: resend the last reply */
};

struct gdb_rx {
    enum { RX_IDLE, RX_DATA, RX_SUM1, RX_SUM2 } state;
    uint8_t sum;                     /* running checksum of the data */
    uint8_t sum_hi;                  /* first received checksum digit */
    bool too_long;
    size_t len;
    char buf[GDB_PACKET_MAX + 1];    /* NUL-terminated for convenience */
};

void gdb_rx_reset(struct gdb_rx *rx);
enum gdb_rx_event gdb_rx_feed(struct gdb_rx *rx, uint8_t byte);
