/*
 * EPT table building (SDM Vol. 3C 28.2.2, Tables 28-1 to 28-6).
 * Non-leaf entries: table address | R | W | X (rights are the AND along the
 * walk, so only leaves restrict). Leaf entries: page address | rights |
 * memory type WB << 3 (| page size for 2 MiB). See ept.h for the contract.
 */
#include "ept.h"
#include "errno.h"
#include "vmx_arch.h"

#define EPT_ENTRIES 512
#define LEVEL_SHIFT(level) (12 + 9 * ((level) - 1))   /* level 1 = PT ... 4 = PML4 */
#define INDEX(gpa, level) (((gpa) >> LEVEL_SHIFT(level)) & 511)
#define LEAF_FLAGS (EPT_MEMTYPE_WB << EPT_MEMTYPE_SHIFT)

static uint64_t *table(const struct ept *e, uint64_t phys)
{
    return (uint64_t *)e->pager.to_virt(e->pager.ctx, phys);
}

static bool entry_present(uint64_t ent) { return (ent & EPT_RWX) != 0 || (ent & EPT_ADDR_MASK) != 0; }

int ept_init(struct ept *e, const struct ept_pager *pager, bool allow_2m)
{
    e->pager = *pager;
    e->allow_2m = allow_2m;
    e->table_pages = 0;
    e->pml4 = pager->alloc(pager->ctx);
    if (!e->pml4)
        return -ENOMEM;
    e->table_pages = 1;
    return 0;
}

/* Free the table at phys and, below level 2, nothing; recurse into non-leaf entries. */
static void free_table(struct ept *e, uint64_t phys, int level)
{
    uint64_t *t = table(e, phys);
    for (int i = 0; level > 1 && i < EPT_ENTRIES; i++)
        if (entry_present(t[i]) && !(t[i] & EPT_LARGE))
            free_table(e, t[i] & EPT_ADDR_MASK, level - 1);
    e->pager.free(e->pager.ctx, phys);
    e->table_pages--;
}

void ept_destroy(struct ept *e)
{
    if (e->pml4)
        free_table(e, e->pml4, 4);
    e->pml4 = 0;
}

uint64_t ept_pointer(const struct ept *e)
{
    // SOLUTION(V3-ept) BEGIN: EPTP = PML4 address | 4-level walk | WB memory type (SDM 24.6.11)
    // SOLUTION(V3-ept) STUB: return 0;
    return e->pml4 | EPTP_WALK_4 | EPTP_MEMTYPE_WB;
    // SOLUTION(V3-ept) END
}

/* Return the table below entry *ent, creating it if alloc. NULL if absent/no memory. */
static uint64_t *next_table(struct ept *e, uint64_t *ent, bool alloc)
{
    // SOLUTION(V3-ept) BEGIN: present: the table *ent points to; else (alloc) a new zeroed page from the pager, counted, linked with RWX
    // SOLUTION(V3-ept) STUB: return NULL;
    if (entry_present(*ent))
        return table(e, *ent & EPT_ADDR_MASK);
    if (!alloc)
        return NULL;
    uint64_t page = e->pager.alloc(e->pager.ctx);
    if (!page)
        return NULL;
    e->table_pages++;
    *ent = page | EPT_RWX;
    return table(e, page);
    // SOLUTION(V3-ept) END
}

/* Replace the 2 MiB leaf *pde by a page table with 512 equal 4 KiB leaves. */
static int split_2m(struct ept *e, uint64_t *pde)
{
    uint64_t page = e->pager.alloc(e->pager.ctx);
    if (!page)
        return -ENOMEM;
    e->table_pages++;
    uint64_t *pt = table(e, page);
    uint64_t base = *pde & EPT_ADDR_MASK, keep = *pde & (EPT_RWX | (7ull << EPT_MEMTYPE_SHIFT));
    for (int i = 0; i < EPT_ENTRIES; i++)
        pt[i] = (base + (uint64_t)i * EPT_PAGE_4K) | keep;
    *pde = page | EPT_RWX;
    return 0;
}

/* Find the PDE for gpa (creating tables if alloc); NULL if absent/no memory. */
static uint64_t *find_pde(struct ept *e, uint64_t gpa, bool alloc)
{
    uint64_t *pml4 = table(e, e->pml4);
    uint64_t *pdpt = next_table(e, &pml4[INDEX(gpa, 4)], alloc);
    if (!pdpt)
        return NULL;
    uint64_t *pd = next_table(e, &pdpt[INDEX(gpa, 3)], alloc);
    return pd ? &pd[INDEX(gpa, 2)] : NULL;
}

