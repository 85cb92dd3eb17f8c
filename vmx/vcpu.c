/*
 * The vCPU thread: VMCS setup on its own thread, then the run loop
 *   enter guest -> VM exit -> read reason -> handler -> statistics -> repeat
 * until the vCPU stops. Interrupts are off in the loop (a VM exit leaves
 * them off); they are enabled only in the "interrupt window" after an exit
 * whose handler returned EXIT_YIELD, which is where the host timer's IRQ is
 * taken and the scheduler may switch to another thread (the switch-in hook
 * makes this vCPU's VMCS current again when it comes back).
 */
#include "cpu_switch.h"
#include "entry_failure.h"
#include "errno.h"
#include "exit.h"
#include "exit_io.h"
#include "exit_cpuid.h"
#include "kprintf.h"
#include "kstring.h"
#include "thread.h"
#include "timer.h"
#include "vcpu.h"
#include "vcpu_console.h"
#include "vcpu_events.h"
#include "vm_internal.h"
#include "vmcs.h"
#include "vmx.h"
#include "vmx_entry.h"
#include "x86.h"
#include "xcr0.h"

int vcpu_stop(struct vcpu *v, enum vm_stop_kind kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvsnprintf(v->stop_text, sizeof(v->stop_text), fmt, ap);
    va_end(ap);
    v->stop_kind = kind;
    if (kind != VM_STOP_HALTED && kind != VM_STOP_KILLED)
        vm_record_stop(v->vm, kind, v->exit_code, v->stop_text);   /* stops the other vCPUs too */
    return EXIT_STOP;
}

void vcpu_switch_in(void *vcpu)
{
    struct vcpu *v = vcpu;
    vmptrld(v->vmcs);
}

uint64_t vcpu_time_used(const struct vcpu *v)
{
    uint64_t used = v->stats.guest_cycles + v->halt_cycles + v->console_wait_cycles;
    for (unsigned i = 0; i < VMX_STATS_SLOTS; i++)
        used += v->stats.exits[i].total_cycles;
    return used;
}

bool vcpu_time_is_up(const struct vcpu *v)
{
    return v->time_budget && vcpu_time_used(v) >= v->time_budget;
}

uint32_t vcpu_preemption_timer_value(const struct vcpu *v)
{
    uint64_t ticks = vmx.tsc_hz / TIMER_HZ;   /* one host timer tick of guest time */
    if (v->time_budget) {
        uint64_t used = vcpu_time_used(v);
        ticks = MIN(ticks, v->time_budget > used ? v->time_budget - used : 1);
    }
    uint64_t value = ticks >> vmx_preempt_shift(&vmx.caps);
    return (uint32_t)MIN(MAX(value, 1ull), 0xFFFFFFFFull);
}

/* The execution controls for v, from the global adjusted controls. */
static void build_controls(struct vcpu *v, struct vmx_ctl_state *c)
{
    memset(c, 0, sizeof(*c));
    c->pin = vmx.ctl.pin;
    c->proc = vmx.ctl.proc;
    c->proc2 = vmx.ctl.proc2;
    c->exit = vmx.ctl.exit;
    c->entry = vmx.ctl.entry;
    c->vpid = v->vpid;
    c->io_bitmap_a = vmx_bitmaps.io_a;
    c->io_bitmap_b = vmx_bitmaps.io_b;
    c->msr_bitmap = vmx_bitmaps.msr;
    c->ept_pointer = ept_pointer(&v->vm->ept);
    /* #DB exits only to be reflected (exit_events.c): a guest that traps on
       every instruction (TF, or breakpoints in its own DR0-3) otherwise
       starves the preemption timer in Bochs and never gives the CPU back. */
    c->exception_bitmap = 1u << VEC_DB;
    /* NE and VMXE must stay 1 but the guest sees its own values (exit_cr.c). */
    c->cr0_mask = CR0_NE;
    c->cr4_mask = CR4_VMXE;
}

