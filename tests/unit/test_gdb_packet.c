/* Unit tests for the GDB protocol's byte level (common/debug/gdb_packet.c):
   checksums, hex, escaping, framing, and the receiver fed hostile input. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "gdb_packet.h"

/* Feed a whole string; return the last event that was not NONE. */
static enum gdb_rx_event feed_all(struct gdb_rx *rx, const char *s, size_t n)
{
    enum gdb_rx_event last = GDB_RX_NONE;
    for (size_t i = 0; i < n; i++) {
        enum gdb_rx_event e = gdb_rx_feed(rx, (uint8_t)s[i]);
        if (e != GDB_RX_NONE)
            last = e;
    }
    return last;
}

static void test_checksum_known_values(void **state)
{
    (void)state;
    /* from the gdb manual's examples and by hand: 'O'+'K' = 0x4F+0x4B = 0x9A */
    assert_int_equal(gdb_checksum("OK", 2), 0x9A);
    assert_int_equal(gdb_checksum("", 0), 0);
    assert_int_equal(gdb_checksum("qSupported", 10), 0x37);
    char ff[2] = {(char)0xFF, 0x02};  /* wraps modulo 256 */
    assert_int_equal(gdb_checksum(ff, 2), 0x01);
}

static void test_hex_digits_and_decode(void **state)
{
    (void)state;
    assert_int_equal(gdb_hex_value('0'), 0);
    assert_int_equal(gdb_hex_value('a'), 10);
    assert_int_equal(gdb_hex_value('F'), 15);
    assert_int_equal(gdb_hex_value('g'), -1);
    assert_int_equal(gdb_hex_value(':'), -1);
    uint8_t out[4];
    assert_int_equal(gdb_hex_decode(out, 4, "dEadBEef", 8), 4);
    assert_memory_equal(out, "\xde\xad\xbe\xef", 4);
    assert_int_equal(gdb_hex_decode(out, 4, "abc", 3), -1);        /* odd */
    assert_int_equal(gdb_hex_decode(out, 4, "zz", 2), -1);         /* not hex */
    assert_int_equal(gdb_hex_decode(out, 2, "00112233", 8), -1);   /* too long */
    assert_int_equal(gdb_hex_decode(out, 4, "", 0), 0);
}

static void test_parse_hex_numbers(void **state)
{
    (void)state;
    const char *s = "ffffffff80100000,4";
    const char *p = s;
    uint64_t v;
    assert_true(gdb_parse_hex(&p, s + strlen(s), &v));
    assert_true(v == 0xffffffff80100000ull);
    assert_int_equal(*p, ',');
    const char *bad = "x12";
    p = bad;
    assert_false(gdb_parse_hex(&p, bad + 3, &v));
    assert_ptr_equal(p, bad);
    const char *big = "11112222333344445";   /* 17 digits */
    p = big;
    assert_false(gdb_parse_hex(&p, big + 17, &v));
    const char *lim = "123";                  /* end bounds the digits */
    p = lim;
    assert_true(gdb_parse_hex(&p, lim + 2, &v));
    assert_int_equal(v, 0x12);
}

static void test_escape_roundtrip(void **state)
{
    (void)state;
    const uint8_t data[] = {'$', '#', '}', '*', 'a', 0x00, 0xFF};
    char buf[32];
    struct gdb_reply r;
    gdb_reply_init(&r, buf, sizeof(buf));
    gdb_reply_escaped(&r, data, sizeof(data));
    assert_false(r.overflow);
    /* each special byte becomes '}' and the byte ^ 0x20 */
    const char want[] = {'}', 0x04, '}', 0x03, '}', 0x5d, '}', 0x0a, 'a', 0x00, (char)0xFF};
    assert_int_equal(r.len, sizeof(want));
    assert_memory_equal(buf, want, sizeof(want));
    uint8_t back[16];
    assert_int_equal(gdb_unescape(back, sizeof(back), buf, r.len), (int)sizeof(data));
    assert_memory_equal(back, data, sizeof(data));
    assert_int_equal(gdb_unescape(back, sizeof(back), "ab}", 3), -1);   /* dangling escape */
    assert_int_equal(gdb_unescape(back, 2, "abc", 3), -1);              /* does not fit */
}

static void test_reply_overflow_and_hex_u64(void **state)
{
    (void)state;
    char buf[4];
    struct gdb_reply r;
    gdb_reply_init(&r, buf, sizeof(buf));
    gdb_reply_str(&r, "abcdef");
    assert_true(r.overflow);
    assert_int_equal(r.len, 4);
    char big[32];
    gdb_reply_init(&r, big, sizeof(big));
    gdb_reply_hex_u64(&r, 0);
    gdb_reply_char(&r, ' ');
    gdb_reply_hex_u64(&r, 0x10ab);
    gdb_reply_char(&r, ' ');
    gdb_reply_hex_u64(&r, 0xffffffff80000000ull);
    assert_int_equal(r.len, 1 + 1 + 4 + 1 + 16);
    assert_memory_equal(big, "0 10ab ffffffff80000000", r.len);
    gdb_reply_error(&r, 0x3);
    assert_int_equal(r.len, 3);
    assert_memory_equal(big, "E03", 3);
}

static void test_frame(void **state)
{
    (void)state;
    char out[16];
    assert_int_equal(gdb_frame(out, sizeof(out), "OK", 2), 6);
    assert_memory_equal(out, "$OK#9a", 6);
    assert_int_equal(gdb_frame(out, 5, "OK", 2), 0);   /* no room for the checksum */
}

