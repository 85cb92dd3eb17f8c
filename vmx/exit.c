/*
 * The exit dispatch table, event injection and the "nobody handles this"
 * path. Everything runs on the vCPU thread, interrupts off, VMCS current.
 * Reasons without an entry go to exit_unexpected(), which stops the VM with
 * a dump of the guest state and the exit information, never the host.
 */
#include "entry_failure.h"
#include "exit.h"
#include "exit_break.h"
#include "exit_io.h"
#include "gdb.h"
#include "kprintf.h"
#include "vcpu_events.h"
#include "vm_internal.h"
#include "vmcs.h"
#include "vmx.h"

static const exit_handler exit_handlers[EXIT_REASON_MAX] = {
    [EXIT_REASON_EXCEPTION_NMI] = exit_exception_nmi,
    [EXIT_REASON_EXTERNAL_INTERRUPT] = exit_external_interrupt,
    [EXIT_REASON_TRIPLE_FAULT] = exit_triple_fault,
    [EXIT_REASON_INIT_SIGNAL] = exit_init_sipi,
    [EXIT_REASON_INTERRUPT_WINDOW] = exit_interrupt_window,
    [EXIT_REASON_SIPI_SIGNAL] = exit_init_sipi,
    [EXIT_REASON_CPUID] = exit_cpuid,
    [EXIT_REASON_GETSEC] = exit_inject_ud_insn,
    [EXIT_REASON_HLT] = exit_hlt,
    [EXIT_REASON_INVD] = exit_invd_wbinvd,
    [EXIT_REASON_VMCALL] = exit_vmcall,
    [EXIT_REASON_VMCLEAR] = exit_inject_ud_insn,
    [EXIT_REASON_VMLAUNCH] = exit_inject_ud_insn,
    [EXIT_REASON_VMPTRLD] = exit_inject_ud_insn,
    [EXIT_REASON_VMPTRST] = exit_inject_ud_insn,
    [EXIT_REASON_VMREAD] = exit_inject_ud_insn,
    [EXIT_REASON_VMRESUME] = exit_inject_ud_insn,
    [EXIT_REASON_VMWRITE] = exit_inject_ud_insn,
    [EXIT_REASON_VMOFF] = exit_inject_ud_insn,
    [EXIT_REASON_VMON] = exit_inject_ud_insn,
    [EXIT_REASON_CR_ACCESS] = exit_cr_access,
    [EXIT_REASON_IO_INSTRUCTION] = exit_io,
    [EXIT_REASON_MSR_READ] = exit_msr_read,
    [EXIT_REASON_MSR_WRITE] = exit_msr_write,
    [EXIT_REASON_MWAIT_INSTRUCTION] = exit_inject_ud_insn,
    [EXIT_REASON_MONITOR_INSTRUCTION] = exit_inject_ud_insn,
    [EXIT_REASON_EPT_VIOLATION] = exit_ept_violation,
    [EXIT_REASON_EPT_MISCONFIG] = exit_ept_misconfig,
    [EXIT_REASON_INVEPT] = exit_inject_ud_insn,
    [EXIT_REASON_PREEMPTION_TIMER] = exit_preemption_timer,
    [EXIT_REASON_INVVPID] = exit_inject_ud_insn,
    [EXIT_REASON_WBINVD] = exit_invd_wbinvd,
    [EXIT_REASON_XSETBV] = exit_xsetbv,
    [EXIT_REASON_VMFUNC] = exit_inject_ud_insn,
};

static const char *const action_names[] = {"resume", "yield", "stop"};

/* debug_vmx: one serial-log line per exit, after its handler ran. */
static void log_exit(struct vcpu *v, enum exit_action a)
{
    const struct vmx_trace_entry *x = v->exit;
    kprintf("[vm%d] vcpu %d exit #%lu %s rip 0x%lx qual 0x%lx gpa 0x%lx -> %s\n", vm_id(v->vm), v->index,
            v->trace.next, vmx_exit_reason_name(EXIT_REASON_BASIC(x->reason)), x->rip, x->qualification, x->gpa,
            action_names[a]);
}

enum exit_action exit_dispatch(struct vcpu *v)
{
    uint32_t reason = v->exit->reason;
    enum exit_action a;
    v->exit->qualification = 0;   /* handlers that read it store it (CPUID: the leaf) */
    if (__builtin_expect(reason & EXIT_REASON_FAILED_ENTRY, 0)) {
        a = (EXIT_BREAK_POINT(v), exit_entry_failed(v));
    } else {
        if (reason < 64 && ((1ull << reason) & VECTORING_EXITS))
            vcpu_reinject_vectoring(v);   /* an interrupted delivery is not lost (SDM 27.2.4) */
        exit_handler h = reason < EXIT_REASON_MAX ? exit_handlers[reason] : NULL;
        /* one line on purpose: stopped at a VM-exit breakpoint (exit_break.h),
           gdb's `step` goes straight into the handler */
        a = (EXIT_BREAK_POINT(v), h ? h(v) : exit_unexpected(v));
    }
    if (__builtin_expect(v->console_blocked, 0) && a == EXIT_RESUME)
        a = EXIT_YIELD;   /* guest output waits for the console: the slow path sleeps for it */
    if (__builtin_expect(vmx.debug_exits, 0))
        log_exit(v, a);
    return a;
}

