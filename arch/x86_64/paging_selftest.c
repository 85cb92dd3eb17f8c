/*
 * selftest=paging: checks the kernel's own page tables and the paging API
 * in the running kernel: section rights of the image, the direct map, no
 * identity map, CR0.WP, a user mapping in a fresh address space, a kernel
 * mapping made after the address space was created being visible in it
 * (shared PDPTs), SMAP where the CPU has it (a kernel read of the user
 * page faults, the copy routine reads it), and that destroying the address
 * space returns every page. Prints "paging selftest: ok" (with whether SMAP
 * was checked) or the first failed check. Boot thread only.
 */
#include "errno.h"
#include "kprintf.h"
#include "paging.h"
#include "pmm.h"
#include "safe_read.h"
#include "selftest.h"
#include "uaccess.h"
#include "x86.h"

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond)) {                                                      \
            kprintf("paging selftest: FAIL %s (line %d)\n", #cond, __LINE__); \
            return 1;                                                       \
        }                                                                   \
    } while (0)

#define USER_VA 0x400000ull
#define KERNEL_TEST_VA 0xFFFFC00000000000ull   /* unused kernel-half slot */

extern char kernel_text_start[], kernel_rodata_start[], kernel_data_start[];
extern char boot_stack_guard[], boot_stack_bottom[];

static int check_kernel_tables(void)
{
    uint64_t root = paging_kernel_root(), pa, fl;
    CHECK((read_cr3() & PTE_ADDR_MASK) == root);
    CHECK(read_cr0() & (1ull << 16));   /* CR0.WP */
    CHECK(!cpu_has_smep() || (read_cr4() & (1ull << 20)));   /* CR4.SMEP where offered */
    CHECK(cpu_has_smap() == ((read_cr4() & (1ull << 21)) != 0));   /* CR4.SMAP exactly where offered */
    CHECK(paging_lookup(root, (uint64_t)kernel_text_start, &pa, &fl));
    CHECK(pa == (uint64_t)kernel_text_start - KERNEL_VMA);
    CHECK(!(fl & PTE_WRITE) && !(fl & PTE_NX));
    CHECK(paging_lookup(root, (uint64_t)kernel_rodata_start, &pa, &fl));
    CHECK(!(fl & PTE_WRITE) && (fl & PTE_NX));
    CHECK(paging_lookup(root, (uint64_t)kernel_data_start, &pa, &fl));
    CHECK((fl & PTE_WRITE) && (fl & PTE_NX));
    CHECK(!paging_lookup(root, 0x100000, &pa, &fl));   /* no identity map */
    CHECK(!paging_lookup(root, (uint64_t)boot_stack_guard, &pa, &fl));   /* boot stack guard */
    CHECK(paging_lookup(root, (uint64_t)boot_stack_bottom, &pa, &fl) && (fl & PTE_WRITE));
    uint64_t last = pmm_ram_top() - PAGE_SIZE;
    CHECK(paging_lookup(root, PHYS_MAP_BASE + last + 123, &pa, &fl));
    CHECK(pa == last + 123 && (fl & PTE_NX) && (fl & PTE_WRITE));
    CHECK(virt_to_phys(phys_to_virt(last)) == last);
    return 0;
}

static int check_address_space(void)
{
    uint64_t free_before = pmm_free_pages(), pa, fl;
    uint64_t as = paging_create_address_space();
    uint64_t page = pmm_alloc_page(), kpage = pmm_alloc_page();
    CHECK(as && page && kpage);
    CHECK(paging_map(as, USER_VA, page, PTE_USER | PTE_WRITE | PTE_NX) == 0);
    CHECK(paging_lookup(as, USER_VA + 8, &pa, &fl) && pa == page + 8 && (fl & PTE_USER));
    CHECK(!paging_lookup(paging_kernel_root(), USER_VA, &pa, &fl));
    CHECK(paging_map(paging_kernel_root(), KERNEL_TEST_VA, kpage, PTE_WRITE | PTE_NX) == 0);
    CHECK(paging_lookup(as, KERNEL_TEST_VA, &pa, &fl) && pa == kpage);   /* shared half */
    CHECK(paging_map(as, PHYS_MAP_BASE, page, PTE_WRITE) == -EINVAL);    /* inside a huge page */

    *(volatile uint64_t *)phys_to_virt(page) = 0x1234567890ABCDEFull;
    *(volatile uint64_t *)phys_to_virt(kpage) = 42;
    paging_switch(as);
    uint64_t seen_user = 0, seen_direct = 0;
    int copy_err = copy_from_user(&seen_user, USER_VA, sizeof(seen_user));
    int direct_err = safe_read_u64(USER_VA, &seen_direct);   /* a plain kernel load */
    uint64_t seen_kernel = *(volatile uint64_t *)KERNEL_TEST_VA;
    paging_switch(paging_kernel_root());
    CHECK(copy_err == 0 && seen_user == 0x1234567890ABCDEFull && seen_kernel == 42);
    /* SMAP (SDM Vol. 3A 4.6.1): outside the copy routines the load faults */
    CHECK(smap_enabled ? direct_err == -EFAULT : direct_err == 0 && seen_direct == 0x1234567890ABCDEFull);

    CHECK(paging_unmap(as, USER_VA) == page);
    CHECK(!paging_lookup(as, USER_VA, &pa, &fl));
    CHECK(paging_unmap(paging_kernel_root(), KERNEL_TEST_VA) == kpage);
    paging_destroy_address_space(as);
    pmm_free_page(page);
    pmm_free_page(kpage);
    /* the PT/PD created for KERNEL_TEST_VA stay (kernel tables are never freed) */
    CHECK(pmm_free_pages() == free_before - 2);
    return 0;
}

static int paging_selftest(void)
{
    if (check_kernel_tables() || check_address_space())
        return 1;
    kprintf("paging selftest: ok (%s)\n", smap_enabled ? "SMAP on: a kernel read of user memory faults outside the copy routines"
                                                        : "this CPU has no SMAP");
    return 0;
}

SELFTEST("paging", paging_selftest);
