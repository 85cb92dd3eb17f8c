/* Unit tests for the page allocator core (common/mm/pmm_core.c). The
   expected addresses and counts below are worked out by hand from the
   memory map in setup(), not computed by the code under test. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "host_support.h"

#include "pmm.h"
#include "pmm_core.h"

/*
 * The machine: 8 MiB of page frames (2048).
 *   usable  [0, 0x9FC00)          pages 1..158 (page 0 never usable) = 158
 *   usable  [0x100000, 0x800000)  pages 256..2047                    = 1792
 *   reserved by the firmware [0x7FF000, 0x800000) inside usable       -1
 *   reserve [0, 1 MiB)                                                -158
 *   kernel  [0x100000, 0x120000)                                      -32
 *   module  [0x300000, 0x300800)  (partial page)                      -1
 * free = 1792 - 1 - 32 - 1 = 1758 pages
 */
#define NPAGES 2048
#define EXPECTED_FREE 1758
#define EXPECTED_USABLE (158 + 1792)

static uint64_t meta[2 * NPAGES / 64];
static struct pmm_core core;

static int setup(void **state)
{
    (void)state;
    assert_int_equal(pmm_core_meta_bytes(NPAGES), sizeof(meta));
    pmm_core_init(&core, meta, NPAGES);
    pmm_core_add_usable(&core, 0, 0x9FC00);
    pmm_core_add_usable(&core, 0x100000, 0x700000);
    pmm_core_add_usable(&core, 0x100000, 0x1000);   /* overlapping entry counts once */
    pmm_core_reserve(&core, 0x7FF000, 0x1000);
    pmm_core_reserve(&core, 0, 0x100000);
    pmm_core_reserve(&core, 0x100000, 0x20000);
    pmm_core_reserve(&core, 0x300000, 0x800);
    host_panic_message[0] = '\0';
    return 0;
}

static bool in_reserved(uint64_t a)
{
    return a < 0x120000 || (a >= 0x300000 && a < 0x301000) || a >= 0x7FF000;
}

static void test_counts_after_setup(void **state)
{
    (void)state;
    assert_int_equal(core.usable_pages, EXPECTED_USABLE);
    assert_int_equal(core.free_pages, EXPECTED_FREE);
    assert_int_equal(core.owned_pages, EXPECTED_FREE);
    assert_false(pmm_core_is_free(&core, 0x300000));
    assert_true(pmm_core_is_free(&core, 0x301000));
    assert_false(pmm_core_is_free(&core, 0x9000));
}

static void test_first_fit_after_kernel(void **state)
{
    (void)state;
    assert_int_equal(pmm_core_alloc(&core, 1, PAGE_SIZE), 0x120000);
    assert_int_equal(pmm_core_alloc(&core, 1, PAGE_SIZE), 0x121000);
    pmm_core_free(&core, 0x120000, 1);
    assert_int_equal(pmm_core_alloc(&core, 1, 0), 0x120000);   /* lowest free again */
}

static void test_alloc_until_exhausted(void **state)
{
    (void)state;
    static uint8_t seen[NPAGES];
    static uint64_t got[NPAGES];
    memset(seen, 0, sizeof(seen));
    size_t n = 0;
    uint64_t a;
    while ((a = pmm_core_alloc(&core, 1, PAGE_SIZE)) != 0) {
        assert_int_equal(a % PAGE_SIZE, 0);
        assert_false(in_reserved(a));
        assert_int_equal(seen[a / PAGE_SIZE], 0);
        seen[a / PAGE_SIZE] = 1;
        got[n++] = a;
    }
    assert_int_equal(n, EXPECTED_FREE);
    assert_int_equal(core.free_pages, 0);
    assert_int_equal(pmm_core_alloc(&core, 1, PAGE_SIZE), 0);
    for (size_t i = 0; i < n; i++)
        pmm_core_free(&core, got[i], 1);
    assert_int_equal(core.free_pages, EXPECTED_FREE);
}

