/*
 * 4-level paging (SDM Vol. 3A 4.5): the kernel's own page tables and the
 * map/unmap/lookup API for address spaces (see paging.h).
 *
 * Kernel half (PML4 entries 256..511), shared by every address space: all
 * 256 PDPTs are allocated in paging_init(), so a kernel mapping made later
 * through any root is seen by all of them.
 *   PHYS_MAP_BASE  direct map of [0, max(4 GiB, top of RAM)): 1 GiB pages
 *                  when the CPU has them, else 2 MiB; RW, NX, global. It also
 *                  covers the legacy and PCI holes so drivers reach MMIO
 *                  (VGA 0xB8000, APIC) through phys_to_virt().
 *   KERNEL_VMA     the image with 4 KiB pages: text RX, rodata R+NX,
 *                  data/bss RW+NX, global.
 * There is no identity map once paging_init() has switched CR3.
 *
 * Context: any; table updates run under an interrupt-safe spinlock. Table
 * pages come from the pmm and are reached through the direct map.
 */
#include "paging.h"
#include "errno.h"
#include "kprintf.h"
#include "kstring.h"
#include "panic.h"
#include "pmm.h"
#include "spinlock.h"
#include "x86.h"

#define CPUID_7_EBX_SMEP (1u << 7)
#define CPUID_7_EBX_SMAP (1u << 20)
#define CPUID_1_EDX_PGE (1u << 13)
#define CPUID_80000001_EDX_NX (1u << 20)
#define CPUID_80000001_EDX_PAGE1GB (1u << 26)

#define GIB ((uint64_t)1 << 30)
#define MIB2 ((uint64_t)1 << 21)
#define ENTRIES 512
#define KERNEL_HALF_FIRST 256
#define BOOT_DIRECT_MAP_SIZE GIB          /* what boot.asm maps */
#define TABLE_FLAGS (PTE_PRESENT | PTE_WRITE)
#define MAX_DIRECT_MAP (64ull << 40)     /* 128 PML4 entries: stays far below KERNEL_VMA */

/* Linker symbols (arch/x86_64/boot/linker.ld), virtual addresses. */
extern char kernel_text_start[], kernel_rodata_start[], kernel_data_start[], kernel_virt_end[];
extern char boot_stack_guard[];   /* arch/x86_64/boot/boot.asm */

static uint64_t kernel_root;
static uint64_t direct_map_size = BOOT_DIRECT_MAP_SIZE;
static struct spinlock paging_lock = SPINLOCK_INIT("paging");

static unsigned table_index(uint64_t va, int level) { return (va >> (12 + 9 * (level - 1))) & 511; }
static uint64_t *table_at(uint64_t entry) { return phys_to_virt(entry & PTE_ADDR_MASK); }
static bool is_user(uint64_t va) { return va < USER_SPACE_END; }

static bool is_canonical(uint64_t va)
{
    uint64_t top = va >> 47;
    return top == 0 || top == 0x1FFFF;
}

/* Physical address of a fresh zeroed table page; 0 when out of memory. */
static uint64_t new_table(void) { return pmm_alloc_page(); }

/* The entry that maps va in root: the level-1 PTE, or a huge entry at the
   level where the walk stopped (*level = 2 or 3). Missing tables are made
   when create is set; NULL when absent (or out of memory). Lock held. */
static uint64_t *walk(uint64_t root, uint64_t va, bool create, int *level)
{
    uint64_t *table = phys_to_virt(root);
    for (int l = 4; l > 1; l--) {
        uint64_t *e = &table[table_index(va, l)];
        if (!(*e & PTE_PRESENT)) {
            uint64_t t = create ? new_table() : 0;
            if (!t)
                return NULL;
            *e = t | TABLE_FLAGS | (is_user(va) ? PTE_USER : 0);
        } else if (*e & PTE_HUGE) {
            *level = l;
            return e;
        }
        table = table_at(*e);
    }
    *level = 1;
    return &table[table_index(va, 1)];
}

/* Drop a stale TLB entry when the change can be visible on this CPU. */
static void flush_if_live(uint64_t root, uint64_t va)
{
    if (!is_user(va) || (read_cr3() & PTE_ADDR_MASK) == root)
        invlpg(va);
}

