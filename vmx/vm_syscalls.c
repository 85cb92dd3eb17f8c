/*
 * The VM system calls (numbers and records in uapi/vm_abi.h, semantics and
 * errors in docs/vm-api.md): argument checks, user copies, ownership, then
 * the VMX core's kernel API (vm.h).
 *
 * Context: the calling user thread, interrupts on. Every handler holds the
 * vm_handles lock (a mutex) while it works, except vm_wait, which holds a
 * reference to the VM (vm_lookup) while it sleeps. Check order: id (ESRCH,
 * EPERM), user pointers (EFAULT), alignment (EINVAL), range (ERANGE),
 * rights (EACCES), then the VM's state and the core's answer.
 */
#include "errno.h"
#include "kprintf.h"
#include "kstring.h"
#include "process.h"
#include "syscall.h"
#include "uaccess.h"
#include "vm.h"
#include "vm_args.h"
#include "vm_boot.h"
#include "vm_handles.h"
#include "vm_load.h"
#include "vm_records.h"
#include "vm_syscalls.h"
#include "vmx.h"
#include "x86.h"

#define COPY_CHUNK 4096
#define TRACE_MAX (VM_MAX_VCPUS * VMX_TRACE_SIZE)

/* Scratch buffers, used with the vm_handles lock held. */
static uint8_t copy_buf[COPY_CHUNK];
static struct vm_stats stats_buf;
static struct vm_status status_buf;
static struct vm_trace_entry trace_buf[TRACE_MAX];

/* The VMX core says "not mapped" with ENOENT; the ABI says ENXIO. */
static int64_t core_err(int err)
{
    return err == -ENOENT ? -ENXIO : err;
}

/* Lock, find VM id for the caller (modify: owner checks); returns with the
   lock held only on success. */
static int get_locked(uint64_t id, bool modify, struct vm_handle **h)
{
    if (id == 0 || id > 0x7FFFFFFF)
        return -ESRCH;
    vm_handles_lock();
    int err = vm_handle_get((int)id, modify, h);
    if (err)
        vm_handles_unlock();
    return err;
}

/* The core's current state of h's VM. */
static struct vm_info core_info(const struct vm_handle *h)
{
    struct vm_info info;
    vm_get_info(h->vm, &info);
    return info;
}

static int64_t sys_vm_create(uint64_t flags, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    if (flags & ~(uint64_t)VM_CREATE_FOR_PARENT)
        return -EINVAL;
    if ((flags & VM_CREATE_FOR_PARENT) && process_current()->parent <= 0)
        return -EINVAL;                  /* no parent to own it */
    if (!vmx_available())
        return -ENODEV;
    struct vm *vm;
    struct vm_handle *h;
    vm_handles_lock();
    int err = vm_create(&vm);
    if (!err) {
        err = vm_handle_add(vm, flags & VM_CREATE_FOR_PARENT, &h);
        if (err)
            vm_destroy(vm);
    }
    vm_handles_unlock();
    if (err == -E2BIG || err == -EBUSY)
        err = -ENOSPC;                   /* the core's VM table is full */
    return err ? err : h->id;
}

static int64_t sys_vm_destroy(uint64_t id, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    struct vm_handle *h;
    int err = get_locked(id, true, &h);
    if (err)
        return err;
    vm_handle_destroy(h);
    vm_handles_unlock();
    return 0;
}

/* vm_map on the core: rights without R (0, X only) map readable first and
   then take R away, because an EPT mapping is created readable. */
static int core_map(struct vm_handle *h, uint64_t gpa, uint64_t size, unsigned rights)
{
    int err = vm_map(h->vm, gpa, size, rights | VM_R);
    if (!err && !(rights & VM_R)) {
        err = vm_protect(h->vm, gpa, size, rights);
        if (err)
            vm_unmap(h->vm, gpa, size);
    }
    return err;
}

