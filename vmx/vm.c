/*
 * VM objects: the registry of ids, creation and destruction, vCPUs, start,
 * wait and kill, and the read-out of state and statistics. Guest memory is
 * in vm_memory.c. See vm.h for the contract and the locking.
 */
#include "errno.h"
#include "exit_break.h"
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
    [VM_STOP_INIT_SIPI] = "INIT/SIPI", [VM_STOP_ERROR] = "error", [VM_STOP_RESET] = "reset",
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

/* A free registry slot, or -1; under registry_mutex. */
static int free_slot(void)
{
    for (int i = 0; i < VM_MAX_VMS; i++)
        if (!registry[i])
            return i;
    return -1;
}

/* The fields of a fresh VM that are not zero. */
static void vm_init_fields(struct vm *vm)
{
    vm->id = next_id++;
    vm->refs = 1;
    vm->registered = true;
    vm->state = VM_STATE_CREATED;
    mutex_init(&vm->lock, "vm");
    vm->stop_lock = (struct spinlock)SPINLOCK_INIT("vm stop");
    vm->stopped_wq = (struct waitqueue)WAITQUEUE_INIT;
}

int vm_create(struct vm **out)
{
    *out = NULL;
    if (!vmx_available())
        return -ENODEV;
    struct vm *vm = NULL;
    mutex_lock(&registry_mutex);
    int slot = free_slot();
    int err = vmx_ready();
    if (err)
        goto out;
    err = -E2BIG;                  /* VM_MAX_VMS alive, or 2^31 VMs in one boot: no ids left */
    if (slot < 0 || next_id == INT32_MAX)
        goto out;
    err = -ENOMEM;
    vm = kzalloc(sizeof(*vm));
    if (!vm || ept_init(&vm->ept, &kernel_pager, (vmx.caps.ept_vpid & EPT_CAP_2M) != 0) < 0)
        goto out;
    vm_init_fields(vm);
    platform_init(&vm->platform, vm);
    registry[slot] = vm;
    *out = vm;
    err = 0;
out:
    if (err)
        kfree(vm);
    mutex_unlock(&registry_mutex);
    return err;
}

int vm_id(const struct vm *vm) { return vm->id; }

struct vm *vm_debug_slot(int i) { return i >= 0 && i < VM_MAX_VMS ? registry[i] : NULL; }

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

/* A mode the core can start, with an entry point and CR3 that fit it. */
static bool vcpu_params_ok(const struct vm_vcpu_params *p)
{
    if ((unsigned)p->mode > VMX_MODE_LINUX64)
        return false;
    if (vmx_mode_is_long(p->mode))
        return p->cr3 != 0;
    return p->entry <= (p->mode == VMX_MODE_REAL ? 0xFFFFull : 0xFFFFFFFFull);
}

/* A VPID for a new vCPU. VPIDs are global; reuse after wrap-around is safe
   because every vCPU's setup flushes its VPID (INVVPID). */
static uint16_t take_vpid(void)
{
    spin_lock(&ref_lock);
    uint16_t vpid = next_vpid;
    next_vpid = next_vpid == 0xFFFF ? 1 : next_vpid + 1;
    spin_unlock(&ref_lock);
    return vpid;
}

int vm_vcpu_create(struct vm *vm, const struct vm_vcpu_params *p)
{
    if (!vcpu_params_ok(p))
        return -EINVAL;
    struct vcpu *v = NULL;
    int err = vm_lock_checked(vm);
    if (err)
        goto out;
    err = -EBUSY;
    if (vm->state != VM_STATE_CREATED)
        goto out;
    err = -E2BIG;
    if (vm->nvcpus == VM_MAX_VCPUS)
        goto out;
    err = -ENOMEM;
    v = kzalloc(sizeof(*v));
    if (!v || !(v->vmcs = vmcs_alloc()))
        goto out;
    v->vm = vm;
    v->index = vm->nvcpus;
    v->params = *p;
    v->vpid = take_vpid();
    vmx_stats_reset(&v->stats);
    vm->vcpus[vm->nvcpus++] = v;
    err = v->index;
out:
    if (err < 0)
        kfree(v);
    mutex_unlock(&vm->lock);
    return err;
}

