/*
 * CPUID exits through the dispatch table, and the rarely used adjustments
 * of leaves 1 and 0xD; the common logic is in exit_cpuid.h (inline, so the
 * vCPU loop's fast path and this share one definition).
 * vCPU thread, interrupts off, the vCPU's VMCS current.
 */
#include "exit_cpuid.h"
#include "vmcs.h"
#include "vmx.h"
#include "xcr0.h"

enum exit_action exit_cpuid(struct vcpu *v) { return exit_cpuid_inline(v, v->exit); }

void exit_cpuid_adjust(struct vcpu *v, uint32_t leaf, uint32_t sub)
{
    uint64_t *c = &v->gpr[GPR_RCX];
    if (leaf == CPUID_XSAVE_LEAF) {
        if (sub == 0) {
            v->gpr[GPR_RAX] &= (uint32_t)vmx.xcr0_allowed;
            v->gpr[GPR_RDX] &= (uint32_t)(vmx.xcr0_allowed >> 32);
        }
        return;
    }
    // SOLUTION(V4-exits) BEGIN: leaf 1 ECX: clear VMX and OSXSAVE (set below), set the hypervisor bit
    *c &= ~(uint64_t)(CPUID_1_ECX_VMX | CPUID_1_ECX_OSXSAVE);
    *c |= CPUID_1_ECX_HYPERVISOR;
    // SOLUTION(V4-exits) END
    if (!vmx.xcr0_allowed)
        *c &= ~(uint64_t)CPUID_1_ECX_XSAVE;
    if (!(vmx.xcr0_allowed & XCR0_AVX))
        *c &= ~(uint64_t)CPUID_1_ECX_AVX;
    if (vmcs_readnat(GUEST_CR4) & CR4_OSXSAVE)   /* SDM Vol. 2A CPUID: ECX[27] mirrors CR4.OSXSAVE */
        *c |= CPUID_1_ECX_OSXSAVE;
}
