/*
 * The VM system calls (numbers and records in uapi/vm_abi.h, semantics and
 * errors in docs/vm-api.md): argument checks, user copies, ownership, then
 * the VMX core's kernel API (vm.h).
 *
 * Context: the calling user thread, interrupts on. Every handler holds the
 * vm_handles lock (a mutex) while it works, except vm_wait, which holds a
 * reference to the VM (vm_lookup) while it sleeps. Each handler takes and
 * releases the lock in one place (one `out` label); buffers are the
 * handler's own (stack, or the heap for the large records). Check order:
 * id (ESRCH, EPERM), user pointers (EFAULT), alignment (EINVAL), range
 * (ERANGE), rights (EACCES), then the VM's state and the core's answer.
 */
#include "errno.h"
#include "kheap.h"
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
#include "vm_platform_syscalls.h"
#include "vm_syscalls.h"
#include "vmx.h"
#include "x86.h"

#define COPY_CHUNK 4096
#define TRACE_MAX (VM_MAX_VCPUS * VMX_TRACE_SIZE)

/* The VMX core says "not mapped" with ENOENT; the ABI says ENXIO. */
static int64_t core_err(int err)
{
    return err == -ENOENT ? -ENXIO : err;
}

/* The handle of VM id for the caller (modify: owner checks); lock held. */
static int find_handle(uint64_t id, bool modify, struct vm_handle **h)
{
    if (id == 0 || id > 0x7FFFFFFF)
        return -ESRCH;
    return vm_handle_get((int)id, modify, h);
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
    if (err)
        goto out;
    err = vm_handle_add(vm, flags & VM_CREATE_FOR_PARENT, &h);
    if (err) {
        vm_destroy(vm);
        goto out;
    }
    err = h->id;
out:
    vm_handles_unlock();
    return err == -E2BIG || err == -EBUSY ? -ENOSPC : err;   /* -ENOSPC: the core's VM table is full */
}

