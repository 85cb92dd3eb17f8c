/*
 * The CPUID exit handler (unconditional exit, SDM 25.1.2), inline because it
 * is the hottest exit: the vCPU loop calls it directly for CPUID (a fast
 * path around the dispatch table; statistics and trace are the same).
 * What the guest sees is the policy of cpuid_policy.h; leaves whose answer
 * is the host's unchanged are answered here with one CPUID, all others by
 * exit_cpuid_policy(). The leaf is recorded as the trace entry's
 * qualification (vmstat -d counts them).
 * vCPU thread, interrupts off.
 */
#pragma once

#include "exit.h"
#include "x86.h"

/* Fill cpuid_exact_leaves from the policy (vmx_detect, once). */
void exit_cpuid_init(void);

/* Leaves 0..63 whose answer is the host's, unchanged, for every sub-leaf
   (bit n = leaf n); the others go through exit_cpuid_policy(). */
extern uint64_t cpuid_exact_leaves;

/* Answer a CPUID exit that is not a plain host leaf into v->gpr
   (exit_cpuid.c). */
void exit_cpuid_policy(struct vcpu *v, uint32_t leaf, uint32_t sub);

/* CPUID with 64-bit operands: RAX and RCX in, all four out. CPUID reads
   only EAX and ECX and clears bits 63:32 of the four (SDM Vol. 2A CPUID),
   so the guest's registers go in and out as they are. */
static inline void cpuid_regs(uint64_t *a, uint64_t *b, uint64_t *c, uint64_t *d)
{
    __asm__ volatile("cpuid" : "+a"(*a), "=b"(*b), "+c"(*c), "=d"(*d));
}

/* Answer the CPUID exit x (= v->exit; passed so the compiler need not reload
   it after the GPR stores) and complete the instruction. */
static inline __attribute__((always_inline)) enum exit_action exit_cpuid_inline(struct vcpu *v,
                                                                              struct vmx_trace_entry *x)
{
    vcpu_count_cpuid_leaf(v, (uint32_t)v->gpr[GPR_RAX]);   /* per leaf over the run (vmstat -d) */
    // SOLUTION(V4-exits) BEGIN: RAX..RDX = host CPUID for plain leaves, exit_cpuid_policy() for the others
    // SOLUTION(V4-exits) STUB: (void)v;
    uint64_t a = v->gpr[GPR_RAX], b, c = v->gpr[GPR_RCX], d;
    uint32_t leaf = (uint32_t)a;
    x->qualification = leaf;   /* the trace's qualification of a CPUID exit: the leaf */
    if (__builtin_expect(leaf >= 64 || !((cpuid_exact_leaves >> leaf) & 1), 0)) {
        exit_cpuid_policy(v, leaf, (uint32_t)c);
    } else {
        cpuid_regs(&a, &b, &c, &d);
        v->gpr[GPR_RAX] = a;
        v->gpr[GPR_RBX] = b;
        v->gpr[GPR_RCX] = c;
        v->gpr[GPR_RDX] = d;
    }
    // SOLUTION(V4-exits) END
    exit_skip_instruction_at(x->rip);
    return EXIT_RESUME;
}
