/*
 * VM-exit breakpoints (exit_break.h): the table, the match on the exit
 * path (only reached while exit_break_armed), the vCPU pause of the
 * shell's `vm break`, and a one-line description of an exit. exit_break_hit
 * runs on the vCPU thread in exit_dispatch: VMX root, interrupts off, the
 * vCPU's VMCS current, the exit reason read, its handler not yet run.
 */
#include "exit_break.h"
#include "cpu_switch.h"
#include "errno.h"
#include "exit.h"
#include "format.h"
#include "gdb.h"
#include "kstring.h"
#include "thread.h"
#include "vcpu.h"
#include "vmx.h"
#include "x86.h"

bool exit_break_armed;

static struct {
    struct exit_break_spec spec;
    enum exit_break_owner owner;
    uint32_t seen;                      /* matches so far */
    bool used;
} table[EXIT_BREAK_MAX];

void exit_break_rearm(void)
{
    bool any = false;
    for (int i = 0; i < EXIT_BREAK_MAX; i++)
        any |= table[i].used;
    exit_break_armed = any;
    /* with a breakpoint set, CPUID exits take the table path too (exit.c) */
    vmx.fast_path_reason = any || vmx.debug_exits ? ~0u : EXIT_REASON_CPUID;
}

int exit_break_add(const struct exit_break_spec *b, enum exit_break_owner owner)
{
    bool irq = irq_save();
    int rc = -ENOSPC;
    for (int i = 0; i < EXIT_BREAK_MAX; i++) {
        if (!table[i].used) {
            table[i].spec = *b;
            table[i].owner = owner;
            table[i].seen = 0;
            table[i].used = true;
            rc = 0;
            break;
        }
    }
    exit_break_rearm();
    irq_restore(irq);
    return rc;
}

int exit_break_clear(enum exit_break_owner owner, int vm_id)
{
    bool irq = irq_save();
    int n = 0;
    for (int i = 0; i < EXIT_BREAK_MAX; i++) {
        if (table[i].used && table[i].owner == owner && (vm_id == 0 || table[i].spec.vm_id == vm_id)) {
            table[i].used = false;
            n++;
        }
    }
    exit_break_rearm();
    irq_restore(irq);
    return n;
}

int exit_break_list(struct exit_break_spec *out, enum exit_break_owner *owners, int max)
{
    int n = 0;
    for (int i = 0; i < EXIT_BREAK_MAX && n < max; i++) {
        if (table[i].used) {
            out[n] = table[i].spec;
            owners[n++] = table[i].owner;
        }
    }
    return n;
}

/* Does the exit in v pass b's filter? Reads only what the filter needs. */
static bool filter_matches(struct vcpu *v, uint32_t basic, const struct exit_break_spec *b)
{
    switch (b->filter) {
    case EXIT_FILTER_NONE:
        return true;
    case EXIT_FILTER_PORT:
        return basic == EXIT_REASON_IO_INSTRUCTION && IO_QUAL_PORT(vmcs_readnat(EXIT_QUALIFICATION)) == b->value;
    case EXIT_FILTER_MSR:
        return (basic == EXIT_REASON_MSR_READ || basic == EXIT_REASON_MSR_WRITE) &&
               (uint32_t)v->gpr[GPR_RCX] == b->value;
    case EXIT_FILTER_LEAF:
        return basic == EXIT_REASON_CPUID && (uint32_t)v->gpr[GPR_RAX] == b->value;
    case EXIT_FILTER_GPA:
        return (basic == EXIT_REASON_EPT_VIOLATION || basic == EXIT_REASON_EPT_MISCONFIG) &&
               (vmcs_read64(GUEST_PHYSICAL_ADDRESS) >> 12) == (b->value >> 12);
    }
    return false;
}

/* The first breakpoint whose count this exit completes, or -1. */
static int find_hit(struct vcpu *v)
{
    uint32_t basic = EXIT_REASON_BASIC(v->exit->reason);
    for (int i = 0; i < EXIT_BREAK_MAX; i++) {
        const struct exit_break_spec *b = &table[i].spec;
        if (!table[i].used || (b->vm_id && b->vm_id != vm_id(v->vm)))
            continue;
        if (b->reason != EXIT_BREAK_ANY && b->reason != basic)
            continue;
        if (!filter_matches(v, basic, b) || ++table[i].seen < b->count)
            continue;
        return i;
    }
    return -1;
}

