/*
 * Page reference counts, pure core (see page_ref_core.h). Context: no
 * locks here; page_ref.c serialises all calls.
 */
#include "page_ref_core.h"
#include "errno.h"
#include "kstring.h"
#include "panic.h"
#include "pmm.h"

size_t page_ref_core_bytes(uint64_t npages)
{
    return (size_t)ALIGN_UP(npages * sizeof(uint16_t), 8);
}

void page_ref_core_init(struct page_ref_core *c, void *buf, uint64_t npages)
{
    c->counts = buf;
    c->npages = npages;
    memset(buf, 0, page_ref_core_bytes(npages));
}

/* True when phys names a covered page frame. */
static bool covered(const struct page_ref_core *c, uint64_t phys)
{
    return phys % PAGE_SIZE == 0 && phys / PAGE_SIZE < c->npages;
}

unsigned page_ref_core_count(const struct page_ref_core *c, uint64_t phys)
{
    return covered(c, phys) ? c->counts[phys / PAGE_SIZE] : 0;
}

int page_ref_core_get(struct page_ref_core *c, uint64_t phys)
{
    if (!covered(c, phys))
        return -EINVAL;
    uint16_t *n = &c->counts[phys / PAGE_SIZE];
    if (*n == PAGE_REF_MAX)
        return -EOVERFLOW;
    return ++*n;
}

unsigned page_ref_core_put(struct page_ref_core *c, uint64_t phys)
{
    if (!covered(c, phys))
        panic("page_ref: put of 0x%lx, which is not a page frame", phys);
    uint16_t *n = &c->counts[phys / PAGE_SIZE];
    if (*n == 0)
        panic("page_ref: put of page 0x%lx, which has no references", phys);
    return --*n;
}
