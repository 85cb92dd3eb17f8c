/*
 * VM objects: the registry of ids, creation and destruction, vCPUs, start,
 * wait and kill, and the read-out of state and statistics. Guest memory is
 * in vm_memory.c. See vm.h for the contract and the locking.
 */
#include "errno.h"
#include "kheap.h"
#include "kprintf.h"
#include "kstring.h"
#include "paging.h"
#include "pmm.h"
#include "thread.h"
#include "vm_internal.h"
#include "vmcs.h"
#include "vmx.h"

struct vmx_bitmaps vmx_bitmaps;

static struct mutex registry_mutex = MUTEX_INIT("vm registry");
static struct spinlock ref_lock = SPINLOCK_INIT("vm refs");
static struct vm *registry[VM_MAX_VMS];      /* live VMs, any slot */
static int next_id = 1;                      /* ids are never reused during a boot */
static struct vmx_stats retired_stats;       /* vCPUs of destroyed VMs */
static bool retired_init;
static uint16_t next_vpid = 1;

static const char *const stop_names[] = {
    [VM_STOP_NONE] = "running", [VM_STOP_HALTED] = "halted", [VM_STOP_EXIT_CODE] = "exit code",
    [VM_STOP_EPT_VIOLATION] = "EPT violation", [VM_STOP_EPT_MISCONFIG] = "EPT misconfiguration",
    [VM_STOP_TRIPLE_FAULT] = "triple fault", [VM_STOP_KILLED] = "killed", [VM_STOP_TIMEOUT] = "timeout",
    [VM_STOP_UNHANDLED] = "unhandled exit", [VM_STOP_ENTRY_FAILED] = "entry failed",
    [VM_STOP_INIT_SIPI] = "INIT/SIPI", [VM_STOP_ERROR] = "error",
};

const char *vm_stop_kind_name(enum vm_stop_kind k)
{
    return (unsigned)k < ARRAY_SIZE(stop_names) ? stop_names[k] : "(unknown)";
}

/* One page of all ones (every access exits, SDM 24.6.4 / 24.6.9). */
static uint64_t all_ones_page(void)
{
    uint64_t p = pmm_alloc_page();
    if (p)
        memset(phys_to_virt(p), 0xFF, PAGE_SIZE);
    return p;
}

/* VMX on and the shared bitmaps allocated; under registry_mutex. */
static int vmx_ready(void)
{
    int err = vmx_enable();
    if (err)
        return err;
    if (!vmx_bitmaps.msr) {
        vmx_bitmaps.io_a = all_ones_page();
        vmx_bitmaps.io_b = all_ones_page();
        vmx_bitmaps.msr = all_ones_page();
        if (!vmx_bitmaps.io_a || !vmx_bitmaps.io_b || !vmx_bitmaps.msr)
            return -ENOMEM;   /* the pages stay for the next try */
    }
    if (!retired_init) {
        vmx_stats_reset(&retired_stats);
        retired_init = true;
    }
    return 0;
}

static uint64_t pager_alloc(void *ctx)
{
    UNUSED(ctx);
    return pmm_alloc_page();
}
static void pager_free(void *ctx, uint64_t phys)
{
    UNUSED(ctx);
    pmm_free_page(phys);
}
static void *pager_to_virt(void *ctx, uint64_t phys)
{
    UNUSED(ctx);
    return phys_to_virt(phys);
}
static const struct ept_pager kernel_pager = {pager_alloc, pager_free, pager_to_virt, NULL};