/* Fill the whole entry state for v's first launch. */
static void build_state(struct vcpu *v, struct vmx_entry_state *s)
{
    const struct vm_vcpu_params *p = &v->params;
    build_controls(v, &s->ctl);
    vmx_host_state_capture(&s->host);
    s->host_ia32e = (s->host.efer & EFER_LMA) != 0;
    vmx_guest_state_init(&s->guest, &vmx.caps, p->mode, p->entry, p->rsp, p->cr3, p->gdtr_base, p->gdtr_limit,
                         &s->ctl.entry);
    s->ctl.cr0_shadow = s->guest.cr0 & ~(vmx_mode_is_long(p->mode) ? 0 : CR0_NE);
    s->ctl.cr4_shadow = s->guest.cr4 & ~CR4_VMXE;
    s->guest.preemption_timer = vcpu_preemption_timer_value(v);
}

/* Write the VMCS for the first entry and check it (SDM 26.2/26.3) in software. */
static int setup_vmcs(struct vcpu *v)
{
    struct vmx_entry_state s;
    if (vmptrld(v->vmcs) < 0)
        return vcpu_stop(v, VM_STOP_ERROR, "VMPTRLD of the vCPU's VMCS failed"), -EIO;
    if (v->ctl.proc2 & SECONDARY_EXEC_ENABLE_VPID)
        invvpid(INVVPID_SINGLE_CONTEXT, v->vpid);   /* the VPID may have been used before */
    build_state(v, &s);
    v->ctl = s.ctl;
    v->exit = &v->trace.ring[0];   /* never NULL, even before the first exit */
    v->xcr0 = XCR0_X87;            /* XCR0 after reset (SDM Vol. 1 13.3) */
    cpu_switch_reset(&v->cpu);
    for (int i = 0; i < 16; i++)
        v->gpr[i] = v->params.regs[i];
    if (vmcs_write_state(&s) < 0)
        return vcpu_stop(v, VM_STOP_ERROR, "VMWRITE of the initial state failed"), -EIO;
    char why[ENTRY_CHECK_MSG_LEN];
    if (entry_failure_check_vmcs(v, why, sizeof(why)))
        return vcpu_stop(v, VM_STOP_ENTRY_FAILED, "entry failed: %s", why), -EINVAL;
    return 0;
}

/* Account one exit (the hot path, so only what cannot be derived later):
   per-reason count and handling cycles, guest time, the trace ring. Entries
   and host time are sums of these (vmx_stats_derive). */
static inline void account_exit(struct vcpu *v, struct vmx_trace_entry *x, struct vmx_exit_stat *st,
                                uint64_t t_entry, uint64_t t_exit, uint64_t t_done)
{
    uint64_t cycles = t_done - t_exit;
    st->count++;
    st->total_cycles += cycles;
    if (cycles < st->min_cycles)
        st->min_cycles = cycles;
    if (cycles > st->max_cycles)
        st->max_cycles = cycles;
    v->stats.guest_cycles += t_exit - t_entry;
    x->cycles = cycles;
    x->tsc = t_exit;
    x->guest_cycles = t_exit - t_entry;
    v->trace.next++;   /* the slot becomes part of the readable trace */
}

/* Start the trace slot of the exit that just happened (reason, RIP) and
   make it v->exit, for the handlers and for gdb (vmx-vcpu). The slot and the
   reason are returned as locals so the compiler keeps them in registers:
   every instruction here is a TSC tick in Bochs. */
static inline __attribute__((always_inline)) struct vmx_trace_entry *exit_begin(struct vcpu *v, uint32_t *reason)
{
    struct vmx_trace_entry *x = &v->trace.ring[v->trace.next % VMX_TRACE_SIZE];
    __asm__("" : "+r"(x));   /* x stays in a register: GCC would rebuild it from the index at each use */
    *reason = vmcs_read32(VM_EXIT_REASON);
    x->reason = *reason;
    x->rip = vmcs_readnat(GUEST_RIP);
    x->gpa = 0;   /* EPT handlers store theirs */
    v->exit = x;
    return x;
}

/* Let pending host interrupts in (SDM 25.2: with "acknowledge interrupt on
   exit" = 0 the interrupt stays pending until IF = 1). sti's one-instruction
   shadow needs the nop. */
static inline void interrupt_window(void)
{
    __asm__ volatile("sti; nop; cli" ::: "memory");
}

