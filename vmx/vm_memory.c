/*
 * Guest memory of a VM. The EPT is the single record of what the VM owns:
 * every leaf maps host pages allocated here for this VM (zeroed), and
 * nothing else is ever mapped, so freeing the VM's memory is "free every
 * leaf". Changes hold vm->lock; rights that are removed are flushed with
 * INVEPT before the call returns, and pages are freed only after that flush.
 */
#include "errno.h"
#include "kheap.h"
#include "kstring.h"
#include "paging.h"
#include "pmm.h"
#include "vm_internal.h"
#include "vmx.h"
#include "vmx_ops.h"

#define PAGES_2M 512

void vm_flush_ept(struct vm *vm)
{
    if (!vmx.enabled)
        return;
    // SOLUTION(V3-ept) BEGIN: INVEPT (SDM 30.3): single-context for this EPTP when the CPU offers it, else all contexts
    if (vmx.caps.ept_vpid & EPT_CAP_INVEPT_SINGLE)
        invept(INVEPT_SINGLE_CONTEXT, ept_pointer(&vm->ept));
    else
        invept(INVEPT_ALL_CONTEXTS, 0);
    // SOLUTION(V3-ept) END
}

static bool range_ok(uint64_t gpa, uint64_t size)
{
    return size && !(gpa & 0xFFF) && !(size & 0xFFF) && gpa < EPT_GPA_LIMIT && size <= EPT_GPA_LIMIT - gpa;
}

static bool rights_ok(unsigned rights, bool allow_none)
{
    if (rights & ~VM_RWX)
        return false;
    if (!rights)
        return allow_none;
    if ((rights & VM_W) && !(rights & VM_R))
        return false;   /* write-only is an EPT misconfiguration (SDM 28.2.3.1) */
    if (!(rights & VM_R) && !(vmx.caps.ept_vpid & EPT_CAP_EXEC_ONLY))
        return false;
    return true;
}

/* Map one chunk at gpa: a 2 MiB block when aligned and wanted, else one page. */
static int map_chunk(struct vm *vm, uint64_t gpa, bool big, unsigned rights)
{
    size_t pages = big ? PAGES_2M : 1;
    uint64_t hpa = big ? pmm_alloc_contig(PAGES_2M, EPT_PAGE_2M) : pmm_alloc_page();
    if (!hpa && big)
        return 1;   /* no contiguous block: caller falls back to 4 KiB pages */
    if (!hpa)
        return -ENOMEM;
    int err = ept_map(&vm->ept, gpa, hpa, pages * PAGE_SIZE, rights);
    if (err) {
        pmm_free_contig(hpa, pages);
        return err;
    }
    vm->mem_pages += pages;
    return 0;
}

static int unmap_locked(struct vm *vm, uint64_t gpa, uint64_t size);

int vm_map(struct vm *vm, uint64_t gpa, uint64_t size, unsigned rights)
{
    if (!range_ok(gpa, size) || !rights_ok(rights, false))
        return -EINVAL;
    if (vm_lock_live(vm) < 0)
        return -ESRCH;
    int err = 0;
    struct ept_walk w;
    for (uint64_t off = 0; off < size && !err; off += PAGE_SIZE)
        if (ept_walk(&vm->ept, gpa + off, &w) == 0)
            err = -EEXIST;
    if (!err && vm->mem_pages * PAGE_SIZE + size > VM_MAX_MEM)
        err = -E2BIG;
    uint64_t off = 0;
    while (!err && off < size) {
        bool big = vm->ept.allow_2m && !((gpa + off) & (EPT_PAGE_2M - 1)) && size - off >= EPT_PAGE_2M;
        int r = map_chunk(vm, gpa + off, big, rights);
        if (r == 1)
            r = map_chunk(vm, gpa + off, false, rights), big = false;
        if (r < 0)
            err = r;
        else
            off += big ? EPT_PAGE_2M : PAGE_SIZE;
    }
    if (err && err != -EEXIST && err != -E2BIG && off)
        unmap_locked(vm, gpa, off);   /* nothing half-mapped remains */
    mutex_unlock(&vm->lock);
    return err;
}

/* Unmap, flush, then free the pages of [gpa, gpa+size) in 2 MiB batches. */
static int unmap_locked(struct vm *vm, uint64_t gpa, uint64_t size)
{
    uint64_t *hpas = kmalloc(PAGES_2M * sizeof(uint64_t));
    if (!hpas)
        return -ENOMEM;
    int err = 0;
    for (uint64_t batch = gpa; batch < gpa + size && !err; batch += EPT_PAGE_2M) {
        uint64_t len = MIN(EPT_PAGE_2M, gpa + size - batch);
        size_t n = 0;
        struct ept_walk w;
        for (uint64_t g = batch; g < batch + len; g += PAGE_SIZE)
            if (ept_walk(&vm->ept, g, &w) == 0)
                hpas[n++] = w.hpa & ~0xFFFull;
        err = ept_unmap(&vm->ept, batch, len);
        vm_flush_ept(vm);
        for (size_t i = 0; i < n && !err; i++)
            pmm_free_page(hpas[i]);
        if (!err)
            vm->mem_pages -= n;
    }
    kfree(hpas);
    return err;
}

