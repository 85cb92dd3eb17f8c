/*
 * User pages of a process (see user_memory.h) and the heap (sbrk). Works
 * on any process's page tables through paging_lookup/phys_to_virt, so
 * spawn can fill a new address space while the parent's is loaded.
 * Every mapped user page holds one reference (page_ref.h) per address
 * space that maps it; a page shared after fork is mapped read-only with
 * PTE_COW in all of them until a write fault gives the writer its copy.
 */
#include "errno.h"
#include "mutex.h"
#include "kstring.h"
#include "page_ref.h"
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

/* Map one fresh zeroed page at va: 0 or -ENOMEM. */
static int map_new_page(struct process *p, uint64_t va, uint64_t flags)
{
    uint64_t pa = user_page_alloc();
    if (!pa)
        return -ENOMEM;
    if (paging_map(p->root, va, pa, flags) < 0) {
        user_page_put(pa);
        return -ENOMEM;
    }
    p->pages++;
    return 0;
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
        if (map_new_page(p, va, flags) < 0)
            return -ENOMEM;
    }
    return 0;
}

void umem_unmap_range(struct process *p, uint64_t start, uint64_t end)
{
    for (uint64_t va = start; va < end; va += PAGE_SIZE) {
        uint64_t pa = paging_unmap(p->root, va);
        if (pa) {
            user_page_put(pa);
            p->pages--;
        }
    }
}

int cow_copy_page(struct process *p, uint64_t va, uint64_t pa, uint64_t flags)
{
    // SOLUTION(A2-fork) BEGIN: the last sharer maps the page writable again; otherwise copy it into a new user page, map that writable (without PTE_COW) and drop one reference to the old one
    // SOLUTION(A2-fork) STUB: return -ENOSYS;
    uint64_t writable = (flags | PTE_WRITE) & ~PTE_COW;
    if (page_ref_count(pa) == 1)     /* every other sharer has let go */
        return paging_map(p->root, va, pa, writable);
    uint64_t copy = user_page_alloc();
    if (!copy)
        return -ENOMEM;
    memcpy(phys_to_virt(copy), phys_to_virt(pa), PAGE_SIZE);
    if (paging_map(p->root, va, copy, writable) < 0) {
        user_page_put(copy);
        return -ENOMEM;
    }
    user_page_put(pa);               /* p's reference moved to the copy */
    return 0;
    // SOLUTION(A2-fork) END
}

bool umem_in_stack_region(const struct process *p, uint64_t va)
{
    for (int slot = 0; slot < PROC_MAX_THREADS; slot++) {
        uint64_t top = USER_STACK_TOP - (uint64_t)slot * USER_STACK_SLOT;
        if ((p->stack_slots & (1ull << slot)) && va < top && va >= top - USER_STACK_LIMIT)
            return true;
    }
    return false;
}

/* Whether a mapping with PTE flags now allows the access described by err
   (so a fault another thread has resolved meanwhile is simply retried). */
static bool access_allowed(uint64_t flags, uint64_t err)
{
    if ((err & PF_ERR_WRITE) && !(flags & PTE_WRITE))
        return false;
    if ((err & PF_ERR_FETCH) && (flags & PTE_NX))
        return false;
    return (flags & PTE_USER) != 0;
}

int umem_resolve_fault(struct process *p, uint64_t va, uint64_t err)
{
    uint64_t page = ALIGN_DOWN(va, PAGE_SIZE), pa, flags;
    if (err & PF_ERR_RSVD)
        return -EFAULT;
    if (paging_lookup(p->root, page, &pa, &flags)) {
        if (access_allowed(flags, err))
            return 0;
        if ((err & PF_ERR_WRITE) && (flags & PTE_COW) && !(err & PF_ERR_FETCH))
            return cow_copy_page(p, page, pa & PTE_ADDR_MASK, flags);
        return -EFAULT;
    }
    if (umem_in_stack_region(p, page))
        return map_new_page(p, page, PTE_PRESENT | PTE_USER | PTE_WRITE | PTE_NX);
    return -EFAULT;
}

/* The physical page behind va that the kernel may write for p: COW shares
   are broken and stack pages mapped first. 0 or a negative errno. */
static int page_for_kernel_write(struct process *p, uint64_t va, uint64_t *pa)
{
    uint64_t flags;
    bool present = paging_lookup(p->root, va, pa, &flags);
    if (!present || (flags & PTE_COW)) {
        int err = umem_resolve_fault(p, va, PF_ERR_WRITE | (present ? PF_ERR_PRESENT : 0));
        if (err)
            return err;
        if (!paging_lookup(p->root, va, pa, NULL))
            return -EFAULT;
    }
    *pa &= PTE_ADDR_MASK;
    return 0;
}

int umem_write(struct process *p, uint64_t va, const void *src, size_t len)
{
    const uint8_t *s = src;
    while (len > 0) {
        uint64_t pa;
        int err = page_for_kernel_write(p, ALIGN_DOWN(va, PAGE_SIZE), &pa);
        if (err)
            return err;
        uint64_t off = va % PAGE_SIZE;
        size_t n = MIN(len, PAGE_SIZE - off);
        memcpy((uint8_t *)phys_to_virt(pa) + off, s, n);
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
