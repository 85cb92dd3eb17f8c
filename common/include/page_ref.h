/*
 * Reference-counted user pages: the pages that back user address spaces
 * and may be shared copy-on-write between processes after fork. A page
 * comes from user_page_alloc with one reference; page_ref_get adds one for
 * each further address space that maps it; user_page_put drops one and
 * frees the page with the last. Any context (an interrupt-safe spinlock
 * guards the counters).
 */
#pragma once

#include "types.h"

/* Boot (pmm_init): the counters live in buf, which covers npages frames. */
void page_ref_init(void *buf, uint64_t npages);
/* Bytes of counters page_ref_init needs for npages frames. */
size_t page_ref_bytes(uint64_t npages);

/* A zeroed page with one reference; 0 when memory is exhausted. */
uint64_t user_page_alloc(void);
/* One more reference to the user page at phys: 0, or -EAGAIN when its
   counter is full. */
int page_ref_get(uint64_t phys);
/* Drop one reference; the page goes back to the allocator with the last. */
void user_page_put(uint64_t phys);
/* Current number of references (1: the caller's mapping is the only one). */
unsigned page_ref_count(uint64_t phys);
