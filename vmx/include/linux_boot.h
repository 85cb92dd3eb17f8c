/*
 * The Linux x86 boot protocol as pure logic (no kernel calls, unit-tested
 * on the host in tests/unit/test_linux_boot.c): check a bzImage's setup
 * header, plan where kernel, initrd, command line and boot_params go in
 * guest memory, build the e820 map and the boot_params page ("zero page").
 * Field offsets: the kernel's Documentation/arch/x86/boot.rst ("The real-mode
 * kernel header") and zero-page.rst. Used by vmx/linux_load.c, which reads
 * the files and writes guest memory.
 */
#pragma once

#include "types.h"

#define LINUX_PROTOCOL_MIN 0x020C       /* 2.12: 64-bit entry, xloadflags, pref_address, init_size */
#define LINUX_HEAD_SIZE 0x1000          /* the bytes of the file the parser looks at */
#define LINUX_ZERO_PAGE_SIZE 0x1000

/* Guest-physical places of the loader's own structures, all in the first
   MiB below the EBDA, as the kernel's boot protocol allows. */
#define LINUX_ZERO_PAGE_GPA 0x7000ull   /* struct boot_params; RSI at entry */
#define LINUX_GDT_GPA 0x8000ull         /* null, null, __BOOT_CS 0x10, __BOOT_DS 0x18 */
#define LINUX_PML4_GPA 0x9000ull        /* PML4, PDPT, 4 PDs: identity map of 4 GiB */
#define LINUX_TABLES_END 0xF000ull
#define LINUX_CMDLINE_GPA 0x20000ull
#define LINUX_CMDLINE_MAX 4096          /* with its NUL */
#define LINUX_LOW_RAM_END 0x9FC00ull    /* below: usable; above up to 1 MiB: legacy area */

struct linux_image {
    uint16_t version;          /* boot protocol, 0x020F = 2.15 */
    unsigned setup_sects;      /* 512-byte sectors of real-mode setup (0 means 4) */
    uint64_t kernel_offset;    /* file offset of the protected-mode kernel */
    uint64_t kernel_size;      /* its bytes (the rest of the file) */
    uint64_t pref_address;     /* where it wants to run */
    uint32_t init_size;        /* bytes it needs from its load address while decompressing */
    uint32_t initrd_addr_max;  /* highest address the initrd's last byte may have */
    uint32_t cmdline_size;     /* longest command line, without the NUL */
    bool relocatable;
    size_t header_end;         /* one past the setup header's last byte (file offset) */
    char reason[96];           /* why parsing failed */
};

/* Check the first head_len bytes of a file of file_size bytes as a bzImage
   for the 64-bit entry. 0, or -ENOEXEC with out->reason: truncated, no
   0xAA55 boot flag, no "HdrS", protocol older than 2.12, not loaded high,
   no 64-bit entry point (XLF_KERNEL_64), init_size 0. */
int linux_image_parse(const uint8_t *head, size_t head_len, uint64_t file_size, struct linux_image *out);

/* One range of the guest's physical memory (e820 types: 1 RAM, 2 reserved). */
#define E820_RAM 1u
#define E820_RESERVED 2u
struct e820_range {
    uint64_t addr, size;
    uint32_t type;
};

/* The e820 map for ranges (any order, not overlapping): sorted, RAM inside
   [LINUX_LOW_RAM_END, 1 MiB) reported reserved (EBDA and BIOS area of a
   PC), neighbours of one type merged. Returns the entries written, or
   -ENOSPC when more than max are needed. */
int linux_e820_build(const struct e820_range *in, int n, struct e820_range *out, int max);

/* Where everything goes. */
struct linux_plan {
    uint64_t kernel_gpa;       /* load address; 64-bit entry = kernel_gpa + 0x200 */
    uint64_t entry;
    uint64_t initrd_gpa, initrd_size;
    uint64_t cmdline_len;      /* without the NUL */
    char reason[128];          /* why planning failed */
};

/* Plan the guest layout for img in the RAM ranges ram[] (type E820_RAM only
   are used; any order): kernel at pref_address with init_size bytes of RAM,
   the loader's structures below 1 MiB, the initrd at the highest 4 KiB
   boundary that keeps its end within initrd_addr_max and within RAM, above
   the kernel. 0, or with out->reason: -ENXIO (no RAM for the kernel or the
   low structures: more memory needed), -E2BIG (command line too long),
   -ENOSPC (the initrd does not fit). */
int linux_plan_layout(const struct linux_image *img, const struct e820_range *ram, int nram,
                      uint64_t initrd_size, uint64_t cmdline_len, struct linux_plan *out);

/* Fill the boot_params page zp: zeroed, the setup header copied from head
   (the file's first bytes), then the loader's fields (type_of_loader 0xFF,
   code32_start, cmd_line_ptr, ramdisk_image/size, the e820 table).
   n <= 128 entries (E820_MAX_ENTRIES_ZEROPAGE). */
void linux_fill_boot_params(uint8_t *zp, const uint8_t *head, const struct linux_image *img,
                            const struct linux_plan *plan, const struct e820_range *e820, int n);

/* The boot GDT at LINUX_GDT_GPA (4 descriptors) and the identity page
   tables at LINUX_PML4_GPA (6 pages: PML4, PDPT, 4 PDs of 2 MiB pages) as
   the guest sees them; page i of the tables goes to LINUX_PML4_GPA + i * 4 KiB. */
#define LINUX_GDT_ENTRIES 4
void linux_boot_gdt(uint64_t gdt[LINUX_GDT_ENTRIES]);
#define LINUX_TABLE_PAGES 6
void linux_boot_table_page(int i, uint64_t page[512]);