/* paging_map without the lock. */
static int map_locked(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags)
{
    int level;
    uint64_t *e = walk(root, va, true, &level);
    if (!e)
        return -ENOMEM;
    if (level != 1)
        return -EINVAL;   /* inside a huge mapping (the direct map) */
    if (is_user(va))
        flags &= ~PTE_GLOBAL;   /* user mappings must go away on a CR3 switch */
    bool was_present = *e & PTE_PRESENT;
    *e = (pa & PTE_ADDR_MASK) | (flags & ~(PTE_HUGE | PTE_ADDR_MASK)) | PTE_PRESENT;
    if (was_present)
        flush_if_live(root, va);
    return 0;
}

int paging_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags)
{
    if (va % PAGE_SIZE || pa % PAGE_SIZE || !is_canonical(va))
        return -EINVAL;
    spin_lock(&paging_lock);
    int err = map_locked(root, va, pa, flags);
    spin_unlock(&paging_lock);
    return err;
}

uint64_t paging_unmap(uint64_t root, uint64_t va)
{
    uint64_t pa = 0;
    int level;
    va = ALIGN_DOWN(va, PAGE_SIZE);
    if (!is_canonical(va))
        return 0;
    spin_lock(&paging_lock);
    uint64_t *e = walk(root, va, false, &level);
    if (e && level == 1 && (*e & PTE_PRESENT)) {
        pa = *e & PTE_ADDR_MASK;
        *e = 0;
        flush_if_live(root, va);
    }
    spin_unlock(&paging_lock);
    return pa;
}

bool paging_lookup(uint64_t root, uint64_t va, uint64_t *pa, uint64_t *flags)
{
    int level;
    if (!is_canonical(va))
        return false;
    spin_lock(&paging_lock);
    uint64_t *e = walk(root, va, false, &level);
    uint64_t entry = e ? *e : 0;
    spin_unlock(&paging_lock);
    if (!(entry & PTE_PRESENT))
        return false;
    uint64_t page_size = 1ull << (12 + 9 * (level - 1));
    if (pa)   /* for huge pages bit 12 is PAT (SDM Table 4-17), not address */
        *pa = (entry & PTE_ADDR_MASK & ~(page_size - 1)) + (va & (page_size - 1));
    if (flags)
        *flags = entry & ~PTE_ADDR_MASK;
    return true;
}

uint64_t virt_to_phys(const void *virt)
{
    uint64_t va = (uint64_t)virt, pa;
    if (va >= KERNEL_VMA)
        return va - KERNEL_VMA;
    if (va >= PHYS_MAP_BASE && va - PHYS_MAP_BASE < direct_map_size)
        return va - PHYS_MAP_BASE;
    if (kernel_root && paging_lookup(kernel_root, va, &pa, NULL))
        return pa;
    panic("virt_to_phys: %p is neither in the direct map nor in the kernel image", virt);
}

uint64_t paging_kernel_root(void) { return kernel_root; }

uint64_t paging_create_address_space(void)
{
    uint64_t root = new_table();
    if (!root)
        return 0;
    uint64_t *dst = phys_to_virt(root);
    const uint64_t *src = phys_to_virt(kernel_root);
    for (int i = KERNEL_HALF_FIRST; i < ENTRIES; i++)
        dst[i] = src[i];
    return root;
}

/* Free a user-half table at level (3 = PDPT) and every table below it. */
static void free_table_tree(uint64_t table_phys, int level)
{
    uint64_t *t = phys_to_virt(table_phys);
    for (int i = 0; level > 1 && i < ENTRIES; i++)
        if ((t[i] & PTE_PRESENT) && !(t[i] & PTE_HUGE))
            free_table_tree(t[i] & PTE_ADDR_MASK, level - 1);
    pmm_free_page(table_phys);
}

void paging_destroy_address_space(uint64_t root)
{
    if (root == kernel_root)
        panic("paging: attempt to destroy the kernel address space");
    if ((read_cr3() & PTE_ADDR_MASK) == root)
        paging_switch(kernel_root);
    spin_lock(&paging_lock);
    uint64_t *pml4 = phys_to_virt(root);
    for (int i = 0; i < KERNEL_HALF_FIRST; i++)
        if (pml4[i] & PTE_PRESENT)
            free_table_tree(pml4[i] & PTE_ADDR_MASK, 3);
    spin_unlock(&paging_lock);
    pmm_free_page(root);
}

void paging_switch(uint64_t root)
{
    if ((read_cr3() & PTE_ADDR_MASK) != root)
        write_cr3(root);
}

/* ---- building the kernel's tables ---- */

static uint32_t cpuid_edx(uint32_t leaf)
{
    uint32_t a, b, c, d;
    cpuid(leaf, 0, &a, &b, &c, &d);
    return d;
}

