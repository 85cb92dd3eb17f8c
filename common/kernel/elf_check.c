/*
 * Validation of ELF64 executables (pure logic, no kernel state): every
 * header field the loader uses is checked here before anything is mapped.
 * References: System V gABI "ELF header", "Program header"; x86-64 psABI.
 */
#include "elf.h"
#include "errno.h"

static int fail(struct elf_image *img, int err, const char *why)
{
    img->reason = why;
    return err;
}

/* Identification and type fields of the ELF header. */
static int check_header(const Elf64_Ehdr *eh, size_t len, struct elf_image *img)
{
    const unsigned char *id = eh->e_ident;
    if (id[0] != 0x7F || id[1] != 'E' || id[2] != 'L' || id[3] != 'F')
        return fail(img, -ENOEXEC, "bad magic (not an ELF file)");
    if (id[4] != ELFCLASS64)
        return fail(img, -EINVAL, "wrong class (not ELF64)");
    if (id[5] != ELFDATA2LSB)
        return fail(img, -EINVAL, "wrong data encoding (not little endian)");
    if (id[6] != EV_CURRENT || eh->e_version != EV_CURRENT)
        return fail(img, -EINVAL, "wrong ELF version");
    if (eh->e_machine != EM_X86_64)
        return fail(img, -EINVAL, "wrong machine (not x86-64)");
    if (eh->e_type != ET_EXEC)
        return fail(img, -EINVAL, "wrong type (not a static executable, ET_EXEC)");
    if (eh->e_phentsize != sizeof(Elf64_Phdr))
        return fail(img, -ENOEXEC, "wrong program header size");
    if (eh->e_phnum == 0)
        return fail(img, -ENOEXEC, "no program headers");
    if (eh->e_phnum > ELF_MAX_PHNUM)
        return fail(img, -E2BIG, "too many program headers");
    uint64_t table = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);
    if (eh->e_phoff > len || table > len - eh->e_phoff)
        return fail(img, -ENOEXEC, "program header table outside the file");
    if (eh->e_phoff % 8 != 0)
        return fail(img, -ENOEXEC, "misaligned program header table");
    return 0;
}

/* One PT_LOAD entry: file range, sizes, place in the user half. */
static int check_segment(const Elf64_Phdr *ph, size_t len, struct elf_image *img)
{
    if (ph->p_filesz > ph->p_memsz)
        return fail(img, -ENOEXEC, "segment file size larger than memory size");
    if (ph->p_offset > len || ph->p_filesz > len - ph->p_offset)
        return fail(img, -ENOEXEC, "segment data outside the file");
    if (ph->p_memsz > ELF_MAX_SEGMENT_BYTES)
        return fail(img, -EFBIG, "segment too large");
    if (ph->p_vaddr < ELF_USER_MIN)
        return fail(img, -EFAULT, "segment below the lowest user address");
    if (ph->p_vaddr >= ELF_USER_END || ph->p_memsz > ELF_USER_END - ph->p_vaddr)
        return fail(img, -EFAULT, "segment outside user space");
    if (ph->p_flags & ~(uint32_t)(PF_R | PF_W | PF_X))
        return fail(img, -ENOEXEC, "unknown segment flags");
    return 0;
}

static bool ranges_overlap(const struct elf_segment *a, const struct elf_segment *b)
{
    return a->vaddr < b->vaddr + b->memsz && b->vaddr < a->vaddr + a->memsz;
}

/* Cross-segment rules: no overlap, bounded total, entry executable. */
static int check_image(struct elf_image *img)
{
    uint64_t total = 0;
    bool entry_ok = false;
    for (int i = 0; i < img->nsegments; i++) {
        const struct elf_segment *s = &img->seg[i];
        for (int j = 0; j < i; j++)
            if (ranges_overlap(s, &img->seg[j]))
                return fail(img, -EEXIST, "segments overlap");
        total += s->memsz;
        if ((s->flags & PF_X) && img->entry >= s->vaddr && img->entry < s->vaddr + s->memsz)
            entry_ok = true;
    }
    if (total > ELF_MAX_IMAGE_BYTES)
        return fail(img, -EFBIG, "image too large");
    if (!entry_ok)
        return fail(img, -EACCES, "entry point not inside an executable segment");
    return 0;
}

int elf_validate(const void *buf, size_t len, struct elf_image *img)
{
    img->nsegments = 0;
    img->reason = "ok";
    if (!buf || len < sizeof(Elf64_Ehdr))
        return fail(img, -ENOEXEC, "file shorter than an ELF header");
    const Elf64_Ehdr *eh = buf;
    int err = check_header(eh, len, img);
    if (err)
        return err;
    const Elf64_Phdr *ph = (const Elf64_Phdr *)((const uint8_t *)buf + eh->e_phoff);
    for (int i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0)
            continue;
        err = check_segment(&ph[i], len, img);
        if (err)
            return err;
        if (img->nsegments == ELF_MAX_SEGMENTS)
            return fail(img, -E2BIG, "too many loadable segments");
        img->seg[img->nsegments++] = (struct elf_segment){
            ph[i].p_vaddr, ph[i].p_memsz, ph[i].p_offset, ph[i].p_filesz, ph[i].p_flags};
    }
    if (img->nsegments == 0)
        return fail(img, -ENOEXEC, "no loadable segment");
    img->entry = eh->e_entry;
    return check_image(img);
}
