/*
 * The guest's CPUID: for every leaf, which of the host's bits the guest
 * sees (one table, cpuid_policy.c, documented in docs/vmx.md "CPUID
 * policy"). A feature shows only if the guest really has it: what this
 * hypervisor does not virtualize (VMX, APIC and x2APIC, TSC-deadline, MTRR,
 * MCE/MCA, the PMU, MONITOR/MWAIT, thermal and power management, debug
 * store, SGX, PT, RDT, ...) reads as 0; XSAVE components only those XSETBV
 * accepts (xcr0_rules.h); leaves 0x40000000 (signature) and 0x40000010
 * (TSC frequency) describe this hypervisor; every leaf not in the table
 * reads as 0.
 * Pure: the host's CPUID comes through a callback, so the host unit test
 * (tests/unit/test_cpuid_policy.c) feeds it a recorded CPU.
 */
#pragma once

#include "types.h"

struct cpuid_regs {
    uint32_t a, b, c, d;
};

/* What a guest's answer depends on besides the host's values. */
struct cpuid_guest {
    uint64_t xcr0_allowed;   /* XCR0 bits XSETBV accepts (0: no XSAVE) */
    bool osxsave;            /* guest CR4.OSXSAVE */
    bool ospke;              /* guest CR4.PKE */
    bool rdtscp;             /* "enable RDTSCP" is on: RDTSCP and RDPID work */
    bool invpcid;            /* "enable INVPCID" is on */
    uint32_t apic_id;        /* the vCPU's index, as the initial APIC ID */
    uint32_t tsc_khz;        /* for leaf 0x40000010 */
};

/* The host's CPUID(leaf, sub). */
typedef void (*cpuid_host_fn)(uint32_t leaf, uint32_t sub, struct cpuid_regs *out);

#define CPUID_HV_MAX_LEAF 0x40000010u   /* highest hypervisor leaf (TSC frequency) */
#define CPUID_EXT_MAX_LEAF 0x80000008u  /* highest extended leaf shown */

/* The guest's CPUID(leaf, sub). */
void cpuid_policy_answer(uint32_t leaf, uint32_t sub, const struct cpuid_guest *g, cpuid_host_fn host,
                         struct cpuid_regs *out);
/* Leaves 0..63 whose answer is the host's unchanged for every sub-leaf and
   every guest: bit n = leaf n (the vCPU loop answers them on its fast path). */
uint64_t cpuid_policy_exact_leaves(void);
