/*
 * Kernel heap, kernel side: the pure core (kheap_core.c) fed with pages
 * from the pmm, reached through the direct map, under an interrupt-safe
 * spinlock (callable with interrupts on or off, also from handlers).
 */
#include "kheap.h"
#include "kheap_core.h"
#include "kstring.h"
#include "paging.h"
#include "pmm.h"
#include "spinlock.h"

static void *heap_pages_alloc(size_t npages)
{
    uint64_t phys = pmm_alloc_contig(npages, PAGE_SIZE);
    return phys ? phys_to_virt(phys) : NULL;
}

static void heap_pages_free(void *pages, size_t npages) { pmm_free_contig(virt_to_phys(pages), npages); }

static struct kheap heap = {.page_alloc = heap_pages_alloc, .page_free = heap_pages_free};
static struct spinlock heap_lock = SPINLOCK_INIT("kheap");

void *kmalloc(size_t size)
{
    spin_lock(&heap_lock);
    void *p = kheap_core_alloc(&heap, size);
    spin_unlock(&heap_lock);
    return p;
}

void *kzalloc(size_t size)
{
    void *p = kmalloc(size);
    if (p)
        memset(p, 0, size);
    return p;
}

void *krealloc(void *p, size_t size)
{
    spin_lock(&heap_lock);
    void *n = kheap_core_realloc(&heap, p, size);
    spin_unlock(&heap_lock);
    return n;
}

void kfree(void *p)
{
    spin_lock(&heap_lock);
    kheap_core_free(&heap, p);
    spin_unlock(&heap_lock);
}

size_t kheap_used_bytes(void) { return heap.used_bytes; }
