/*
 * vm_bios.c: a PC firmware image (SeaBIOS) into a VM (vm_boot.h). Like the
 * flash chip of a PC it ends at 4 GiB, where the CPU fetches its first
 * instruction (CS base FFFF0000 + IP FFF0, SDM Vol. 3A 9.1.4), read- and
 * execute-only; its last 128 KiB are also visible, writable, at the top of
 * the first MiB (0xE0000-0xFFFFF), where the firmware runs after its first
 * far jump and keeps its variables (a PC's shadow RAM; here the same pages,
 * vm_alias). Context: thread, the vm_handles lock held.
 */
#include "errno.h"
#include "vfs.h"
#include "vm.h"
#include "vm_args.h"
#include "vm_boot.h"
#include "vm_handles.h"
#include "vm_load.h"

#define KIB 1024ull
#define FOUR_GIB (1ull << 32)
#define ONE_MIB (1ull << 20)

static bool size_ok(uint64_t size)
{
    return size == 64 * KIB || size == 128 * KIB || size == 256 * KIB;
}

/* Map new memory with the region bookkeeping of vm_map. */
static int map_tracked(struct vm_handle *h, uint64_t gpa, uint64_t size, unsigned rights)
{
    if (vm_regions_overlap(&h->regions, gpa, size))
        return -EEXIST;
    if (size > VM_MEM_LIMIT - vm_regions_bytes(&h->regions))
        return -EFBIG;
    if (h->regions.n == VM_MAX_REGIONS)
        return -ENOSPC;
    int err = vm_map(h->vm, gpa, size, rights);
    if (err)
        return err == -E2BIG ? -EFBIG : err;
    return vm_regions_add(&h->regions, gpa, size, rights);
}

/* Undo map_tracked (the range has no alias yet). */
static void unmap_tracked(struct vm_handle *h, uint64_t gpa, uint64_t size)
{
    struct vm_region_set next;           /* ~800 bytes */
    if (vm_unmap(h->vm, gpa, size) == 0 && vm_regions_remove(&h->regions, gpa, size, &next) == 0)
        h->regions = next;
}

int vm_firmware_load(struct vm_handle *h, const char *path, struct vm_firmware_info *info)
{
    struct file *f;
    uint64_t size;
    int err = vfs_open_for_load(path, 256 * KIB, -ENOEXEC, &f, &size);
    if (err)
        return err;
    vfs_close(f);
    if (!size_ok(size))
        return -ENOEXEC;
    if (h->naliases == VM_MAX_ALIASES)
        return -ENOSPC;
    info->rom_gpa = FOUR_GIB - size;
    info->rom_size = size;
    info->low_size = MIN(size, (uint64_t)VM_FIRMWARE_LOW_MAX);
    info->low_gpa = ONE_MIB - info->low_size;
    if (vm_regions_overlap(&h->regions, info->low_gpa, info->low_size))
        return -EEXIST;
    err = map_tracked(h, info->rom_gpa, size, VM_R | VM_X);
    if (err)
        return err;
    struct vm_load_info li;
    err = vm_load_file(h, path, info->rom_gpa, &li);
    uint64_t src = FOUR_GIB - info->low_size;
    if (!err)
        err = vm_alias(h->vm, info->low_gpa, src, info->low_size, VM_R | VM_W | VM_X);
    if (err) {
        unmap_tracked(h, info->rom_gpa, size);
        return err == -E2BIG ? -ENOSPC : err == -ENOENT ? -EEXIST : err;
    }
    h->aliases[h->naliases++] = (struct vm_alias_info){.gpa = info->low_gpa, .size = info->low_size,
                                                         .src = src, .rights = VM_R | VM_W | VM_X};
    h->load_entry = 0xFFFFFFF0ull;
    h->load_mode = VM_MODE_RESET;
    return 0;
}
