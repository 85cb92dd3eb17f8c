/*
 * Pure bitmap page allocator (see pmm_core.h). One bit per 4 KiB page in
 * each of two bitmaps; searches skip full 64-page words. First fit from the
 * lowest address, so early boot allocations stay in low memory.
 * Context: no locks here; the caller (pmm.c) serialises all calls.
 */
#include "pmm_core.h"
#include "kstring.h"
#include "panic.h"
#include "pmm.h"

#define BITS 64u

static uint64_t words_for(uint64_t npages) { return (npages + BITS - 1) / BITS; }

static bool test_bit(const uint64_t *map, uint64_t pfn) { return (map[pfn / BITS] >> (pfn % BITS)) & 1; }
static void set_bit(uint64_t *map, uint64_t pfn) { map[pfn / BITS] |= 1ull << (pfn % BITS); }
static void clear_bit(uint64_t *map, uint64_t pfn) { map[pfn / BITS] &= ~(1ull << (pfn % BITS)); }

size_t pmm_core_meta_bytes(uint64_t npages) { return (size_t)(2 * words_for(npages) * sizeof(uint64_t)); }

void pmm_core_init(struct pmm_core *c, void *meta, uint64_t npages)
{
    uint64_t words = words_for(npages);
    memset(c, 0, sizeof(*c));
    c->used = meta;
    c->owned = c->used + words;
    c->npages = npages;
    memset(c->used, 0xFF, words * sizeof(uint64_t));   /* bits past npages stay set */
    memset(c->owned, 0, words * sizeof(uint64_t));
}

void pmm_core_add_usable(struct pmm_core *c, uint64_t base, uint64_t len)
{
    if (len == 0 || base + len < base)
        return;
    uint64_t first = MAX(ALIGN_UP(base, PAGE_SIZE) / PAGE_SIZE, 1);   /* 0 means "failed" */
    uint64_t end = ALIGN_DOWN(base + len, PAGE_SIZE) / PAGE_SIZE;
    end = MIN(end, c->npages);
    for (uint64_t pfn = first; pfn < end; pfn++) {
        if (test_bit(c->owned, pfn))
            continue;   /* overlapping map entries count once */
        set_bit(c->owned, pfn);
        clear_bit(c->used, pfn);
        c->usable_pages++;
        c->owned_pages++;
        c->free_pages++;
    }
}

void pmm_core_reserve(struct pmm_core *c, uint64_t base, uint64_t len)
{
    if (len == 0)
        return;
    uint64_t last = base + len - 1;
    if (last < base)
        last = UINT64_MAX;
    uint64_t first = base / PAGE_SIZE;
    uint64_t end = MIN(last / PAGE_SIZE + 1, c->npages);
    for (uint64_t pfn = first; pfn < end; pfn++) {
        if (!test_bit(c->owned, pfn))
            continue;
        kassert(!test_bit(c->used, pfn) && "reserve after an allocation");
        clear_bit(c->owned, pfn);
        set_bit(c->used, pfn);
        c->owned_pages--;
        c->free_pages--;
    }
}

/* Index of the first free page at or after pfn, or npages when none. */
static uint64_t next_free(const struct pmm_core *c, uint64_t pfn)
{
    while (pfn < c->npages) {
        uint64_t w = c->used[pfn / BITS] | ((1ull << (pfn % BITS)) - 1);
        if (w != UINT64_MAX)
            return MIN(pfn - pfn % BITS + (uint64_t)__builtin_ctzll(~w), c->npages);
        pfn = pfn - pfn % BITS + BITS;
    }
    return c->npages;
}

/* First used page in [pfn, pfn+n), or pfn+n when all are free. */
static uint64_t first_used_in(const struct pmm_core *c, uint64_t pfn, uint64_t n)
{
    for (uint64_t i = pfn; i < pfn + n; i++)
        if (test_bit(c->used, i))
            return i;
    return pfn + n;
}

static void mark_used(struct pmm_core *c, uint64_t pfn, uint64_t n)
{
    for (uint64_t i = pfn; i < pfn + n; i++)
        set_bit(c->used, i);
    c->free_pages -= n;
}

uint64_t pmm_core_alloc(struct pmm_core *c, size_t n, uint64_t align)
{
    if (n == 0 || n > c->free_pages || (align & (align - 1)) != 0)
        return 0;
    uint64_t step = align > PAGE_SIZE ? align / PAGE_SIZE : 1;
    uint64_t pfn = next_free(c, c->hint * BITS);
    while (pfn < c->npages) {
        pfn = ALIGN_UP(pfn, step);
        if (pfn >= c->npages || n > c->npages - pfn)
            return 0;
        uint64_t busy = first_used_in(c, pfn, n);
        if (busy == pfn + n) {
            mark_used(c, pfn, n);
            if (n == 1)
                c->hint = pfn / BITS;
            return pfn * PAGE_SIZE;
        }
        pfn = next_free(c, busy + 1);
    }
    return 0;
}

/* Panic unless all n pages at pfn are owned and allocated. */
static void check_freeable(const struct pmm_core *c, uint64_t phys, uint64_t pfn, size_t n)
{
    if (phys % PAGE_SIZE != 0)
        panic("pmm: free of unaligned address 0x%lx", phys);
    for (uint64_t i = pfn; i < pfn + n; i++) {
        uint64_t addr = i * PAGE_SIZE;
        if (i >= c->npages || !test_bit(c->owned, i))
            panic("pmm: free of page 0x%lx that the allocator never owned", addr);
        if (!test_bit(c->used, i))
            panic("pmm: double free of page 0x%lx", addr);
    }
}

void pmm_core_free(struct pmm_core *c, uint64_t phys, size_t n)
{
    uint64_t pfn = phys / PAGE_SIZE;
    check_freeable(c, phys, pfn, n);
    for (uint64_t i = pfn; i < pfn + n; i++)
        clear_bit(c->used, i);
    c->free_pages += n;
    c->hint = MIN(c->hint, pfn / BITS);
}

bool pmm_core_is_free(const struct pmm_core *c, uint64_t phys)
{
    uint64_t pfn = phys / PAGE_SIZE;
    return pfn < c->npages && test_bit(c->owned, pfn) && !test_bit(c->used, pfn);
}