int vm_create(struct vm **out)
{
    *out = NULL;
    if (!vmx_available())
        return -ENODEV;
    mutex_lock(&registry_mutex);
    int err = vmx_ready(), slot = -1;
    for (int i = 0; !err && i < VM_MAX_VMS && slot < 0; i++)
        if (!registry[i])
            slot = i;
    if (!err && slot < 0)
        err = -E2BIG;                            /* VM_MAX_VMS alive at once */
    if (!err && next_id == INT32_MAX)
        err = -E2BIG;                            /* 2^31 VMs in one boot: no ids left */
    struct vm *vm = err ? NULL : kzalloc(sizeof(*vm));
    if (!err && !vm)
        err = -ENOMEM;
    if (!err && ept_init(&vm->ept, &kernel_pager, (vmx.caps.ept_vpid & EPT_CAP_2M) != 0) < 0) {
        kfree(vm);
        err = -ENOMEM;
    }
    if (err) {
        mutex_unlock(&registry_mutex);
        return err;
    }
    vm->id = next_id++;
    vm->refs = 1;
    vm->registered = true;
    vm->state = VM_STATE_CREATED;
    mutex_init(&vm->lock, "vm");
    vm->stop_lock = (struct spinlock)SPINLOCK_INIT("vm stop");
    vm->stopped_wq = (struct waitqueue)WAITQUEUE_INIT;
    registry[slot] = vm;
    mutex_unlock(&registry_mutex);
    *out = vm;
    return 0;
}

int vm_id(const struct vm *vm) { return vm->id; }

struct vm *vm_lookup(int id)
{
    struct vm *vm = NULL;
    spin_lock(&ref_lock);
    for (int i = 0; i < VM_MAX_VMS && !vm; i++)
        if (registry[i] && registry[i]->id == id)
            vm = registry[i];
    if (vm)
        vm->refs++;
    spin_unlock(&ref_lock);
    return vm;
}

int vm_ids_issued(void)
{
    return next_id - 1;
}

void vm_put(struct vm *vm)
{
    spin_lock(&ref_lock);
    bool last = --vm->refs == 0;
    spin_unlock(&ref_lock);
    if (last)
        kfree(vm);
}

int vm_list(int *ids, int max)
{
    int live[VM_MAX_VMS], n = 0;
    spin_lock(&ref_lock);
    for (int i = 0; i < VM_MAX_VMS; i++) {
        if (!registry[i])
            continue;
        int j = n++;
        for (; j > 0 && live[j - 1] > registry[i]->id; j--)   /* ascending */
            live[j] = live[j - 1];
        live[j] = registry[i]->id;
    }
    spin_unlock(&ref_lock);
    for (int i = 0; i < n && i < max; i++)
        ids[i] = live[i];
    return n;
}

int vm_vcpu_create(struct vm *vm, const struct vm_vcpu_params *p)
{
    if ((unsigned)p->mode > VMX_MODE_LINUX64 || (vmx_mode_is_long(p->mode) && !p->cr3) ||
        (!vmx_mode_is_long(p->mode) && p->entry > 0xFFFFFFFFull) || (p->mode == VMX_MODE_REAL && p->entry > 0xFFFF))
        return -EINVAL;
    if (vm_lock_live(vm) < 0)
        return -ESRCH;
    int err = vm->state != VM_STATE_CREATED ? -EBUSY : vm->nvcpus == VM_MAX_VCPUS ? -E2BIG : 0;
    struct vcpu *v = err ? NULL : kzalloc(sizeof(*v));
    if (!err && !v)
        err = -ENOMEM;
    if (!err && !(v->vmcs = vmcs_alloc())) {
        kfree(v);
        err = -ENOMEM;
    }
    if (err) {
        mutex_unlock(&vm->lock);
        return err;
    }
    v->vm = vm;
    v->index = vm->nvcpus;
    v->params = *p;
    spin_lock(&ref_lock);   /* VPIDs are global; reuse is safe (INVVPID at setup) */
    v->vpid = next_vpid;
    next_vpid = next_vpid == 0xFFFF ? 1 : next_vpid + 1;
    spin_unlock(&ref_lock);
    vmx_stats_reset(&v->stats);
    vm->vcpus[vm->nvcpus++] = v;
    mutex_unlock(&vm->lock);
    return v->index;
}

int vm_set_time_limit(struct vm *vm, uint64_t ms)
{
    if (vm_lock_live(vm) < 0)
        return -ESRCH;
    int err = vm->state != VM_STATE_CREATED ? -EBUSY : 0;
    if (!err)
        vm->time_limit_ms = ms;
    mutex_unlock(&vm->lock);
    return err;
}