static int64_t sys_vm_destroy(uint64_t id, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    struct vm_handle *h;
    vm_handles_lock();
    int err = find_handle(id, true, &h);
    if (!err)
        vm_handle_destroy(h);
    vm_handles_unlock();
    return err;
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

/* Why a new mapping of [gpa, gpa+size) cannot go into h's region set, or 0. */
static int map_refused(const struct vm_handle *h, uint64_t gpa, uint64_t size, uint64_t rights)
{
    int err = vm_args_check_range(gpa, size);
    if (!err)
        err = vm_args_check_rights(rights);
    if (err)
        return err;
    if (vm_regions_overlap(&h->regions, gpa, size))
        return -EEXIST;
    if (size > VM_MEM_LIMIT - vm_regions_bytes(&h->regions))
        return -EFBIG;
    if (h->regions.n == VM_MAX_REGIONS)
        return -ENOSPC;
    return 0;
}

static int64_t sys_vm_map(uint64_t id, uint64_t gpa, uint64_t size, uint64_t rights, uint64_t a4)
{
    struct vm_handle *h;
    vm_handles_lock();
    int err = find_handle(id, true, &h);
    if (err)
        goto out;
    err = map_refused(h, gpa, size, rights);
    if (err)
        goto out;
    err = core_map(h, gpa, size, (unsigned)rights);
    if (err == -E2BIG)
        err = -EFBIG;
    if (err)
        goto out;
    vm_regions_add(&h->regions, gpa, size, (unsigned)rights);
out:
    vm_handles_unlock();
    return err;
}

/* vm_unmap and vm_protect: the whole range must be mapped; the region set
   is split first (ENOSPC) and only committed when the core agreed. */
static int64_t change_range(uint64_t id, uint64_t gpa, uint64_t size, bool unmap, uint64_t rights)
{
    struct vm_region_set next;           /* ~800 bytes */
    struct vm_handle *h;
    vm_handles_lock();
    int err = find_handle(id, true, &h);
    if (err)
        goto out;
    err = vm_args_check_range(gpa, size);
    if (!err && !unmap)
        err = vm_args_check_rights(rights);
    if (err)
        goto out;
    err = -ENXIO;
    if (!vm_regions_cover(&h->regions, gpa, size))
        goto out;
    err = unmap ? vm_regions_remove(&h->regions, gpa, size, &next)
                : vm_regions_protect(&h->regions, gpa, size, (unsigned)rights, &next);
    if (err)
        goto out;
    err = (int)core_err(unmap ? vm_unmap(h->vm, gpa, size)
                              : vm_protect(h->vm, gpa, size, (unsigned)rights));
    if (err)
        goto out;
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

/* Copy len bytes between user memory and guest memory in chunks through
   buf (COPY_CHUNK bytes). */
static int copy_guest(struct vm_handle *h, uint64_t gpa, uint64_t ubuf, uint64_t len, bool to_guest,
                      uint8_t *buf)
{
    int err = 0;
    for (uint64_t done = 0; done < len && !err; done += COPY_CHUNK) {
        size_t n = (size_t)MIN(len - done, (uint64_t)COPY_CHUNK);
        if (to_guest) {
            err = copy_from_user(buf, ubuf + done, n);
            if (!err)
                err = (int)core_err(vm_write(h->vm, gpa + done, buf, n));
        } else {
            err = (int)core_err(vm_read(h->vm, gpa + done, buf, n));
            if (!err)
                err = copy_to_user(ubuf + done, buf, n);
        }
    }
    return err;
}

static int64_t read_write(uint64_t id, uint64_t gpa, uint64_t ubuf, uint64_t len, bool to_guest)
{
    struct vm_handle *h;
    uint8_t *buf = len ? kmalloc(COPY_CHUNK) : NULL;
    vm_handles_lock();
    int err = find_handle(id, true, &h);
    if (err)
        goto out;
    err = -EFAULT;
    if (!user_range_ok(ubuf, len) || (len > 0 && ubuf == 0))
        goto out;
    err = vm_args_check_bytes(gpa, len, VM_RW_MAX);
    if (err || len == 0)
        goto out;
    err = -ENXIO;
    if (!vm_regions_cover(&h->regions, gpa, len))
        goto out;
    err = -ENOMEM;
    if (!buf)
        goto out;
    err = copy_guest(h, gpa, ubuf, len, to_guest, buf);
out:
    vm_handles_unlock();
    kfree(buf);
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
    char path[PATH_MAX];
    struct vm_load_info info;
    struct vm_handle *h;
    vm_handles_lock();
    int err = find_handle(id, true, &h);
    if (err)
        goto out;
    int64_t len = strncpy_from_user(path, upath, sizeof(path));
    err = len < 0 ? (int)len : uinfo && !user_range_ok(uinfo, sizeof(info)) ? -EFAULT : 0;
    if (err)
        goto out;
    err = vm_load_file(h, path, gpa, &info);
    if (err)
        goto out;
    h->load_entry = info.entry;
    h->load_mode = info.mode;
    if (uinfo)
        err = copy_to_user(uinfo, &info, sizeof(info));
out:
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

/* Why a vCPU cannot be added to h's VM now, or 0. */
static int vcpu_refused(const struct vm_handle *h, uint64_t mode, uint64_t entry)
{
    struct vm_info info = core_info(h);
    int err = vm_args_check_mode(mode, entry);
    if (err)
        return err;
    if (info.state != VM_STATE_CREATED)
        return -EBUSY;
    return info.vcpus >= VM_MAX_VCPUS ? -ENOSPC : 0;
}

static int64_t sys_vm_vcpu_create(uint64_t id, uint64_t mode, uint64_t entry, uint64_t uregs,
                                  uint64_t a4)
{
    struct vm_vcpu_params params;
    struct vm_regs regs;
    struct vm_handle *h;
    memset(&regs, 0, sizeof(regs));
    vm_handles_lock();
    int err = find_handle(id, true, &h);
    if (err)
        goto out;
    err = -EFAULT;
    if (uregs && copy_from_user(&regs, uregs, sizeof(regs)) < 0)
        goto out;
    err = vcpu_refused(h, mode, entry);
    if (err)
        goto out;
    fill_params(&params, mode, entry, &regs, core_info(h).vcpus);
    if (mode == VM_MODE_LONG64)
        err = add_long_mode_tables(h, &params);
    else if (mode == VM_MODE_LINUX64)
        err = vm_linux_boot_tables(h, &params);
    if (err)
        goto out;
    err = vm_vcpu_create(h->vm, &params);   /* the index */
out:
    vm_handles_unlock();
    return err;
}

static int64_t sys_vm_start(uint64_t id, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    struct vm_handle *h;
    vm_handles_lock();
    int err = find_handle(id, true, &h);
    if (err)
        goto out;
    struct vm_info info = core_info(h);
    err = info.state != VM_STATE_CREATED ? -EALREADY : info.vcpus == 0 ? -ECHILD : 0;
    if (err)
        goto out;
    h->start_tsc = rdtsc();
    err = vm_start(h->vm);
    if (err == -EBUSY)
        err = -EALREADY;
out:
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
    struct vm *vm = NULL;
    vm_handles_lock();
    int err = find_handle(id, false, &h);
    if (!err && core_info(h).state != VM_STATE_CREATED)
        vm = vm_lookup(h->id);           /* the reference keeps it while we sleep */
    vm_handles_unlock();
    if (err)
        return err;
    if (!vm)
        return -ECHILD;                  /* never started: nothing to wait for */
    err = wait_stopped(vm, timeout_ms);
    vm_put(vm);
    return err;
}

static int64_t sys_vm_kill(uint64_t id, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    struct vm_handle *h;
    vm_handles_lock();
    int err = find_handle(id, true, &h);
    if (!err)
        err = core_info(h).state == VM_STATE_RUNNING ? vm_kill(h->vm) : -EALREADY;
    vm_handles_unlock();
    return err;
}

static int64_t sys_vm_set_timeout(uint64_t id, uint64_t ms, uint64_t a2, uint64_t a3, uint64_t a4)
{
    struct vm_handle *h;
    vm_handles_lock();
    int err = find_handle(id, true, &h);
    if (err)
        goto out;
    err = ms > UINT32_MAX ? -EINVAL : core_info(h).state != VM_STATE_CREATED ? -EBUSY : 0;
    if (err)
        goto out;
    err = vm_set_time_limit(h->vm, ms);
    if (err)
        goto out;
    h->timeout_ms = ms;
out:
    vm_handles_unlock();
    return err;
}

/* The archived records of VM id after find_handle said err, or NULL. */
static const struct vm_archived *archived(uint64_t id, int err)
{
    return err == -ESRCH && id != 0 && id <= 0x7FFFFFFF ? vm_archive_find((int)id) : NULL;
}

/* The records vm_stats and vm_info return (one of them per call). */
union vm_record {
    struct vm_stats stats;
    struct vm_status status;
};

/* The status of a VM that was destroyed and whose record was dropped. */
static void lost_status(uint64_t id, struct vm_status *out)
{
    memset(out, 0, sizeof(*out));
    out->id = (int32_t)id;
    out->state = VM_IS_DESTROYED;
    out->record_lost = 1;
    vm_args_copy_name(out->stop_reason, sizeof(out->stop_reason), "record no longer kept");
}

/* Fill r->stats (stats) or r->status for VM id, live or archived, or for
   every VM (stats, VM_ALL); lock held. */
static int fill_record(uint64_t id, bool stats, union vm_record *r)
{
    if (stats && id == VM_ALL) {
        vm_record_stats(NULL, &r->stats);
        return 0;
    }
    struct vm_handle *h;
    int err = find_handle(id, false, &h);
    if (!err) {
        if (stats)
            vm_record_stats(h, &r->stats);
        else
            vm_record_status(h, &r->status);
        return 0;
    }
    const struct vm_archived *a = archived(id, err);
    if (a && stats)
        r->stats = a->stats;
    else if (a)
        r->status = a->status;
    else if (err == -ESRCH && !stats && id <= (uint64_t)vm_ids_issued())
        lost_status(id, &r->status);     /* destroyed, record dropped: say so */
    else
        return err;
    return 0;
}

/* vm_stats / vm_info: the record of a live or archived VM, copied to ubuf. */
static int64_t report(uint64_t id, uint64_t ubuf, bool stats)
{
    size_t size = stats ? sizeof(struct vm_stats) : sizeof(struct vm_status);
    if (!user_range_ok(ubuf, size) || ubuf == 0)
        return -EFAULT;
    union vm_record *r = kmalloc(sizeof(*r));
    if (!r)
        return -ENOMEM;
    vm_handles_lock();
    int err = fill_record(id, stats, r);
    vm_handles_unlock();
    if (!err)
        err = copy_to_user(ubuf, r, size);
    kfree(r);
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

/* The last up to max exits of VM id, live or archived, into out; lock held.
   Returns how many, or an error. */
static int64_t fill_trace(uint64_t id, struct vmx_trace_entry *scratch, struct vm_trace_entry *out,
                          size_t max)
{
    struct vm_handle *h;
    int err = find_handle(id, false, &h);
    if (!err)
        return (int64_t)vm_record_trace(h, scratch, out, max);
    const struct vm_archived *a = archived(id, err);
    if (!a)
        return err;
    size_t n = MIN((size_t)a->status.ntrace, max);     /* the last exits kept */
    memcpy(out, a->status.trace + (a->status.ntrace - n), n * sizeof(out[0]));
    return (int64_t)n;
}

static int64_t sys_vm_trace(uint64_t id, uint64_t ubuf, uint64_t max, uint64_t a3, uint64_t a4)
{
    max = MIN(max, (uint64_t)TRACE_MAX);
    if (!user_range_ok(ubuf, max * sizeof(struct vm_trace_entry)) || (max > 0 && ubuf == 0))
        return -EFAULT;
    struct vm_trace_entry *out = kmalloc(MAX(max, 1) * sizeof(*out));
    struct vmx_trace_entry *scratch = kmalloc(MAX(max, 1) * sizeof(*scratch));
    int64_t n = -ENOMEM;
    if (out && scratch) {
        vm_handles_lock();
        n = fill_trace(id, scratch, out, (size_t)max);
        vm_handles_unlock();
    }
    if (n > 0) {
        int err = copy_to_user(ubuf, out, (size_t)n * sizeof(out[0]));
        n = err ? err : n;
    }
    kfree(scratch);
    kfree(out);
    return n;
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
    vm_platform_syscalls_init();
    vm_break_syscalls_init();
}
