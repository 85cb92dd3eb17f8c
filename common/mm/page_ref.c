/*
 * Reference-counted user pages (page_ref.h): the pure counters of
 * page_ref_core.c under an interrupt-safe spinlock, plus allocation and
 * freeing through the pmm. The counters sit next to the pmm's bitmaps
 * (pmm_init makes room for them).
 */
#include "page_ref.h"
#include "errno.h"
#include "page_ref_core.h"
#include "panic.h"
#include "pmm.h"
#include "spinlock.h"

static struct page_ref_core core;
static struct spinlock ref_lock = SPINLOCK_INIT("page_ref");

size_t page_ref_bytes(uint64_t npages) { return page_ref_core_bytes(npages); }

void page_ref_init(void *buf, uint64_t npages) { page_ref_core_init(&core, buf, npages); }

uint64_t user_page_alloc(void)
{
    uint64_t pa = pmm_alloc_page();
    if (!pa)
        return 0;
    spin_lock(&ref_lock);
    int n = page_ref_core_get(&core, pa);
    spin_unlock(&ref_lock);
    if (n != 1)
        panic("page_ref: fresh page 0x%lx has count %d", pa, n);
    return pa;
}

int page_ref_get(uint64_t phys)
{
    spin_lock(&ref_lock);
    int n = page_ref_core_get(&core, phys);
    spin_unlock(&ref_lock);
    if (n == -EINVAL)
        panic("page_ref: reference to 0x%lx, which is not a page frame", phys);
    return n < 0 ? -EAGAIN : 0;
}

void user_page_put(uint64_t phys)
{
    spin_lock(&ref_lock);
    unsigned n = page_ref_core_put(&core, phys);
    spin_unlock(&ref_lock);
    if (n == 0)
        pmm_free_page(phys);
}

unsigned page_ref_count(uint64_t phys)
{
    spin_lock(&ref_lock);
    unsigned n = page_ref_core_count(&core, phys);
    spin_unlock(&ref_lock);
    return n;
}
