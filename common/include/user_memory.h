/*
 * Pages of a process's user half: mapping fresh zeroed pages, unmapping and
 * freeing them, writing into them from the kernel without switching address
 * spaces (through the direct map), and resolving the page faults that are
 * not errors: the first write to a copy-on-write page and the first touch
 * of a stack page. User pages are reference counted (page_ref.h), so one
 * page may be mapped by several processes after fork. Caller holds p->lock
 * or owns p exclusively (during spawn, exec and teardown).
 */
#pragma once

#include "types.h"

struct process;

/* Map zeroed pages over [start, end) (page aligned) with PTE flags. A page
   that is already mapped is kept and gets the union of the permissions
   (two ELF segments may share a page). 0 or -ENOMEM (partial mappings
   stay; the caller unmaps the range). */
int umem_map_range(struct process *p, uint64_t start, uint64_t end, uint64_t flags);
/* Unmap [start, end) and drop p's reference to each page mapped there. */
void umem_unmap_range(struct process *p, uint64_t start, uint64_t end);
/* Copy len bytes from kernel memory src to user address va of p, ignoring
   the pages' write protection (the loader fills read-only segments) but
   breaking copy-on-write sharing first and mapping missing stack pages.
   0, -EFAULT (not mapped) or -ENOMEM. */
int umem_write(struct process *p, uint64_t va, const void *src, size_t len);

/* Page-fault error code bits (SDM Vol. 3A 4.7, Figure 4-12). */
#define PF_ERR_PRESENT (1u << 0)   /* 0: page not present; 1: protection violation */
#define PF_ERR_WRITE (1u << 1)     /* the access was a write */
#define PF_ERR_USER (1u << 2)      /* the access was made in ring 3 */
#define PF_ERR_RSVD (1u << 3)      /* a reserved bit was set in a paging entry */
#define PF_ERR_FETCH (1u << 4)     /* instruction fetch */

/* A page fault at va with error code err in p's user half: 0 when it was
   resolved (copy-on-write break, stack growth, or another thread already
   did that) and the access can be retried; -EFAULT when it is a real
   fault; -ENOMEM when a page was needed and none was free. */
int umem_resolve_fault(struct process *p, uint64_t va, uint64_t err);
/* Give p its own writable copy of the copy-on-write page at va, currently
   mapped to pa with PTE flags; the last sharer just gets write access back.
   0 or -ENOMEM. */
int cow_copy_page(struct process *p, uint64_t va, uint64_t pa, uint64_t flags);
/* True when va lies in the region one of p's thread stacks may grow into. */
bool umem_in_stack_region(const struct process *p, uint64_t va);
