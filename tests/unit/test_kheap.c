/* Unit tests for the kernel heap core (common/mm/kheap_core.c) over a
   host page provider that counts the pages it hands out. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "host_support.h"

#include "kheap_core.h"
#include "pmm.h"

static size_t provider_pages;          /* handed out and not yet returned */
static size_t provider_limit = SIZE_MAX;

static void *test_page_alloc(size_t n)
{
    if (provider_pages + n > provider_limit)
        return NULL;
    void *p = aligned_alloc(PAGE_SIZE, n * PAGE_SIZE);
    assert_non_null(p);
    memset(p, 0xCC, n * PAGE_SIZE);   /* not zeroed: the heap must not rely on it */
    provider_pages += n;
    return p;
}

static void test_page_free(void *p, size_t n)
{
    assert_true(provider_pages >= n);
    provider_pages -= n;
    free(p);
}

static struct kheap heap;

static int setup(void **state)
{
    (void)state;
    provider_pages = 0;
    provider_limit = SIZE_MAX;
    host_panic_message[0] = '\0';
    kheap_core_init(&heap, test_page_alloc, test_page_free);
    return 0;
}

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(seed + i * 13);
}

static bool holds(const uint8_t *p, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != (uint8_t)(seed + i * 13))
            return false;
    return true;
}

static void test_many_sizes_aligned_and_intact(void **state)
{
    (void)state;
    enum { N = 300 };
    uint8_t *p[N];
    size_t total = 0;
    for (size_t i = 0; i < N; i++) {
        size_t size = (i * i * 7) % 9000;
        p[i] = kheap_core_alloc(&heap, size);
        assert_non_null(p[i]);
        assert_int_equal((uintptr_t)p[i] % 16, 0);
        fill(p[i], size, (uint8_t)i);
        total += size;
    }
    assert_int_equal(heap.used_bytes, total);
    assert_int_equal(heap.live_blocks, N);
    for (size_t i = 0; i < N; i++)
        assert_true(holds(p[i], (i * i * 7) % 9000, (uint8_t)i));
    for (size_t i = 0; i < N; i += 2)
        kheap_core_free(&heap, p[i]);
    for (size_t i = 1; i < N; i += 2)
        assert_true(holds(p[i], (i * i * 7) % 9000, (uint8_t)i));
    for (size_t i = 1; i < N; i += 2)
        kheap_core_free(&heap, p[i]);
    assert_int_equal(heap.used_bytes, 0);
    assert_int_equal(heap.pages, 0);
    assert_int_equal(provider_pages, 0);   /* every page went back */
}

static void test_small_blocks_share_a_page(void **state)
{
    (void)state;
    /* 32-byte class: (4096 - 64) / 32 = 126 blocks per page */
    void *p[127];
    for (int i = 0; i < 126; i++)
        p[i] = kheap_core_alloc(&heap, 1);
    assert_int_equal(provider_pages, 1);
    p[126] = kheap_core_alloc(&heap, 8);
    assert_int_equal(provider_pages, 2);
    kheap_core_free(&heap, p[126]);
    assert_int_equal(provider_pages, 1);
    for (int i = 0; i < 126; i++)
        kheap_core_free(&heap, p[i]);
    assert_int_equal(provider_pages, 0);
}

static void test_big_block_page_count(void **state)
{
    (void)state;
    /* 64 page header + 16 block header + 100000 + 8 guard = 100088 -> 25 pages */
    void *p = kheap_core_alloc(&heap, 100000);
    assert_non_null(p);
    assert_int_equal(provider_pages, 25);
    /* largest small request: 2016 - 24 = 1992 bytes; one more needs a run */
    void *s = kheap_core_alloc(&heap, 1992);
    assert_int_equal(provider_pages, 26);
    void *b = kheap_core_alloc(&heap, 1993);
    assert_int_equal(provider_pages, 27);
    kheap_core_free(&heap, p);
    kheap_core_free(&heap, s);
    kheap_core_free(&heap, b);
    assert_int_equal(provider_pages, 0);
}

static void test_realloc_keeps_contents(void **state)
{
    (void)state;
    uint8_t *p = kheap_core_realloc(&heap, NULL, 10);   /* NULL: plain alloc */
    assert_non_null(p);
    fill(p, 10, 42);
    p = kheap_core_realloc(&heap, p, 5000);
    assert_true(holds(p, 10, 42));
    fill(p, 5000, 7);
    p = kheap_core_realloc(&heap, p, 300);
    assert_true(holds(p, 300, 7));
    assert_int_equal(kheap_core_block_size(p), 300);
    p = kheap_core_realloc(&heap, p, 20);
    assert_true(holds(p, 20, 7));
    assert_int_equal(heap.used_bytes, 20);
    assert_null(kheap_core_realloc(&heap, p, 0));   /* size 0: free */
    assert_int_equal(heap.used_bytes, 0);
    assert_int_equal(provider_pages, 0);
}