int vm_set_time_limit(struct vm *vm, uint64_t ms)
{
    int err = vm_lock_checked(vm);
    if (err)
        goto out;
    err = -EBUSY;
    if (vm->state != VM_STATE_CREATED)
        goto out;
    vm->time_limit_ms = ms;
    err = 0;
out:
    mutex_unlock(&vm->lock);
    return err;
}

/* Start the thread of vCPU v; a vCPU whose thread cannot be created stops
   the VM (the ones already started see the stop request at their next exit). */
static void start_vcpu(struct vm *vm, struct vcpu *v, uint64_t budget)
{
    char name[24];
    ksnprintf(name, sizeof(name), "vm%d.vcpu%d", vm->id, v->index);
    v->time_budget = budget;
    v->thread = thread_create(name, vcpu_thread_main, v);
    if (v->thread)
        return;
    v->stop_kind = VM_STOP_ERROR;
    strlcpy(v->stop_text, "cannot create the vCPU thread", sizeof(v->stop_text));
    vm_record_stop(vm, VM_STOP_ERROR, 0, v->stop_text);
    vm_vcpu_stopped(vm, v);
}

int vm_start(struct vm *vm)
{
    int err = vm_lock_checked(vm);
    if (err)
        goto out;
    err = vm->state != VM_STATE_CREATED ? -EBUSY : vm->nvcpus == 0 ? -EINVAL : 0;
    if (err)
        goto out;
    uint64_t budget = vm->time_limit_ms ? vm->time_limit_ms * (vmx.tsc_hz / 1000) : 0;
    platform_set_machine(&vm->platform, ept_ram_end(&vm->ept), 0, (unsigned)vm->nvcpus);   /* GPAs end at 4 GiB */
    spin_lock(&vm->stop_lock);
    vm->running_vcpus = vm->nvcpus;
    vm->state = VM_STATE_RUNNING;
    spin_unlock(&vm->stop_lock);
    for (int i = 0; i < vm->nvcpus; i++)
        start_vcpu(vm, vm->vcpus[i], budget);
out:
    mutex_unlock(&vm->lock);
    return err;
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
    platform_wake(&vm->platform);   /* vCPUs halted in HLT see the request */
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

/* Free the vCPUs of a VM whose threads have ended, keeping their statistics
   in the system-wide totals; under registry_mutex. */
static void free_vcpus(struct vm *vm)
{
    for (int i = 0; i < vm->nvcpus; i++) {
        struct vcpu *v = vm->vcpus[i];
        vmcs_free(v->vmcs);
        vmx_stats_add(&retired_stats, &v->stats);
        if (v->xsave_area)
            pmm_free_page(v->xsave_area);
        kfree(v);
        vm->vcpus[i] = NULL;
    }
    vm->nvcpus = 0;
}

/* Take vm out of the registry: lookups fail and vm_lock_checked says
   -ESRCH from now on; under registry_mutex. */
static void unregister(struct vm *vm)
{
    spin_lock(&ref_lock);
    for (int i = 0; i < VM_MAX_VMS; i++)
        if (registry[i] == vm)
            registry[i] = NULL;
    vm->registered = false;
    spin_unlock(&ref_lock);
}

/* Stop the vCPUs of vm and free everything it holds; vm->lock held. */
static void destroy_locked(struct vm *vm)
{
    vm_kill(vm);
    if (vm->state == VM_STATE_RUNNING)
        vm_wait(vm, 0);
    for (int i = 0; i < vm->nvcpus; i++)
        if (vm->vcpus[i]->thread)
            thread_join(vm->vcpus[i]->thread);
    exit_break_clear(EXIT_BREAK_SHELL, vm->id);   /* its id is never reused: */
    exit_break_clear(EXIT_BREAK_GDB, vm->id);     /* the slots would stay taken */
    mutex_lock(&registry_mutex);
    free_vcpus(vm);
    vm_free_memory(vm);
    unregister(vm);
    mutex_unlock(&registry_mutex);
}

int vm_destroy(struct vm *vm)
{
    int err = vm_lock_checked(vm);
    if (!err)
        destroy_locked(vm);
    mutex_unlock(&vm->lock);
    if (!err)
        vm_put(vm);   /* the creator's reference: the struct goes with the last one */
    return err;
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
        if (!vm_lock_checked(vm))
            for (int i = 0; i < vm->nvcpus; i++)
                vmx_stats_add(out, &vm->vcpus[i]->stats);
        mutex_unlock(&vm->lock);
    } else {
        mutex_lock(&registry_mutex);
        if (retired_init)
            vmx_stats_add(out, &retired_stats);
        for (int i = 0; i < VM_MAX_VMS; i++)
            for (int j = 0; registry[i] && j < registry[i]->nvcpus; j++)
                vmx_stats_add(out, &registry[i]->vcpus[j]->stats);
        mutex_unlock(&registry_mutex);
    }
    vmx_stats_derive(out);
}

