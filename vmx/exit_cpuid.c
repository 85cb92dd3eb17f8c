/*
 * CPUID exits through the dispatch table, and every leaf that is not a
 * plain host leaf: the policy table of cpuid_policy.c, fed with this
 * guest's state. The common logic is in exit_cpuid.h (inline, so the vCPU
 * loop's fast path and this share one definition).
 * vCPU thread, interrupts off, the vCPU's VMCS current.
 */
#include "cpuid_policy.h"
#include "exit_cpuid.h"
#include "vmcs.h"
#include "vmx.h"
#include "xcr0.h"

enum exit_action exit_cpuid(struct vcpu *v) { return exit_cpuid_inline(v, v->exit); }

uint64_t cpuid_exact_leaves;

void exit_cpuid_init(void) { cpuid_exact_leaves = cpuid_policy_exact_leaves(); }

static void host_cpuid(uint32_t leaf, uint32_t sub, struct cpuid_regs *r)
{
    cpuid(leaf, sub, &r->a, &r->b, &r->c, &r->d);
}

void exit_cpuid_policy(struct vcpu *v, uint32_t leaf, uint32_t sub)
{
    uint64_t cr4 = vmcs_readnat(GUEST_CR4);
    struct cpuid_guest g = {
        .xcr0_allowed = vmx.xcr0_allowed,
        .osxsave = (cr4 & CR4_OSXSAVE) != 0,
        .ospke = (cr4 & CR4_PKE) != 0,
        .rdtscp = (v->ctl.proc2 & SECONDARY_EXEC_ENABLE_RDTSCP) != 0,
        .invpcid = (v->ctl.proc2 & SECONDARY_EXEC_ENABLE_INVPCID) != 0,
        .apic_id = (uint32_t)v->index,
        .tsc_khz = (uint32_t)(vmx.tsc_hz / 1000),
    };
    struct cpuid_regs r;
    cpuid_policy_answer(leaf, sub, &g, host_cpuid, &r);
    v->gpr[GPR_RAX] = r.a;
    v->gpr[GPR_RBX] = r.b;
    v->gpr[GPR_RCX] = r.c;
    v->gpr[GPR_RDX] = r.d;
}
