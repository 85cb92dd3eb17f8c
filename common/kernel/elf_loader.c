/*
 * Loading a validated ELF64 executable into a process's (fresh) address
 * space: map each PT_LOAD segment with its permissions, copy the file
 * bytes, leave the rest zero (.bss). Thread context; the process is not
 * visible to anyone else yet.
 */
#include "elf.h"
#include "elf_loader.h"
#include "errno.h"
#include "kprintf.h"
#include "paging.h"
#include "pmm.h"
#include "process.h"
#include "user_memory.h"

static uint64_t segment_pte_flags(uint32_t pf)
{
    uint64_t f = 0;
    if (pf & PF_W)
        f |= PTE_WRITE;
    if (!(pf & PF_X))
        f |= PTE_NX;
    return f;
}

/* Map and fill one segment; records its page range in p->segments. */
static int load_segment(struct process *p, const uint8_t *file, const struct elf_segment *s)
{
    uint64_t start = ALIGN_DOWN(s->vaddr, PAGE_SIZE);
    uint64_t end = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);
    p->segments[p->nsegments++] = (struct mem_range){start, end};
    /* writable while we fill it: umem_write goes through the direct map, so
       the final (possibly read-only) flags can be applied right away */
    int err = umem_map_range(p, start, end, segment_pte_flags(s->flags));
    if (err)
        return err;
    return umem_write(p, s->vaddr, file + s->offset, s->filesz);
}

int elf_load(struct process *p, const void *file, size_t len, uint64_t *entry, uint64_t *image_end)
{
    struct elf_image img;
    int err = elf_validate(file, len, &img);
    if (err) {
        kprintf("exec %s: %s\n", p->name, img.reason);
        return err;
    }
    uint64_t top = 0;
    for (int i = 0; i < img.nsegments; i++) {
        err = load_segment(p, file, &img.seg[i]);
        if (err)
            return err;
        top = MAX(top, ALIGN_UP(img.seg[i].vaddr + img.seg[i].memsz, PAGE_SIZE));
    }
    *entry = img.entry;
    *image_end = top;
    return 0;
}
