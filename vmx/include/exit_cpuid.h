/*
 * The CPUID exit handler (unconditional exit, SDM 25.1.2), inline because it
 * is the hottest exit: the vCPU loop calls it directly for CPUID (a fast
 * path around the dispatch table; statistics and trace are the same).
 * The guest gets the host's values, except: no VMX (CPUID.1:ECX[5] = 0), a
 * hypervisor present (ECX[31] = 1), no XSAVE/OSXSAVE/AVX (XCR0 stays the
 * host's x87-only value, see exit_insn.c); leaf 0x40000000 names this
 * hypervisor (hypercall.h), other 0x4000xxxx leaves read as 0.
 * vCPU thread, interrupts off.
 */
#pragma once

#include "exit.h"
#include "hypercall.h"
#include "x86.h"

#define CPUID_1_ECX_XSAVE (1u << 26)
#define CPUID_1_ECX_OSXSAVE (1u << 27)
#define CPUID_1_ECX_AVX (1u << 28)

static inline uint32_t cpuid_sig_word(int i)
{
    const char *s = HV_SIGNATURE;
    return (uint32_t)s[4 * i] | (uint32_t)s[4 * i + 1] << 8 | (uint32_t)s[4 * i + 2] << 16 |
           (uint32_t)s[4 * i + 3] << 24;
}

static inline __attribute__((always_inline)) enum exit_action exit_cpuid_inline(struct vcpu *v)
{
    uint32_t leaf = (uint32_t)v->gpr[GPR_RAX], sub = (uint32_t)v->gpr[GPR_RCX];
    uint32_t a, b, c, d;
    if (__builtin_expect((leaf & 0xFFFF0000u) == CPUID_HV_LEAF, 0)) {   /* hypervisor leaves */
        bool vendor = leaf == CPUID_HV_LEAF;   /* others (0x40000001...) read as 0 */
        a = vendor ? CPUID_HV_LEAF : 0;       /* highest hypervisor leaf */
        b = vendor ? cpuid_sig_word(0) : 0;
        c = vendor ? cpuid_sig_word(1) : 0;
        d = vendor ? cpuid_sig_word(2) : 0;
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
