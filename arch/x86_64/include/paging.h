/*
 * 4-level paging (SDM Vol. 3A 4.5). All physical memory is reachable from the
 * kernel through the direct map at PHYS_MAP_BASE; the kernel image lives at
 * KERNEL_VMA. An address space is identified by the physical address of its
 * PML4; every address space shares the kernel half (PML4 entries 256..511).
 */
#pragma once

#include "types.h"

#define KERNEL_VMA 0xFFFFFFFF80000000ull
#define PHYS_MAP_BASE 0xFFFF800000000000ull
#define USER_SPACE_END 0x0000800000000000ull   /* first non-canonical address */

/* Page-table entry bits (SDM Vol. 3A Table 4-19). */
#define PTE_PRESENT (1ull << 0)
#define PTE_WRITE (1ull << 1)
#define PTE_USER (1ull << 2)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_HUGE (1ull << 7)
#define PTE_GLOBAL (1ull << 8)
#define PTE_COW (1ull << 9)     /* software: read-only until copied on write (bit 9 is ignored by the MMU) */
#define PTE_NX (1ull << 63)
#define PTE_ADDR_MASK 0x000FFFFFFFFFF000ull

static inline void *phys_to_virt(uint64_t phys) { return (void *)(phys + PHYS_MAP_BASE); }
/* Only valid for direct-map and kernel-image addresses. */
uint64_t virt_to_phys(const void *virt);

/* Build the kernel's own page tables and switch to them. */
void paging_init(void);
/* CPUID.(EAX=7,ECX=0):EBX[7]; paging_init turns SMEP on when it is there. */
bool cpu_has_smep(void);
/* CPUID.(EAX=7,ECX=0):EBX[20]; paging_init turns SMAP on when it is there:
   then only the copy routines (uaccess_copy.asm) may touch user memory. */
bool cpu_has_smap(void);
extern uint8_t smap_enabled;
/* The PML4 all kernel threads use. */
uint64_t paging_kernel_root(void);

/* Map one 4 KiB page; 0 or -ENOMEM. flags are PTE_* bits. Replaces an existing mapping. */
int paging_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags);
/* Remove one mapping; returns the physical address it had, or 0. Flushes the TLB entry. */
uint64_t paging_unmap(uint64_t root, uint64_t va);
/* Physical address and flags of va's mapping; false when not mapped. */
bool paging_lookup(uint64_t root, uint64_t va, uint64_t *pa, uint64_t *flags);

/* A new address space with the kernel half shared; 0 on failure. */
uint64_t paging_create_address_space(void);
/* Free the user half's page tables (not the mapped pages) and the PML4. */
void paging_destroy_address_space(uint64_t root);
void paging_switch(uint64_t root);
