/*
 * `selftest=vmmem`: guest memory under host memory pressure. The host's
 * free pages are taken away (held in a list through the pages themselves)
 * to exact counts, then vm_map, the global guest-memory cap and vm_destroy
 * are checked against page counts fixed before the call:
 *   - a vm_map that runs out of pages mid-way maps nothing and gives back
 *     every backing page (only EPT table pages it built may stay, and the
 *     VM's table count says how many);
 *   - vm_destroy of a VM with memory succeeds with no free page at all and
 *     gives back everything the VM held;
 *   - the guests' total stays under vm_guest_pages_cap(): the map past it
 *     fails before allocating anything, the host keeps its reserve.
 * One line per case ("vmmem selftest NAME: ok" / "FAILED (why)"), then
 * power-off with the result. Needs VT-x (vm_create); without it, says so
 * and passes, like selftest=vmx.
 *
 * Context: a thread of its own (the scheduler is started for it).
 */
#include "errno.h"
#include "kprintf.h"
#include "kstring.h"
#include "paging.h"
#include "pmm.h"
#include "power.h"
#include "sched.h"
#include "selftest.h"
#include "vm.h"
#include "vmx.h"

#define MB (1ull << 20)

/* Pages taken from the allocator, linked through their first word. */
static uint64_t hog_head;

/* Allocate pages until exactly keep are free (or none are left). */
static void hog_until(uint64_t keep)
{
    while (pmm_free_pages() > keep) {
        uint64_t p = pmm_alloc_page();
        if (!p)
            break;
        *(uint64_t *)phys_to_virt(p) = hog_head;
        hog_head = p;
    }
}

static void hog_release(void)
{
    while (hog_head) {
        uint64_t next = *(uint64_t *)phys_to_virt(hog_head);
        pmm_free_page(hog_head);
        hog_head = next;
    }
}

static struct vm_info info_of(struct vm *vm)
{
    struct vm_info i;
    vm_get_info(vm, &i);
    return i;
}

/* Is any page of [gpa, gpa+size) readable through the VM? */
static bool any_page_mapped(struct vm *vm, uint64_t gpa, uint64_t size)
{
    uint8_t byte;
    for (uint64_t g = gpa; g < gpa + size; g += PAGE_SIZE)
        if (vm_read(vm, g, &byte, 1) == 0)
            return true;
    return false;
}

/* A 1 MiB map with 100 pages free: it fails mid-way and leaves nothing
   behind but the EPT tables it built. Then again with no page free. */
static int t_map_rollback(struct vm *vm)
{
    uint64_t charged = vm_guest_pages_charged();
    uint64_t tables = info_of(vm).table_pages;
    hog_until(100);
    uint64_t free_before = pmm_free_pages();
    SELFTEST_CHECK(free_before == 100, "could not bring the free pages to 100 (%lu)", free_before);
    int err = vm_map(vm, 0x100000, 1 * MB, VM_RWX);
    SELFTEST_CHECK(err == -ENOMEM, "vm_map of 256 pages with 100 free: %d, expected -ENOMEM", err);
    struct vm_info i = info_of(vm);
    uint64_t new_tables = i.table_pages - tables;
    SELFTEST_CHECK(i.mem_pages == 0, "%lu backing pages still mapped", i.mem_pages);
    SELFTEST_CHECK(pmm_free_pages() + new_tables == free_before, "%lu free after, %lu before, %lu new table pages",
                   pmm_free_pages(), free_before, new_tables);
    SELFTEST_CHECK(!any_page_mapped(vm, 0x100000, 1 * MB), "a page of the failed range is still mapped");
    SELFTEST_CHECK(vm_guest_pages_charged() == charged, "%lu guest pages charged, %lu before", vm_guest_pages_charged(),
                   charged);
    hog_until(0);
    SELFTEST_CHECK(pmm_free_pages() == 0, "%lu pages still free", pmm_free_pages());
    err = vm_map(vm, 0x400000, 64 * 1024, VM_RWX);
    SELFTEST_CHECK(err == -ENOMEM, "vm_map with no free page: %d", err);
    SELFTEST_CHECK(info_of(vm).mem_pages == 0, "%lu backing pages mapped", info_of(vm).mem_pages);
    hog_release();
    return 0;
}

