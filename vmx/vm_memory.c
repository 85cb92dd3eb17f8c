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
#include "panic.h"
#include "pmm.h"
#include "spinlock.h"
#include "vm_internal.h"
#include "vmx.h"
#include "vmx_ops.h"

#define PAGES_2M 512
#define HOST_RESERVE_MIN_PAGES 4096   /* 16 MiB */

/* Guest memory of all VMs together, in pages: charged before vm_map
   allocates, given back when pages are freed. The cap leaves the host an
   eighth of RAM (at least 16 MiB) for its threads, processes, page tables
   and the shell that must still be able to start `vm destroy`. */
static struct spinlock charge_lock = SPINLOCK_INIT("guest pages");
static uint64_t charged_pages;

uint64_t vm_guest_pages_cap(void)
{
    uint64_t total = pmm_total_pages();
    uint64_t reserve = MAX(total / 8, (uint64_t)HOST_RESERVE_MIN_PAGES);
    return total > reserve ? total - reserve : 0;
}

uint64_t vm_guest_pages_charged(void)
{
    return charged_pages;
}

/* Take n pages of the global guest budget: 0, or -ENOMEM past the cap. */
static int charge(uint64_t n)
{
    uint64_t cap = vm_guest_pages_cap();
    spin_lock(&charge_lock);
    bool ok = charged_pages <= cap && n <= cap - charged_pages;
    if (ok)
        charged_pages += n;
    spin_unlock(&charge_lock);
    return ok ? 0 : -ENOMEM;
}

static void uncharge(uint64_t n)
{
    spin_lock(&charge_lock);
    charged_pages -= n;
    spin_unlock(&charge_lock);
}

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

static void unmap_locked(struct vm *vm, uint64_t gpa, uint64_t size);

/* Is any page of [gpa, gpa+size) mapped? */
static bool any_mapped(struct vm *vm, uint64_t gpa, uint64_t size)
{
    struct ept_walk w;
    for (uint64_t off = 0; off < size; off += PAGE_SIZE)
        if (ept_walk(&vm->ept, gpa + off, &w) == 0)
            return true;
    return false;
}

/* Map [gpa, gpa+size) chunk by chunk; on failure *done says how much was mapped. */
static int map_range(struct vm *vm, uint64_t gpa, uint64_t size, unsigned rights, uint64_t *done)
{
    for (*done = 0; *done < size;) {
        uint64_t g = gpa + *done;
        bool big = vm->ept.allow_2m && !(g & (EPT_PAGE_2M - 1)) && size - *done >= EPT_PAGE_2M;
        int r = big ? map_chunk(vm, g, true, rights) : 1;
        if (r == 1)
            r = map_chunk(vm, g, false, rights), big = false;
        if (r < 0)
            return r;
        *done += big ? EPT_PAGE_2M : PAGE_SIZE;
    }
    return 0;
}

int vm_map(struct vm *vm, uint64_t gpa, uint64_t size, unsigned rights)
{
    if (!range_ok(gpa, size) || !rights_ok(rights, false))
        return -EINVAL;
    int err = vm_lock_checked(vm);
    if (err)
        goto out;
    err = -EEXIST;
    if (any_mapped(vm, gpa, size))
        goto out;
    err = -E2BIG;
    if (vm->mem_pages * PAGE_SIZE + size > VM_MEM_LIMIT)
        goto out;
    err = charge(size / PAGE_SIZE);
    if (err)
        goto out;
    uint64_t done;
    err = map_range(vm, gpa, size, rights, &done);
    if (err) {
        uncharge((size - done) / PAGE_SIZE);   /* unmap_locked gives back the rest */
        unmap_locked(vm, gpa, done);           /* whole chunks only: never splits, never allocates */
    }
out:
    mutex_unlock(&vm->lock);
    return err;
}

/* Leaves freed per INVEPT: their backing is freed only after the flush. */
#define UNMAP_BATCH 32

struct unmapped_leaf {
    uint64_t hpa;
    size_t pages;
};

/* Gather up to UNMAP_BATCH mapped leaves from gpa on (stopping at end);
   returns where the batch ends. A 2 MiB leaf that the range only partly
   covers counts as its covered part (ept_split_at cut it beforehand). */
static uint64_t gather_batch(struct vm *vm, uint64_t gpa, uint64_t end, struct unmapped_leaf *b, size_t *n)
{
    *n = 0;
    while (gpa < end && *n < UNMAP_BATCH) {
        struct ept_walk w;
        uint64_t step = PAGE_SIZE;
        if (ept_walk(&vm->ept, gpa, &w) == 0) {
            if (w.leaf_level == 2 && !(gpa & (EPT_PAGE_2M - 1)) && end - gpa >= EPT_PAGE_2M)
                step = EPT_PAGE_2M;
            b[(*n)++] = (struct unmapped_leaf){w.hpa & ~0xFFFull, step / PAGE_SIZE};
        }
        gpa += step;
    }
    return gpa;
}

/* Unmap, flush, then free the pages of [gpa, gpa+size), one batch at a time.
   Never allocates: the range must not cut a 2 MiB leaf (ept_split_at). */
static void unmap_locked(struct vm *vm, uint64_t gpa, uint64_t size)
{
    struct unmapped_leaf batch[UNMAP_BATCH];
    for (uint64_t g = gpa, end = gpa + size; g < end;) {
        size_t n;
        uint64_t next = gather_batch(vm, g, end, batch, &n);
        int err = ept_unmap(&vm->ept, g, next - g);
        kassert(err == 0 && "unmap of split edges needs no table page");
        vm_flush_ept(vm);
        for (size_t i = 0; i < n; i++) {
            pmm_free_contig(batch[i].hpa, batch[i].pages);
            vm->mem_pages -= batch[i].pages;
            uncharge(batch[i].pages);
        }
        g = next;
    }
}

int vm_unmap(struct vm *vm, uint64_t gpa, uint64_t size)
{
    if (!range_ok(gpa, size))
        return -EINVAL;
    int err = vm_lock_checked(vm);
    if (err)
        goto out;
    err = -EBUSY;                    /* an alias would outlive its pages */
    if (vm_alias_touches(vm, gpa, size))
        goto out;
    /* Cut 2 MiB leaves at the edges first: that is the only step that
       allocates, so a failure leaves every page mapped. */
    err = ept_split_at(&vm->ept, gpa);
    if (err)
        goto out;
    err = ept_split_at(&vm->ept, gpa + size);
    if (err)
        goto out;
    unmap_locked(vm, gpa, size);
out:
    mutex_unlock(&vm->lock);
    return err;
}

int vm_protect(struct vm *vm, uint64_t gpa, uint64_t size, unsigned rights)
{
    if (!range_ok(gpa, size) || !rights_ok(rights, true))
        return -EINVAL;
    bool removed = false;
    int err = vm_lock_checked(vm);
    if (err)
        goto out;
    err = ept_protect(&vm->ept, gpa, size, rights, &removed);
    if (removed)
        vm_flush_ept(vm);
out:
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
    int err = vm_lock_checked(vm);
    if (!err)
        err = copy_guest(vm, gpa, (void *)src, len, true);
    mutex_unlock(&vm->lock);
    return err;
}

int vm_read(struct vm *vm, uint64_t gpa, void *dst, size_t len)
{
    int err = vm_lock_checked(vm);
    if (!err)
        err = copy_guest(vm, gpa, dst, len, false);
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
    uncharge(size / PAGE_SIZE);
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