static int64_t sys_vm_map(uint64_t id, uint64_t gpa, uint64_t size, uint64_t rights, uint64_t a4)
{
    struct vm_handle *h;
    int err = get_locked(id, true, &h);
    if (err)
        return err;
    if (!(err = vm_args_check_range(gpa, size)) && !(err = vm_args_check_rights(rights))) {
        if (vm_regions_overlap(&h->regions, gpa, size))
            err = -EEXIST;
        else if (size > VM_MEM_LIMIT - vm_regions_bytes(&h->regions))
            err = -EFBIG;
        else if (h->regions.n == VM_MAX_REGIONS)
            err = -ENOSPC;
        else if (!(err = core_map(h, gpa, size, (unsigned)rights)))
            vm_regions_add(&h->regions, gpa, size, (unsigned)rights);
        else if (err == -E2BIG)
            err = -EFBIG;
    }
    vm_handles_unlock();
    return err;
}

/* vm_unmap and vm_protect: the whole range must be mapped; the region set
   is split first (ENOSPC) and only committed when the core agreed. */
static int64_t change_range(uint64_t id, uint64_t gpa, uint64_t size, bool unmap, uint64_t rights)
{
    static struct vm_region_set next;
    struct vm_handle *h;
    int err = get_locked(id, true, &h);
    if (err)
        return err;
    if ((err = vm_args_check_range(gpa, size)) || (!unmap && (err = vm_args_check_rights(rights))))
        goto out;
    if (!vm_regions_cover(&h->regions, gpa, size)) {
        err = -ENXIO;
        goto out;
    }
    err = unmap ? vm_regions_remove(&h->regions, gpa, size, &next)
                : vm_regions_protect(&h->regions, gpa, size, (unsigned)rights, &next);
    if (!err)
        err = (int)core_err(unmap ? vm_unmap(h->vm, gpa, size)
                                  : vm_protect(h->vm, gpa, size, (unsigned)rights));
    if (!err)
        h->regions = next;
out:
    vm_handles_unlock();
    return err;
}

static int64_t sys_vm_unmap(uint64_t id, uint64_t gpa, uint64_t size, uint64_t a3, uint64_t a4)
{
    return change_range(id, gpa, size, true, 0);
}

static int64_t sys_vm_protect(uint64_t id, uint64_t gpa, uint64_t size, uint64_t rights, uint64_t a4)
{
    return change_range(id, gpa, size, false, rights);
}

/* Copy len bytes between user memory and guest memory in chunks. */
static int copy_guest(struct vm_handle *h, uint64_t gpa, uint64_t ubuf, uint64_t len, bool to_guest)
{
    for (uint64_t done = 0; done < len;) {
        size_t n = (size_t)MIN(len - done, (uint64_t)COPY_CHUNK);
        int err;
        if (to_guest) {
            err = copy_from_user(copy_buf, ubuf + done, n);
            if (!err)
                err = (int)core_err(vm_write(h->vm, gpa + done, copy_buf, n));
        } else {
            err = (int)core_err(vm_read(h->vm, gpa + done, copy_buf, n));
            if (!err)
                err = copy_to_user(ubuf + done, copy_buf, n);
        }
        if (err)
            return err;
        done += n;
    }
    return 0;
}

static int64_t read_write(uint64_t id, uint64_t gpa, uint64_t ubuf, uint64_t len, bool to_guest)
{
    struct vm_handle *h;
    int err = get_locked(id, true, &h);
    if (err)
        return err;
    if (!user_range_ok(ubuf, len) || (len > 0 && ubuf == 0))
        err = -EFAULT;
    else if (!(err = vm_args_check_bytes(gpa, len, VM_RW_MAX)) && len > 0 &&
             !vm_regions_cover(&h->regions, gpa, len))
        err = -ENXIO;
    if (!err)
        err = copy_guest(h, gpa, ubuf, len, to_guest);
    vm_handles_unlock();
    return err ? err : (int64_t)len;
}

static int64_t sys_vm_write(uint64_t id, uint64_t gpa, uint64_t ubuf, uint64_t len, uint64_t a4)
{
    return read_write(id, gpa, ubuf, len, true);
}

static int64_t sys_vm_read(uint64_t id, uint64_t gpa, uint64_t ubuf, uint64_t len, uint64_t a4)
{
    return read_write(id, gpa, ubuf, len, false);
}