static void test_out_of_pages(void **state)
{
    (void)state;
    provider_limit = 2;
    assert_null(kheap_core_alloc(&heap, 3 * PAGE_SIZE));
    uint8_t *p = kheap_core_alloc(&heap, 100);
    assert_non_null(p);
    fill(p, 100, 3);
    assert_null(kheap_core_realloc(&heap, p, 20000));   /* fails, p untouched */
    assert_true(holds(p, 100, 3));
    assert_null(kheap_core_alloc(&heap, (size_t)1 << 62));
    kheap_core_free(&heap, p);
    kheap_core_free(&heap, NULL);
    assert_int_equal(provider_pages, 0);
}

static void test_double_free_detected(void **state)
{
    (void)state;
    char addr[32];
    void *a = kheap_core_alloc(&heap, 48);
    void *keep = kheap_core_alloc(&heap, 48);   /* keeps the slab page alive */
    kheap_core_free(&heap, a);
    expect_panic(kheap_core_free(&heap, a));
    snprintf(addr, sizeof(addr), "%p", a);
    assert_non_null(strstr(host_panic_message, "double free"));
    assert_non_null(strstr(host_panic_message, addr));
    assert_non_null(strstr(host_panic_message, "size 48"));
    kheap_core_free(&heap, keep);
}

static void test_double_free_after_realloc_moved(void **state)
{
    (void)state;
    void *keep = kheap_core_alloc(&heap, 16);
    void *a = kheap_core_alloc(&heap, 16);
    void *b = kheap_core_realloc(&heap, a, 4000);   /* moves to a run */
    assert_ptr_not_equal(a, b);
    expect_panic(kheap_core_free(&heap, a));
    assert_non_null(strstr(host_panic_message, "double free"));
    kheap_core_free(&heap, b);
    kheap_core_free(&heap, keep);
}

static void test_guard_overwrite_detected(void **state)
{
    (void)state;
    char addr[32];
    uint8_t *p = kheap_core_alloc(&heap, 20);
    p[20] = 'X';   /* one byte past the end */
    expect_panic(kheap_core_free(&heap, p));
    snprintf(addr, sizeof(addr), "%p", (void *)p);
    assert_non_null(strstr(host_panic_message, "guard"));
    assert_non_null(strstr(host_panic_message, addr));
    assert_non_null(strstr(host_panic_message, "size 20"));

    uint8_t *big = kheap_core_alloc(&heap, 50000);
    big[50003] = 0;
    host_panic_message[0] = '\0';
    expect_panic(kheap_core_free(&heap, big));
    assert_non_null(strstr(host_panic_message, "guard"));
    assert_non_null(strstr(host_panic_message, "size 50000"));
}

static void test_header_overwrite_detected(void **state)
{
    (void)state;
    uint8_t *p = kheap_core_alloc(&heap, 64);
    uint8_t *q = kheap_core_alloc(&heap, 64);
    memset(q - 16, 'A', 16);   /* underflow from q's view: smash its header */
    expect_panic(kheap_core_free(&heap, q));
    assert_non_null(strstr(host_panic_message, "header"));

    uint32_t *hdr = (uint32_t *)(p - 16);
    uint64_t size_field;
    memcpy(&size_field, hdr + 2, 8);
    assert_int_equal(size_field, 64);   /* layout: magic, state, size */
    size_field = 1u << 20;
    memcpy(hdr + 2, &size_field, 8);
    host_panic_message[0] = '\0';
    expect_panic(kheap_core_free(&heap, p));
    assert_non_null(strstr(host_panic_message, "header"));
}

static void test_bad_pointer_detected(void **state)
{
    (void)state;
    uint8_t *p = kheap_core_alloc(&heap, 64);
    expect_panic(kheap_core_free(&heap, p + 8));
    assert_non_null(strstr(host_panic_message, "not a heap block"));
    kheap_core_free(&heap, p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_many_sizes_aligned_and_intact, setup),
        cmocka_unit_test_setup(test_small_blocks_share_a_page, setup),
        cmocka_unit_test_setup(test_big_block_page_count, setup),
        cmocka_unit_test_setup(test_realloc_keeps_contents, setup),
        cmocka_unit_test_setup(test_out_of_pages, setup),
        cmocka_unit_test_setup(test_double_free_detected, setup),
        cmocka_unit_test_setup(test_double_free_after_realloc_moved, setup),
        cmocka_unit_test_setup(test_guard_overwrite_detected, setup),
        cmocka_unit_test_setup(test_header_overwrite_detected, setup),
        cmocka_unit_test_setup(test_bad_pointer_detected, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
