/*
 * The VM system calls that let a program boot real software (numbers and
 * records in uapi/vm_abi.h, semantics in docs/vm-api.md): vm_alias (one
 * piece of guest memory at a second address), vm_load_firmware (a PC
 * firmware image below 4 GiB and 1 MiB), vm_load_linux (a bzImage per the
 * Linux boot protocol). The start states that go with them are the vCPU
 * modes VM_MODE_RESET and VM_MODE_LINUX64 of vm_vcpu_create.
 *
 * Context: the calling user thread, interrupts on; each call holds the
 * vm_handles lock while it works. Check order as in vm_syscalls.c: id
 * (ESRCH, EPERM), user pointers (EFAULT), alignment (EINVAL), range
 * (ERANGE), rights (EACCES), then the VM's state and the core's answer.
 */
#include "errno.h"
#include "kheap.h"
#include "kstring.h"
#include "linux_boot.h"
#include "syscall.h"
#include "uapi/abi.h"
#include "uaccess.h"
#include "vm.h"
#include "vm_args.h"
#include "vm_boot.h"
#include "vm_handles.h"
#include "vm_syscalls.h"

/* Lock and find VM id for a change by the caller; the lock is held only on success. */
static int get_locked(uint64_t id, struct vm_handle **h)
{
    if (id == 0 || id > 0x7FFFFFFF)
        return -ESRCH;
    vm_handles_lock();
    int err = vm_handle_get((int)id, true, h);
    if (err)
        vm_handles_unlock();
    return err;
}

static bool created(const struct vm_handle *h)
{
    struct vm_info info;
    vm_get_info(h->vm, &info);
    return info.state == VM_STATE_CREATED;
}

static bool alias_overlaps(const struct vm_handle *h, uint64_t gpa, uint64_t size)
{
    for (uint32_t i = 0; i < h->naliases; i++)
        if (h->aliases[i].gpa < gpa + size && gpa < h->aliases[i].gpa + h->aliases[i].size)
            return true;
    return false;
}

static int64_t sys_vm_alias(uint64_t id, uint64_t gpa, uint64_t size, uint64_t src, uint64_t rights)
{
    struct vm_handle *h;
    int err = get_locked(id, &h);
    if (err)
        return err;
    if ((err = vm_args_check_range(gpa, size)) || (err = vm_args_check_range(src, size)))
        goto out;
    if ((err = vm_args_check_rights(rights)) || !(rights & VM_R)) {
        err = -EACCES;                   /* an alias is created readable, like vm_map */
        goto out;
    }
    if (gpa < src + size && src < gpa + size)
        err = -EINVAL;
    else if (!vm_regions_cover(&h->regions, src, size))
        err = -ENXIO;
    else if (vm_regions_overlap(&h->regions, gpa, size) || alias_overlaps(h, gpa, size))
        err = -EEXIST;
    else if (h->naliases == VM_MAX_ALIASES)
        err = -ENOSPC;
    else if (!(err = vm_alias(h->vm, gpa, src, size, (unsigned)rights)))
        h->aliases[h->naliases++] = (struct vm_alias_info){.gpa = gpa, .size = size, .src = src,
                                                             .rights = (uint32_t)rights};
    else
        err = err == -ENOENT ? -ENXIO : err == -E2BIG ? -ENOSPC : err;
out:
    vm_handles_unlock();
    return err;
}

static int64_t sys_vm_load_firmware(uint64_t id, uint64_t upath, uint64_t uinfo, uint64_t a3, uint64_t a4)
{
    UNUSED(a3);
    UNUSED(a4);
    char path[PATH_MAX];
    struct vm_firmware_info info = {0};
    struct vm_handle *h;
    int err = get_locked(id, &h);
    if (err)
        return err;
    int64_t len = strncpy_from_user(path, upath, sizeof(path));
    err = len < 0 ? (int)len : uinfo && !user_range_ok(uinfo, sizeof(info)) ? -EFAULT : 0;
    if (err)
        goto out;
    err = -EBUSY;
    if (!created(h))
        goto out;
    err = vm_firmware_load(h, path, &info);
    if (!err && uinfo)
        err = copy_to_user(uinfo, &info, sizeof(info));
out:
    vm_handles_unlock();
    return err;
}

/* The user strings of a vm_linux_load request, copied in. */
struct linux_request {
    char kernel[PATH_MAX];
    char initrd[PATH_MAX];
    char cmdline[LINUX_CMDLINE_MAX];
    int64_t cmdline_len;
    struct vm_linux_load load;
};

static int copy_request(uint64_t uload, struct linux_request *r)
{
    if (!uload || !user_range_ok(uload, sizeof(r->load)) || copy_from_user(&r->load, uload, sizeof(r->load)) < 0)
        return -EFAULT;
    int64_t n = strncpy_from_user(r->kernel, r->load.kernel, sizeof(r->kernel));
    if (n >= 0 && r->load.initrd)
        n = strncpy_from_user(r->initrd, r->load.initrd, sizeof(r->initrd));
    if (n < 0)
        return (int)n;
    r->cmdline_len = r->load.cmdline ? strncpy_from_user(r->cmdline, r->load.cmdline, sizeof(r->cmdline)) : 0;
    if (r->cmdline_len == -ENAMETOOLONG)
        return -E2BIG;
    return r->cmdline_len < 0 ? (int)r->cmdline_len : 0;
}

static int64_t sys_vm_load_linux(uint64_t id, uint64_t uload, uint64_t a2, uint64_t a3, uint64_t a4)
{
    UNUSED(a2);
    UNUSED(a3);
    UNUSED(a4);
    struct vm_handle *h;
    struct linux_request *r = kzalloc(sizeof(*r));   /* ~9 KiB: not on the stack */
    if (!r)
        return -ENOMEM;
    int err = get_locked(id, &h);
    if (err)
        goto free;
    err = copy_request(uload, r);
    if (err)
        goto out;
    struct vm_linux_load *l = &r->load;
    memset(&l->entry, 0, sizeof(*l) - offsetof(struct vm_linux_load, entry));   /* the outputs */
    err = -EBUSY;
    if (created(h))
        err = vm_linux_load(h, r->kernel, l->initrd ? r->initrd : NULL, r->cmdline, (size_t)r->cmdline_len, l);
    if (!err && !(l->flags & VM_LINUX_CHECK_ONLY)) {
        h->load_entry = l->entry;
        h->load_mode = VM_MODE_LINUX64;
    }
    if (copy_to_user(uload, l, sizeof(*l)) < 0)   /* the reason also when refused */
        err = -EFAULT;
out:
    vm_handles_unlock();
free:
    kfree(r);
    return err;
}

void vm_boot_syscalls_init(void)
{
    syscall_register(SYS_VM_ALIAS, sys_vm_alias);
    syscall_register(SYS_VM_LOAD_FIRMWARE, sys_vm_load_firmware);
    syscall_register(SYS_VM_LOAD_LINUX, sys_vm_load_linux);
}
