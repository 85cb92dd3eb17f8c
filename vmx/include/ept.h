/*
 * Extended page tables (SDM Vol. 3C 28.2): 4-level tables translating
 * guest-physical to host-physical addresses with R/W/X rights and the
 * write-back memory type. Pure table logic: table pages come from a page
 * provider, so the same code runs in the kernel (pmm) and in host unit tests.
 * This module never decides what is mapped: it maps exactly the host pages
 * its caller (vm.c, which owns them) passes in.
 * No locking here: the caller serialises changes to one EPT.
 */
#pragma once

#include "types.h"

struct ept_pager {
    uint64_t (*alloc)(void *ctx);               /* zeroed 4 KiB page, 0 if none */
    void (*free)(void *ctx, uint64_t phys);
    void *(*to_virt)(void *ctx, uint64_t phys); /* where the kernel can read it */
    void *ctx;
};

struct ept {
    uint64_t pml4;            /* physical address of the root table */
    struct ept_pager pager;
    uint64_t table_pages;     /* paging-structure pages in use, root included */
    bool allow_2m;            /* use 2 MiB leaves where a range allows */
};

#define EPT_PAGE_4K 0x1000ull
#define EPT_PAGE_2M 0x200000ull
#define EPT_GPA_LIMIT (1ull << 39)   /* one PML4 entry's worth is plenty; keeps checks simple */
/* Software bit in an ignored position of a leaf (SDM Vol. 3C 28.2.2, Table
   28-6: bits 57:52 are ignored by the CPU): the leaf is a second view of a
   page that another leaf of the same EPT owns. */
#define EPT_SW_ALIAS (1ull << 52)

/* Prepare an empty EPT; 0 or -ENOMEM. */
int ept_init(struct ept *e, const struct ept_pager *pager, bool allow_2m);
/* Free every paging-structure page (not the mapped pages, the caller owns them). */
void ept_destroy(struct ept *e);

/* Map [gpa, gpa+size) to the contiguous host range at hpa with rights
   (EPT_R/W/X, at least R; W needs R). All page aligned. Fails with -EEXIST if any
   page is already mapped (nothing changes then), -EINVAL on bad arguments,
   -ENOMEM (partial tables stay, harmless). 2 MiB leaves where gpa and hpa are
   2 MiB aligned over a whole 2 MiB. */
int ept_map(struct ept *e, uint64_t gpa, uint64_t hpa, uint64_t size, uint64_t rights);
/* Make [gpa, gpa+size) show the pages mapped at [src, src+size) with rights
   (at least R; W needs R), as 4 KiB leaves marked EPT_SW_ALIAS. All page
   aligned. -ENOENT if a source page is not mapped or is itself an alias,
   -EEXIST if a target page is mapped, -EINVAL on bad arguments or when the
   ranges overlap (nothing changes then), -ENOMEM (no alias leaf stays, empty
   tables may). */
int ept_map_alias(struct ept *e, uint64_t gpa, uint64_t src, uint64_t size, uint64_t rights);
/* Remove every mapping in the range (splitting 2 MiB leaves at the edges).
   0 or -ENOMEM (split needs a page). */
int ept_unmap(struct ept *e, uint64_t gpa, uint64_t size);
/* Make gpa the start of a leaf: split the 2 MiB leaf that covers gpa in its
   middle into 4 KiB leaves (same pages and rights). 0 or -ENOMEM. Afterwards
   an ept_unmap or ept_protect starting or ending at gpa needs no new table. */
int ept_split_at(struct ept *e, uint64_t gpa);
/* Set the rights of every mapped page in the range; rights 0 makes the pages
   inaccessible but keeps them (protect can give rights back). *removed is set
   when any page lost a right (the caller must INVEPT). -ENOENT if a page in
   the range is not mapped (nothing changes then). */
int ept_protect(struct ept *e, uint64_t gpa, uint64_t size, uint64_t rights, bool *removed);

struct ept_walk {
    uint64_t hpa;          /* host address gpa translates to */
    uint64_t rights;       /* EPT_R/W/X of the leaf (0: kept but inaccessible) */
    uint64_t entries[4];   /* PML4E, PDPTE, PDE, PTE as read (0 beyond the leaf) */
    int leaf_level;        /* 1 = 4 KiB page, 2 = 2 MiB page */
    bool alias;            /* the leaf is an alias (EPT_SW_ALIAS): another leaf owns the page */
};
/* Translate gpa; 0, or -ENOENT when no leaf exists (entries filled up to the miss). */
int ept_walk(const struct ept *e, uint64_t gpa, struct ept_walk *w);

/* Call fn for every leaf that owns its page (with or without rights; aliases
   are skipped, so every owned page is reported once): its gpa, hpa and size
   (4 KiB or 2 MiB), in ascending gpa order. */
void ept_for_each_leaf(const struct ept *e, void (*fn)(uint64_t gpa, uint64_t hpa, uint64_t size, void *ctx),
                       void *ctx);

/* End of the RAM a firmware should report (ept_ram.c): the writable, owned
   memory from 1 MiB up to the first gap or read-only page; below 1 MiB only
   if there is none at 1 MiB (then the end of the run from 0). */
uint64_t ept_ram_end(const struct ept *e);

/* The EPT pointer for the VMCS: WB, 4-level walk (SDM 24.6.11). */
uint64_t ept_pointer(const struct ept *e);
