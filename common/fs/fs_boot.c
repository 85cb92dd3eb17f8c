/*
 * Boot-time mounting (fs_init in vfs.h): the Multiboot2 module "initrd"
 * read-only at /, a ramfs at /tmp. Runs once in kmain, interrupts off,
 * before the scheduler. A missing or malformed archive is reported and
 * replaced by an empty one, so the kernel still boots.
 */
#include "vfs.h"
#include "initrd.h"
#include "ramfs.h"
#include "multiboot2.h"
#include "paging.h"
#include "pmm.h"
#include "kprintf.h"
#include "panic.h"

/* An archive without entries: what / holds when the boot module is unusable. */
static const struct initrd_header empty_archive = {
    .magic = INITRD_MAGIC,
    .version = INITRD_VERSION,
    .count = 0,
    .total_size = sizeof(struct initrd_header),
};

static struct initrd boot_archive;

/* Parse the boot module into boot_archive, falling back to the empty archive. */
static void load_boot_archive(void)
{
    uint64_t start, end;
    if (!mb2_find_module("initrd", &start, &end) || end < start) {
        kprintf("fs: no boot module named \"initrd\"; / is empty\n");
    } else if (initrd_parse(&boot_archive, phys_to_virt(start), end - start) != 0) {
        kprintf("fs: boot archive rejected (%s); / is empty\n", boot_archive.error);
    } else {
        return;
    }
    if (initrd_parse(&boot_archive, &empty_archive, sizeof(empty_archive)) != 0)
        panic("fs: built-in empty archive rejected: %s", boot_archive.error);
}

void fs_init(void)
{
    load_boot_archive();
    if (initrd_fs_mount("/", &boot_archive) != 0)
        panic("fs: cannot mount the boot archive at /");
    /* /tmp may use at most half of the memory that is free now */
    struct ramfs *tmp = ramfs_create(pmm_free_pages() / 2);
    if (!tmp || ramfs_mount("/tmp", tmp) != 0)
        panic("fs: cannot mount a ramfs at /tmp");
    kprintf("fs: initrd %u files (%lu KiB), ramfs at /tmp\n", boot_archive.files,
            (unsigned long)((boot_archive.file_bytes + 1023) / 1024));
}