int vm_unmap(struct vm *vm, uint64_t gpa, uint64_t size)
{
    if (!range_ok(gpa, size))
        return -EINVAL;
    if (vm_lock_live(vm) < 0)
        return -ESRCH;
    int err = unmap_locked(vm, gpa, size);
    mutex_unlock(&vm->lock);
    return err;
}

int vm_protect(struct vm *vm, uint64_t gpa, uint64_t size, unsigned rights)
{
    if (!range_ok(gpa, size) || !rights_ok(rights, true))
        return -EINVAL;
    if (vm_lock_live(vm) < 0)
        return -ESRCH;
    bool removed = false;
    int err = ept_protect(&vm->ept, gpa, size, rights, &removed);
    if (removed)
        vm_flush_ept(vm);
    mutex_unlock(&vm->lock);
    return err;
}

void *vm_gpa_to_host(struct vm *vm, uint64_t gpa, uint64_t need)
{
    struct ept_walk w;
    if (ept_walk(&vm->ept, gpa, &w) < 0 || (w.rights & need) != need)
        return NULL;
    return phys_to_virt(w.hpa);
}

/* Copy len bytes between host buffer buf and guest memory at gpa. */
static int copy_guest(struct vm *vm, uint64_t gpa, void *buf, size_t len, bool to_guest)
{
    if (gpa >= EPT_GPA_LIMIT || len > EPT_GPA_LIMIT - gpa)
        return -EINVAL;
    uint8_t *b = buf;
    while (len) {
        size_t chunk = MIN(len, (size_t)(PAGE_SIZE - (gpa & 0xFFF)));
        uint8_t *g = vm_gpa_to_host(vm, gpa, 0);
        if (!g)
            return -ENOENT;
        if (to_guest)
            memcpy(g, b, chunk);
        else
            memcpy(b, g, chunk);
        gpa += chunk;
        b += chunk;
        len -= chunk;
    }
    return 0;
}

int vm_write(struct vm *vm, uint64_t gpa, const void *src, size_t len)
{
    if (vm_lock_live(vm) < 0)
        return -ESRCH;
    int err = copy_guest(vm, gpa, (void *)src, len, true);
    mutex_unlock(&vm->lock);
    return err;
}

int vm_read(struct vm *vm, uint64_t gpa, void *dst, size_t len)
{
    if (vm_lock_live(vm) < 0)
        return -ESRCH;
    int err = copy_guest(vm, gpa, dst, len, false);
    mutex_unlock(&vm->lock);
    return err;
}

/* Guest paging-entry bits (SDM Vol. 3A Table 4-15..4-18). */
#define G_P 1ull
#define G_RW 2ull
#define G_PS 0x80ull

int vm_build_long_mode_tables(struct vm *vm, uint64_t gpa, struct vm_vcpu_params *p)
{
    if (gpa & 0xFFF)
        return -EINVAL;
    uint64_t *page = kzalloc(PAGE_SIZE);
    if (!page)
        return -ENOMEM;
    int err = 0;
    /* PML4[0] -> PDPT, PDPT[0] -> PD, PD: 512 x 2 MiB = the first 1 GiB, identity. */
    page[0] = (gpa + 0x1000) | G_P | G_RW;
    err = vm_write(vm, gpa, page, PAGE_SIZE);
    page[0] = (gpa + 0x2000) | G_P | G_RW;
    if (!err)
        err = vm_write(vm, gpa + 0x1000, page, PAGE_SIZE);
    for (int i = 0; i < 512; i++)
        page[i] = ((uint64_t)i << 21) | G_P | G_RW | G_PS;
    if (!err)
        err = vm_write(vm, gpa + 0x2000, page, PAGE_SIZE);
    /* GDT: null, 64-bit code (0x08), data (0x10) (SDM Vol. 3A 3.4.5). */
    memset(page, 0, PAGE_SIZE);
    page[1] = 0x00AF9B000000FFFFull;
    page[2] = 0x00CF93000000FFFFull;
    if (!err)
        err = vm_write(vm, gpa + 0x3000, page, PAGE_SIZE);
    kfree(page);
    if (!err) {
        p->cr3 = gpa;
        p->gdtr_base = gpa + 0x3000;
        p->gdtr_limit = 3 * 8 - 1;
    }
    return err;
}

static void free_leaf(uint64_t gpa, uint64_t hpa, uint64_t size, void *ctx)
{
    UNUSED(gpa);
    struct vm *vm = ctx;
    pmm_free_contig(hpa, size / PAGE_SIZE);
    vm->mem_pages -= size / PAGE_SIZE;
}

/* Free all guest memory and the EPT (the VM no longer runs). The flush comes
   first: a later VM whose EPT root reuses this page must not inherit
   cached translations. */
void vm_free_memory(struct vm *vm)
{
    vm_flush_ept(vm);
    ept_for_each_leaf(&vm->ept, free_leaf, vm);
    ept_destroy(&vm->ept);
}
