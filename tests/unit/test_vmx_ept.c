/* Unit tests for EPT table building (vmx/ept.c), checked through the walk
   function and the raw entries (SDM Vol. 3C 28.2.2 formats). Table pages come
   from the host heap; "physical" addresses are host pointers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "ept.h"
#include "errno.h"
#include "vmx_arch.h"

static int live_pages;
static int fail_after = -1;   /* allocations left before failing; -1 = never */

static uint64_t host_alloc(void *ctx)
{
    (void)ctx;
    if (fail_after == 0)
        return 0;
    if (fail_after > 0)
        fail_after--;
    void *p = aligned_alloc(4096, 4096);
    memset(p, 0, 4096);
    live_pages++;
    return (uint64_t)(uintptr_t)p;
}
static void host_free(void *ctx, uint64_t phys)
{
    (void)ctx;
    memset((void *)(uintptr_t)phys, 0xAB, 4096);
    free((void *)(uintptr_t)phys);
    live_pages--;
}
static void *host_to_virt(void *ctx, uint64_t phys)
{
    (void)ctx;
    return (void *)(uintptr_t)phys;
}
static const struct ept_pager pager = {host_alloc, host_free, host_to_virt, NULL};

#define MB (1ull << 20)
#define HPA 0x40000000ull   /* made-up host range, 1 GiB aligned */

static int setup(void **state)
{
    static struct ept e;
    live_pages = 0;
    fail_after = -1;
    assert_int_equal(ept_init(&e, &pager, true), 0);
    *state = &e;
    return 0;
}
static int teardown(void **state)
{
    ept_destroy(*state);
    assert_int_equal(live_pages, 0);   /* every table page freed */
    return 0;
}

static void test_map_4k_and_walk(void **state)
{
    struct ept *e = *state;
    assert_int_equal(ept_map(e, 0x1000, HPA + 0x5000, 0x3000, EPT_R | EPT_W), 0);
    struct ept_walk w;
    assert_int_equal(ept_walk(e, 0x2123, &w), 0);
    assert_int_equal(w.hpa, HPA + 0x6123);
    assert_int_equal(w.rights, EPT_R | EPT_W);
    assert_int_equal(w.leaf_level, 1);
    /* leaf: address | RW | WB (6 << 3) */
    assert_int_equal(w.entries[3], (HPA + 0x6000) | 0x3 | 0x30);
    /* non-leaf entries are RWX */
    assert_int_equal(w.entries[0] & 7, 7);
    assert_int_equal(ept_walk(e, 0x0, &w), -ENOENT);
    assert_int_equal(ept_walk(e, 0x4000, &w), -ENOENT);
    assert_int_equal(e->table_pages, 4);   /* PML4, PDPT, PD, PT */
    assert_int_equal(live_pages, 4);
}

static void test_map_2m_where_possible(void **state)
{
    struct ept *e = *state;
    /* 1 MiB .. 5 MiB: 4 KiB pages up to 2 MiB, one 2 MiB leaf, 4 KiB after 4 MiB */
    assert_int_equal(ept_map(e, 1 * MB, HPA + 1 * MB, 4 * MB, EPT_RWX), 0);
    struct ept_walk w;
    assert_int_equal(ept_walk(e, 1 * MB, &w), 0);
    assert_int_equal(w.leaf_level, 1);
    assert_int_equal(ept_walk(e, 3 * MB + 0x1234, &w), 0);
    assert_int_equal(w.leaf_level, 2);
    assert_int_equal(w.hpa, HPA + 3 * MB + 0x1234);
    assert_int_equal(w.entries[2], (HPA + 2 * MB) | 0x7 | 0x30 | 0x80);
    assert_int_equal(ept_walk(e, 4 * MB + 0x10, &w), 0);
    assert_int_equal(w.leaf_level, 1);
    /* host range not 2 MiB aligned: only 4 KiB leaves */
    assert_int_equal(ept_map(e, 8 * MB, HPA + 0x1000, 2 * MB, EPT_R), 0);
    assert_int_equal(ept_walk(e, 8 * MB, &w), 0);
    assert_int_equal(w.leaf_level, 1);
}

