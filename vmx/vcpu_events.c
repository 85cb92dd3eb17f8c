/*
 * Event injection and HLT waiting (vcpu_events.h). Runs on the vCPU thread
 * on the run loop's slow path, interrupts off, the vCPU's VMCS current;
 * only halt_wait() lets other threads run (it sleeps on the platform's
 * wait queue, with the guest's CPU state put aside as in the interrupt
 * window of vcpu.c, cpu_switch.h).
 */
#include "cpu_switch.h"
#include "timer.h"
#include "vcpu_events.h"
#include "vmcs.h"
#include "vmx.h"
#include "x86.h"
#include "xcr0.h"

#define HALT_SLEEP_MAX_MS 1000   /* a halted vCPU looks at its time limit at least this often */

/* The guest takes a maskable interrupt now: IF = 1 and no STI or MOV-SS
   blocking (SDM 26.3.1.5: injecting one otherwise fails the entry). */
static bool interrupts_open(void)
{
    uint32_t blocking = vmcs_read32(GUEST_INTERRUPTIBILITY_INFO);
    return (vmcs_readnat(GUEST_RFLAGS) & RFLAGS_IF) && !(blocking & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS));
}

static void set_window_exiting(struct vcpu *v, bool on)
{
    uint32_t proc = on ? v->ctl.proc | CPU_BASED_INTR_WINDOW_EXITING : v->ctl.proc & ~CPU_BASED_INTR_WINDOW_EXITING;
    if (proc != v->ctl.proc) {
        v->ctl.proc = proc;
        vmcs_write32(CPU_BASED_VM_EXEC_CONTROL, proc);
    }
}

/* The PIC has something for vCPU 0: inject it (the INTA happens only now,
   so the vector is the one with the highest priority at this moment), or,
   if the guest cannot take it yet or an event is already queued for this
   entry, exit as soon as it can (interrupt window, SDM 25.2). */
static void inject_interrupt(struct vcpu *v, struct vm_platform *pf)
{
    // SOLUTION(V6-interrupts) BEGIN: PIC pending: if an event is already queued or the guest cannot take it, ask for an interrupt window; else inject platform_acknowledge()'s vector as an external interrupt (SDM 24.8.3)
    // SOLUTION(V6-interrupts) STUB: (void)interrupts_open;
    // SOLUTION(V6-interrupts) STUB: (void)set_window_exiting;
    bool window = false;
    if (platform_interrupt_pending(pf)) {
        if ((vmcs_read32(VM_ENTRY_INTR_INFO) & INTR_INFO_VALID) || !interrupts_open())
            window = true;
        else
            vmcs_write32(VM_ENTRY_INTR_INFO,
                         INTR_INFO_VALID | (INTR_TYPE_EXT_INTR << 8) | platform_acknowledge(pf));
    }
    set_window_exiting(v, window);
    // SOLUTION(V6-interrupts) END
}

/* What ends a halt: an NMI, or (IF = 1) the PIC's request for vCPU 0. */
static bool has_interrupt(struct vcpu *v)
{
    if (v->nmi_pending)
        return true;
    return v->index == 0 && (vmcs_readnat(GUEST_RFLAGS) & RFLAGS_IF) && platform_interrupt_pending(&v->vm->platform);
}

#define INTERRUPTIBILITY_NMI (1u << 3)   /* blocking by NMI: one is being handled (SDM 24.4.2) */

/* Inject a pending NMI unless an event is queued already or NMIs are
   blocked (the guest's handler has not returned with IRET yet; Bochs also
   refuses one in an STI/MOV-SS shadow). Without virtual NMIs there is no
   NMI-window exit, so a blocked one is retried at the next deadline, which
   is made close. Returns true if it went in. */
static bool inject_nmi(struct vcpu *v, uint64_t now)
{
    uint32_t blocking = vmcs_read32(GUEST_INTERRUPTIBILITY_INFO);
    if ((vmcs_read32(VM_ENTRY_INTR_INFO) & INTR_INFO_VALID) ||
        (blocking & (INTERRUPTIBILITY_NMI | INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS))) {
        v->event_deadline = MIN(v->event_deadline, now + vmx.tsc_hz / TIMER_HZ / 16);
        return false;
    }
    v->nmi_pending = false;
    vmcs_write32(VM_ENTRY_INTR_INFO, INTR_INFO_VALID | (INTR_TYPE_NMI << 8) | VEC_NMI);
    return true;
}

/* TSC cycles until deadline, in milliseconds rounded up (at least 1). */
static uint64_t ms_until(uint64_t deadline, uint64_t now)
{
    if (deadline <= now)
        return 1;
    uint64_t per_ms = vmx.tsc_hz / 1000;
    return (deadline - now) / per_ms + 1;
}

/* Sleep until the next timer edge, new input, a kill or at most
   HALT_SLEEP_MAX_MS (or what is left of the time limit). The time asleep
   counts against the time limit: a guest waiting for an interrupt that
   never comes ends with "timeout", not never. Returns false if the vCPU
   stopped. */