/* Find the 4 KiB leaf slot for gpa, splitting a 2 MiB leaf if split. NULL if absent. */
static uint64_t *find_pte(struct ept *e, uint64_t gpa, bool alloc, bool split, int *err)
{
    uint64_t *pde = find_pde(e, gpa, alloc);
    *err = 0;
    if (!pde)
        return (*err = alloc ? -ENOMEM : 0), NULL;
    if (entry_present(*pde) && (*pde & EPT_LARGE)) {
        if (!split)
            return NULL;
        if ((*err = split_2m(e, pde)) < 0)
            return NULL;
    }
    uint64_t *pt = next_table(e, pde, alloc);
    if (!pt)
        return (*err = alloc ? -ENOMEM : 0), NULL;
    return &pt[INDEX(gpa, 1)];
}

static bool range_ok(uint64_t gpa, uint64_t size)
{
    return size && !(gpa & 0xFFF) && !(size & 0xFFF) && gpa < EPT_GPA_LIMIT && size <= EPT_GPA_LIMIT - gpa;
}

int ept_map(struct ept *e, uint64_t gpa, uint64_t hpa, uint64_t size, uint64_t rights)
{
    if (!range_ok(gpa, size) || (hpa & 0xFFF) || (rights & ~EPT_RWX) || !(rights & EPT_R))
        return -EINVAL;
    struct ept_walk w;
    for (uint64_t off = 0; off < size; off += EPT_PAGE_4K)   /* all or nothing */
        if (ept_walk(e, gpa + off, &w) == 0)
            return -EEXIST;
    for (uint64_t off = 0; off < size;) {
        uint64_t g = gpa + off, h = hpa + off;
        if (e->allow_2m && !(g & (EPT_PAGE_2M - 1)) && !(h & (EPT_PAGE_2M - 1)) && size - off >= EPT_PAGE_2M) {
            uint64_t *pde = find_pde(e, g, true);
            if (!pde)
                return -ENOMEM;
            if (!entry_present(*pde)) {   /* an empty PT may sit here: then use 4 KiB */
                *pde = h | rights | LEAF_FLAGS | EPT_LARGE;
                off += EPT_PAGE_2M;
                continue;
            }
        }
        // SOLUTION(V3-ept) BEGIN: a 4 KiB leaf: find (creating tables) the PTE of g, store h | rights | WB; advance by 4 KiB
        // SOLUTION(V3-ept) STUB: return -ENOSYS;
        int err;
        uint64_t *pte = find_pte(e, g, true, false, &err);
        if (!pte)
            return err ? err : -ENOMEM;
        *pte = h | rights | LEAF_FLAGS;
        off += EPT_PAGE_4K;
        // SOLUTION(V3-ept) END
    }
    return 0;
}

int ept_map_alias(struct ept *e, uint64_t gpa, uint64_t src, uint64_t size, uint64_t rights)
{
    if (!range_ok(gpa, size) || !range_ok(src, size) || (rights & ~EPT_RWX) || !(rights & EPT_R) ||
        ((rights & EPT_W) && !(rights & EPT_R)) || (gpa < src + size && src < gpa + size))
        return -EINVAL;
    struct ept_walk w;
    for (uint64_t off = 0; off < size; off += EPT_PAGE_4K) {   /* all or nothing */
        if (ept_walk(e, src + off, &w) < 0 || w.alias)
            return -ENOENT;
        if (ept_walk(e, gpa + off, &w) == 0)
            return -EEXIST;
    }
    for (uint64_t off = 0; off < size; off += EPT_PAGE_4K) {
        int err;
        ept_walk(e, src + off, &w);
        uint64_t *pte = find_pte(e, gpa + off, true, false, &err);
        if (!pte) {
            if (off)
                ept_unmap(e, gpa, off);   /* 4 KiB leaves only: needs no memory */
            return err ? err : -ENOMEM;
        }
        *pte = (w.hpa & EPT_ADDR_MASK) | rights | LEAF_FLAGS | EPT_SW_ALIAS;
    }
    return 0;
}

/* Leaf slot covering gpa for a change of one 4 KiB page, or a whole 2 MiB leaf
   when [gpa, end) covers it (then *step = 2 MiB). NULL if nothing is mapped. */
static uint64_t *leaf_for_change(struct ept *e, uint64_t gpa, uint64_t end, uint64_t *step, int *err)
{
    *step = EPT_PAGE_4K;
    *err = 0;
    uint64_t *pde = find_pde(e, gpa, false);
    if (!pde || !entry_present(*pde))
        return NULL;
    if ((*pde & EPT_LARGE) && !(gpa & (EPT_PAGE_2M - 1)) && end - gpa >= EPT_PAGE_2M) {
        *step = EPT_PAGE_2M;
        return pde;
    }
    return find_pte(e, gpa, false, true, err);
}

