/*
 * selftest=heap: exercises kmalloc/kfree/krealloc/kzalloc in the running
 * kernel, checks contents, alignment and that the pmm's free page count and
 * kheap_used_bytes() return to their start values, prints
 * "heap selftest: ok", then frees a block twice on purpose so the panic
 * dump shows the heap's "double free" detection (the system test looks for
 * it). Runs at boot in the only thread; interrupts may be on or off.
 */
#include "kheap.h"
#include "kprintf.h"
#include "kstring.h"
#include "pmm.h"
#include "selftest.h"

#define MANY 200

static const size_t sizes[] = {0, 1, 7, 15, 16, 17, 31, 100, 500, 1000, 1992, 1993,
                               2000, 4000, 4096, 5000, 10000, 70000, 300000};

static uint8_t pattern(size_t block, size_t byte) { return (uint8_t)(block * 31 + byte * 7 + 1); }

static void fill(void *p, size_t n, size_t id)
{
    for (size_t i = 0; i < n; i++)
        ((uint8_t *)p)[i] = pattern(id, i);
}

/* 0 when p holds n bytes of block id's pattern, else prints and returns -1. */
static int check(const void *p, size_t n, size_t id, const char *what)
{
    for (size_t i = 0; i < n; i++) {
        if (((const uint8_t *)p)[i] != pattern(id, i)) {
            kprintf("heap selftest: FAIL %s: block %lu byte %lu changed\n", what, id, i);
            return -1;
        }
    }
    return 0;
}

static int check_sizes(void)
{
    void *p[ARRAY_SIZE(sizes)];
    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
        p[i] = kmalloc(sizes[i]);
        if (!p[i] || (uintptr_t)p[i] % 16 != 0) {
            kprintf("heap selftest: FAIL kmalloc(%lu) = %p\n", sizes[i], p[i]);
            return -1;
        }
        fill(p[i], sizes[i], i);
    }
    int err = 0;
    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
        err |= check(p[i], sizes[i], i, "sizes");
    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
        kfree(p[i]);
    return err;
}

static int check_many(void)
{
    void *p[MANY];
    int err = 0;
    for (size_t i = 0; i < MANY; i++) {
        p[i] = kmalloc((i * 37) % 700);
        if (!p[i])
            return -1;
        fill(p[i], (i * 37) % 700, i);
    }
    for (size_t i = 0; i < MANY; i += 2)   /* punch holes, then refill them */
        kfree(p[i]);
    for (size_t i = 0; i < MANY; i += 2) {
        p[i] = kmalloc((i * 37) % 700);
        if (!p[i])
            return -1;
        fill(p[i], (i * 37) % 700, i);
    }
    for (size_t i = 0; i < MANY; i++)
        err |= check(p[i], (i * 37) % 700, i, "many");
    for (size_t i = 0; i < MANY; i++)
        kfree(p[i]);
    return err;
}

static int check_realloc_and_zero(void)
{
    uint8_t *p = kmalloc(10);
    if (!p)
        return -1;
    fill(p, 10, 5);
    static const size_t steps[] = {3000, 20000, 64, 5};
    for (size_t i = 0; i < ARRAY_SIZE(steps); i++) {
        size_t keep = MIN(steps[i], (size_t)10);   /* steps shrink below 10 only last */
        p = krealloc(p, steps[i]);
        if (!p || check(p, keep, 5, "krealloc"))
            return -1;
    }
    kfree(p);
    uint8_t *z = kzalloc(3000);
    if (!z)
        return -1;
    for (size_t i = 0; i < 3000; i++)
        if (z[i] != 0)
            return -1;
    kfree(z);
    return 0;
}

static int heap_selftest(void)
{
    uint64_t pages_before = pmm_free_pages();
    size_t bytes_before = kheap_used_bytes();
    if (check_sizes() || check_many() || check_realloc_and_zero())
        return 1;
    if (pmm_free_pages() != pages_before || kheap_used_bytes() != bytes_before) {
        kprintf("heap selftest: FAIL leak: free pages %lu -> %lu, heap bytes %lu -> %lu\n",
                pages_before, pmm_free_pages(), bytes_before, kheap_used_bytes());
        return 1;
    }
    kprintf("heap selftest: ok (free pages back at %lu)\n", pages_before);

    void *victim = kmalloc(48);
    void *neighbour = kmalloc(48);   /* keeps the slab page alive */
    kfree(victim);
    kprintf("heap selftest: freeing %p a second time, expect a double free panic\n", victim);
    kfree(victim);
    kfree(neighbour);
    kprintf("heap selftest: FAIL double free was not detected\n");
    return 1;
}

SELFTEST("heap", heap_selftest);
