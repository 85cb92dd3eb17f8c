/* Unit tests for the console's output ring (common/console/console_ring.c):
   order across the wrap, all-or-nothing writes, and space bounded by the
   slowest of the two readers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "console_ring.h"

static struct console_ring ring;

static int setup(void **state)
{
    (void)state;
    console_ring_init(&ring);
    return 0;
}

/* Take up to max bytes for reader into out (following the wrap); returns how many. */
static size_t take(enum console_reader reader, char *out, size_t max)
{
    size_t got = 0;
    while (got < max) {
        const char *p;
        size_t n = console_ring_peek(&ring, reader, &p);
        if (n == 0)
            break;
        n = n < max - got ? n : max - got;
        memcpy(out + got, p, n);
        console_ring_consume(&ring, reader, n);
        got += n;
    }
    return got;
}

static void test_empty(void **state)
{
    (void)state;
    const char *p;
    assert_int_equal(console_ring_space(&ring), 65536);
    assert_int_equal(console_ring_pending(&ring, CONSOLE_READER_SERIAL), 0);
    assert_int_equal(console_ring_peek(&ring, CONSOLE_READER_VGA, &p), 0);
}

static void test_both_readers_see_every_byte_in_order(void **state)
{
    (void)state;
    char out[16];
    assert_true(console_ring_put(&ring, "hello ", 6));
    assert_true(console_ring_put(&ring, "world\n", 6));
    assert_int_equal(console_ring_space(&ring), 65536 - 12);
    assert_int_equal(take(CONSOLE_READER_SERIAL, out, sizeof(out)), 12);
    assert_memory_equal(out, "hello world\n", 12);
    /* the VGA reader has taken nothing: the space stays taken */
    assert_int_equal(console_ring_space(&ring), 65536 - 12);
    assert_int_equal(take(CONSOLE_READER_VGA, out, 5), 5);
    assert_memory_equal(out, "hello", 5);
    assert_int_equal(console_ring_space(&ring), 65536 - 7);
    assert_int_equal(take(CONSOLE_READER_VGA, out, sizeof(out)), 7);
    assert_memory_equal(out, " world\n", 7);
    assert_int_equal(console_ring_space(&ring), 65536);
}

static void test_full_ring_refuses_whole_writes(void **state)
{
    (void)state;
    static char big[65536 - 3];
    memset(big, 'x', sizeof(big));
    assert_true(console_ring_put(&ring, big, sizeof(big)));
    assert_int_equal(console_ring_space(&ring), 3);
    assert_false(console_ring_put(&ring, "four", 4));    /* nothing of it goes in */
    assert_int_equal(console_ring_pending(&ring, CONSOLE_READER_SERIAL), sizeof(big));
    assert_true(console_ring_put(&ring, "abc", 3));
    assert_int_equal(console_ring_space(&ring), 0);
    assert_false(console_ring_put(&ring, "d", 1));
}

static void test_wrap_keeps_order(void **state)
{
    (void)state;
    static char big[65536 - 10];
    char out[32];
    memset(big, 'y', sizeof(big));
    assert_true(console_ring_put(&ring, big, sizeof(big)));
    static char sink[65536];
    assert_int_equal(take(CONSOLE_READER_SERIAL, sink, sizeof(big)), sizeof(big));
    assert_int_equal(take(CONSOLE_READER_VGA, sink, sizeof(big)), sizeof(big));
    /* 20 bytes: 10 at the end of the buffer, 10 at its start */
    assert_true(console_ring_put(&ring, "0123456789abcdefghij", 20));
    const char *p;
    assert_int_equal(console_ring_peek(&ring, CONSOLE_READER_SERIAL, &p), 10);   /* up to the end */
    assert_int_equal(take(CONSOLE_READER_SERIAL, out, sizeof(out)), 20);
    assert_memory_equal(out, "0123456789abcdefghij", 20);
    assert_int_equal(take(CONSOLE_READER_VGA, out, sizeof(out)), 20);
    assert_memory_equal(out, "0123456789abcdefghij", 20);
}

static void test_consume_beyond_pending_is_clamped(void **state)
{
    (void)state;
    assert_true(console_ring_put(&ring, "ab", 2));
    console_ring_consume(&ring, CONSOLE_READER_SERIAL, 5);
    assert_int_equal(console_ring_pending(&ring, CONSOLE_READER_SERIAL), 0);
    assert_int_equal(console_ring_pending(&ring, CONSOLE_READER_VGA), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_empty, setup),
        cmocka_unit_test_setup(test_both_readers_see_every_byte_in_order, setup),
        cmocka_unit_test_setup(test_full_ring_refuses_whole_writes, setup),
        cmocka_unit_test_setup(test_wrap_keeps_order, setup),
        cmocka_unit_test_setup(test_consume_beyond_pending_is_clamped, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
