/* Unit tests for the page reference counts (common/mm/page_ref_core.c):
   the life of a page shared by fork, the bounds, and the broken-invariant
   panics. Expected counts follow from the sequence of calls, by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "host_support.h"

#include "errno.h"
#include "page_ref_core.h"

#define NPAGES 100          /* frames 0..99: addresses 0 .. 0x63000 */
#define PAGE 0x1000ull

static uint16_t buf[(NPAGES + 3) / 4 * 4];
static struct page_ref_core core;

static int setup(void **state)
{
    (void)state;
    memset(buf, 0xAB, sizeof(buf));
    page_ref_core_init(&core, buf, NPAGES);
    return 0;
}

static void test_buffer_size_is_two_bytes_per_frame_rounded_to_8(void **state)
{
    (void)state;
    assert_int_equal(page_ref_core_bytes(100), 200);
    assert_int_equal(page_ref_core_bytes(1), 8);
    assert_int_equal(page_ref_core_bytes(4), 8);
    assert_int_equal(page_ref_core_bytes(5), 16);
}

static void test_init_clears_every_count(void **state)
{
    (void)state;
    for (uint64_t i = 0; i < NPAGES; i++)
        assert_int_equal(page_ref_core_count(&core, i * PAGE), 0);
}

/* parent maps it (1), forks twice (3), the children exit (1), the parent unmaps (0) */
static void test_fork_sharing_sequence(void **state)
{
    (void)state;
    uint64_t pa = 42 * PAGE;
    assert_int_equal(page_ref_core_get(&core, pa), 1);
    assert_int_equal(page_ref_core_get(&core, pa), 2);
    assert_int_equal(page_ref_core_get(&core, pa), 3);
    assert_int_equal(page_ref_core_count(&core, pa), 3);
    assert_int_equal(page_ref_core_put(&core, pa), 2);
    assert_int_equal(page_ref_core_put(&core, pa), 1);
    assert_int_equal(page_ref_core_put(&core, pa), 0);
    assert_int_equal(page_ref_core_count(&core, pa), 0);
}

static void test_counts_are_per_page(void **state)
{
    (void)state;
    assert_int_equal(page_ref_core_get(&core, 7 * PAGE), 1);
    assert_int_equal(page_ref_core_get(&core, 8 * PAGE), 1);
    assert_int_equal(page_ref_core_get(&core, 8 * PAGE), 2);
    assert_int_equal(page_ref_core_count(&core, 6 * PAGE), 0);
    assert_int_equal(page_ref_core_count(&core, 7 * PAGE), 1);
    assert_int_equal(page_ref_core_count(&core, 8 * PAGE), 2);
    assert_int_equal(page_ref_core_count(&core, 9 * PAGE), 0);
}

static void test_bad_addresses_are_refused(void **state)
{
    (void)state;
    assert_int_equal(page_ref_core_get(&core, 5 * PAGE + 8), -EINVAL);
    assert_int_equal(page_ref_core_get(&core, NPAGES * PAGE), -EINVAL);
    assert_int_equal(page_ref_core_get(&core, UINT64_MAX & ~(PAGE - 1)), -EINVAL);
    assert_int_equal(page_ref_core_count(&core, NPAGES * PAGE), 0);
    assert_int_equal(page_ref_core_get(&core, (NPAGES - 1) * PAGE), 1);   /* last frame works */
}

static void test_counter_saturates_instead_of_wrapping(void **state)
{
    (void)state;
    uint64_t pa = 3 * PAGE;
    for (unsigned i = 1; i <= 0xFFFF; i++)
        assert_int_equal(page_ref_core_get(&core, pa), (int)i);
    assert_int_equal(page_ref_core_get(&core, pa), -EOVERFLOW);
    assert_int_equal(page_ref_core_count(&core, pa), 0xFFFF);
    assert_int_equal(page_ref_core_put(&core, pa), 0xFFFE);
}

static void test_put_of_unreferenced_page_panics(void **state)
{
    (void)state;
    expect_panic(page_ref_core_put(&core, 9 * PAGE));
    assert_non_null(strstr(host_panic_message, "no references"));
    page_ref_core_get(&core, 10 * PAGE);
    page_ref_core_put(&core, 10 * PAGE);
    expect_panic(page_ref_core_put(&core, 10 * PAGE));   /* a double put */
}

static void test_put_of_bad_address_panics(void **state)
{
    (void)state;
    expect_panic(page_ref_core_put(&core, NPAGES * PAGE));
    assert_non_null(strstr(host_panic_message, "not a page frame"));
    expect_panic(page_ref_core_put(&core, PAGE + 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_buffer_size_is_two_bytes_per_frame_rounded_to_8, setup),
        cmocka_unit_test_setup(test_init_clears_every_count, setup),
        cmocka_unit_test_setup(test_fork_sharing_sequence, setup),
        cmocka_unit_test_setup(test_counts_are_per_page, setup),
        cmocka_unit_test_setup(test_bad_addresses_are_refused, setup),
        cmocka_unit_test_setup(test_counter_saturates_instead_of_wrapping, setup),
        cmocka_unit_test_setup(test_put_of_unreferenced_page_panics, setup),
        cmocka_unit_test_setup(test_put_of_bad_address_panics, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
