/*
 * User pages of a process (see user_memory.h) and the heap (sbrk). Works
 * on any process's page tables through paging_lookup/phys_to_virt, so
 * spawn can fill a new address space while the parent's is loaded.
 */
#include "errno.h"
#include "mutex.h"
#include "kstring.h"
#include "paging.h"
#include "pmm.h"
#include "process.h"
#include "user_memory.h"

/* Combine permissions of two mappings of one page: writable if either is,
   executable if either is. */
static uint64_t merge_flags(uint64_t old, uint64_t add)
{
    uint64_t f = (old | add) & ~PTE_NX;
    if ((old & PTE_NX) && (add & PTE_NX))
        f |= PTE_NX;
    return f & (PTE_PRESENT | PTE_WRITE | PTE_USER | PTE_NX);
}

int umem_map_range(struct process *p, uint64_t start, uint64_t end, uint64_t flags)
{
    flags |= PTE_PRESENT | PTE_USER;
    for (uint64_t va = start; va < end; va += PAGE_SIZE) {
        uint64_t pa, old;
        if (paging_lookup(p->root, va, &pa, &old)) {
            if (paging_map(p->root, va, pa, merge_flags(old, flags)) < 0)
                return -ENOMEM;
            continue;
        }
        pa = pmm_alloc_page();
        if (!pa)
            return -ENOMEM;
        if (paging_map(p->root, va, pa, flags) < 0) {
            pmm_free_page(pa);
            return -ENOMEM;
        }
        p->pages++;
    }
    return 0;
}

void umem_unmap_range(struct process *p, uint64_t start, uint64_t end)
{
    for (uint64_t va = start; va < end; va += PAGE_SIZE) {
        uint64_t pa = paging_unmap(p->root, va);
        if (pa) {
            pmm_free_page(pa);
            p->pages--;
        }
    }
}

int umem_write(struct process *p, uint64_t va, const void *src, size_t len)
{
    const uint8_t *s = src;
    while (len > 0) {
        uint64_t pa, flags;
        if (!paging_lookup(p->root, ALIGN_DOWN(va, PAGE_SIZE), &pa, &flags))
            return -EFAULT;
        uint64_t off = va % PAGE_SIZE;
        size_t n = MIN(len, PAGE_SIZE - off);
        memcpy((uint8_t *)phys_to_virt(pa & PTE_ADDR_MASK) + off, s, n);
        s += n;
        va += n;
        len -= n;
    }
    return 0;
}

int64_t process_sbrk(struct process *p, int64_t incr)
{
    mutex_lock(&p->lock);
    uint64_t old = p->brk;
    int64_t r = (int64_t)old;
    if (incr > 0) {
        if ((uint64_t)incr > USER_HEAP_MAX || old + (uint64_t)incr > p->heap_start + USER_HEAP_MAX) {
            r = -ENOMEM;
        } else {
            uint64_t from = ALIGN_UP(old, PAGE_SIZE), to = ALIGN_UP(old + (uint64_t)incr, PAGE_SIZE);
            if (umem_map_range(p, from, to, PTE_WRITE | PTE_NX) < 0) {
                umem_unmap_range(p, from, to);
                r = -ENOMEM;
            } else {
                p->brk = old + (uint64_t)incr;
            }
        }
    } else if (incr < 0) {
        uint64_t dec = (uint64_t)(-(incr + 1)) + 1;   /* no overflow for INT64_MIN */
        if (dec > old - p->heap_start) {
            r = -EINVAL;
        } else {
            p->brk = old - dec;
            umem_unmap_range(p, ALIGN_UP(p->brk, PAGE_SIZE), ALIGN_UP(old, PAGE_SIZE));
        }
    }
    mutex_unlock(&p->lock);
    return r;
}
