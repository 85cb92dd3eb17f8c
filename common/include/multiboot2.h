/*
 * Multiboot2 boot information (Multiboot2 specification 1.0, section 3.6).
 * GRUB hands the kernel a buffer of tags, each 8-byte aligned:
 *   u32 total_size, u32 reserved, then tags {u32 type, u32 size, payload}
 *   until a tag of type 0 (end).
 * mb2_parse() is pure: it only reads the buffer it is given, never trusts a
 * size field and never writes outside *out, so the host unit tests feed it
 * hand-built buffers. mb2_init() is the kernel glue: it parses GRUB's buffer
 * once at boot (interrupts off, single thread); afterwards the result is
 * read-only and may be read from any context without a lock.
 */
#pragma once

#include "types.h"

/* Tag types used by the kernel (Multiboot2 spec 3.6.x). */
#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1      /* 3.6.2: NUL-terminated command line */
#define MB2_TAG_MODULE 3       /* 3.6.6: u32 mod_start, u32 mod_end, string */
#define MB2_TAG_BASIC_MEMINFO 4 /* 3.6.4: u32 mem_lower, u32 mem_upper (KiB) */
#define MB2_TAG_MMAP 6         /* 3.6.8: u32 entry_size, u32 entry_version, entries */

/* Memory map entry types (spec 3.6.8). */
#define MB2_MEM_AVAILABLE 1
#define MB2_MEM_RESERVED 2
#define MB2_MEM_ACPI_RECLAIMABLE 3
#define MB2_MEM_NVS 4
#define MB2_MEM_BADRAM 5

#define MB2_MAX_MMAP 64
#define MB2_MAX_MODULES 16

struct mb2_mmap_entry {
    uint64_t base;
    uint64_t len;
    uint32_t type;              /* MB2_MEM_* */
};

struct mb2_module {
    uint64_t start;             /* physical, first byte */
    uint64_t end;               /* physical, one past the last byte */
    const char *string;         /* points into the info buffer, NUL-terminated */
};

struct mb2_info {
    uint64_t total_size;        /* bytes of the whole info buffer */
    const char *cmdline;        /* "" when the loader gave none */
    struct mb2_mmap_entry mmap[MB2_MAX_MMAP];
    size_t mmap_count;
    struct mb2_module modules[MB2_MAX_MODULES];
    size_t module_count;
    bool has_meminfo;
    uint32_t mem_lower_kib;     /* basic meminfo (tag 4), when has_meminfo */
    uint32_t mem_upper_kib;
    size_t dropped;             /* mmap entries or modules beyond the limits above */
};

/* Parse the tag buffer buf of len bytes into out; 0, or -EINVAL when the
   buffer is malformed (out then holds what was parsed before the error). */
int mb2_parse(const void *buf, size_t len, struct mb2_info *out);

/* True when the module's string starts with the word name (the word ends at
   a space or the end of the string). */
bool mb2_module_matches(const struct mb2_module *m, const char *name);
/* The first module in info matching name: true and its range [start, end). */
bool mb2_info_find_module(const struct mb2_info *info, const char *name, uint64_t *start,
                          uint64_t *end);

/* Kernel glue: parse the boot loader's buffer at physical address info_phys
   (reachable through the boot direct map); panics when it is malformed. */
void mb2_init(uint64_t info_phys);
/* The parsed boot information; valid after mb2_init(). */
const struct mb2_info *mb2_boot_info(void);
/* Physical range [start, end) of the info buffer itself. */
void mb2_info_range(uint64_t *start, uint64_t *end);
/* Find the boot module whose string's first word is name (e.g. "initrd");
   true and its physical range [start, end) when found. */
bool mb2_find_module(const char *name, uint64_t *start, uint64_t *end);
