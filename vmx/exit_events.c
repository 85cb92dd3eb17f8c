/*
 * Exits caused by events rather than instructions: external interrupts,
 * the VMX-preemption timer, triple fault, INIT/SIPI, HLT, exceptions.
 * vCPU thread, interrupts off.
 */
#include "exit.h"
#include "kprintf.h"
#include "vcpu_events.h"
#include "vm_internal.h"
#include "vmx.h"

/* "Acknowledge interrupt on exit" is 0: the interrupt is still pending in the
   PIC. Returning YIELD makes the loop enable interrupts for a moment, so the
   host IDT takes it (and the timer's preempt point may switch threads).
   Bochs 2.7 note: after a VM entry with guest RFLAGS.IF = 0 Bochs keeps the
   interrupt masked until the guest itself changes IF, so a `cli; jmp $`
   guest exits here only once; the preemption timer below is what keeps
   such a guest preemptible there (and a time slice is right anyway). */
enum exit_action exit_external_interrupt(struct vcpu *v)
{
    /* The time limit is checked at every host tick too: the preemption timer
       sees only guest time, and a guest can keep the host busy instead
       (vcpu_time_is_up). */
    if (vcpu_time_is_up(v))
        return vcpu_stop(v, VM_STOP_TIMEOUT, "timeout");
    return EXIT_YIELD;
}

/* The preemption timer counts guest time only (SDM 25.5.1). It is both the
   guest's time slice (the host gets the CPU back at least once per timer
   tick of guest time, even from a guest that never exits by itself) and,
   with a time limit, the budget: once that is spent the VM stops. */
enum exit_action exit_preemption_timer(struct vcpu *v)
{
    if (vcpu_time_is_up(v))
        return vcpu_stop(v, VM_STOP_TIMEOUT, "timeout");
    vmcs_write32(VMX_PREEMPTION_TIMER_VALUE, vcpu_preemption_timer_value(v));
    return EXIT_YIELD;
}

enum exit_action exit_triple_fault(struct vcpu *v)
{
    exit_dump_guest(v);
    return vcpu_stop(v, VM_STOP_TRIPLE_FAULT, "triple fault (rip 0x%lx)", v->exit->rip);
}

enum exit_action exit_init_sipi(struct vcpu *v)
{
    bool init = EXIT_REASON_BASIC(v->exit->reason) == EXIT_REASON_INIT_SIGNAL;
    return vcpu_stop(v, VM_STOP_INIT_SIPI, "%s (rip 0x%lx)", init ? "INIT signal" : "SIPI", v->exit->rip);
}

enum exit_action exit_hlt(struct vcpu *v)
{
    // SOLUTION(V4-exits) BEGIN: complete the HLT (RIP past it), then vcpu_halt() decides: stop with "halted" or wait for an interrupt
    // SOLUTION(V4-exits) STUB: return exit_unexpected(v);
    exit_skip_instruction(v);
    return vcpu_halt(v);   /* waits for an interrupt with IF = 1 (vcpu_events.c) */
    // SOLUTION(V4-exits) END
}

#define DR6_QUAL_BITS (DR6_B0_B3 | DR6_BD | DR6_BS)   /* the #DB qualification (SDM 27.2.1) */

/* Give the guest the #DB it caused, unchanged: the exit only made sure the
   host got a turn. A #DB exit leaves DR6 alone and reports its bits in the
   qualification (SDM 27.1, 27.2.1), so set them before the injection. */
static enum exit_action reflect_debug_exception(uint32_t info)
{
    uint64_t dr6 = DR6_FIXED_ONES | (vmcs_readnat(EXIT_QUALIFICATION) & DR6_QUAL_BITS);
    __asm__ volatile("mov %0, %%dr6" ::"r"(dr6));
    if (INTR_INFO_TYPE(info) == INTR_TYPE_PRIV_SW_EXCEPTION)   /* INT1: skip it on delivery */
        vmcs_write32(VM_ENTRY_INSTRUCTION_LEN, vmcs_read32(VM_EXIT_INSTRUCTION_LEN));
    vmcs_write32(VM_ENTRY_INTR_INFO, INTR_INFO_VALID | (INTR_INFO_TYPE(info) << 8) | VEC_DB);
    return EXIT_RESUME;
}

/* A host NMI arrived while the guest ran ("NMI exiting", SDM 25.2): it is
   the host's, so the host's NMI handler gets it through the host IDT with
   INT 2, as KVM does. The exit left NMIs blocked; the handler's IRET ends
   that, as after any NMI. */
static enum exit_action host_nmi(void)
{
    __asm__ volatile("int $2" ::: "memory");
    return EXIT_RESUME;
}

/* The exception bitmap holds only #DB (vcpu.c); host NMIs land here too.
   Anything else is unexpected. */
enum exit_action exit_exception_nmi(struct vcpu *v)
{
    uint32_t info = vmcs_read32(VM_EXIT_INTR_INFO);
    v->exit->qualification = info;
    if (!(info & INTR_INFO_VALID))
        return exit_unexpected(v);
    if (INTR_INFO_TYPE(info) == INTR_TYPE_NMI)
        return host_nmi();
    if (INTR_INFO_VECTOR(info) == VEC_DB)
        return reflect_debug_exception(info);
    return exit_unexpected(v);
}