/* vm break: wait here, the guest frozen before its exit is handled, until
   vm continue or a kill. The CPU state the guest owns in the loop (CR2,
   XCR0, SYSCALL MSRs, DR0-3; cpu_switch.h) is put aside while other threads
   run, as in the run loop's interrupt window. */
void exit_break_stopped(struct vcpu *v, uint64_t cycles)
{
    if (v->time_budget)
        v->time_budget += cycles;
}

static void pause_vcpu(struct vcpu *v)
{
    uint64_t t = rdtsc();
    char what[EXIT_BREAK_TEXT];
    exit_describe(v, what, sizeof(what));
    ksnprintf(v->paused_at, sizeof(v->paused_at), "%s (rip 0x%lx)", what, v->exit->rip);
    v->paused = true;
    cpu_switch_to_host(v);
    sti();
    while (v->paused && !v->stop_request)
        thread_sleep_ms(10);
    cli();
    v->paused = false;
    cpu_switch_to_guest(v);
    exit_break_stopped(v, rdtsc() - t);
}

void exit_break_resume(struct vcpu *v) { v->paused = false; }

bool exit_break_hit(struct vcpu *v)
{
    int i = find_hit(v);
    if (i < 0)
        return false;
    enum exit_break_owner owner = table[i].owner;
    table[i].used = false;              /* one-shot: "the next matching exit" */
    exit_break_rearm();
    if (owner == EXIT_BREAK_SHELL) {
        pause_vcpu(v);
        return false;
    }
    if (!gdb_armed())
        return false;
    char what[EXIT_BREAK_TEXT];
    exit_describe(v, what, sizeof(what));
    gdb_announce("vm%d vcpu %d: VM exit %s at guest rip 0x%lx (guest thread: info threads)\n", vm_id(v->vm),
                 v->index, what, v->exit->rip);
    return true;
}

void exit_describe(struct vcpu *v, char *buf, size_t size)
{
    uint32_t basic = EXIT_REASON_BASIC(v->exit->reason);
    const char *name = vmx_exit_reason_name(basic);
    uint64_t q = vmcs_readnat(EXIT_QUALIFICATION);
    switch (basic) {
    case EXIT_REASON_CPUID:
        if (vmcs_readnat(GUEST_RIP) != v->exit->rip)   /* handled: EAX holds the result, the trace the leaf */
            ksnprintf(buf, size, "%s leaf 0x%lx (handled)", name, v->exit->qualification);
        else
            ksnprintf(buf, size, "%s leaf 0x%x subleaf 0x%x", name, (uint32_t)v->gpr[GPR_RAX],
                      (uint32_t)v->gpr[GPR_RCX]);
        break;
    case EXIT_REASON_IO_INSTRUCTION:
        ksnprintf(buf, size, "%s %s%s port 0x%x size %u", name, q & IO_QUAL_IN ? "in" : "out",
                  q & IO_QUAL_STRING ? "s" : "", IO_QUAL_PORT(q), IO_QUAL_SIZE(q));
        break;
    case EXIT_REASON_MSR_READ:
    case EXIT_REASON_MSR_WRITE:
        ksnprintf(buf, size, "%s msr 0x%x", name, (uint32_t)v->gpr[GPR_RCX]);
        break;
    case EXIT_REASON_EPT_VIOLATION:
        ksnprintf(buf, size, "%s %s%s%s gpa 0x%lx", name, q & EPT_QUAL_READ ? "r" : "", q & EPT_QUAL_WRITE ? "w" : "",
                  q & EPT_QUAL_FETCH ? "x" : "", vmcs_read64(GUEST_PHYSICAL_ADDRESS));
        break;
    case EXIT_REASON_EPT_MISCONFIG:
        ksnprintf(buf, size, "%s gpa 0x%lx", name, vmcs_read64(GUEST_PHYSICAL_ADDRESS));
        break;
    case EXIT_REASON_CR_ACCESS:
        ksnprintf(buf, size, "%s cr%u type %u gpr %u", name, CR_QUAL_NR(q), CR_QUAL_TYPE(q), CR_QUAL_GPR(q));
        break;
    case EXIT_REASON_VMCALL:
        ksnprintf(buf, size, "%s rax 0x%lx", name, v->gpr[GPR_RAX]);
        break;
    default:
        ksnprintf(buf, size, "%s qualification 0x%lx", name, q);
        break;
    }
}
