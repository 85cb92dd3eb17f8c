/*
 * VM-exit handling: one table indexed by the basic exit reason (exit.c),
 * handlers in exit_*.c. Runs on the vCPU thread right after the exit, with
 * interrupts off and the vCPU's VMCS current.
 *
 * A handler returns what the vCPU loop does next:
 *   EXIT_RESUME  enter the guest again at once (the hot path);
 *   EXIT_YIELD   open an interrupt window first (pending host interrupts are
 *                taken, the scheduler may run other threads), then resume;
 *   EXIT_STOP    the vCPU stopped (vcpu_stop() recorded why).
 * A handler that completes an instruction calls exit_skip_instruction().
 */
#pragma once

#include "vcpu.h"
#include "vmx_ops.h"

enum exit_action { EXIT_RESUME, EXIT_YIELD, EXIT_STOP };

typedef enum exit_action (*exit_handler)(struct vcpu *v);

/* Dispatch v->exit (reason already read) to its handler. */
enum exit_action exit_dispatch(struct vcpu *v);

/* The rare part of exit_skip_instruction (exit.c): RIP wrap-around,
   ending an STI/MOV-SS shadow, a single-step trap. */
void exit_skip_instruction_slow(uint64_t next, uint32_t interruptibility, uint64_t rflags);

/* Complete the exiting instruction at rip (v->exit->rip) for the guest with
   everything the CPU does at the end of an instruction; the only place RIP
   is advanced:
   - RIP += VM-exit instruction length, wrapping as the guest's code segment
     does: at 16 bits with a 16-bit CS, at 32 bits outside 64-bit mode;
   - blocking by STI or MOV SS ends: it covers one instruction, the one
     that exited (SDM 24.4.2, Table 24-3);
   - with RFLAGS.TF = 1 the guest is owed a single-step trap after the
     instruction: BS in the pending debug exceptions, delivered as #DB at
     the next VM entry (SDM 24.4.2 Table 24-4, 26.6.3, 27.3.4).
   No carry out of RIP's low 16 bits (an instruction is at most 15 bytes),
   no shadow and TF = 0 is the common case: two VMREADs and one VMWRITE. */
static inline __attribute__((always_inline)) void exit_skip_instruction_at(uint64_t rip)
{
    uint64_t next = rip + vmcs_read32(VM_EXIT_INSTRUCTION_LEN);
    uint32_t intr = vmcs_read32(GUEST_INTERRUPTIBILITY_INFO);
    uint64_t rflags = vmcs_readnat(GUEST_RFLAGS);
    /* Any interruptibility bit goes the slow way (NMI blocking too: rare,
       and one test less here). */
    if (__builtin_expect((uint16_t)rip > 0xFFF0 || (intr | (rflags & RFLAGS_TF)), 0))
        exit_skip_instruction_slow(next, intr, rflags);
    else
        vmcs_writenat(GUEST_RIP, next);
}

static inline void exit_skip_instruction(struct vcpu *v) { exit_skip_instruction_at(v->exit->rip); }

/* Before re-entering after an event exit (interrupt, timer, ...) taken in
   an STI or MOV-SS shadow with RFLAGS.TF = 1: the single-step trap is
   still owed, and an entry without BS in the pending debug exceptions
   would fail (SDM 26.3.1.5), so a guest could make its own entry fail. */
void exit_owe_single_step(void);

/* The guest's current privilege level: SS.DPL (SDM Vol. 3A 5.5; 3 in
   virtual-8086 mode, 0 in real mode). */
static inline unsigned exit_guest_cpl(void) { return AR_DPL(vmcs_read32(GUEST_SS_AR_BYTES)); }

/* Inject a hardware exception at the next entry (RIP not advanced: faults
   report the faulting instruction). The error code goes with it exactly
   for the vectors that push one in protected mode (8, 10-14, 17), never in
   real mode, whatever has_error_code says (a mismatch would fail the entry). */
void exit_inject_exception(struct vcpu *v, unsigned vector, bool has_error_code, uint32_t error_code);
static inline enum exit_action exit_inject_ud(struct vcpu *v)
{
    exit_inject_exception(v, VEC_UD, false, 0);
    return EXIT_RESUME;
}
static inline enum exit_action exit_inject_gp(struct vcpu *v)
{
    exit_inject_exception(v, VEC_GP, true, 0);
    return EXIT_RESUME;
}

/* Stop the vCPU for an exit nobody handles, dumping guest state and exit info. */
enum exit_action exit_unexpected(struct vcpu *v);
/* Print the guest registers and the exit information (for stops and gdb). */
void exit_dump_guest(struct vcpu *v);

/* Handlers, one per concern (exit_*.c). */
enum exit_action exit_cpuid(struct vcpu *v);
enum exit_action exit_hlt(struct vcpu *v);
enum exit_action exit_vmcall(struct vcpu *v);
enum exit_action exit_ept_violation(struct vcpu *v);
enum exit_action exit_ept_misconfig(struct vcpu *v);
/* An access the host emulated for the guest (INS/OUTS) hit gpa without the
   rights: stop as the EPT violation the CPU would have reported (exit_ept.c). */
enum exit_action exit_ept_stop(struct vcpu *v, uint64_t gpa, bool write);
enum exit_action exit_msr_read(struct vcpu *v);
enum exit_action exit_msr_write(struct vcpu *v);
enum exit_action exit_cr_access(struct vcpu *v);
enum exit_action exit_triple_fault(struct vcpu *v);
enum exit_action exit_init_sipi(struct vcpu *v);
enum exit_action exit_external_interrupt(struct vcpu *v);
enum exit_action exit_preemption_timer(struct vcpu *v);
enum exit_action exit_exception_nmi(struct vcpu *v);
enum exit_action exit_inject_ud_insn(struct vcpu *v);
enum exit_action exit_invd_wbinvd(struct vcpu *v);
enum exit_action exit_xsetbv(struct vcpu *v);
