/*
 * Physical page allocator, kernel side: builds the pure bitmap core
 * (pmm_core.c) from the Multiboot2 memory map at boot, then serves pages
 * under an interrupt-safe spinlock, so it may be called with interrupts on
 * or off, from threads and from interrupt handlers.
 * Pages are zeroed through the direct map (phys_to_virt). Before
 * paging_init() only the boot direct map (first 1 GiB) exists; first-fit
 * from the lowest address keeps early allocations inside it.
 */
#include "pmm.h"
#include "cmdline.h"
#include "kprintf.h"
#include "kstring.h"
#include "multiboot2.h"
#include "page_ref.h"
#include "paging.h"
#include "panic.h"
#include "pmm_core.h"
#include "spinlock.h"

#define LOW_MEMORY_END 0x100000ull        /* BIOS data, VGA, ROMs: never handed out */
#define BOOT_DIRECT_MAP_END 0x40000000ull /* boot.asm maps the first 1 GiB */
#define MAX_BOOT_RESERVED (3 + MB2_MAX_MODULES)

/* Linker symbols (arch/x86_64/boot/linker.ld): physical bounds of the image. */
extern char kernel_phys_start[], kernel_phys_end[];

struct phys_range {
    uint64_t start, end;   /* [start, end) */
};

static struct pmm_core core;
static struct spinlock pmm_lock = SPINLOCK_INIT("pmm");
static uint64_t ram_top;

/* Everything besides low memory that must survive the allocator's setup. */
static size_t boot_reserved(struct phys_range *r)
{
    const struct mb2_info *info = mb2_boot_info();
    size_t n = 0;
    r[n++] = (struct phys_range){(uint64_t)kernel_phys_start, (uint64_t)kernel_phys_end};
    mb2_info_range(&r[n].start, &r[n].end);
    n++;
    for (size_t i = 0; i < info->module_count; i++)
        r[n++] = (struct phys_range){info->modules[i].start, info->modules[i].end};
    return n;
}

static uint64_t usable_top(const struct mb2_info *info)
{
    uint64_t top = 0;
    for (size_t i = 0; i < info->mmap_count; i++) {
        const struct mb2_mmap_entry *e = &info->mmap[i];
        if (e->type == MB2_MEM_AVAILABLE && e->base + e->len > top)
            top = e->base + e->len;
    }
    return ALIGN_DOWN(top, PAGE_SIZE);
}

/* Lowest page-aligned address of `size` bytes of usable RAM above 1 MiB,
   inside the boot direct map, that overlaps none of the n ranges in r. */
static uint64_t find_metadata_home(const struct mb2_info *info, const struct phys_range *r,
                                   size_t n, uint64_t size)
{
    for (size_t i = 0; i < info->mmap_count; i++) {
        const struct mb2_mmap_entry *e = &info->mmap[i];
        if (e->type != MB2_MEM_AVAILABLE)
            continue;
        uint64_t end = MIN(ALIGN_DOWN(e->base + e->len, PAGE_SIZE), BOOT_DIRECT_MAP_END);
        uint64_t at = ALIGN_UP(MAX(e->base, LOW_MEMORY_END), PAGE_SIZE);
        bool moved = true;
        while (moved && at + size <= end) {
            moved = false;
            for (size_t k = 0; k < n; k++) {
                if (at < r[k].end && r[k].start < at + size) {
                    at = ALIGN_UP(r[k].end, PAGE_SIZE);
                    moved = true;
                }
            }
        }
        if (at + size <= end)
            return at;
    }
    panic("pmm: no room below 1 GiB for %lu bytes of page bitmaps", size);
}

