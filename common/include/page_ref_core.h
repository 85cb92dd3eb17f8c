/*
 * Reference counts of physical pages, pure core: one 16-bit counter per
 * page frame in a buffer the caller provides. A user page starts at 1 when
 * it is mapped into its first address space; fork adds one per address
 * space that shares it copy-on-write; unmapping drops one, and the page is
 * free again when its count reaches 0. Pages that no user mapping has ever
 * owned (kernel memory, page tables) stay at 0 and are never counted.
 * No locking here: page_ref.c wraps every call in a spinlock; the host unit
 * tests drive this core directly.
 */
#pragma once

#include "types.h"

#define PAGE_REF_MAX 0xFFFFu     /* a counter never wraps: _get refuses beyond this */

struct page_ref_core {
    uint16_t *counts;
    uint64_t npages;    /* page frames covered */
};

/* Bytes of buffer page_ref_core_init needs for npages page frames (a multiple of 8). */
size_t page_ref_core_bytes(uint64_t npages);
/* Every count 0; buf holds page_ref_core_bytes(npages) bytes. */
void page_ref_core_init(struct page_ref_core *c, void *buf, uint64_t npages);
/* The count of the page at phys (0 outside the covered frames). */
unsigned page_ref_core_count(const struct page_ref_core *c, uint64_t phys);
/* Count one more reference: the new count, -EINVAL for an unaligned or
   uncovered address, -EOVERFLOW when the count is already PAGE_REF_MAX. */
int page_ref_core_get(struct page_ref_core *c, uint64_t phys);
/* Drop one reference: the new count (0: nobody uses the page any more).
   Panics when the count is already 0 or phys is bad: a broken invariant. */
unsigned page_ref_core_put(struct page_ref_core *c, uint64_t phys);
