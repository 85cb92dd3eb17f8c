/*
 * Guest images: what vm_load puts into guest memory, as pure logic (no
 * kernel calls), unit-tested on the host (tests/unit/test_guest_image.c).
 *  - ELF32 (EM_386) and ELF64 (EM_X86_64) executables: PT_LOAD segments at
 *    their physical addresses (p_paddr), entry from the header, start mode
 *    from the class (System V gABI; no relocation, no dynamic linking).
 * Used by vmx/vm_syscalls.c, which copies the bytes into guest memory.
 */
#pragma once

#include "types.h"

#define GUEST_ELF_MAX_SEGMENTS 16
#define GUEST_ELF_MAX_PHNUM 64

struct guest_segment {
    uint64_t paddr, memsz;     /* guest-physical range [paddr, paddr + memsz) */
    uint64_t offset, filesz;   /* file bytes copied to paddr; the rest is zero */
};

struct guest_elf {
    uint64_t entry;
    unsigned mode;             /* VM_MODE_PROT32 (ELF32) or VM_MODE_LONG64 (ELF64) */
    int nsegments;
    struct guest_segment seg[GUEST_ELF_MAX_SEGMENTS];
    const char *reason;        /* why parsing failed (static text) */
};

/* True when buf starts with the ELF magic. */
bool guest_is_elf(const void *buf, size_t len);

/*
 * Parse and check an ELF guest. head holds the first head_len bytes of the
 * file (the ELF header and the program headers must lie inside them), the
 * whole file has file_size bytes (segment contents must lie inside it).
 * Every segment must end at or below gpa_limit. Returns 0, or (out->reason
 * says which check failed):
 *   -ENOEXEC  not ELF, wrong class/endianness/version/type/machine, header or
 *             program headers outside head, segment bytes outside the file, filesz > memsz, no PT_LOAD,
 *             too many segments, segments overlapping, entry outside every
 *             segment
 *   -ERANGE   a segment beyond gpa_limit (or wrapping around)
 */
int guest_elf_parse(const void *head, size_t head_len, uint64_t file_size, uint64_t gpa_limit,
                    struct guest_elf *out);