int vm_start(struct vm *vm)
{
    if (vm_lock_live(vm) < 0)
        return -ESRCH;
    int err = vm->state != VM_STATE_CREATED ? -EBUSY : vm->nvcpus == 0 ? -EINVAL : 0;
    if (err) {
        mutex_unlock(&vm->lock);
        return err;
    }
    uint64_t budget = vm->time_limit_ms ? vm->time_limit_ms * (vmx.tsc_hz / 1000) : 0;
    spin_lock(&vm->stop_lock);
    vm->running_vcpus = vm->nvcpus;
    vm->state = VM_STATE_RUNNING;
    spin_unlock(&vm->stop_lock);
    for (int i = 0; i < vm->nvcpus; i++) {
        struct vcpu *v = vm->vcpus[i];
        char name[24];
        ksnprintf(name, sizeof(name), "vm%d.vcpu%d", vm->id, i);
        v->time_budget = budget;
        v->thread = thread_create(name, vcpu_thread_main, v);
        if (!v->thread) {   /* the ones started are stopped by the kill below */
            v->stop_kind = VM_STOP_ERROR;
            strlcpy(v->stop_text, "cannot create the vCPU thread", sizeof(v->stop_text));
            vm_record_stop(vm, VM_STOP_ERROR, 0, v->stop_text);
            vm_vcpu_stopped(vm, v);
        }
    }
    mutex_unlock(&vm->lock);
    return 0;
}

void vm_record_stop(struct vm *vm, enum vm_stop_kind kind, int64_t code, const char *text)
{
    spin_lock(&vm->stop_lock);
    if (vm->stop_kind == VM_STOP_NONE) {
        vm->stop_kind = kind;
        vm->exit_code = code;
        strlcpy(vm->stop_text, text, sizeof(vm->stop_text));
    }
    for (int i = 0; i < vm->nvcpus; i++)
        vm->vcpus[i]->stop_request = true;
    spin_unlock(&vm->stop_lock);
}

void vm_vcpu_stopped(struct vm *vm, struct vcpu *v)
{
    spin_lock(&vm->stop_lock);
    v->stopped = true;
    if (--vm->running_vcpus == 0) {
        if (vm->stop_kind == VM_STOP_NONE) {   /* every vCPU halted (or was killed) */
            vm->stop_kind = v->stop_kind;
            strlcpy(vm->stop_text, v->stop_text, sizeof(vm->stop_text));
        }
        vm->state = VM_STATE_STOPPED;
        waitqueue_wake_all(&vm->stopped_wq);
    }
    spin_unlock(&vm->stop_lock);
}

int vm_kill(struct vm *vm)
{
    if (vm->state == VM_STATE_RUNNING)
        vm_record_stop(vm, VM_STOP_KILLED, 0, "killed");
    return 0;
}

int vm_wait(struct vm *vm, uint64_t timeout_ms)
{
    int err = 0;
    spin_lock(&vm->stop_lock);
    if (vm->state == VM_STATE_CREATED)
        err = -EINVAL;
    /* Killable: a process killed while it waits (Ctrl-C on `vm run`) must
       die now, and its exit hook then destroys the VM. */
    while (!err && vm->state == VM_STATE_RUNNING) {
        if (!timeout_ms) {
            if (!waitqueue_wait_killable(&vm->stopped_wq, &vm->stop_lock))
                err = -EINTR;
        } else {
            int woken = waitqueue_wait_timeout_killable(&vm->stopped_wq, &vm->stop_lock, timeout_ms);
            if (woken < 0)
                err = woken;
            else if (!woken && vm->state == VM_STATE_RUNNING)
                err = -ETIMEDOUT;
        }
    }
    spin_unlock(&vm->stop_lock);
    return err;
}

int vm_destroy(struct vm *vm)
{
    if (vm_lock_live(vm) < 0)
        return -ESRCH;
    vm_kill(vm);
    if (vm->state == VM_STATE_RUNNING)
        vm_wait(vm, 0);
    for (int i = 0; i < vm->nvcpus; i++) {
        struct vcpu *v = vm->vcpus[i];
        if (v->thread)
            thread_join(v->thread);
        vmcs_free(v->vmcs);
    }
    mutex_lock(&registry_mutex);
    for (int i = 0; i < vm->nvcpus; i++) {
        vmx_stats_add(&retired_stats, &vm->vcpus[i]->stats);
        if (vm->vcpus[i]->xsave_area)
            pmm_free_page(vm->vcpus[i]->xsave_area);
        kfree(vm->vcpus[i]);
        vm->vcpus[i] = NULL;
    }
    vm->nvcpus = 0;
    vm_free_memory(vm);
    spin_lock(&ref_lock);
    for (int i = 0; i < VM_MAX_VMS; i++)
        if (registry[i] == vm)
            registry[i] = NULL;
    vm->registered = false;
    spin_unlock(&ref_lock);
    mutex_unlock(&registry_mutex);
    mutex_unlock(&vm->lock);
    vm_put(vm);
    return 0;
}