int ept_unmap(struct ept *e, uint64_t gpa, uint64_t size)
{
    if (!range_ok(gpa, size))
        return -EINVAL;
    uint64_t end = gpa + size, step;
    for (uint64_t g = gpa; g < end; g += step) {
        int err;
        uint64_t *leaf = leaf_for_change(e, g, end, &step, &err);
        if (err)
            return err;
        if (leaf)
            *leaf = 0;
    }
    return 0;
}

int ept_split_at(struct ept *e, uint64_t gpa)
{
    if (!(gpa & (EPT_PAGE_2M - 1)) || gpa >= EPT_GPA_LIMIT)
        return 0;   /* a 2 MiB boundary (or beyond the tables) cuts no leaf */
    uint64_t *pde = find_pde(e, gpa, false);
    if (!pde || !entry_present(*pde) || !(*pde & EPT_LARGE))
        return 0;
    return split_2m(e, pde);
}

int ept_protect(struct ept *e, uint64_t gpa, uint64_t size, uint64_t rights, bool *removed)
{
    *removed = false;
    if (!range_ok(gpa, size) || (rights & ~EPT_RWX) || ((rights & EPT_W) && !(rights & EPT_R)))
        return -EINVAL;
    struct ept_walk w;
    for (uint64_t g = gpa; g < gpa + size; g += EPT_PAGE_4K)   /* all or nothing */
        if (ept_walk(e, g, &w) < 0)
            return -ENOENT;
    uint64_t end = gpa + size, step;
    for (uint64_t g = gpa; g < end; g += step) {
        int err;
        uint64_t *leaf = leaf_for_change(e, g, end, &step, &err);
        if (err)
            return err;
        // SOLUTION(V3-ept) BEGIN: replace the leaf's R/W/X bits by rights; *removed when a right goes away (the caller then flushes)
        // SOLUTION(V3-ept) STUB: (void)leaf;
        if ((*leaf & EPT_RWX) & ~rights)
            *removed = true;
        *leaf = (*leaf & ~EPT_RWX) | rights;
        // SOLUTION(V3-ept) END
    }
    return 0;
}

int ept_walk(const struct ept *e, uint64_t gpa, struct ept_walk *w)
{
    // SOLUTION(V3-ept) BEGIN: walk PML4 -> PDPT -> PD -> PT; record each entry; at the leaf (PT, or a 2 MiB PDE) set hpa, rights, level
    // SOLUTION(V3-ept) STUB: *w = (struct ept_walk){0};
    // SOLUTION(V3-ept) STUB: return -ENOENT;
    *w = (struct ept_walk){0};
    if (gpa >= EPT_GPA_LIMIT || !e->pml4)
        return -ENOENT;
    uint64_t *t = table(e, e->pml4);
    for (int level = 4; level >= 1; level--) {
        uint64_t ent = t[INDEX(gpa, level)];
        w->entries[4 - level] = ent;
        if (!entry_present(ent))
            return -ENOENT;
        if (level == 1 || (level == 2 && (ent & EPT_LARGE))) {
            uint64_t page_mask = (1ull << LEVEL_SHIFT(level)) - 1;
            w->hpa = (ent & EPT_ADDR_MASK & ~page_mask) | (gpa & page_mask);
            w->rights = ent & EPT_RWX;
            w->leaf_level = level;
            w->alias = (ent & EPT_SW_ALIAS) != 0;
            return 0;
        }
        t = table(e, ent & EPT_ADDR_MASK);
    }
    return -ENOENT;
    // SOLUTION(V3-ept) END
}

static void leaves_in(const struct ept *e, uint64_t phys, int level, uint64_t base,
                      void (*fn)(uint64_t, uint64_t, uint64_t, void *), void *ctx)
{
    const uint64_t *t = table(e, phys);
    for (uint64_t i = 0; i < EPT_ENTRIES; i++) {
        uint64_t ent = t[i], gpa = base + (i << LEVEL_SHIFT(level));
        if (!entry_present(ent))
            continue;
        if (level == 1 || (level == 2 && (ent & EPT_LARGE))) {
            if (!(ent & EPT_SW_ALIAS))
                fn(gpa, ent & EPT_ADDR_MASK, 1ull << LEVEL_SHIFT(level), ctx);
        } else
            leaves_in(e, ent & EPT_ADDR_MASK, level - 1, gpa, fn, ctx);
    }
}

void ept_for_each_leaf(const struct ept *e, void (*fn)(uint64_t gpa, uint64_t hpa, uint64_t size, void *ctx),
                       void *ctx)
{
    if (e->pml4)
        leaves_in(e, e->pml4, 4, 0, fn, ctx);
}