/* Exceptions that push an error code in protected mode: #DF, #TS, #NP,
   #SS, #GP, #PF, #AC (SDM Vol. 3A Table 6-1). VM entry insists on exactly
   these (SDM 26.2.1.3), so the vector decides, not the caller. */
static bool pushes_error_code(unsigned vector)
{
    return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17;
}

void exit_inject_exception(struct vcpu *v, unsigned vector, bool has_error_code, uint32_t error_code)
{
    /* Real mode delivers no error codes (SDM 26.2.1.3). */
    has_error_code = (vmcs_readnat(GUEST_CR0) & CR0_PE) && pushes_error_code(vector);
    uint32_t info = INTR_INFO_VALID | (INTR_TYPE_HW_EXCEPTION << 8) | vector;
    if (has_error_code) {
        info |= INTR_INFO_DELIVER_CODE;
        vmcs_write32(VM_ENTRY_EXCEPTION_ERROR_CODE, error_code);
    }
    vmcs_write32(VM_ENTRY_INTR_INFO, info);
    UNUSED(v);
}

enum exit_action exit_inject_ud_insn(struct vcpu *v) { return exit_inject_ud(v); }

/* RIP after an instruction ending at next: a 64-bit code segment (IA-32e
   mode and CS.L) has no wrap; otherwise EIP wraps at 32 bits, or IP at 16
   with a 16-bit code segment (CS.D = 0: real mode, virtual-8086, 16-bit
   protected mode; SDM Vol. 3A 3.4.5, Vol. 1 3.6). */
static uint64_t wrap_rip(uint64_t next)
{
    uint32_t cs_ar = vmcs_read32(GUEST_CS_AR_BYTES);
    if ((cs_ar & AR_L) && (vmcs_read64(GUEST_IA32_EFER) & EFER_LMA))
        return next;
    return (cs_ar & AR_DB) ? (uint32_t)next : (uint16_t)next;
}

void exit_owe_single_step(void)
{
    uint32_t shadow = vmcs_read32(GUEST_INTERRUPTIBILITY_INFO) & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS);
    if (shadow && (vmcs_readnat(GUEST_RFLAGS) & RFLAGS_TF))
        vmcs_writenat(GUEST_PENDING_DBG_EXCEPTIONS, vmcs_readnat(GUEST_PENDING_DBG_EXCEPTIONS) | DR6_BS);
}

void exit_skip_instruction_slow(uint64_t next, uint32_t interruptibility, uint64_t rflags)
{
    vmcs_writenat(GUEST_RIP, wrap_rip(next));
    uint32_t shadow = INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS;
    if (interruptibility & shadow)
        vmcs_write32(GUEST_INTERRUPTIBILITY_INFO, interruptibility & ~shadow);
    /* IA32_DEBUGCTL.BTF (branch single-step) would exempt a non-branch,
       but guests cannot set it (exit_msr.c), so TF alone decides. */
    if (rflags & RFLAGS_TF)
        vmcs_writenat(GUEST_PENDING_DBG_EXCEPTIONS, vmcs_readnat(GUEST_PENDING_DBG_EXCEPTIONS) | DR6_BS);
}

static const char *const gpr_names[16] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                          "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};

void exit_dump_guest(struct vcpu *v)
{
    struct vmx_guest_state g;
    vmcs_read_guest_state(&g);
    v->gpr[GPR_RSP] = g.rsp;
    kprintf("[vm%d] vcpu %d: exit %s (0x%x) qual 0x%lx gpa 0x%lx\n", vm_id(v->vm), v->index,
            vmx_exit_reason_name(EXIT_REASON_BASIC(v->exit->reason)), v->exit->reason,
            vmcs_readnat(EXIT_QUALIFICATION), vmcs_read64(GUEST_PHYSICAL_ADDRESS));
    kprintf("[vm%d]   rip %016lx rflags %016lx cr0 %lx cr3 %lx cr4 %lx efer %lx\n", vm_id(v->vm), g.rip,
            g.rflags, g.cr0, g.cr3, g.cr4, g.efer);
    for (int i = 0; i < 16; i += 4)
        kprintf("[vm%d]   %-3s %016lx %-3s %016lx %-3s %016lx %-3s %016lx\n", vm_id(v->vm), gpr_names[i],
                v->gpr[i], gpr_names[i + 1], v->gpr[i + 1], gpr_names[i + 2], v->gpr[i + 2], gpr_names[i + 3],
                v->gpr[i + 3]);
    kprintf("[vm%d]   cs %04x base %lx limit %x ar %x; ss %04x ar %x; tr ar %x; idt-vectoring 0x%x\n",
            vm_id(v->vm), g.seg[SEG_CS].selector, g.seg[SEG_CS].base, g.seg[SEG_CS].limit, g.seg[SEG_CS].ar,
            g.seg[SEG_SS].selector, g.seg[SEG_SS].ar, g.seg[SEG_TR].ar, vmcs_read32(IDT_VECTORING_INFO));
}

enum exit_action exit_unexpected(struct vcpu *v)
{
    exit_dump_guest(v);
    return vcpu_stop(v, VM_STOP_UNHANDLED, "unhandled exit %s",
                     vmx_exit_reason_name(EXIT_REASON_BASIC(v->exit->reason)));
}