void pmm_init(void)
{
    const struct mb2_info *info = mb2_boot_info();
    struct phys_range reserved[MAX_BOOT_RESERVED];
    size_t nres = boot_reserved(reserved);

    ram_top = usable_top(info);
    uint64_t npages = ram_top / PAGE_SIZE;
    /* the bitmaps, then the user pages' reference counts (page_ref.c) */
    uint64_t bitmap_bytes = pmm_core_meta_bytes(npages);
    uint64_t meta_size = ALIGN_UP(bitmap_bytes + page_ref_bytes(npages), PAGE_SIZE);
    uint64_t meta = find_metadata_home(info, reserved, nres, meta_size);
    pmm_core_init(&core, phys_to_virt(meta), npages);
    page_ref_init((uint8_t *)phys_to_virt(meta) + bitmap_bytes, npages);

    for (size_t i = 0; i < info->mmap_count; i++)
        if (info->mmap[i].type == MB2_MEM_AVAILABLE)
            pmm_core_add_usable(&core, info->mmap[i].base, info->mmap[i].len);
    /* Firmware maps may overlap: a non-usable entry always wins. */
    for (size_t i = 0; i < info->mmap_count; i++)
        if (info->mmap[i].type != MB2_MEM_AVAILABLE)
            pmm_core_reserve(&core, info->mmap[i].base, info->mmap[i].len);
    pmm_core_reserve(&core, 0, LOW_MEMORY_END);
    for (size_t i = 0; i < nres; i++)
        pmm_core_reserve(&core, reserved[i].start, reserved[i].end - reserved[i].start);
    pmm_core_reserve(&core, meta, meta_size);
}

uint64_t pmm_alloc_contig(size_t n, uint64_t align)
{
    spin_lock(&pmm_lock);
    uint64_t p = pmm_core_alloc(&core, n, align);
    spin_unlock(&pmm_lock);
    if (p)
        memset(phys_to_virt(p), 0, n * PAGE_SIZE);
    return p;
}

uint64_t pmm_alloc_page(void) { return pmm_alloc_contig(1, PAGE_SIZE); }

void pmm_free_contig(uint64_t phys, size_t n)
{
    spin_lock(&pmm_lock);
    pmm_core_free(&core, phys, n);
    spin_unlock(&pmm_lock);
}

void pmm_free_page(uint64_t phys) { pmm_free_contig(phys, 1); }

uint64_t pmm_free_pages(void) { return core.free_pages; }
uint64_t pmm_used_pages(void) { return core.owned_pages - core.free_pages; }
uint64_t pmm_total_pages(void) { return core.usable_pages; }
uint64_t pmm_ram_top(void) { return ram_top; }

/* With debug_mm on the command line: the firmware's map, one line per entry. */
static void print_memory_map(void)
{
    const struct mb2_info *info = mb2_boot_info();
    for (size_t i = 0; i < info->mmap_count; i++) {
        const struct mb2_mmap_entry *e = &info->mmap[i];
        kprintf("mem: map 0x%016lx-0x%016lx type %u%s\n", e->base, e->base + e->len, e->type,
                e->type == MB2_MEM_AVAILABLE ? " (usable)" : "");
    }
}

/* "usable" is the RAM the firmware's memory map calls available (type 1),
   in whole pages, without page 0. It excludes the 640 KiB-1 MiB hole (EBDA,
   VGA, option ROMs, BIOS), ACPI tables and NVS, and what the firmware keeps
   for itself (SeaBIOS: the top 128 KiB of RAM), so QEMU -m 128 reports
   127 MiB (32638 pages) and -m 512 reports 511 MiB. "free" further excludes
   everything below 1 MiB, the kernel image, the boot information, the
   modules, the bitmaps and the pages used so far (mostly page tables).
   debug_mm on the command line also prints the firmware's map. */
void pmm_print_summary(void)
{
    if (cmdline_has("debug_mm"))
        print_memory_map();
    kprintf("mem: %lu MiB usable, %lu pages free, kernel 0x%lx-0x%lx\n",
            (uint64_t)(pmm_total_pages() * PAGE_SIZE / (1024 * 1024)), pmm_free_pages(),
            (uint64_t)kernel_phys_start, (uint64_t)kernel_phys_end);
}
