/*
 * Pages of a process's user half: mapping fresh zeroed pages, unmapping and
 * freeing them, and writing into them from the kernel without switching
 * address spaces (through the direct map). Caller holds p->lock or owns p
 * exclusively (during spawn and teardown).
 */
#pragma once

#include "types.h"

struct process;

/* Map zeroed pages over [start, end) (page aligned) with PTE flags. A page
   that is already mapped is kept and gets the union of the permissions
   (two ELF segments may share a page). 0 or -ENOMEM (partial mappings
   stay; the caller unmaps the range). */
int umem_map_range(struct process *p, uint64_t start, uint64_t end, uint64_t flags);
/* Unmap [start, end) and free the pages that were mapped there. */
void umem_unmap_range(struct process *p, uint64_t start, uint64_t end);
/* Copy len bytes from kernel memory src to user address va of p; the pages
   must be mapped. 0 or -EFAULT. */
int umem_write(struct process *p, uint64_t va, const void *src, size_t len);
