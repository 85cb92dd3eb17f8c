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

uint64_t cpuid_exact_leaves = ~((1ull << 1) | (1ull << CPUID_XSAVE_LEAF));

static inline uint32_t cpuid_sig_word(int i)
{
    const char *s = HV_SIGNATURE;
    return (uint32_t)s[4 * i] | (uint32_t)s[4 * i + 1] << 8 | (uint32_t)s[4 * i + 2] << 16 |
           (uint32_t)s[4 * i + 3] << 24;
}

void exit_cpuid_policy(struct vcpu *v, uint32_t leaf, uint32_t sub)
{
    // SOLUTION(V4-exits) BEGIN: 0x40000000: EAX = highest hypervisor leaf, EBX:ECX:EDX = HV_SIGNATURE; other 0x4000xxxx: zeros; else the host's; then adjust leaves 1 and 0xD
    uint64_t a = leaf, b, c = sub, d;
    if ((leaf & 0xFFFF0000u) == CPUID_HV_LEAF) {   /* hypervisor leaves */
        bool vendor = leaf == CPUID_HV_LEAF;       /* others (0x40000001...) read as 0 */
        a = vendor ? CPUID_HV_LEAF : 0;            /* highest hypervisor leaf */
        b = vendor ? cpuid_sig_word(0) : 0;
        c = vendor ? cpuid_sig_word(1) : 0;
        d = vendor ? cpuid_sig_word(2) : 0;
    } else {
        cpuid_regs(&a, &b, &c, &d);
    }
    v->gpr[GPR_RAX] = a;
    v->gpr[GPR_RBX] = b;
    v->gpr[GPR_RCX] = c;
    v->gpr[GPR_RDX] = d;
    if (leaf == 1 || leaf == CPUID_XSAVE_LEAF)
        exit_cpuid_adjust(v, leaf, sub);
    // SOLUTION(V4-exits) END
}

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
