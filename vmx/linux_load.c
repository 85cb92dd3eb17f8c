/*
 * linux_load.c: a Linux bzImage, its initrd and command line into a VM's
 * RAM (vm_boot.h), per the boot protocol logic of linux_boot.c. The files
 * are read through the VFS in 4 KiB chunks and written with vm_write; the
 * RAM ranges and the e820 map come from the handle's region set (writable
 * mappings are RAM, the others reserved). Context: thread, the vm_handles
 * lock held; its buffers are allocated per call.
 */
#include "errno.h"
#include "kheap.h"
#include "kstring.h"
#include "linux_boot.h"
#include "vfs.h"
#include "vm.h"
#include "vm_boot.h"
#include "vm_handles.h"

#define CHUNK 4096
#define PAGE_SIZE_4K 4096
#define MAX_RANGES (VM_MAX_REGIONS + VM_MAX_ALIASES)

struct linux_work {
    uint8_t head[LINUX_HEAD_SIZE];
    uint8_t page[LINUX_ZERO_PAGE_SIZE];
    struct linux_image img;
    struct linux_plan plan;
    struct e820_range ram[MAX_RANGES];
    struct e820_range e820[MAX_RANGES + 4];
    int e820_n;
};

static int core_err(int err)
{
    return err == -ENOENT ? -ENXIO : err;
}

/* Copy len bytes of f from offset off to guest gpa (buf: a CHUNK scratch). */
static int copy_file(struct vm *vm, struct file *f, uint64_t off, uint64_t gpa, uint64_t len, uint8_t *buf)
{
    if (vfs_seek(f, (int64_t)off, SEEK_SET) < 0)
        return -EIO;
    for (uint64_t done = 0; done < len;) {
        ssize_t got = vfs_read(f, buf, (size_t)MIN(len - done, (uint64_t)CHUNK));
        if (got <= 0)
            return -EIO;
        int err = core_err(vm_write(vm, gpa + done, buf, (size_t)got));
        if (err)
            return err;
        done += (uint64_t)got;
    }
    return 0;
}

/* The VM's memory as e820 ranges: writable mappings are RAM, the rest
   (firmware, rights-less reservations, aliases) reserved. */
static int memory_ranges(const struct vm_handle *h, struct e820_range *out)
{
    int n = 0;
    for (int i = 0; i < h->regions.n; i++)
        out[n++] = (struct e820_range){h->regions.r[i].gpa, h->regions.r[i].size,
                                       (h->regions.r[i].rights & VM_W) ? E820_RAM : E820_RESERVED};
    for (uint32_t i = 0; i < h->naliases; i++)
        out[n++] = (struct e820_range){h->aliases[i].gpa, h->aliases[i].size, E820_RESERVED};
    return n;
}

static int refuse(struct vm_linux_load *out, int err, const char *why)
{
    strlcpy(out->error, why, sizeof(out->error));
    return err;
}

/* Check everything and plan; w holds the results. */
static int plan(struct vm_handle *h, struct file *kf, uint64_t ksize, uint64_t isize, size_t cmdline_len,
                struct linux_work *w, struct vm_linux_load *out)
{
    ssize_t got = vfs_read(kf, w->head, (size_t)MIN(ksize, (uint64_t)LINUX_HEAD_SIZE));
    if (got < 0)
        return refuse(out, -EIO, "cannot read the kernel file");
    int err = linux_image_parse(w->head, (size_t)got, ksize, &w->img);
    if (err)
        return refuse(out, err, w->img.reason);
    out->protocol = w->img.version;
    out->kernel_size = w->img.kernel_size;
    if (out->flags & VM_LINUX_CHECK_ONLY)
        return 0;
    int n = memory_ranges(h, w->ram);
    err = linux_plan_layout(&w->img, w->ram, n, isize, cmdline_len, &w->plan);
    if (err)
        return refuse(out, err, w->plan.reason);
    int entries = linux_e820_build(w->ram, n, w->e820, (int)ARRAY_SIZE(w->e820));
    if (entries < 0)
        return refuse(out, -ENOSPC, "too many memory ranges for the e820 map");
    w->e820_n = entries;
    out->e820_entries = (uint32_t)entries;
    return 0;
}