static bool halt_wait(struct vcpu *v)
{
    struct vm_platform *pf = &v->vm->platform;
    uint64_t now = rdtsc();
    uint64_t ms = HALT_SLEEP_MAX_MS;
    if (v->index == 0)
        ms = MIN(ms, ms_until(platform_next_deadline(pf, now), now));
    if (v->time_budget) {
        uint64_t used = vcpu_time_used(v);
        ms = MIN(ms, ms_until(v->time_budget, used));
    }
    cpu_switch_to_host(v);   /* other threads run while it sleeps */
    spin_lock(&pf->lock);
    if (!v->stop_request && !has_interrupt(v))   /* a kill or input sets its flag before it wakes us */
        waitqueue_wait_timeout(&pf->wake_wq, &pf->lock, ms);
    spin_unlock(&pf->lock);
    cpu_switch_to_guest(v);
    v->halt_cycles += rdtsc() - now;
    if (v->stop_request) {
        vcpu_stop(v, VM_STOP_KILLED, "killed");
        return false;
    }
    if (vcpu_time_is_up(v)) {
        vcpu_stop(v, VM_STOP_TIMEOUT, "timeout");
        return false;
    }
    return true;
}

/* The preemption timer also ends the guest's run at the next deadline, so
   a guest spinning without exits (`sti; jmp $`) gets its timer interrupt
   on time. */
static void arm_preemption_timer(struct vcpu *v, uint64_t now)
{
    if (!(v->ctl.pin & PIN_BASED_PREEMPTION_TIMER))
        return;
    uint64_t value = vcpu_preemption_timer_value(v);
    if (v->event_deadline != UINT64_MAX) {
        uint64_t left = v->event_deadline > now ? v->event_deadline - now : 0;
        value = MIN(value, MAX(left >> vmx_preempt_shift(&vmx.caps), 1ull));
    }
    vmcs_write32(VMX_PREEMPTION_TIMER_VALUE, (uint32_t)value);
}

bool vcpu_events_before_entry(struct vcpu *v, uint64_t *slice_end)
{
    struct vm_platform *pf = &v->vm->platform;
    bool bsp = v->index == 0;
    uint64_t now = rdtsc();
    if (bsp)
        platform_poll(pf, now);
    while (v->halted) {
        if (has_interrupt(v)) {
            v->halted = false;
            break;
        }
        if (!halt_wait(v))
            return false;
        now = rdtsc();
        *slice_end = now + vmx.tsc_hz / TIMER_HZ;
        if (bsp)
            platform_poll(pf, now);
    }
    v->event_deadline = MIN(*slice_end, bsp ? platform_next_deadline(pf, now) : UINT64_MAX);
    if (v->nmi_pending)
        inject_nmi(v, now);   /* NMIs first (SDM 6.9 priorities) */
    if (bsp)
        inject_interrupt(v, pf);
    arm_preemption_timer(v, now);
    return true;
}

enum exit_action vcpu_halt(struct vcpu *v)
{
    if (!(vmcs_readnat(GUEST_RFLAGS) & RFLAGS_IF) && !v->nmi_pending)
        return vcpu_stop(v, VM_STOP_HALTED, "halted");
    // SOLUTION(V6-interrupts) BEGIN: IF = 1: end an STI/MOV-SS shadow, mark the vCPU halted (the slow path waits for an interrupt), resume
    // SOLUTION(V6-interrupts) STUB: return vcpu_stop(v, VM_STOP_HALTED, "halted");
    /* `sti; hlt` exits in sti's shadow; the shadow ended with the HLT
       (exit_skip_instruction, SDM 24.4.2), so the interrupt that wakes it
       finds no STI blocking. */
    v->halted = true;
    v->event_deadline = 0;   /* the slow path does the waiting */
    return EXIT_RESUME;
    // SOLUTION(V6-interrupts) END
}

void vcpu_reinject_vectoring(struct vcpu *v)
{
    // SOLUTION(V6-interrupts) BEGIN: an event whose delivery the exit interrupted (IDT-vectoring info, SDM 27.2.3) goes back into the entry fields, with its error code and, for software events, the instruction length
    uint32_t info = vmcs_read32(IDT_VECTORING_INFO);
    if (!(info & INTR_INFO_VALID))
        return;
    /* Same layout as the entry field except bit 12 (undefined there, SDM 24.9.3). */
    if (info & INTR_INFO_DELIVER_CODE)
        vmcs_write32(VM_ENTRY_EXCEPTION_ERROR_CODE, vmcs_read32(IDT_VECTORING_ERROR_CODE));
    unsigned type = INTR_INFO_TYPE(info);
    if (type == INTR_TYPE_SW_INTR || type == INTR_TYPE_PRIV_SW_EXCEPTION || type == INTR_TYPE_SW_EXCEPTION)
        vmcs_write32(VM_ENTRY_INSTRUCTION_LEN, vmcs_read32(VM_EXIT_INSTRUCTION_LEN));
    vmcs_write32(VM_ENTRY_INTR_INFO, info & ~(1u << 12));
    v->event_deadline = 0;   /* an interrupt that also waits needs the window */
    // SOLUTION(V6-interrupts) END
}

enum exit_action exit_interrupt_window(struct vcpu *v)
{
    v->event_deadline = 0;   /* the guest opened up: inject on the slow path */
    return EXIT_RESUME;
}
