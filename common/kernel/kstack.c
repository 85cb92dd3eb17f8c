/*
 * Kernel stack allocator (kstack.h). The region KSTACK_REGION is cut into
 * slots of one guard page plus KSTACK_PAGES stack pages; free slots are
 * kept on a list threaded through a kmalloc'd array. The kernel half of
 * the page tables is shared by all address spaces (paging.c), so a stack
 * mapped here is visible everywhere. slot_lock guards the slot list.
 */
#include "kheap.h"
#include "kstack.h"
#include "paging.h"
#include "pmm.h"
#include "spinlock.h"
#include "thread_internal.h"
#include "x86.h"

#define KSTACK_REGION 0xFFFFFF0000000000ull   /* PML4 slot 510: below the kernel image */
#define KSTACK_SLOT_SIZE ((KSTACK_PAGES + 1) * PAGE_SIZE)
#define KSTACK_SLOTS 8192                     /* threads alive at once */
#define KSTACK_PREPARED 1024                  /* slots whose page tables exist from the start */
#define PT_SPAN (512 * PAGE_SIZE)             /* bytes one page table maps */

static struct spinlock slot_lock = SPINLOCK_INIT("kstack");
static int32_t next_free[KSTACK_SLOTS];       /* free list links, -1 ends */
static int32_t free_head = -1;
static int32_t never_used = 0;                /* slots >= this were never handed out */

static int slot_get(void)
{
    spin_lock(&slot_lock);
    int slot = -1;
    if (free_head >= 0) {
        slot = free_head;
        free_head = next_free[slot];
    } else if (never_used < KSTACK_SLOTS) {
        slot = never_used++;
    }
    spin_unlock(&slot_lock);
    return slot;
}

static void slot_put(int slot)
{
    spin_lock(&slot_lock);
    next_free[slot] = free_head;
    free_head = slot;
    spin_unlock(&slot_lock);
}

/* The current root works for kernel addresses: the kernel half is shared,
   and using the live root makes paging.c flush the TLB entry. */
static uint64_t live_root(void) { return read_cr3() & PTE_ADDR_MASK; }

static void unmap_pages(uint64_t base, int n)
{
    for (int i = 0; i < n; i++) {
        uint64_t pa = paging_unmap(live_root(), base + (uint64_t)i * PAGE_SIZE);
        if (pa)
            pmm_free_page(pa);
    }
}

/* Create the page tables for the first KSTACK_PREPARED slots once, so that
   free-page counts do not move when a burst of threads needs new slots
   (tables are never freed in the kernel half). */
static void prepare_tables(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    uint64_t pa = pmm_alloc_page();
    if (!pa)
        return;
    for (uint64_t va = KSTACK_REGION; va < KSTACK_REGION + KSTACK_PREPARED * KSTACK_SLOT_SIZE; va += PT_SPAN) {
        if (paging_map(live_root(), va, pa, PTE_WRITE | PTE_NX) == 0)
            paging_unmap(live_root(), va);
    }
    pmm_free_page(pa);
}

uint64_t kstack_alloc(void)
{
    prepare_tables();
    int slot = slot_get();
    if (slot < 0)
        return 0;
    uint64_t base = KSTACK_REGION + (uint64_t)slot * KSTACK_SLOT_SIZE + PAGE_SIZE;  /* above the guard */
    for (int i = 0; i < KSTACK_PAGES; i++) {
        uint64_t pa = pmm_alloc_page();
        if (!pa || paging_map(live_root(), base + (uint64_t)i * PAGE_SIZE, pa, PTE_WRITE | PTE_NX) < 0) {
            if (pa)
                pmm_free_page(pa);
            unmap_pages(base, i);
            slot_put(slot);
            return 0;
        }
    }
    return base;
}

void kstack_free(uint64_t base)
{
    unmap_pages(base, KSTACK_PAGES);
    slot_put((int)((base - PAGE_SIZE - KSTACK_REGION) / KSTACK_SLOT_SIZE));
}
