/*
 * VT-x on this CPU: detection at boot, VMX root operation on first use.
 * One CPU; the global state below is written once by vmx_detect() (boot,
 * interrupts on or off) and read-only afterwards, except that vmx_enable()
 * turns VMX on once (serialised by the VM registry mutex in vm.c).
 */
#pragma once

#include "types.h"
#include "vmx_caps.h"

struct vmx_global {
    bool available;               /* VT-x usable with the controls we need */
    bool enabled;                 /* VMXON done */
    char why[256];                /* why unavailable, for messages */
    struct vmx_caps caps;
    struct vmx_controls ctl;
    uint64_t vmxon_region;        /* physical */
    uint64_t tsc_hz;              /* TSC ticks per second (calibrated at enable) */
    bool debug_exits;             /* `debug_vmx` on the command line: log every exit */
    uint64_t xcr0_allowed;        /* XCR0 bits a guest may set (xcr0.h), 0: no XSAVE */
    uint64_t host_xcr0;           /* the host's XCR0 (x87 only unless someone enabled more) */
    uint32_t fast_path_reason;    /* exit reason with the inline fast path (CPUID), or
                                     none while debug_exits (all exits go through the
                                     table and are logged; costs nothing extra) or while
                                     a VM-exit breakpoint is set (exit_break.c changes
                                     it then, interrupts off) */
};

extern struct vmx_global vmx;

/* Detect VT-x and print the one boot line ("vmx: VT-x rev ..." or why not).
   Never panics; reads capability MSRs only when they exist. */
void vmx_detect(void);
/* Enter VMX root operation (IA32_FEATURE_CONTROL, CR4.VMXE, VMXON); idempotent.
   0, -ENODEV without VT-x, -EIO if VMXON fails. Interrupts must be on
   (the TSC is calibrated against the timer the first time). */
int vmx_enable(void);
static inline bool vmx_available(void) { return vmx.available; }