/* The slow path of the loop, after an exit whose handler did not say
   RESUME, at the end of a time slice, or when the guest's events need a
   look (v->event_deadline, vcpu_events.h). After a YIELD or at the end of
   the slice: let the host take its interrupts (other threads, perhaps
   other guests' vCPUs, may run meanwhile, so the guest's CPU state is put
   aside, cpu_switch.h), then see whether the vCPU was killed or used up its time. A
   stop request from another thread can only arrive while this thread is
   switched out, which happens only in the interrupt window or in a halt
   (one CPU, interrupts off otherwise), so it is checked there. Then the
   events: timer interrupts due, HLT waiting, injection. Returns false when
   the vCPU stops. */
static bool run_loop_slow_path(struct vcpu *v, enum exit_action a, uint64_t now, uint64_t *slice_end)
{
    if (a == EXIT_STOP)
        return false;
    exit_owe_single_step();
    if (a == EXIT_RESUME && now < *slice_end)
        return vcpu_events_before_entry(v, slice_end);
    cpu_switch_to_host(v);
    interrupt_window();
    if (v->console_blocked)
        vcpu_console_wait(v);   /* guest output waits for console room, interrupts on */
    cpu_switch_to_guest(v);
    if (v->stop_request) {
        vcpu_stop(v, VM_STOP_KILLED, "killed");
        return false;
    }
    if (vcpu_time_is_up(v)) {   /* host time counts too (vcpu.h) */
        vcpu_stop(v, VM_STOP_TIMEOUT, "timeout");
        return false;
    }
    *slice_end = rdtsc() + vmx.tsc_hz / TIMER_HZ;
    return vcpu_events_before_entry(v, slice_end);
}

/* The hot loop: enter, read the exit, handle it, account it; everything
   else is in run_loop_slow_path. */
static void run_loop(struct vcpu *v)
{
    uint64_t t_entry = rdtsc();
    /* The host takes its interrupts at least once per timer tick of vCPU
       time (guest + exit handling), even when every exit says RESUME: the
       preemption timer alone cannot promise that, as it counts guest time
       only (and in Bochs a guest with IF = 0 gets no external-interrupt
       exits). A guest looping over a cheap exiting instruction (#UD handler
       running MWAIT, found by vmfuzz) otherwise kept the CPU for ever. */
    uint64_t slice_end = t_entry + vmx.tsc_hz / TIMER_HZ;
    v->event_deadline = slice_end;
    if (v->stop_request) {
        vcpu_stop(v, VM_STOP_KILLED, "killed");
        return;
    }
    if (v->launched == VCPU_RESUME)
        v->launched = VCPU_RESUME_NEW_STACK;   /* this frame may not be the last one's */
    cpu_switch_to_guest(v);   /* the guest's registers stay loaded in the loop */
    for (;;) {
        int rc = vmx_enter(v);
        uint64_t t_exit = rdtsc();
        if (__builtin_expect(rc != VMX_ENTER_EXITED, 0)) {
            entry_failure_instruction(v, rc);
            return;
        }
        uint32_t reason;
        struct vmx_trace_entry *x = exit_begin(v, &reason);
        /* CPUID, the hottest exit, calls the table's handler directly (and
           its statistics slot is a constant). */
        enum exit_action a;
        struct vmx_exit_stat *st;
        if (reason == vmx.fast_path_reason) {
            a = exit_cpuid_inline(v, x);
            st = &v->stats.exits[EXIT_REASON_CPUID];
        } else {
            a = exit_dispatch(v);
            st = &v->stats.exits[vmx_stats_slot(EXIT_REASON_BASIC(reason))];
        }
        uint64_t t_done = rdtsc();
        account_exit(v, x, st, t_entry, t_exit, t_done);
        t_entry = t_done;
        if (__builtin_expect(a != EXIT_RESUME || t_done >= v->event_deadline, 0)) {
            if (!run_loop_slow_path(v, a, t_done, &slice_end))
                return;
            t_entry = rdtsc();
        }
    }
}

void vcpu_thread_main(void *vcpu)
{
    struct vcpu *v = vcpu;
    cli();
    thread_set_switch_hook(thread_current(), vcpu_switch_in, v);
    if (setup_vmcs(v) == 0)
        run_loop(v);
    cpu_switch_to_host(v);
    vcpu_console_flush(v);
    vmclear(v->vmcs);   /* inactive until destroyed; launch state clear */
    v->launched = VCPU_LAUNCH;
    thread_set_switch_hook(thread_current(), NULL, NULL);
    sti();
    vm_vcpu_stopped(v->vm, v);
    thread_exit();
}
