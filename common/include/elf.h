/*
 * ELF64 executables (System V gABI, x86-64 psABI): the header structures
 * and the pure validation step of the loader. elf_validate only reads the
 * buffer it is given and has no kernel dependencies, so it is unit tested
 * on the host (tests/unit/test_elf.c).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EI_NIDENT 16
#define ELFMAG "\177ELF"
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define ET_EXEC 2
#define EM_X86_64 62
#define PT_LOAD 1
#define PF_X 1
#define PF_W 2
#define PF_R 4

typedef struct {
    unsigned char e_ident[EI_NIDENT];   /* magic, class [4], data [5], version [6] */
    uint16_t e_type;
    uint16_t e_machine;
    uint32_t e_version;
    uint64_t e_entry;
    uint64_t e_phoff;
    uint64_t e_shoff;
    uint32_t e_flags;
    uint16_t e_ehsize;
    uint16_t e_phentsize;
    uint16_t e_phnum;
    uint16_t e_shentsize;
    uint16_t e_shnum;
    uint16_t e_shstrndx;
} Elf64_Ehdr;

typedef struct {
    uint32_t p_type;
    uint32_t p_flags;
    uint64_t p_offset;
    uint64_t p_vaddr;
    uint64_t p_paddr;
    uint64_t p_filesz;
    uint64_t p_memsz;
    uint64_t p_align;
} Elf64_Phdr;

_Static_assert(sizeof(Elf64_Ehdr) == 64, "ELF64 header is 64 bytes");
_Static_assert(sizeof(Elf64_Phdr) == 56, "ELF64 program header is 56 bytes");

/* Where loadable segments may lie (the user half, above the NULL guard). */
#define ELF_USER_MIN 0x10000ull
#define ELF_USER_END 0x00007F0000000000ull
#define ELF_MAX_SEGMENTS 16                  /* PT_LOAD entries */
#define ELF_MAX_PHNUM 64                     /* program headers of any type */
#define ELF_MAX_SEGMENT_BYTES (256ull << 20) /* memsz of one segment */
#define ELF_MAX_IMAGE_BYTES (512ull << 20)   /* sum of all memsz */

struct elf_segment {
    uint64_t vaddr, memsz;       /* memory range [vaddr, vaddr + memsz) */
    uint64_t offset, filesz;     /* file bytes copied to vaddr; the rest is zero */
    uint32_t flags;              /* PF_R | PF_W | PF_X */
};

struct elf_image {
    uint64_t entry;
    int nsegments;
    struct elf_segment seg[ELF_MAX_SEGMENTS];
    const char *reason;          /* why validation failed (static string) */
};

/*
 * Check that buf (len bytes) is an x86-64 ELF64 executable we can load and
 * describe its PT_LOAD segments in *img. Every field used is validated.
 * Returns 0, or (img->reason says more):
 *   -ENOEXEC  not an ELF file, or a broken header/program-header table,
 *             file range outside the file, filesz > memsz, no PT_LOAD
 *   -EINVAL   ELF, but not ELF64 / little endian / version 1 / x86-64 / ET_EXEC
 *   -EFAULT   a segment outside [ELF_USER_MIN, ELF_USER_END) or wrapping around
 *   -EEXIST   two segments overlap
 *   -EFBIG    a segment or the whole image is too large
 *   -E2BIG    too many program headers or loadable segments
 *   -EACCES   the entry point is not inside an executable segment
 */
int elf_validate(const void *buf, size_t len, struct elf_image *img);