static int64_t sys_vm_load(uint64_t id, uint64_t upath, uint64_t gpa, uint64_t uinfo, uint64_t a4)
{
    static char path[PATH_MAX];
    struct vm_load_info info;
    struct vm_handle *h;
    int err = get_locked(id, true, &h);
    if (err)
        return err;
    int64_t len = strncpy_from_user(path, upath, sizeof(path));
    if (len < 0)
        err = (int)len;
    else if (uinfo && !user_range_ok(uinfo, sizeof(info)))
        err = -EFAULT;
    else
        err = vm_load_file(h, path, gpa, &info);
    if (!err) {
        h->load_entry = info.entry;
        h->load_mode = info.mode;
        if (uinfo)
            err = copy_to_user(uinfo, &info, sizeof(info));
    }
    vm_handles_unlock();
    return err;
}

/* Core start parameters from the ABI's mode and registers (SDM GPR order). */
static void fill_params(struct vm_vcpu_params *p, uint64_t mode, uint64_t entry,
                        const struct vm_regs *r, int index)
{
    memset(p, 0, sizeof(*p));
    static const enum vmx_mode modes[] = {[VM_MODE_REAL] = VMX_MODE_REAL, [VM_MODE_PROT32] = VMX_MODE_PROT32,
                                          [VM_MODE_LONG64] = VMX_MODE_LONG64, [VM_MODE_RESET] = VMX_MODE_RESET,
                                          [VM_MODE_LINUX64] = VMX_MODE_LINUX64};
    p->mode = modes[mode];   /* vm_args_check_mode accepted it */
    p->entry = entry;
    p->rsp = r->rsp;
    const uint64_t sdm_order[16] = {r->rax, r->rcx, r->rdx, r->rbx, 0, r->rbp, r->rsi, r->rdi,
                                    r->r8, r->r9, r->r10, r->r11, r->r12, r->r13, r->r14, r->r15};
    memcpy(p->regs, sdm_order, sizeof(sdm_order));
    if (r->rbx_is_index)
        p->regs[3] = (uint64_t)index;
}

/* Long mode: identity tables (and a GDT) in the last 16 KiB of the memory
   that starts at GPA 0. */
static int add_long_mode_tables(struct vm_handle *h, struct vm_vcpu_params *p)
{
    uint64_t end = vm_regions_low_end(&h->regions);
    if (end < VM_LONG_MODE_TABLES_SIZE)
        return -ENXIO;
    return (int)core_err(vm_build_long_mode_tables(h->vm, end - VM_LONG_MODE_TABLES_SIZE, p));
}

static int64_t sys_vm_vcpu_create(uint64_t id, uint64_t mode, uint64_t entry, uint64_t uregs,
                                  uint64_t a4)
{
    static struct vm_vcpu_params params;
    struct vm_regs regs;
    struct vm_handle *h;
    int err = get_locked(id, true, &h);
    if (err)
        return err;
    memset(&regs, 0, sizeof(regs));
    struct vm_info info = core_info(h);
    if (uregs && copy_from_user(&regs, uregs, sizeof(regs)) < 0)
        err = -EFAULT;
    else if (!(err = vm_args_check_mode(mode, entry)) && info.state != VM_STATE_CREATED)
        err = -EBUSY;
    else if (!err && info.vcpus >= VM_MAX_VCPUS)
        err = -ENOSPC;
    if (!err) {
        fill_params(&params, mode, entry, &regs, info.vcpus);
        if (mode == VM_MODE_LONG64)
            err = add_long_mode_tables(h, &params);
        else if (mode == VM_MODE_LINUX64)
            err = vm_linux_boot_tables(h, &params);
    }
    if (!err)
        err = vm_vcpu_create(h->vm, &params);   /* the index */
    vm_handles_unlock();
    return err;
}

