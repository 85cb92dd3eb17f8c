/*
 * CPUID exits (unconditional, SDM 25.1.2): the host's values, except that
 * the guest sees no VMX (CPUID.1:ECX[5] = 0), a hypervisor (ECX[31] = 1),
 * no XSAVE/OSXSAVE/AVX (XCR0 stays the host's x87-only value, see
 * exit_insn.c), and leaf 0x40000000 names this hypervisor (hypercall.h).
 * Hot path: keep it short.
 */
#include "exit.h"
#include "hypercall.h"
#include "x86.h"

#define CPUID_1_ECX_XSAVE (1u << 26)
#define CPUID_1_ECX_OSXSAVE (1u << 27)
#define CPUID_1_ECX_AVX (1u << 28)

static uint32_t sig_word(int i)
{
    const char *s = HV_SIGNATURE;
    return (uint32_t)s[4 * i] | (uint32_t)s[4 * i + 1] << 8 | (uint32_t)s[4 * i + 2] << 16 |
           (uint32_t)s[4 * i + 3] << 24;
}

enum exit_action exit_cpuid(struct vcpu *v)
{
    uint32_t leaf = (uint32_t)v->gpr[GPR_RAX], sub = (uint32_t)v->gpr[GPR_RCX];
    uint32_t a, b, c, d;
    if ((leaf & 0xFFFF0000u) == CPUID_HV_LEAF) {
        a = CPUID_HV_LEAF;   /* highest hypervisor leaf */
        b = sig_word(0);
        c = sig_word(1);
        d = sig_word(2);
    } else {
        cpuid(leaf, sub, &a, &b, &c, &d);
        if (leaf == 1) {
            c &= ~(CPUID_1_ECX_VMX | CPUID_1_ECX_XSAVE | CPUID_1_ECX_OSXSAVE | CPUID_1_ECX_AVX);
            c |= CPUID_1_ECX_HYPERVISOR;
        }
    }
    v->gpr[GPR_RAX] = a;
    v->gpr[GPR_RBX] = b;
    v->gpr[GPR_RCX] = c;
    v->gpr[GPR_RDX] = d;
    exit_skip_instruction(v);
    return EXIT_RESUME;
}