void vm_get_info(struct vm *vm, struct vm_info *info)
{
    memset(info, 0, sizeof(*info));
    spin_lock(&vm->stop_lock);
    info->id = vm->id;
    info->state = vm->state;
    info->stop_kind = vm->state == VM_STATE_STOPPED ? vm->stop_kind : VM_STOP_NONE;
    info->exit_code = vm->exit_code;
    if (vm->state == VM_STATE_STOPPED)
        strlcpy(info->stop_text, vm->stop_text, sizeof(info->stop_text));
    info->vcpus = vm->nvcpus;
    info->mem_pages = vm->mem_pages;
    info->table_pages = vm->ept.table_pages;
    info->time_limit_ms = vm->time_limit_ms;
    spin_unlock(&vm->stop_lock);
}

void vm_get_stats(struct vm *vm, struct vmx_stats *out)
{
    vmx_stats_reset(out);
    if (vm) {
        if (vm_lock_live(vm) < 0)
            return;
        for (int i = 0; i < vm->nvcpus; i++)
            vmx_stats_add(out, &vm->vcpus[i]->stats);
        mutex_unlock(&vm->lock);
        vmx_stats_derive(out);
        return;
    }
    mutex_lock(&registry_mutex);
    if (retired_init)
        vmx_stats_add(out, &retired_stats);
    for (int i = 0; i < VM_MAX_VMS; i++)
        for (int j = 0; registry[i] && j < registry[i]->nvcpus; j++)
            vmx_stats_add(out, &registry[i]->vcpus[j]->stats);
    mutex_unlock(&registry_mutex);
    vmx_stats_derive(out);
}

int vm_get_trace(struct vm *vm, int vcpu, struct vmx_trace_entry *out, size_t max)
{
    if (vm_lock_live(vm) < 0)
        return -ESRCH;
    int n = -EINVAL;
    if (vcpu >= 0 && vcpu < vm->nvcpus) {
        n = (int)vmx_trace_copy(&vm->vcpus[vcpu]->trace, out, max);
        for (int i = 0; i < n; i++)
            out[i].vcpu = (uint32_t)vcpu;
    }
    mutex_unlock(&vm->lock);
    return n;
}

int vm_get_regs(struct vm *vm, int vcpu, uint64_t regs[16])
{
    if (vm_lock_live(vm) < 0)
        return -ESRCH;
    int err = vcpu < 0 || vcpu >= vm->nvcpus ? -EINVAL
              : (vm->state == VM_STATE_RUNNING && !vm->vcpus[vcpu]->stopped) ? -EBUSY : 0;
    if (!err)
        memcpy(regs, vm->vcpus[vcpu]->gpr, 16 * sizeof(uint64_t));
    mutex_unlock(&vm->lock);
    return err;
}

void vm_console_capture(struct vm *vm, char c)
{
    spin_lock(&vm->stop_lock);
    if (vm->console_len == VM_CONSOLE_CAPTURE) {   /* keep the tail */
        memmove(vm->console, vm->console + VM_CONSOLE_CAPTURE / 2, VM_CONSOLE_CAPTURE / 2);
        vm->console_len = VM_CONSOLE_CAPTURE / 2;
    }
    vm->console[vm->console_len++] = c;
    spin_unlock(&vm->stop_lock);
}

size_t vm_get_console(struct vm *vm, char *buf, size_t size)
{
    if (!size)
        return 0;
    spin_lock(&vm->stop_lock);
    size_t n = MIN(vm->console_len, size - 1);
    memcpy(buf, vm->console + vm->console_len - n, n);
    buf[n] = '\0';
    spin_unlock(&vm->stop_lock);
    return n;
}