/* Expand a frame's run-length codes the way gdb's reader does (E.1). */
static size_t rle_expand(const char *frame, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 1; i < n - 3; i++) {
        if (frame[i] == '*') {
            for (int k = 0; k < frame[i + 1] - 29; k++, o++)
                out[o] = out[o - 1];
            i++;
        } else {
            out[o++] = frame[i];
        }
    }
    return o;
}

static void test_frame_run_length(void **state)
{
    (void)state;
    char out[64], back[256];
    /* "0000" has 3 repeats after the first: 3 + 29 = ' ' */
    assert_int_equal(gdb_frame(out, sizeof(out), "0000", 4), 7);
    assert_memory_equal(out, "$0* #", 5);
    /* the checksum covers what is sent, not the expanded text */
    assert_int_equal(gdb_checksum("0* ", 3), gdb_hex_value(out[5]) << 4 | gdb_hex_value(out[6]));
    assert_int_equal(gdb_frame(out, sizeof(out), "000", 3), 7);   /* short runs stay as they are */
    assert_memory_equal(out, "$000#", 5);
    /* 7 and 8 copies would need '#' / '$' as the count: never in a frame */
    for (size_t len = 1; len < 200; len++) {
        char payload[200];
        memset(payload, 'a', len);
        payload[len / 2] = 'b';
        char big[512];
        size_t n = gdb_frame(big, sizeof(big), payload, len);
        assert_true(n > 0);
        for (size_t i = 1; i < n - 3; i++)
            assert_true(big[i] != '#' && big[i] != '$');
        assert_int_equal(rle_expand(big, n, back), len);
        assert_memory_equal(back, payload, len);
    }
}

static void test_rx_good_packet_and_controls(void **state)
{
    (void)state;
    static struct gdb_rx rx;
    gdb_rx_reset(&rx);
    assert_int_equal(feed_all(&rx, "$OK#9a", 6), GDB_RX_PACKET);
    assert_int_equal(rx.len, 2);
    assert_string_equal(rx.buf, "OK");
    assert_int_equal(gdb_rx_feed(&rx, '+'), GDB_RX_ACK);
    assert_int_equal(gdb_rx_feed(&rx, '-'), GDB_RX_NAK);
    assert_int_equal(gdb_rx_feed(&rx, 0x03), GDB_RX_INTERRUPT);
    assert_int_equal(feed_all(&rx, "garbage\r\n", 9), GDB_RX_NONE);    /* noise between packets */
    assert_int_equal(feed_all(&rx, "$OK#9A", 6), GDB_RX_PACKET);      /* upper-case checksum */
}

static void test_rx_bad_checksum_and_bad_digits(void **state)
{
    (void)state;
    static struct gdb_rx rx;
    gdb_rx_reset(&rx);
    assert_int_equal(feed_all(&rx, "$OK#9b", 6), GDB_RX_BAD);
    assert_int_equal(feed_all(&rx, "$OK#zz", 6), GDB_RX_BAD);
    /* the stream stays in step: the next good packet is received */
    assert_int_equal(feed_all(&rx, "$OK#9a", 6), GDB_RX_PACKET);
    /* a '$' inside a packet restarts it (gdb reconnected mid-packet) */
    assert_int_equal(feed_all(&rx, "$qSupp$OK#9a", 12), GDB_RX_PACKET);
    assert_string_equal(rx.buf, "OK");
}

static void test_rx_overlong_packet_is_bad_then_recovers(void **state)
{
    (void)state;
    static struct gdb_rx rx;
    gdb_rx_reset(&rx);
    assert_int_equal(gdb_rx_feed(&rx, '$'), GDB_RX_NONE);
    uint8_t sum = 0;
    for (int i = 0; i < GDB_PACKET_MAX + 100; i++) {
        assert_int_equal(gdb_rx_feed(&rx, 'A'), GDB_RX_NONE);
        sum = (uint8_t)(sum + 'A');
    }
    char tail[4];
    snprintf(tail, sizeof(tail), "#%02x", sum);
    assert_int_equal(feed_all(&rx, tail, 3), GDB_RX_BAD);
    assert_true(rx.len <= GDB_PACKET_MAX);
    assert_int_equal(feed_all(&rx, "$OK#9a", 6), GDB_RX_PACKET);
}

static void test_rx_random_bytes_never_overrun(void **state)
{
    (void)state;
    static struct gdb_rx rx;
    gdb_rx_reset(&rx);
    uint32_t x = 12345;
    for (int i = 0; i < 200000; i++) {
        x = x * 1103515245u + 12345u;
        enum gdb_rx_event e = gdb_rx_feed(&rx, (uint8_t)(x >> 16));
        assert_true(rx.len <= GDB_PACKET_MAX);
        if (e == GDB_RX_PACKET)
            assert_int_equal(rx.buf[rx.len], '\0');
    }
    gdb_rx_reset(&rx);
    assert_int_equal(feed_all(&rx, "$OK#9a", 6), GDB_RX_PACKET);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checksum_known_values),
        cmocka_unit_test(test_hex_digits_and_decode),
        cmocka_unit_test(test_parse_hex_numbers),
        cmocka_unit_test(test_escape_roundtrip),
        cmocka_unit_test(test_reply_overflow_and_hex_u64),
        cmocka_unit_test(test_frame),
        cmocka_unit_test(test_frame_run_length),
        cmocka_unit_test(test_rx_good_packet_and_controls),
        cmocka_unit_test(test_rx_bad_checksum_and_bad_digits),
        cmocka_unit_test(test_rx_overlong_packet_is_bad_then_recovers),
        cmocka_unit_test(test_rx_random_bytes_never_overrun),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
