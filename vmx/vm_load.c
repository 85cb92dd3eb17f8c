/*
 * vm_load.c: guest files into guest memory (see vm_load.h). The file is
 * read in 4 KiB chunks through the VFS and written with the core's
 * vm_write. The buffers are the call's own (one heap block per load), so
 * nothing here depends on which lock the caller holds.
 */
#include "vm_load.h"
#include "errno.h"
#include "guest_image.h"
#include "kheap.h"
#include "kstring.h"
#include "vfs.h"
#include "vm.h"
#include "vm_args.h"
#include "vm_handles.h"

#define CHUNK 4096

/* The buffers of one load. */
struct load_buffers {
    uint8_t head[CHUNK];     /* the first bytes of the file (ELF headers) */
    uint8_t chunk[CHUNK];
    struct guest_elf elf;
};

/* Copy len file bytes from offset off to gpa (len 0: nothing). */
static int copy_bytes(struct vm *vm, struct file *f, uint64_t off, uint64_t gpa, uint64_t len,
                      uint8_t *chunk)
{
    if (len > 0 && vfs_seek(f, (int64_t)off, SEEK_SET) < 0)
        return -EIO;
    for (uint64_t done = 0; done < len;) {
        size_t want = (size_t)MIN(len - done, (uint64_t)CHUNK);
        ssize_t got = vfs_read(f, chunk, want);
        if (got <= 0)
            return -EIO;
        int err = vm_write(vm, gpa + done, chunk, (size_t)got);
        if (err)
            return err == -ENOENT ? -ENXIO : err;
        done += (uint64_t)got;
    }
    return 0;
}

/* Zero len bytes of guest memory at gpa (a segment's bss). */
static int zero_bytes(struct vm *vm, uint64_t gpa, uint64_t len, uint8_t *chunk)
{
    memset(chunk, 0, CHUNK);
    for (uint64_t done = 0; done < len;) {
        size_t n = (size_t)MIN(len - done, (uint64_t)CHUNK);
        int err = vm_write(vm, gpa + done, chunk, n);
        if (err)
            return err == -ENOENT ? -ENXIO : err;
        done += n;
    }
    return 0;
}

static int load_flat(struct vm_handle *h, struct file *f, uint64_t size, uint64_t gpa,
                     struct vm_load_info *info, struct load_buffers *b)
{
    int err = vm_args_check_bytes(gpa, size, VM_GUEST_FILE_MAX);
    if (err)
        return err;
    if (size > 0 && !vm_regions_cover(&h->regions, gpa, size))
        return -ENXIO;
    *info = (struct vm_load_info){.entry = gpa, .lowest = gpa, .highest = gpa + size,
                                  .mode = 0, .segments = 1};
    return copy_bytes(h->vm, f, 0, gpa, size, b->chunk);
}

static int load_elf(struct vm_handle *h, struct file *f, uint64_t size, size_t head_len,
                    struct vm_load_info *info, struct load_buffers *b)
{
    const struct guest_elf *elf = &b->elf;
    int err = guest_elf_parse(b->head, head_len, size, VM_GPA_LIMIT, &b->elf);
    if (err)
        return err;
    *info = (struct vm_load_info){.entry = elf->entry, .lowest = UINT64_MAX,
                                  .mode = elf->mode, .segments = (uint32_t)elf->nsegments};
    for (int i = 0; i < elf->nsegments; i++) {
        const struct guest_segment *s = &elf->seg[i];
        if (!vm_regions_cover(&h->regions, s->paddr, s->memsz))
            return -ENXIO;
        info->lowest = MIN(info->lowest, s->paddr);
        info->highest = MAX(info->highest, s->paddr + s->memsz);
    }
    for (int i = 0; i < elf->nsegments && !err; i++) {
        const struct guest_segment *s = &elf->seg[i];
        err = copy_bytes(h->vm, f, s->offset, s->paddr, s->filesz, b->chunk);
        if (!err)
            err = zero_bytes(h->vm, s->paddr + s->filesz, s->memsz - s->filesz, b->chunk);
    }
    return err;
}

int vm_load_file(struct vm_handle *h, const char *path, uint64_t gpa, struct vm_load_info *info)
{
    struct file *f;
    uint64_t size;
    struct load_buffers *b = kmalloc(sizeof(*b));
    if (!b)
        return -ENOMEM;
    int err = vfs_open_for_load(path, VM_GUEST_FILE_MAX, -E2BIG, &f, &size);
    if (err)
        goto out;
    if (gpa == VM_LOAD_ELF) {
        ssize_t n = vfs_read(f, b->head, (size_t)MIN(size, (uint64_t)CHUNK));
        err = n < 0 ? (int)n : load_elf(h, f, size, (size_t)n, info, b);
    } else {
        err = load_flat(h, f, size, gpa, info, b);
    }
    vfs_close(f);
out:
    kfree(b);
    return err;
}
