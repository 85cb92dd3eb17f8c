/* Unit tests for the frame-pointer walk (common/util/backtrace_walk.c) on
   hand-built stacks: a good chain, and every way a chain can be corrupt. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "backtrace.h"

/* A fake stack: word i lives at address BASE + 8 * i. */
#define BASE 0x10000ull
#define WORDS 64
static uint64_t stack[WORDS];

static bool fake_read(uint64_t addr, uint64_t *value)
{
    if (addr < BASE || addr >= BASE + 8 * WORDS || (addr & 7))
        return false;
    *value = stack[(addr - BASE) / 8];
    return true;
}

static uint64_t at(int word) { return BASE + 8ull * (uint64_t)word; }

/* A frame at word w: saved rbp = next frame's address, return address ret. */
static void frame(int w, uint64_t next, uint64_t ret)
{
    stack[w] = next;
    stack[w + 1] = ret;
}

static int setup(void **state)
{
    (void)state;
    memset(stack, 0, sizeof(stack));
    return 0;
}

static void test_good_chain_ends_at_zero_rbp(void **state)
{
    (void)state;
    frame(2, at(10), 0xAAA1);
    frame(10, at(20), 0xAAA2);
    frame(20, 0, 0xAAA3);                    /* outermost: boot code set rbp = 0 */
    uint64_t out[8];
    size_t n = backtrace_collect(0x1234, at(2), fake_read, out, 8);
    assert_int_equal(n, 4);
    assert_int_equal(out[0], 0x1234);
    assert_int_equal(out[1], 0xAAA1);
    assert_int_equal(out[2], 0xAAA2);
    assert_int_equal(out[3], 0xAAA3);
}

static void test_stops_on_non_increasing_rbp(void **state)
{
    (void)state;
    frame(10, at(4), 0xB1);                  /* points downwards: a loop or garbage */
    frame(4, at(10), 0xB2);
    uint64_t out[8];
    assert_int_equal(backtrace_collect(1, at(10), fake_read, out, 8), 2);
    frame(10, at(10), 0xB1);                 /* points at itself */
    assert_int_equal(backtrace_collect(1, at(10), fake_read, out, 8), 2);
}

static void test_stops_on_misaligned_or_unreadable(void **state)
{
    (void)state;
    uint64_t out[8];
    frame(2, at(10) + 4, 0xC1);              /* misaligned next */
    assert_int_equal(backtrace_collect(1, at(2), fake_read, out, 8), 2);
    assert_int_equal(backtrace_collect(1, at(2) + 4, fake_read, out, 8), 1);
    frame(2, BASE + 8 * WORDS + 64, 0xC2);   /* next outside readable memory */
    assert_int_equal(backtrace_collect(1, at(2), fake_read, out, 8), 2);
    assert_int_equal(backtrace_collect(1, 0x5000, fake_read, out, 8), 1);
}

static void test_stops_on_huge_jump_and_zero_return(void **state)
{
    (void)state;
    uint64_t out[8];
    frame(2, at(2) + BACKTRACE_MAX_FRAME_SPAN + 8, 0xD1);
    assert_int_equal(backtrace_collect(1, at(2), fake_read, out, 8), 2);
    frame(2, at(10), 0);                     /* zero return address */
    assert_int_equal(backtrace_collect(1, at(2), fake_read, out, 8), 1);
}

static void test_depth_limit(void **state)
{
    (void)state;
    for (int w = 0; w + 2 < WORDS; w += 2)
        frame(w, at(w + 2), 0xE000 + (uint64_t)w);
    uint64_t out[5];
    assert_int_equal(backtrace_collect(1, at(0), fake_read, out, 5), 5);
    assert_int_equal(out[4], 0xE006);
    assert_int_equal(backtrace_collect(1, at(0), fake_read, out, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_good_chain_ends_at_zero_rbp, setup),
        cmocka_unit_test_setup(test_stops_on_non_increasing_rbp, setup),
        cmocka_unit_test_setup(test_stops_on_misaligned_or_unreadable, setup),
        cmocka_unit_test_setup(test_stops_on_huge_jump_and_zero_return, setup),
        cmocka_unit_test_setup(test_depth_limit, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
