/*
 * The page allocator's pure core: two bitmaps over physical page frame
 * numbers 0 .. npages-1, kept in a buffer the caller provides.
 *   used:  bit set = the page may not be handed out (allocated, reserved,
 *          or no RAM there); clear = free.
 *   owned: bit set = usable RAM that the allocator manages (not reserved).
 * Two bits per page tell a double free (owned, already free) from a free of
 * a page the allocator never owned (not owned). No locking and no access to
 * the pages themselves: pmm.c adds the lock, zeroing and the boot-time setup;
 * the host unit tests drive this core directly.
 */
#pragma once

#include "types.h"

struct pmm_core {
    uint64_t *used;
    uint64_t *owned;
    uint64_t npages;        /* page frames covered by the bitmaps */
    uint64_t usable_pages;  /* usable RAM pages added (firmware's view) */
    uint64_t owned_pages;   /* of those, managed (usable minus reservations) */
    uint64_t free_pages;
    uint64_t hint;          /* bitmap word where single-page searches start */
};

/* Bytes of metadata buffer pmm_core_init() needs for npages page frames. */
size_t pmm_core_meta_bytes(uint64_t npages);
/* Start with every page unusable; meta must hold pmm_core_meta_bytes(npages)
   bytes, 8-byte aligned. */
void pmm_core_init(struct pmm_core *c, void *meta, uint64_t npages);
/* Mark the whole pages inside [base, base+len) as usable RAM, free. Page 0
   is never usable: address 0 is the allocator's failure value. */
void pmm_core_add_usable(struct pmm_core *c, uint64_t base, uint64_t len);
/* Take every page touching [base, base+len) away for good (call after all
   add_usable calls); pages that were not usable are left alone. */
void pmm_core_reserve(struct pmm_core *c, uint64_t base, uint64_t len);
/* n contiguous free pages whose first address is a multiple of align (a
   power of two; less than a page means page-aligned); the physical address,
   or 0 when no such run exists. */
uint64_t pmm_core_alloc(struct pmm_core *c, size_t n, uint64_t align);
/* Give back n pages at phys; panics on a double free, on a page the
   allocator never owned, or on an unaligned address. */
void pmm_core_free(struct pmm_core *c, uint64_t phys, size_t n);
/* True when the page at phys is managed and currently free. */
bool pmm_core_is_free(const struct pmm_core *c, uint64_t phys);
