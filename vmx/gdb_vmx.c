/*
 * The GDB stub's view of the hypervisor: every vCPU is a gdb thread
 * "vmN vcpuK (guest)" whose registers are the guest's (saved GPRs, the
 * rest from its VMCS) and whose memory is guest memory (the guest's page
 * tables, then the EPT). Runs in the stopped state: interrupts off, the
 * kernel frozen, so the VM registry and vCPUs are read without locks. The
 * stopped thread may be a vCPU in its exit path with its VMCS current;
 * whatever VMCS was current is current again afterwards.
 */
#include "gdb_vmx.h"
#include "errno.h"
#include "format.h"
#include "gdb.h"
#include "guest_paging.h"
#include "kstring.h"
#include "exit_break.h"
#include "paging.h"
#include "pmm.h"
#include "vcpu.h"
#include "vm_internal.h"
#include "thread.h"
#include "vmcs.h"
#include "vmx.h"
#include "vmx_ops.h"
#include "x86.h"

#define GUEST_TID_BASE 0x10000          /* gdb ids of vCPUs: base + vm id * VM_MAX_VCPUS + index */

static int guest_tid(const struct vcpu *v) { return GUEST_TID_BASE + vm_id(v->vm) * VM_MAX_VCPUS + v->index; }

/* A vCPU whose VMCS has been set up (gdb can read its state). */
static bool vcpu_visible(const struct vcpu *v) { return v && v->exit != NULL; }

struct vcpu *gdb_vmx_vcpu_of_tid(int tid)
{
    if (tid < GUEST_TID_BASE || !vmx.enabled)
        return NULL;
    int id = (tid - GUEST_TID_BASE) / VM_MAX_VCPUS, index = (tid - GUEST_TID_BASE) % VM_MAX_VCPUS;
    for (int i = 0; i < VM_MAX_VMS; i++) {
        struct vm *vm = vm_debug_slot(i);
        if (vm && vm->id == id && index < vm->nvcpus && vcpu_visible(vm->vcpus[index]))
            return vm->vcpus[index];
    }
    return NULL;
}

struct vcpu *gdb_vmx_vcpu_of_thread(const struct thread *t)
{
    for (int i = 0; vmx.enabled && i < VM_MAX_VMS; i++) {
        struct vm *vm = vm_debug_slot(i);
        for (int k = 0; vm && k < vm->nvcpus; k++)
            if (vcpu_visible(vm->vcpus[k]) && vm->vcpus[k]->thread == t)
                return vm->vcpus[k];
    }
    return NULL;
}

struct vcpu *gdb_vmx_any_vcpu(void)
{
    for (int i = 0; vmx.enabled && i < VM_MAX_VMS; i++) {
        struct vm *vm = vm_debug_slot(i);
        for (int k = 0; vm && k < vm->nvcpus; k++)
            if (vcpu_visible(vm->vcpus[k]))
                return vm->vcpus[k];
    }
    return NULL;
}

uint64_t gdb_vmx_enter(struct vcpu *v)
{
    uint64_t saved = vmptrst();
    if (saved != v->vmcs)
        vmptrld(v->vmcs);
    return saved;
}

void gdb_vmx_leave(struct vcpu *v, uint64_t saved)
{
    if (saved != v->vmcs && saved != ~0ull)
        vmptrld(saved);                 /* ~0: no VMCS was current */
}

static int list(int *ids, int max)
{
    int n = 0;
    for (int i = 0; vmx.enabled && i < VM_MAX_VMS; i++) {
        struct vm *vm = vm_debug_slot(i);
        for (int k = 0; vm && k < vm->nvcpus && n < max; k++)
            if (vcpu_visible(vm->vcpus[k]))
                ids[n++] = guest_tid(vm->vcpus[k]);
    }
    return n;
}

static bool owns(int tid) { return gdb_vmx_vcpu_of_tid(tid) != NULL; }

static void info(int tid, char *buf, size_t n)
{
    struct vcpu *v = gdb_vmx_vcpu_of_tid(tid);
    const char *state = v->stopped ? "stopped" : v->paused ? "paused" : "running";
    ksnprintf(buf, n, "vm%d vcpu%d (guest), %s, last exit %s", vm_id(v->vm), v->index, state,
              vmx_exit_reason_name(EXIT_REASON_BASIC(v->exit->reason)));
}

/* Guest GPR index (SDM order, vcpu->gpr) of each gdb register 0-15. */
static const uint8_t gpr_of_gdb[16] = {GPR_RAX, GPR_RBX, GPR_RCX, GPR_RDX, GPR_RSI, GPR_RDI, GPR_RBP, GPR_RSP,
                                       GPR_R8,  GPR_R9,  GPR_R10, GPR_R11, GPR_R12, GPR_R13, GPR_R14, GPR_R15};