/* vm_destroy needs no memory: with nothing free it still frees all. */
static int t_destroy_without_memory(struct vm **vmp)
{
    struct vm *vm = *vmp;
    int err = vm_map(vm, 0, 2 * MB, VM_RWX);
    SELFTEST_CHECK(err == 0, "vm_map 2 MiB: %d", err);
    struct vm_vcpu_params p = {.mode = VMX_MODE_REAL, .entry = 0x1000};
    err = vm_vcpu_create(vm, &p);                   /* its VMCS page goes too */
    SELFTEST_CHECK(err == 0, "vm_vcpu_create: %d", err);
    uint64_t mem = info_of(vm).mem_pages, tables = info_of(vm).table_pages;
    SELFTEST_CHECK(mem == 512, "%lu backing pages for 2 MiB", mem);
    hog_until(0);
    SELFTEST_CHECK(pmm_free_pages() == 0, "%lu pages still free", pmm_free_pages());
    err = vm_destroy(vm);
    *vmp = NULL;
    uint64_t freed = pmm_free_pages();
    hog_release();
    SELFTEST_CHECK(err == 0, "vm_destroy with no free page: %d", err);
    SELFTEST_CHECK(freed >= mem + tables + 1, "%lu pages came back, the VM held %lu + %lu tables + a VMCS", freed, mem,
                   tables);
    return 0;
}

/* Two VMs may not take the host's reserve: the map past the cap fails
   before allocating, the one that fits exactly succeeds. */
static int t_global_cap(struct vm *a, struct vm *b)
{
    uint64_t cap = vm_guest_pages_cap(), total = pmm_total_pages();
    SELFTEST_CHECK(cap + total / 8 <= total && total - cap >= 4096, "cap %lu of %lu pages leaves too little", cap, total);
    uint64_t first = MIN(cap / 2, VM_MEM_LIMIT / PAGE_SIZE) & ~511ull;
    int err = vm_map(a, 0, first * PAGE_SIZE, VM_RWX);
    SELFTEST_CHECK(err == 0, "vm_map of %lu pages in the first VM: %d", first, err);
    uint64_t left = cap - vm_guest_pages_charged();
    uint64_t free_before = pmm_free_pages();
    if (left < VM_MEM_LIMIT / PAGE_SIZE) {
        err = vm_map(b, 0, (left + 1) * PAGE_SIZE, VM_RWX);
        SELFTEST_CHECK(err == -ENOMEM, "vm_map one page past the cap: %d", err);
        SELFTEST_CHECK(pmm_free_pages() == free_before, "the refused map took %lu pages", free_before - pmm_free_pages());
        SELFTEST_CHECK(info_of(b).mem_pages == 0, "the refused map left %lu pages", info_of(b).mem_pages);
    }
    uint64_t fits = MIN(left, VM_MEM_LIMIT / PAGE_SIZE);
    err = vm_map(b, 0, fits * PAGE_SIZE, VM_RWX);
    SELFTEST_CHECK(err == 0, "vm_map of the %lu pages left under the cap: %d", fits, err);
    SELFTEST_CHECK(pmm_free_pages() >= 2048, "only %lu pages (< 8 MiB) left to the host", pmm_free_pages());
    return 0;
}

static int report(const char *name, int rc, int *failed)
{
    if (rc == 0) {
        kprintf("vmmem selftest %s: ok\n", name);
    } else {
        kprintf("vmmem selftest %s: FAILED (%s)\n", name, selftest_failure());
        (*failed)++;
    }
    hog_release();
    return rc;
}

static void vmmem_thread(void *arg)
{
    UNUSED(arg);
    int failed = 0;
    struct vm *a = NULL, *b = NULL;
    int err = vm_create(&a);   /* VMX on and the shared bitmaps: permanent pages */
    if (!err)
        vm_destroy(a);
    uint64_t free_at_start = pmm_free_pages();
    if (!err)
        err = vm_create(&a);
    if (!err)
        report("map_rollback", t_map_rollback(a), &failed);
    if (!err)
        report("destroy_without_memory", t_destroy_without_memory(&a), &failed);
    if (!err && !(err = vm_create(&a)) && !(err = vm_create(&b)))
        report("global_cap", t_global_cap(a, b), &failed);
    if (a)
        vm_destroy(a);
    if (b)
        vm_destroy(b);
    if (err) {
        kprintf("vmmem selftest vm_create: FAILED (%d)\n", err);
        failed++;
    }
    uint64_t free_at_end = pmm_free_pages();
    if (free_at_end == free_at_start) {
        kprintf("vmmem selftest pages_returned: ok\n");
    } else {
        kprintf("vmmem selftest pages_returned: FAILED (%lu free before, %lu after)\n", free_at_start, free_at_end);
        failed++;
    }
    kprintf("vmmem selftest: %d failed\n", failed);
    power_off(failed ? POWER_EXIT_FAIL : POWER_EXIT_OK);
}

static int vmmem_selftest(void)
{
    if (!vmx_available()) {
        kprintf("vmmem selftest: VT-x not available (%s); nothing to test\n", vmx.why);
        return 0;
    }
    sched_start(vmmem_thread, NULL);
    return 0;
}

SELFTEST("vmmem", vmmem_selftest);