static void test_map_overlap_rejected(void **state)
{
    struct ept *e = *state;
    assert_int_equal(ept_map(e, 0x10000, HPA, 0x4000, EPT_RWX), 0);
    assert_int_equal(ept_map(e, 0xE000, HPA + 0x100000, 0x4000, EPT_RWX), -EEXIST);
    struct ept_walk w;
    assert_int_equal(ept_walk(e, 0xE000, &w), -ENOENT);   /* nothing half-mapped */
    assert_int_equal(ept_map(e, 0x1001, HPA, 0x1000, EPT_R), -EINVAL);
    assert_int_equal(ept_map(e, 0x1000, HPA, 0x1000, EPT_W), -EINVAL);  /* W without R */
    assert_int_equal(ept_map(e, 0x1000, HPA, 0, EPT_R), -EINVAL);
    assert_int_equal(ept_map(e, EPT_GPA_LIMIT - 0x1000, HPA, 0x2000, EPT_R), -EINVAL);
}

static void test_unmap_splits_2m(void **state)
{
    struct ept *e = *state;
    assert_int_equal(ept_map(e, 2 * MB, HPA, 2 * MB, EPT_RWX), 0);
    assert_int_equal(ept_unmap(e, 3 * MB, 0x1000), 0);
    struct ept_walk w;
    assert_int_equal(ept_walk(e, 3 * MB, &w), -ENOENT);
    assert_int_equal(ept_walk(e, 3 * MB + 0x1000, &w), 0);
    assert_int_equal(w.leaf_level, 1);
    assert_int_equal(w.hpa, HPA + 1 * MB + 0x1000);
    assert_int_equal(w.rights, EPT_RWX);
    assert_int_equal(ept_walk(e, 2 * MB, &w), 0);
    assert_int_equal(w.hpa, HPA);
    assert_int_equal(ept_unmap(e, 2 * MB, 2 * MB), 0);
    for (uint64_t g = 2 * MB; g < 4 * MB; g += 0x1000)
        assert_int_equal(ept_walk(e, g, &w), -ENOENT);
}

/* Splitting at the edges is the only step of an unmap that allocates: after
   it, unmapping from the edge on needs no page, even with none left. */
static void test_split_at_then_unmap_needs_no_page(void **state)
{
    struct ept *e = *state;
    assert_int_equal(ept_map(e, 2 * MB, HPA, 2 * MB, EPT_RWX), 0);
    assert_int_equal(ept_split_at(e, 2 * MB), 0);          /* a leaf starts there: no change */
    assert_int_equal(e->table_pages, 3);
    fail_after = 0;
    assert_int_equal(ept_split_at(e, 3 * MB), -ENOMEM);    /* needs a page table */
    struct ept_walk w;
    assert_int_equal(ept_walk(e, 3 * MB, &w), 0);
    assert_int_equal(w.leaf_level, 2);                     /* unchanged on failure */
    fail_after = -1;
    assert_int_equal(ept_split_at(e, 3 * MB), 0);
    assert_int_equal(e->table_pages, 4);
    assert_int_equal(ept_walk(e, 3 * MB + 0x5000, &w), 0);
    assert_int_equal(w.leaf_level, 1);
    assert_int_equal(w.hpa, HPA + 1 * MB + 0x5000);
    assert_int_equal(w.rights, EPT_RWX);
    fail_after = 0;                                        /* no page left at all */
    assert_int_equal(ept_unmap(e, 3 * MB, 1 * MB), 0);
    fail_after = -1;
    assert_int_equal(ept_walk(e, 3 * MB, &w), -ENOENT);
    assert_int_equal(ept_walk(e, 3 * MB - 0x1000, &w), 0);
    assert_int_equal(w.hpa, HPA + 1 * MB - 0x1000);
    assert_int_equal(ept_split_at(e, 5 * MB + 0x1000), 0);  /* nothing mapped there */
}

