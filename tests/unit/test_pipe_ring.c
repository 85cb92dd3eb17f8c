/* Unit tests for the pipe ring buffer (common/fs/pipe_ring.c): order,
   partial transfers at full and empty, wrap-around at every offset, and a
   long mixed run against a byte-for-byte model. Expected bytes are the
   ones the test wrote, in the order it wrote them. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "host_support.h"

#include "pipe_ring.h"

static struct pipe_ring ring;

static int setup(void **state)
{
    (void)state;
    memset(&ring, 0x5A, sizeof(ring));
    pipe_ring_init(&ring);
    return 0;
}

static void test_empty_ring(void **state)
{
    (void)state;
    char c;
    assert_int_equal(pipe_ring_used(&ring), 0);
    assert_int_equal(pipe_ring_space(&ring), PIPE_RING_SIZE);
    assert_int_equal(pipe_ring_read(&ring, &c, 1), 0);
}

static void test_bytes_come_out_in_order(void **state)
{
    (void)state;
    char out[8] = { 0 };
    assert_int_equal(pipe_ring_write(&ring, "abc", 3), 3);
    assert_int_equal(pipe_ring_write(&ring, "de", 2), 2);
    assert_int_equal(pipe_ring_used(&ring), 5);
    assert_int_equal(pipe_ring_read(&ring, out, 2), 2);
    assert_memory_equal(out, "ab", 2);
    assert_int_equal(pipe_ring_read(&ring, out, 8), 3);   /* only what is there */
    assert_memory_equal(out, "cde", 3);
    assert_int_equal(pipe_ring_used(&ring), 0);
}

static void test_write_stops_when_full(void **state)
{
    (void)state;
    static char big[PIPE_RING_SIZE + 100];
    memset(big, 'x', sizeof(big));
    assert_int_equal(pipe_ring_write(&ring, big, 100), 100);
    assert_int_equal(pipe_ring_write(&ring, big, sizeof(big)), PIPE_RING_SIZE - 100);
    assert_int_equal(pipe_ring_space(&ring), 0);
    assert_int_equal(pipe_ring_write(&ring, "y", 1), 0);
    assert_int_equal(pipe_ring_used(&ring), PIPE_RING_SIZE);
}

/* Start at every offset near the end of the array: a transfer across the
   end comes back whole. */
static void test_wrap_around_at_every_offset(void **state)
{
    (void)state;
    static char fill[PIPE_RING_SIZE], out[64];
    const char *msg = "0123456789abcdefghijklmnopqrstuvwxyz";
    size_t len = strlen(msg);
    for (size_t start = PIPE_RING_SIZE - len - 2; start <= PIPE_RING_SIZE; start++) {
        pipe_ring_init(&ring);
        assert_int_equal(pipe_ring_write(&ring, fill, start), start);
        assert_int_equal(pipe_ring_read(&ring, fill, start), start);
        assert_int_equal(pipe_ring_write(&ring, msg, len), len);
        memset(out, 0, sizeof(out));
        assert_int_equal(pipe_ring_read(&ring, out, sizeof(out)), len);
        assert_memory_equal(out, msg, len);
    }
}

/* Many writes and reads of sizes that do not divide the ring size, checked
   against the sequence number of every byte. */
static void test_long_mixed_run(void **state)
{
    (void)state;
    static const size_t wsize[] = { 1, 1000, 4096, 333, 7, 2500 };
    static const size_t rsize[] = { 3000, 1, 999, 4096, 17 };
    static unsigned char buf[PIPE_RING_SIZE];
    unsigned long written = 0, read = 0;
    for (int k = 0; k < 5000; k++) {
        size_t w = wsize[k % 6];
        for (size_t i = 0; i < w; i++)
            buf[i] = (unsigned char)((written + i) % 251);
        size_t put = pipe_ring_write(&ring, buf, w);
        size_t expect_put = w < PIPE_RING_SIZE - (written - read) ? w : PIPE_RING_SIZE - (written - read);
        assert_int_equal(put, expect_put);
        written += put;
        size_t got = pipe_ring_read(&ring, buf, rsize[k % 5]);
        for (size_t i = 0; i < got; i++)
            assert_int_equal(buf[i], (read + i) % 251);
        read += got;
        assert_int_equal(pipe_ring_used(&ring), written - read);
    }
    assert_true(written > 10 * PIPE_RING_SIZE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_empty_ring, setup),
        cmocka_unit_test_setup(test_bytes_come_out_in_order, setup),
        cmocka_unit_test_setup(test_write_stops_when_full, setup),
        cmocka_unit_test_setup(test_wrap_around_at_every_offset, setup),
        cmocka_unit_test_setup(test_long_mixed_run, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