static int64_t sys_vm_start(uint64_t id, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    struct vm_handle *h;
    int err = get_locked(id, true, &h);
    if (err)
        return err;
    struct vm_info info = core_info(h);
    if (info.state != VM_STATE_CREATED)
        err = -EALREADY;
    else if (info.vcpus == 0)
        err = -ECHILD;
    else {
        h->start_tsc = rdtsc();
        err = vm_start(h->vm);
        if (err == -EBUSY)
            err = -EALREADY;
    }
    vm_handles_unlock();
    return err;
}

/* Sleep until vm stops, the time is up or the caller is killed (vm_wait is
   killable); a timeout of 0 only polls. */
static int wait_stopped(struct vm *vm, uint64_t timeout_ms)
{
    if (timeout_ms == 0) {
        struct vm_info info;
        vm_get_info(vm, &info);
        return info.state == VM_STATE_STOPPED ? 0 : -ETIMEDOUT;
    }
    return vm_wait(vm, timeout_ms == VM_WAIT_FOREVER ? 0 : timeout_ms);
}

static int64_t sys_vm_wait(uint64_t id, uint64_t timeout_ms, uint64_t a2, uint64_t a3, uint64_t a4)
{
    struct vm_handle *h;
    int err = get_locked(id, false, &h);
    if (err)
        return err;
    struct vm *vm = core_info(h).state == VM_STATE_CREATED ? NULL : vm_lookup(h->id);
    vm_handles_unlock();
    if (!vm)
        return -ECHILD;                  /* never started: nothing to wait for */
    err = wait_stopped(vm, timeout_ms);
    vm_put(vm);
    return err;
}

static int64_t sys_vm_kill(uint64_t id, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    struct vm_handle *h;
    int err = get_locked(id, true, &h);
    if (err)
        return err;
    err = core_info(h).state == VM_STATE_RUNNING ? vm_kill(h->vm) : -EALREADY;
    vm_handles_unlock();
    return err;
}

static int64_t sys_vm_set_timeout(uint64_t id, uint64_t ms, uint64_t a2, uint64_t a3, uint64_t a4)
{
    struct vm_handle *h;
    int err = get_locked(id, true, &h);
    if (err)
        return err;
    if (ms > UINT32_MAX)
        err = -EINVAL;
    else if (core_info(h).state != VM_STATE_CREATED)
        err = -EBUSY;
    else if (!(err = vm_set_time_limit(h->vm, ms)))
        h->timeout_ms = ms;
    vm_handles_unlock();
    return err;
}

/* The archived records of VM id, with the lock held; NULL (lock released)
   if there are none. */
static const struct vm_archived *get_archived_locked(uint64_t id)
{
    if (id == 0 || id > 0x7FFFFFFF)
        return NULL;
    vm_handles_lock();
    const struct vm_archived *a = vm_archive_find((int)id);
    if (!a)
        vm_handles_unlock();
    return a;
}

/* Fill stats_buf (stats) or status_buf for VM id, live or archived, or for
   every VM (stats, VM_ALL). On success the lock is held. */
static int fill_record_locked(uint64_t id, bool stats)
{
    struct vm_handle *h;
    if (stats && id == VM_ALL) {
        vm_handles_lock();
        vm_record_stats(NULL, &stats_buf);
        return 0;
    }
    int err = get_locked(id, false, &h);
    if (err == 0) {
        if (stats)
            vm_record_stats(h, &stats_buf);
        else
            vm_record_status(h, &status_buf);
        return 0;
    }
    const struct vm_archived *a = err == -ESRCH ? get_archived_locked(id) : NULL;
    if (!a && err == -ESRCH && !stats && id <= (uint64_t)vm_ids_issued()) {
        vm_handles_lock();               /* destroyed, record dropped: say so */
        memset(&status_buf, 0, sizeof(status_buf));
        status_buf.id = (int32_t)id;
        status_buf.state = VM_IS_DESTROYED;
        status_buf.record_lost = 1;
        vm_args_copy_name(status_buf.stop_reason, sizeof(status_buf.stop_reason),
                          "record no longer kept");
        return 0;
    }
    if (!a)
        return err;
    if (stats)
        stats_buf = a->stats;
    else
        status_buf = a->status;
    return 0;
}