static void test_protect(void **state)
{
    struct ept *e = *state;
    bool removed;
    assert_int_equal(ept_map(e, 0, HPA, 4 * MB, EPT_RWX), 0);
    /* widen nothing: same rights */
    assert_int_equal(ept_protect(e, 0, 0x1000, EPT_RWX, &removed), 0);
    assert_false(removed);
    /* read-only one page inside the 2 MiB leaf at 2 MiB */
    assert_int_equal(ept_protect(e, 2 * MB + 0x3000, 0x1000, EPT_R, &removed), 0);
    assert_true(removed);
    struct ept_walk w;
    assert_int_equal(ept_walk(e, 2 * MB + 0x3000, &w), 0);
    assert_int_equal(w.rights, EPT_R);
    assert_int_equal(w.hpa, HPA + 2 * MB + 0x3000);
    assert_int_equal(ept_walk(e, 2 * MB + 0x4000, &w), 0);
    assert_int_equal(w.rights, EPT_RWX);
    /* rights 0 keeps the page: it can be given back */
    assert_int_equal(ept_protect(e, 0x5000, 0x2000, 0, &removed), 0);
    assert_true(removed);
    assert_int_equal(ept_walk(e, 0x6000, &w), 0);
    assert_int_equal(w.rights, 0);
    assert_int_equal(w.entries[3] & 7, 0);   /* hardware sees "not present" */
    assert_int_equal(ept_protect(e, 0x5000, 0x2000, EPT_R | EPT_X, &removed), 0);
    assert_false(removed);
    assert_int_equal(ept_walk(e, 0x6000, &w), 0);
    assert_int_equal(w.hpa, HPA + 0x6000);
    assert_int_equal(w.rights, EPT_R | EPT_X);
    /* unmapped page in range: refused, nothing changed */
    assert_int_equal(ept_protect(e, 4 * MB - 0x1000, 0x2000, EPT_R, &removed), -ENOENT);
    assert_int_equal(ept_walk(e, 4 * MB - 0x1000, &w), 0);
    assert_int_equal(w.rights, EPT_RWX);
    assert_int_equal(ept_protect(e, 0, 0x1000, EPT_W, &removed), -EINVAL);
}

static void test_out_of_memory(void **state)
{
    struct ept *e = *state;
    fail_after = 1;   /* PDPT yes, PD no */
    assert_int_equal(ept_map(e, 0, HPA, 0x1000, EPT_R), -ENOMEM);
    fail_after = -1;
    assert_int_equal(ept_map(e, 0, HPA, 0x1000, EPT_R), 0);
}

struct leaf_log {
    int n;
    uint64_t gpa[8], hpa[8], size[8];
};

static void log_leaf(uint64_t gpa, uint64_t hpa, uint64_t size, void *ctx)
{
    struct leaf_log *l = ctx;
    if (l->n < 8) {
        l->gpa[l->n] = gpa;
        l->hpa[l->n] = hpa;
        l->size[l->n] = size;
    }
    l->n++;
}

/* Every owned page is reported exactly once (vm.c frees the VM's memory this way). */
static void test_for_each_leaf(void **state)
{
    struct ept *e = *state;
    bool removed;
    assert_int_equal(ept_map(e, 2 * MB, HPA, 2 * MB, EPT_RWX), 0);
    assert_int_equal(ept_map(e, 0x5000, HPA + 8 * MB, 0x2000, EPT_R), 0);
    assert_int_equal(ept_protect(e, 0x6000, 0x1000, 0, &removed), 0);   /* kept, no rights */
    struct leaf_log l = {0};
    ept_for_each_leaf(e, log_leaf, &l);
    assert_int_equal(l.n, 3);
    assert_int_equal(l.gpa[0], 0x5000);
    assert_int_equal(l.hpa[0], HPA + 8 * MB);
    assert_int_equal(l.size[0], 0x1000);
    assert_int_equal(l.gpa[1], 0x6000);
    assert_int_equal(l.hpa[1], HPA + 8 * MB + 0x1000);
    assert_int_equal(l.gpa[2], 2 * MB);
    assert_int_equal(l.hpa[2], HPA);
    assert_int_equal(l.size[2], 2 * MB);
}

/* A firmware image: ROM below 4 GiB (R+X), its last 128 KiB also at 0xE0000
   (RWX): the alias leaves point at the same host pages, carry the software
   bit, and are not reported as owned pages. */
static void test_alias(void **state)
{
    struct ept *e = *state;
    const uint64_t rom = 0xFFFC0000ull, low = 0xE0000ull;
    struct ept_walk w;
    assert_int_equal(ept_map(e, rom, HPA, 0x40000, EPT_R | EPT_X), 0);
    assert_int_equal(ept_map_alias(e, low, rom + 0x20000, 0x20000, EPT_RWX), 0);
    assert_int_equal(ept_walk(e, low + 0x1234, &w), 0);
    assert_int_equal(w.hpa, HPA + 0x20000 + 0x1234);
    assert_int_equal(w.rights, EPT_RWX);
    assert_true(w.alias);
    assert_int_equal(w.entries[3] & EPT_SW_ALIAS, EPT_SW_ALIAS);
    assert_int_equal(w.entries[3] & (7ull << 3), 6ull << 3);          /* WB like every leaf */
    assert_int_equal(ept_walk(e, 0xFFFFF000ull, &w), 0);              /* the reset vector page */
    assert_int_equal(w.hpa, HPA + 0x3F000);
    assert_int_equal(w.rights, EPT_R | EPT_X);
    assert_false(w.alias);
    struct leaf_log l = {0};
    ept_for_each_leaf(e, log_leaf, &l);
    assert_int_equal(l.n, 64);                                        /* the 64 ROM pages only */
    assert_int_equal(l.gpa[0], rom);
}

