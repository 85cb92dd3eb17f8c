/*
 * Physical page allocator. Pages are 4 KiB, identified by physical address.
 * Built from the Multiboot2 memory map; the kernel image, boot modules, the
 * boot information and everything below 1 MiB are never handed out.
 * Safe to call with interrupts on or off (takes an interrupt-safe lock).
 */
#pragma once

#include "types.h"

#define PAGE_SIZE 4096ull
#define PAGE_SHIFT 12

/* Returns the physical address of a zeroed page, or 0 when memory is exhausted. */
uint64_t pmm_alloc_page(void);
/* Returns a page; panics on double free or on a page the pmm never owned. */
void pmm_free_page(uint64_t phys);
/* n physically contiguous, zeroed pages aligned to align bytes (power of two); 0 on failure. */
uint64_t pmm_alloc_contig(size_t n, uint64_t align);
void pmm_free_contig(uint64_t phys, size_t n);

uint64_t pmm_free_pages(void);
uint64_t pmm_used_pages(void);
uint64_t pmm_total_pages(void);   /* usable RAM pages reported by the firmware */

/* Build the allocator from the Multiboot2 memory map (after mb2_init()),
   reserving low memory, the kernel image, the boot information, the boot
   modules and the allocator's own bitmaps. Boot only, interrupts off. */
void pmm_init(void);
/* One past the highest physical address of usable RAM. */
uint64_t pmm_ram_top(void);
/* Print the boot line "mem: N MiB usable, N pages free, kernel A-B". */
void pmm_print_summary(void);
