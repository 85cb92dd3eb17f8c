/*
 * The CPUID exit handler (unconditional exit, SDM 25.1.2), inline because it
 * is the hottest exit: the vCPU loop calls it directly for CPUID (a fast
 * path around the dispatch table; statistics and trace are the same).
 * The guest gets the host's values, except: no VMX (CPUID.1:ECX[5] = 0), a
 * hypervisor present (ECX[31] = 1), XSAVE state limited to what XSETBV
 * accepts (exit_cpuid_adjust, xcr0.h); leaf 0x40000000 names this
 * hypervisor (hypercall.h), other 0x4000xxxx leaves read as 0. The leaf
 * is recorded as the trace entry's qualification (vmstat -d counts them).
 * vCPU thread, interrupts off.
 */
#pragma once

#include "exit.h"
#include "hypercall.h"
#include "x86.h"

#define CPUID_1_ECX_XSAVE (1u << 26)
#define CPUID_1_ECX_OSXSAVE (1u << 27)
#define CPUID_1_ECX_AVX (1u << 28)
#define CPUID_XSAVE_LEAF 0xDu   /* sub-leaf 0: EDX:EAX = XCR0 bits supported */

/* Change the host's answer to leaf 1 or 0xD in v->gpr for the guest
   (exit_cpuid.c): leaf 1 ECX without VMX, with the hypervisor bit, XSAVE
   and AVX only if a guest may enable them, OSXSAVE = the guest's
   CR4.OSXSAVE; leaf 0xD.0 EDX:EAX = the XCR0 bits a guest may set (xcr0.h). */
void exit_cpuid_adjust(struct vcpu *v, uint32_t leaf, uint32_t sub);

/* CPUID with 64-bit outputs: in 64-bit mode CPUID clears bits 63:32 of RAX,
   RBX, RCX and RDX (SDM Vol. 2A CPUID), so the values go into the guest's
   GPRs without the zero-extensions x86.h's 32-bit cpuid() would cost. */
static inline void cpuid_wide(uint32_t leaf, uint32_t sub, uint64_t *a, uint64_t *b, uint64_t *c, uint64_t *d)
{
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub));
}

static inline uint32_t cpuid_sig_word(int i)
{
    const char *s = HV_SIGNATURE;
    return (uint32_t)s[4 * i] | (uint32_t)s[4 * i + 1] << 8 | (uint32_t)s[4 * i + 2] << 16 |
           (uint32_t)s[4 * i + 3] << 24;
}

/* Answer the CPUID exit x (= v->exit; passed so the compiler need not reload
   it after the GPR stores) and advance RIP. */
static inline __attribute__((always_inline)) enum exit_action exit_cpuid_inline(struct vcpu *v,
                                                                              struct vmx_trace_entry *x)
{
    // SOLUTION(V4-exits) BEGIN: RAX..RDX = host CPUID, leaf 0x40000000 = HV_SIGNATURE, adjust leaves 1/0xD
    // SOLUTION(V4-exits) STUB: (void)v;
    uint32_t leaf = (uint32_t)v->gpr[GPR_RAX], sub = (uint32_t)v->gpr[GPR_RCX];
    uint64_t a, b, c, d;
    x->qualification = leaf;   /* the trace's qualification of a CPUID exit: the leaf */
    if (__builtin_expect((leaf & 0xFFFF0000u) == CPUID_HV_LEAF, 0)) {   /* hypervisor leaves */
        bool vendor = leaf == CPUID_HV_LEAF;   /* others (0x40000001...) read as 0 */
        a = vendor ? CPUID_HV_LEAF : 0;       /* highest hypervisor leaf */
        b = vendor ? cpuid_sig_word(0) : 0;
        c = vendor ? cpuid_sig_word(1) : 0;
        d = vendor ? cpuid_sig_word(2) : 0;
    } else {
        cpuid_wide(leaf, sub, &a, &b, &c, &d);
    }
    v->gpr[GPR_RAX] = a;
    v->gpr[GPR_RBX] = b;
    v->gpr[GPR_RCX] = c;
    v->gpr[GPR_RDX] = d;
    if (__builtin_expect(leaf == 1 || leaf == CPUID_XSAVE_LEAF, 0))
        exit_cpuid_adjust(v, leaf, sub);
    // SOLUTION(V4-exits) END
    vmcs_writenat(GUEST_RIP, x->rip + vmcs_read32(VM_EXIT_INSTRUCTION_LEN));   /* exit_skip_instruction */
    return EXIT_RESUME;
}
