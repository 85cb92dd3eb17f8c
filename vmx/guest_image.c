/*
 * guest_image.c: ELF32/ELF64 guest parsing (see guest_image.h). A pure
 * function over the caller's buffer: no allocation, no locks, any context.
 * ELF layout: System V gABI, "ELF Header" and "Program Header" (32-bit and
 * 64-bit forms).
 */
#include "guest_image.h"
#include "errno.h"
#include "uapi/vm_abi.h"

#define ELF_CLASS32 1
#define ELF_CLASS64 2
#define ELF_DATA_LSB 1
#define ELF_VERSION 1
#define ELF_TYPE_EXEC 2
#define ELF_MACHINE_386 3
#define ELF_MACHINE_X86_64 62
#define ELF_PT_LOAD 1
#define ELF32_EHDR_SIZE 52
#define ELF32_PHDR_SIZE 32
#define ELF64_EHDR_SIZE 64
#define ELF64_PHDR_SIZE 56

/* Little-endian field readers; the caller checked that off + width <= len. */
static uint64_t rd(const uint8_t *p, size_t off, int width)
{
    uint64_t v = 0;
    for (int i = width - 1; i >= 0; i--)
        v = (v << 8) | p[off + i];
    return v;
}

/* Byte offsets of the header fields that differ between the classes. */
struct elf_layout {
    size_t ehdr_size, phdr_size, word;   /* word: 4 or 8 bytes */
    size_t e_entry, e_phoff, e_phentsize, e_phnum;
    size_t p_offset, p_paddr, p_filesz, p_memsz;
    unsigned machine, mode;
};

static const struct elf_layout layout32 = {
    ELF32_EHDR_SIZE, ELF32_PHDR_SIZE, 4, 24, 28, 42, 44, 4, 12, 16, 20,
    ELF_MACHINE_386, VM_MODE_PROT32,
};
static const struct elf_layout layout64 = {
    ELF64_EHDR_SIZE, ELF64_PHDR_SIZE, 8, 24, 32, 54, 56, 8, 24, 32, 40,
    ELF_MACHINE_X86_64, VM_MODE_LONG64,
};

bool guest_is_elf(const void *buf, size_t len)
{
    const uint8_t *p = buf;
    return len >= 4 && p[0] == 0x7f && p[1] == 'E' && p[2] == 'L' && p[3] == 'F';
}

static int reject(struct guest_elf *out, int err, const char *why)
{
    out->reason = why;
    return err;
}

/* Check e_ident, type and machine; pick the class layout. */
static int check_header(const uint8_t *p, size_t len, const struct elf_layout **lay,
                        struct guest_elf *out)
{
    if (!guest_is_elf(p, len) || len < 16)
        return reject(out, -ENOEXEC, "not an ELF file");
    if (p[4] != ELF_CLASS32 && p[4] != ELF_CLASS64)
        return reject(out, -ENOEXEC, "unknown ELF class");
    *lay = p[4] == ELF_CLASS32 ? &layout32 : &layout64;
    if (len < (*lay)->ehdr_size)
        return reject(out, -ENOEXEC, "file shorter than the ELF header");
    if (p[5] != ELF_DATA_LSB || p[6] != ELF_VERSION || rd(p, 20, 4) != ELF_VERSION)
        return reject(out, -ENOEXEC, "not little-endian ELF version 1");
    if (rd(p, 16, 2) != ELF_TYPE_EXEC)
        return reject(out, -ENOEXEC, "not an executable (ET_EXEC)");
    if (rd(p, 18, 2) != (*lay)->machine)
        return reject(out, -ENOEXEC, "machine does not match the class (386 / x86-64)");
    return 0;
}

/* Read program header i into *s if it is PT_LOAD; 1 loaded, 0 skipped, <0 error. */
static int read_segment(const uint8_t *p, uint64_t file_size, const struct elf_layout *l,
                        uint64_t phoff, int i, uint64_t gpa_limit, struct guest_segment *s,
                        struct guest_elf *out)
{
    size_t ph = phoff + (size_t)i * l->phdr_size;
    if (rd(p, ph, 4) != ELF_PT_LOAD)
        return 0;
    s->offset = rd(p, ph + l->p_offset, l->word);
    s->paddr = rd(p, ph + l->p_paddr, l->word);
    s->filesz = rd(p, ph + l->p_filesz, l->word);
    s->memsz = rd(p, ph + l->p_memsz, l->word);
    if (s->filesz > s->memsz)
        return reject(out, -ENOEXEC, "segment with filesz > memsz");
    if (s->offset > file_size || s->filesz > file_size - s->offset)
        return reject(out, -ENOEXEC, "segment bytes outside the file");
    if (s->paddr > gpa_limit || s->memsz > gpa_limit - s->paddr)
        return reject(out, -ERANGE, "segment beyond the guest-physical limit");
    return s->memsz > 0;
}

static bool overlaps(const struct guest_segment *a, const struct guest_segment *b)
{
    return a->paddr < b->paddr + b->memsz && b->paddr < a->paddr + a->memsz;
}

/* Segments must not overlap and the entry must lie in one of them. */
static int check_segments(struct guest_elf *out)
{
    bool entry_ok = false;
    if (out->nsegments == 0)
        return reject(out, -ENOEXEC, "no loadable segment");
    for (int i = 0; i < out->nsegments; i++) {
        const struct guest_segment *s = &out->seg[i];
        for (int j = 0; j < i; j++)
            if (overlaps(s, &out->seg[j]))
                return reject(out, -ENOEXEC, "overlapping segments");
        if (out->entry >= s->paddr && out->entry < s->paddr + s->memsz)
            entry_ok = true;
    }
    return entry_ok ? 0 : reject(out, -ENOEXEC, "entry point outside every segment");
}

int guest_elf_parse(const void *head, size_t len, uint64_t file_size, uint64_t gpa_limit,
                    struct guest_elf *out)
{
    const uint8_t *p = head;
    const struct elf_layout *l;
    out->nsegments = 0;
    out->reason = NULL;
    int err = check_header(p, len, &l, out);
    if (err)
        return err;
    out->entry = rd(p, l->e_entry, l->word);
    out->mode = l->mode;
    uint64_t phoff = rd(p, l->e_phoff, l->word);
    uint64_t phnum = rd(p, l->e_phnum, 2);
    if (rd(p, l->e_phentsize, 2) != l->phdr_size || phnum > GUEST_ELF_MAX_PHNUM)
        return reject(out, -ENOEXEC, "bad program header size or count");
    if (phoff > len || phnum * l->phdr_size > len - phoff)
        return reject(out, -ENOEXEC, "program headers outside the file or its first page");
    for (int i = 0; i < (int)phnum; i++) {
        if (out->nsegments == GUEST_ELF_MAX_SEGMENTS)
            return reject(out, -ENOEXEC, "too many loadable segments");
        int r = read_segment(p, file_size, l, phoff, i, gpa_limit, &out->seg[out->nsegments], out);
        if (r < 0)
            return r;
        out->nsegments += r;
    }
    return check_segments(out);
}
