/*
 * What this CPU's VT-x offers (SDM Appendix A) and the control words this
 * kernel runs its guests with, adjusted to it. Reading is done through a
 * callback so the logic ("which MSRs exist", "which controls can be had") is
 * pure and unit-tested on the host with recorded MSR values.
 */
#pragma once

#include "types.h"
#include "vmx_arch.h"

struct vmx_caps {
    uint64_t basic;
    uint64_t pin, proc, exit, entry;   /* the TRUE_* MSRs when BASIC[55], else 0x481-0x484 */
    uint64_t proc2;                    /* 0 when PROCBASED_CTLS2 does not exist */
    uint64_t misc;
    uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
    uint64_t vmcs_enum;
    uint64_t ept_vpid;                 /* 0 when EPT_VPID_CAP does not exist */
    uint64_t vmfunc;                   /* 0 when VMFUNC does not exist */
    bool true_ctls;
    unsigned maxphyaddr;               /* CPUID.80000008H:EAX[7:0], 36 if unknown */
};

/* Reads one MSR; the reader is only ever asked for MSRs that exist. */
typedef uint64_t (*vmx_msr_reader)(uint32_t msr, void *ctx);

/* Fill caps from the capability MSRs, asking only for those that exist
   (SDM A.3.3, A.10: 0x48B needs PROCBASED[63], 0x48C EPT or VPID, 0x48D-0x490
   BASIC[55], 0x491 "enable VM functions"). */
void vmx_caps_read(struct vmx_caps *c, vmx_msr_reader rd, void *ctx);

/* "VT-x rev 0x2b: EPT(4-level, 2M, 1G, A/D), unrestricted guest, VPID,
   preemption timer, TRUE controls" into buf; returns the length. */
int vmx_caps_describe(const struct vmx_caps *c, char *buf, size_t size);

static inline bool vmx_cap_allows(uint64_t ctl_msr, uint32_t bit_mask) { return ((ctl_msr >> 32) & bit_mask) == bit_mask; }

/* The control words for guests (fixed at detection; IA-32e entry is added per vCPU). */
struct vmx_controls {
    uint32_t pin, proc, proc2, exit, entry;
};

/* Adjust one control word (SDM A.3.1): ctl = (wanted | optional | allowed0) &
   allowed1. Returns 0, or -ENODEV with *missing = wanted bits the CPU cannot set. */
int vmx_ctl_adjust(uint64_t cap_msr, uint32_t wanted, uint32_t optional, uint32_t *out, uint32_t *missing);

/* Compute this kernel's guest controls from caps. On failure returns -ENODEV and
   writes "secondary processor-based control 'unrestricted guest'" (the first
   missing one) into why. */
int vmx_controls_compute(const struct vmx_caps *c, struct vmx_controls *out, char *why, size_t why_size);

/* Preemption-timer ticks per TSC tick shift (IA32_VMX_MISC[4:0]). */
static inline unsigned vmx_preempt_shift(const struct vmx_caps *c) { return VMX_MISC_PREEMPT_RATE(c->misc); }