static uint64_t must_table(void)
{
    uint64_t t = new_table();
    if (!t)
        panic("paging: out of memory while building the kernel page tables");
    return t;
}

/* Map [0, size) at PHYS_MAP_BASE with 1 GiB pages, or 2 MiB pages. */
static void build_direct_map(uint64_t root, uint64_t size, uint64_t global, bool gib_pages)
{
    uint64_t leaf = PTE_PRESENT | PTE_WRITE | PTE_NX | PTE_HUGE | global;
    uint64_t *pml4 = phys_to_virt(root);
    for (uint64_t pa = 0; pa < size; pa += GIB) {
        uint64_t va = PHYS_MAP_BASE + pa;
        uint64_t *pdpt = table_at(pml4[table_index(va, 4)]);
        uint64_t *e = &pdpt[table_index(va, 3)];
        if (gib_pages) {
            *e = pa | leaf;
            continue;
        }
        uint64_t pd_phys = must_table();
        uint64_t *pd = phys_to_virt(pd_phys);
        for (int i = 0; i < ENTRIES; i++)
            pd[i] = (pa + (uint64_t)i * MIB2) | leaf;
        *e = pd_phys | TABLE_FLAGS;
    }
}

/* Map the kernel image pages [start, end) (virtual) with the given rights. */
static void map_image_range(uint64_t root, const char *start, const char *end, uint64_t flags)
{
    for (uint64_t va = (uint64_t)start; va < (uint64_t)end; va += PAGE_SIZE)
        if (map_locked(root, va, va - KERNEL_VMA, flags))
            panic("paging: cannot map the kernel image at 0x%lx", va);
}

/* CPUID.(EAX=7,ECX=0):EBX, 0 where leaf 7 does not exist. */
static uint32_t cpuid_7_ebx(void)
{
    uint32_t a, b, c, d;
    cpuid(0, 0, &a, &b, &c, &d);
    if (a < 7)
        return 0;
    cpuid(7, 0, &a, &b, &c, &d);
    return b;
}

bool cpu_has_smep(void) { return (cpuid_7_ebx() & CPUID_7_EBX_SMEP) != 0; }
bool cpu_has_smap(void) { return (cpuid_7_ebx() & CPUID_7_EBX_SMAP) != 0; }

/* Read by the user-copy routines and the interrupt entry (NASM): whether
   stac/clac exist and must be used (they #UD without SMAP). */
uint8_t smap_enabled;

void paging_init(void)
{
    uint32_t ext = cpuid_edx(0x80000001);
    uint64_t global = (cpuid_edx(1) & CPUID_1_EDX_PGE) ? PTE_GLOBAL : 0;
    bool gib_pages = (ext & CPUID_80000001_EDX_PAGE1GB) != 0;
    if (!(ext & CPUID_80000001_EDX_NX))
        panic("paging: the CPU has no NX bit (CPUID 80000001h EDX[20])");

    uint64_t root = must_table();
    uint64_t *pml4 = phys_to_virt(root);
    for (int i = KERNEL_HALF_FIRST; i < ENTRIES; i++)
        pml4[i] = must_table() | TABLE_FLAGS;

    uint64_t size = MAX(4 * GIB, ALIGN_UP(pmm_ram_top(), GIB));
    if (size > MAX_DIRECT_MAP)
        panic("paging: %lu GiB of RAM do not fit the direct map", size / GIB);
    build_direct_map(root, size, global, gib_pages);
    map_image_range(root, kernel_text_start, kernel_rodata_start, global);
    map_image_range(root, kernel_rodata_start, kernel_data_start, global | PTE_NX);
    map_image_range(root, kernel_data_start, kernel_virt_end, global | PTE_WRITE | PTE_NX);
    paging_unmap(root, (uint64_t)boot_stack_guard);   /* see boot.asm */

    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
    write_cr0(read_cr0() | CR0_WP);
    write_cr3(root);
    if (global)
        write_cr4(read_cr4() | CR4_PGE);
    if (cpu_has_smep())
        write_cr4(read_cr4() | CR4_SMEP);   /* a kernel jump into user memory faults */
    if (cpu_has_smap()) {                   /* ... and so does any other kernel access to it, */
        write_cr4(read_cr4() | CR4_SMAP);   /* except in uaccess_copy.asm (stac ... clac) */
        smap_enabled = 1;
    }
    kernel_root = root;
    direct_map_size = size;
}