static void test_alias_rejected(void **state)
{
    struct ept *e = *state;
    struct ept_walk w;
    assert_int_equal(ept_map(e, 0x100000, HPA, 0x4000, EPT_RWX), 0);
    assert_int_equal(ept_map(e, 0x10000, HPA + MB, 0x1000, EPT_RWX), 0);
    assert_int_equal(ept_map_alias(e, 0x8000, 0x100000, 0x5000, EPT_R), -ENOENT);     /* source hole */
    assert_int_equal(ept_map_alias(e, 0xE000, 0x100000, 0x4000, EPT_R), -EEXIST);     /* target mapped */
    assert_int_equal(ept_walk(e, 0xE000, &w), -ENOENT);                               /* nothing half-made */
    assert_int_equal(ept_map_alias(e, 0x102000, 0x100000, 0x4000, EPT_R), -EINVAL);   /* overlap */
    assert_int_equal(ept_map_alias(e, 0x8000, 0x100000, 0x4000, EPT_W), -EINVAL);     /* W without R */
    assert_int_equal(ept_map_alias(e, 0x8000, 0x100000, 0x4000, EPT_R), 0);
    assert_int_equal(ept_map_alias(e, 0x20000, 0x8000, 0x1000, EPT_R), -ENOENT);      /* alias of an alias */
    /* out of memory for the second page table: the leaves already made go again */
    fail_after = 2;
    assert_int_equal(ept_map_alias(e, 0x401FE000ull, 0x100000, 0x4000, EPT_R), -ENOMEM);
    fail_after = -1;
    assert_int_equal(ept_walk(e, 0x401FE000ull, &w), -ENOENT);
    assert_int_equal(ept_walk(e, 0x401FF000ull, &w), -ENOENT);
}

/* The RAM firmware is told about: from 1 MiB to the first gap or read-only
   page; ROM, aliases and read-only pages are not RAM. */
static void test_ram_end(void **state)
{
    struct ept *e = *state;
    assert_int_equal(ept_ram_end(e), 0);
    assert_int_equal(ept_map(e, 0, HPA, 0xE0000, EPT_RWX), 0);           /* below the firmware */
    assert_int_equal(ept_ram_end(e), 0xE0000);                          /* nothing at 1 MiB */
    assert_int_equal(ept_map(e, MB, HPA + MB, 15 * MB, EPT_RWX), 0);     /* 2 MiB leaves from 2 MiB */
    assert_int_equal(ept_map(e, 0xFFFE0000ull, HPA + 32 * MB, 0x20000, EPT_R | EPT_X), 0);
    assert_int_equal(ept_map_alias(e, 0xE0000, 0xFFFE0000ull, 0x20000, EPT_RWX), 0);
    assert_int_equal(ept_ram_end(e), 16 * MB);
    assert_int_equal(ept_map(e, 16 * MB, HPA + 64 * MB, 0x1000, EPT_R), 0);   /* read-only: not RAM */
    assert_int_equal(ept_map(e, 16 * MB + 0x1000, HPA + 65 * MB, 0x1000, EPT_RWX), 0);
    assert_int_equal(ept_ram_end(e), 16 * MB);
}

static void test_eptp(void **state)
{
    struct ept *e = *state;
    assert_int_equal(ept_pointer(e), e->pml4 | 0x1E);   /* WB (6) | walk length 4 (3 << 3) */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_map_4k_and_walk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_map_2m_where_possible, setup, teardown),
        cmocka_unit_test_setup_teardown(test_map_overlap_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unmap_splits_2m, setup, teardown),
        cmocka_unit_test_setup_teardown(test_split_at_then_unmap_needs_no_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_protect, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_for_each_leaf, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alias, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alias_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ram_end, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eptp, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
