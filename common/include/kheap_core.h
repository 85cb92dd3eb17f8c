/*
 * The kernel heap's pure core: size-class slabs inside single pages for
 * small blocks, whole page runs for big ones, over a page-provider callback
 * (the kernel passes the pmm through the direct map; the host unit tests
 * pass aligned_alloc). No locking: kheap.c serialises all calls.
 *
 * Every page the core holds starts with a struct kheap_page; every block
 * is a 16-byte header {magic, state, size} + payload + 8-byte guard. The
 * payload is 16-byte aligned. kheap_core_free() panics naming the block,
 * its size and the problem on a double free, an overwritten header or an
 * overwritten guard.
 */
#pragma once

#include "types.h"

/* Return npages contiguous 4 KiB-aligned pages, or NULL. */
typedef void *(*kheap_page_alloc_fn)(size_t npages);
typedef void (*kheap_page_free_fn)(void *pages, size_t npages);

#define KHEAP_NCLASSES 7

struct kheap_page;

struct kheap {
    kheap_page_alloc_fn page_alloc;
    kheap_page_free_fn page_free;
    struct kheap_page *partial[KHEAP_NCLASSES];   /* slabs with free blocks */
    size_t used_bytes;      /* sum of the requested sizes of live blocks */
    size_t live_blocks;
    size_t pages;           /* pages currently taken from the provider */
};

void kheap_core_init(struct kheap *h, kheap_page_alloc_fn alloc, kheap_page_free_fn free);
/* A 16-byte aligned block of at least size bytes (size 0 allowed); NULL
   when the provider is out of pages or size is absurd. */
void *kheap_core_alloc(struct kheap *h, size_t size);
/* Free p (NULL is a no-op); panics when p is not a live heap block. */
void kheap_core_free(struct kheap *h, void *p);
/* C realloc semantics: contents kept up to the smaller size; NULL p means
   alloc, size 0 frees and returns NULL; NULL on failure leaves p intact. */
void *kheap_core_realloc(struct kheap *h, void *p, size_t size);
/* Requested size of the live block p (panics like free when p is bad). */
size_t kheap_core_block_size(void *p);