/* Write kernel, initrd, command line and boot_params as planned. */
static int write_all(struct vm_handle *h, struct file *kf, struct file *inf, const char *cmdline,
                     size_t cmdline_len, struct linux_work *w)
{
    const struct linux_plan *p = &w->plan;
    int err = copy_file(h->vm, kf, w->img.kernel_offset, p->kernel_gpa, w->img.kernel_size, w->page);
    if (!err && inf)
        err = copy_file(h->vm, inf, 0, p->initrd_gpa, p->initrd_size, w->page);
    if (!err)
        err = core_err(vm_write(h->vm, LINUX_CMDLINE_GPA, cmdline, cmdline_len));
    if (!err)
        err = core_err(vm_write(h->vm, LINUX_CMDLINE_GPA + cmdline_len, "", 1));
    if (!err) {
        linux_fill_boot_params(w->page, w->head, &w->img, p, w->e820, w->e820_n);
        err = core_err(vm_write(h->vm, LINUX_ZERO_PAGE_GPA, w->page, LINUX_ZERO_PAGE_SIZE));
    }
    return err;
}

int vm_linux_load(struct vm_handle *h, const char *kernel, const char *initrd, const char *cmdline,
                  size_t cmdline_len, struct vm_linux_load *out)
{
    struct file *kf = NULL, *inf = NULL;
    uint64_t ksize = 0, isize = 0;
    struct linux_work *w = kzalloc(sizeof(*w));
    if (!w)
        return -ENOMEM;
    int err = vfs_open_for_load(kernel, VM_LINUX_KERNEL_MAX, -E2BIG, &kf, &ksize);
    if (err)
        refuse(out, err, "cannot open the kernel");
    if (!err && initrd && (err = vfs_open_for_load(initrd, VM_LINUX_INITRD_MAX, -E2BIG, &inf, &isize)))
        refuse(out, err, "cannot open the initrd");
    if (!err)
        err = plan(h, kf, ksize, isize, cmdline_len, w, out);
    if (!err && !(out->flags & VM_LINUX_CHECK_ONLY))
        err = write_all(h, kf, inf, cmdline, cmdline_len, w);
    if (!err && !(out->flags & VM_LINUX_CHECK_ONLY)) {
        out->entry = w->plan.entry;
        out->boot_params = LINUX_ZERO_PAGE_GPA;
        out->kernel_gpa = w->plan.kernel_gpa;
        out->kernel_size = w->img.kernel_size;
        out->initrd_gpa = w->plan.initrd_gpa;
        out->initrd_size = w->plan.initrd_size;
        out->protocol = w->img.version;
    }
    if (inf)
        vfs_close(inf);
    if (kf)
        vfs_close(kf);
    kfree(w);
    return err;
}

int vm_linux_boot_tables(struct vm_handle *h, struct vm_vcpu_params *p)
{
    uint64_t *page = kzalloc(PAGE_SIZE_4K);
    if (!page)
        return -ENOMEM;
    linux_boot_gdt(page);
    int err = core_err(vm_write(h->vm, LINUX_GDT_GPA, page, LINUX_GDT_ENTRIES * sizeof(uint64_t)));
    for (int i = 0; i < LINUX_TABLE_PAGES && !err; i++) {
        linux_boot_table_page(i, page);
        err = core_err(vm_write(h->vm, LINUX_PML4_GPA + (uint64_t)i * PAGE_SIZE_4K, page, PAGE_SIZE_4K));
    }
    kfree(page);
    if (!err) {
        p->cr3 = LINUX_PML4_GPA;
        p->gdtr_base = LINUX_GDT_GPA;
        p->gdtr_limit = LINUX_GDT_ENTRIES * 8 - 1;
    }
    return err;
}