int vm_get_trace(struct vm *vm, int vcpu, struct vmx_trace_entry *out, size_t max)
{
    int n = vm_lock_checked(vm);
    if (n)
        goto out;
    n = -EINVAL;
    if (vcpu < 0 || vcpu >= vm->nvcpus)
        goto out;
    n = (int)vmx_trace_copy(&vm->vcpus[vcpu]->trace, out, max);
    for (int i = 0; i < n; i++)
        out[i].vcpu = (uint32_t)vcpu;
out:
    mutex_unlock(&vm->lock);
    return n;
}

int vm_visit_trace(struct vm *vm, vm_trace_visitor fn, void *ctx)
{
    int err = vm_lock_checked(vm);
    for (int v = 0; !err && v < vm->nvcpus; v++) {
        const struct vmx_trace *t = &vm->vcpus[v]->trace;
        uint64_t have = MIN(t->next, (uint64_t)VMX_TRACE_SIZE);
        for (uint64_t i = t->next - have; i < t->next; i++) {
            struct vmx_trace_entry e = t->ring[i % VMX_TRACE_SIZE];
            e.vcpu = (uint32_t)v;
            fn(&e, ctx);
        }
    }
    mutex_unlock(&vm->lock);
    return err;
}

int vm_get_regs(struct vm *vm, int vcpu, uint64_t regs[16])
{
    int err = vm_lock_checked(vm);
    if (err)
        goto out;
    err = -EINVAL;
    if (vcpu < 0 || vcpu >= vm->nvcpus)
        goto out;
    err = -EBUSY;
    if (vm->state == VM_STATE_RUNNING && !vm->vcpus[vcpu]->stopped)
        goto out;
    memcpy(regs, vm->vcpus[vcpu]->gpr, 16 * sizeof(uint64_t));
    err = 0;
out:
    mutex_unlock(&vm->lock);
    return err;
}

void vm_console_capture(struct vm *vm, const char *s, size_t n)
{
    if (n > VM_CONSOLE_CAPTURE / 2) {   /* only the tail can stay */
        s += n - VM_CONSOLE_CAPTURE / 2;
        n = VM_CONSOLE_CAPTURE / 2;
    }
    spin_lock(&vm->stop_lock);
    if (vm->console_len + n > VM_CONSOLE_CAPTURE) {   /* keep the newest half */
        memmove(vm->console, vm->console + vm->console_len - VM_CONSOLE_CAPTURE / 2, VM_CONSOLE_CAPTURE / 2);
        vm->console_len = VM_CONSOLE_CAPTURE / 2;
    }
    memcpy(vm->console + vm->console_len, s, n);
    vm->console_len += n;
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