/* gdb's segment order: cs ss ds es fs gs, as VMCS segment numbers (ES 0, CS 1, SS 2, DS 3, FS 4, GS 5). */
static const uint8_t seg_of_gdb[6] = {1, 2, 3, 0, 4, 5};

static int get_regs(int tid, struct gdb_x86_regs *r)
{
    struct vcpu *v = gdb_vmx_vcpu_of_tid(tid);
    if (!v)
        return -ESRCH;
    memset(r, 0, sizeof(*r));
    for (int i = 0; i < 16; i++)
        r->gpr[i] = v->gpr[gpr_of_gdb[i]];
    uint64_t saved = gdb_vmx_enter(v);
    r->gpr[GDB_RSP] = vmcs_readnat(GUEST_RSP);
    r->rip = vmcs_readnat(GUEST_RIP);
    r->rflags = vmcs_readnat(GUEST_RFLAGS);
    for (int i = 0; i < 6; i++)
        r->seg[i] = (uint16_t)vmcs_read_field(GUEST_SEG_SELECTOR(seg_of_gdb[i]));
    r->fs_base = vmcs_readnat(GUEST_FS_BASE);
    r->gs_base = vmcs_readnat(GUEST_GS_BASE);
    r->cr0 = vmcs_readnat(GUEST_CR0);
    r->cr3 = vmcs_readnat(GUEST_CR3);
    r->cr4 = vmcs_readnat(GUEST_CR4);
    r->efer = vmcs_read64(GUEST_IA32_EFER);
    gdb_vmx_leave(v, saved);
    r->cr2 = v->thread == thread_current() ? read_cr2() : v->cr2;   /* live while its exit runs */
    return 0;
}

/* GPRs, RSP, RIP and RFLAGS take effect at the next entry. */
static int set_regs(int tid, const struct gdb_x86_regs *r)
{
    struct vcpu *v = gdb_vmx_vcpu_of_tid(tid);
    if (!v)
        return -ESRCH;
    for (int i = 0; i < 16; i++)
        if (i != GDB_RSP)
            v->gpr[gpr_of_gdb[i]] = r->gpr[i];
    uint64_t saved = gdb_vmx_enter(v);
    vmcs_writenat(GUEST_RSP, r->gpr[GDB_RSP]);
    vmcs_writenat(GUEST_RIP, r->rip);
    vmcs_writenat(GUEST_RFLAGS, (r->rflags & 0x3F7FD7ull) | 2);   /* reserved bits as SDM 26.3.1.4 wants */
    gdb_vmx_leave(v, saved);
    return 0;
}

/* Copy between buf and guest linear memory, page by page (guest paging, then EPT). */
static int guest_copy(int tid, uint64_t addr, void *buf, size_t n, bool write)
{
    struct vcpu *v = gdb_vmx_vcpu_of_tid(tid);
    if (!v)
        return -ESRCH;
    uint64_t saved = gdb_vmx_enter(v);
    int rc = 0;
    uint8_t *b = buf;
    while (n && rc == 0) {
        size_t chunk = MIN(n, (size_t)(PAGE_SIZE - (addr & (PAGE_SIZE - 1))));
        uint64_t gpa;
        uint8_t *host;
        if (vcpu_linear_to_gpa(v, addr, &gpa) < 0 || !(host = vm_gpa_to_host(v->vm, gpa, 0)))
            rc = -EFAULT;
        else if (write)
            memcpy(host, b, chunk);
        else
            memcpy(b, host, chunk);
        addr += chunk;
        b += chunk;
        n -= chunk;
    }
    gdb_vmx_leave(v, saved);
    return rc;
}

static int read_mem(int tid, uint64_t addr, void *buf, size_t n) { return guest_copy(tid, addr, buf, n, false); }
static int write_mem(int tid, uint64_t addr, const void *buf, size_t n)
{
    return guest_copy(tid, addr, (void *)buf, n, true);
}

/* Breakpoints may have changed; a vCPU stopped in its exit path (VM-exit
   breakpoint, a breakpoint or step in a handler) does not pay for the time
   in gdb against its time limit. */
static void resumed(uint64_t stopped_cycles)
{
    exit_break_rearm();
    struct vcpu *v = gdb_vmx_vcpu_of_thread(thread_current());
    if (v)
        exit_break_stopped(v, stopped_cycles);
}

/* Nobody would see a stop at gdb's VM-exit breakpoints any more. */
static void detached(void) { exit_break_clear(EXIT_BREAK_GDB, 0); }

static const struct gdb_thread_source vcpu_threads = {
    list, owns, info, get_regs, set_regs, read_mem, write_mem, resumed, detached,
};

void gdb_vmx_register(void)
{
    gdb_add_thread_source(&vcpu_threads);
    gdb_vmx_monitor_register();
}