static void test_contig_aligned_skips_reserved(void **state)
{
    (void)state;
    /* 2 MiB aligned runs: 0 is low memory, 0x200000 holds the module page */
    assert_int_equal(pmm_core_alloc(&core, 512, 0x200000), 0x400000);
    /* the next fitting 2 MiB run would end at 0x800000, but 0x7FF000 is firmware's */
    assert_int_equal(pmm_core_alloc(&core, 512, 0x200000), 0);
    /* 64 KiB aligned: the first is right after the kernel at 0x120000 */
    assert_int_equal(pmm_core_alloc(&core, 16, 0x10000), 0x120000);
    assert_int_equal(pmm_core_alloc(&core, 3, 0x10000), 0x130000);
    assert_int_equal(core.free_pages, EXPECTED_FREE - 512 - 16 - 3);
    pmm_core_free(&core, 0x400000, 512);
    pmm_core_free(&core, 0x120000, 16);
    pmm_core_free(&core, 0x130000, 3);
    assert_int_equal(core.free_pages, EXPECTED_FREE);
}

static void test_contig_fills_gap_between_allocations(void **state)
{
    (void)state;
    uint64_t p[8];
    for (int i = 0; i < 8; i++)
        p[i] = pmm_core_alloc(&core, 1, PAGE_SIZE);
    assert_int_equal(p[7], 0x127000);
    pmm_core_free(&core, p[2], 1);
    pmm_core_free(&core, p[3], 1);
    pmm_core_free(&core, p[5], 1);
    assert_int_equal(pmm_core_alloc(&core, 2, PAGE_SIZE), 0x122000);   /* pages 2-3 */
    assert_int_equal(pmm_core_alloc(&core, 2, PAGE_SIZE), 0x128000);   /* page 5 alone is too small */
}

static void test_bad_requests(void **state)
{
    (void)state;
    assert_int_equal(pmm_core_alloc(&core, 0, PAGE_SIZE), 0);
    assert_int_equal(pmm_core_alloc(&core, 1, 0x3000), 0);   /* not a power of two */
    assert_int_equal(pmm_core_alloc(&core, EXPECTED_FREE + 1, PAGE_SIZE), 0);
    assert_int_equal(core.free_pages, EXPECTED_FREE);
}

static void test_double_free_panics(void **state)
{
    (void)state;
    uint64_t a = pmm_core_alloc(&core, 1, PAGE_SIZE);
    pmm_core_free(&core, a, 1);
    expect_panic(pmm_core_free(&core, a, 1));
    assert_non_null(strstr(host_panic_message, "double free"));
    assert_non_null(strstr(host_panic_message, "0x120000"));
    assert_int_equal(core.free_pages, EXPECTED_FREE);
}

static void test_double_free_inside_run_panics(void **state)
{
    (void)state;
    uint64_t a = pmm_core_alloc(&core, 4, PAGE_SIZE);
    pmm_core_free(&core, a + 2 * PAGE_SIZE, 1);
    expect_panic(pmm_core_free(&core, a, 4));
    assert_non_null(strstr(host_panic_message, "double free of page 0x122000"));
}

static void test_free_of_never_owned_pages_panics(void **state)
{
    (void)state;
    expect_panic(pmm_core_free(&core, 0x100000, 1));   /* kernel image */
    assert_non_null(strstr(host_panic_message, "never owned"));
    host_panic_message[0] = '\0';
    expect_panic(pmm_core_free(&core, 0xA0000, 1));    /* legacy hole */
    assert_non_null(strstr(host_panic_message, "never owned"));
    host_panic_message[0] = '\0';
    expect_panic(pmm_core_free(&core, 0x300000, 1));   /* module */
    assert_non_null(strstr(host_panic_message, "never owned"));
    host_panic_message[0] = '\0';
    expect_panic(pmm_core_free(&core, 0x10000000, 1)); /* beyond RAM */
    assert_non_null(strstr(host_panic_message, "never owned"));
    host_panic_message[0] = '\0';
    expect_panic(pmm_core_free(&core, 0x120010, 1));
    assert_non_null(strstr(host_panic_message, "unaligned"));
    assert_int_equal(core.free_pages, EXPECTED_FREE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_counts_after_setup, setup),
        cmocka_unit_test_setup(test_first_fit_after_kernel, setup),
        cmocka_unit_test_setup(test_alloc_until_exhausted, setup),
        cmocka_unit_test_setup(test_contig_aligned_skips_reserved, setup),
        cmocka_unit_test_setup(test_contig_fills_gap_between_allocations, setup),
        cmocka_unit_test_setup(test_bad_requests, setup),
        cmocka_unit_test_setup(test_double_free_panics, setup),
        cmocka_unit_test_setup(test_double_free_inside_run_panics, setup),
        cmocka_unit_test_setup(test_free_of_never_owned_pages_panics, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