/* vm_stats / vm_info: the record of a live or archived VM, copied to ubuf. */
static int64_t report(uint64_t id, uint64_t ubuf, bool stats)
{
    size_t size = stats ? sizeof(stats_buf) : sizeof(status_buf);
    if (!user_range_ok(ubuf, size) || ubuf == 0)
        return -EFAULT;
    int err = fill_record_locked(id, stats);
    if (err)
        return err;
    err = copy_to_user(ubuf, stats ? (const void *)&stats_buf : (const void *)&status_buf, size);
    vm_handles_unlock();
    return err;
}

static int64_t sys_vm_stats(uint64_t id, uint64_t ubuf, uint64_t a2, uint64_t a3, uint64_t a4)
{
    if ((int64_t)id < 0)
        return -EINVAL;
    return report(id, ubuf, true);
}

static int64_t sys_vm_info(uint64_t id, uint64_t ubuf, uint64_t a2, uint64_t a3, uint64_t a4)
{
    return report(id, ubuf, false);
}

static int64_t sys_vm_list(uint64_t uids, uint64_t max, uint64_t a2, uint64_t a3, uint64_t a4)
{
    int32_t ids[VM_MAX_VMS];
    max = MIN(max, (uint64_t)VM_MAX_VMS);
    if (!user_range_ok(uids, max * sizeof(int32_t)) || (max > 0 && uids == 0))
        return -EFAULT;
    vm_handles_lock();
    int n = vm_handle_list(ids, VM_MAX_VMS);
    vm_handles_unlock();
    int err = copy_to_user(uids, ids, MIN((uint64_t)n, max) * sizeof(int32_t));
    return err ? err : n;
}

static int64_t sys_vm_trace(uint64_t id, uint64_t ubuf, uint64_t max, uint64_t a3, uint64_t a4)
{
    max = MIN(max, (uint64_t)TRACE_MAX);
    if (!user_range_ok(ubuf, max * sizeof(struct vm_trace_entry)) || (max > 0 && ubuf == 0))
        return -EFAULT;
    struct vm_handle *h;
    size_t n;
    int err = get_locked(id, false, &h);
    if (err == 0) {
        n = vm_record_trace(h, trace_buf, max);
    } else {
        const struct vm_archived *a = err == -ESRCH ? get_archived_locked(id) : NULL;
        if (!a)
            return err;
        n = MIN((size_t)a->status.ntrace, (size_t)max);     /* the last exits kept */
        memcpy(trace_buf, a->status.trace + (a->status.ntrace - n), n * sizeof(trace_buf[0]));
    }
    err = copy_to_user(ubuf, trace_buf, n * sizeof(trace_buf[0]));
    vm_handles_unlock();
    return err ? err : (int64_t)n;
}

void vm_syscalls_init(void)
{
    static const struct {
        unsigned nr;
        syscall_fn fn;
    } calls[] = {
        {SYS_VM_CREATE, sys_vm_create},   {SYS_VM_DESTROY, sys_vm_destroy},
        {SYS_VM_MAP, sys_vm_map},         {SYS_VM_UNMAP, sys_vm_unmap},
        {SYS_VM_PROTECT, sys_vm_protect}, {SYS_VM_WRITE, sys_vm_write},
        {SYS_VM_READ, sys_vm_read},       {SYS_VM_LOAD, sys_vm_load},
        {SYS_VM_VCPU_CREATE, sys_vm_vcpu_create}, {SYS_VM_START, sys_vm_start},
        {SYS_VM_WAIT, sys_vm_wait},       {SYS_VM_KILL, sys_vm_kill},
        {SYS_VM_STATS, sys_vm_stats},     {SYS_VM_INFO, sys_vm_info},
        {SYS_VM_LIST, sys_vm_list},       {SYS_VM_TRACE, sys_vm_trace},
        {SYS_VM_SET_TIMEOUT, sys_vm_set_timeout},
    };
    for (size_t i = 0; i < ARRAY_SIZE(calls); i++)
        if (syscall_register(calls[i].nr, calls[i].fn) < 0)
            kprintf("vm: syscall %u already taken\n", calls[i].nr);
    vm_boot_syscalls_init();
}
