/*
 * Keeping a guest's XCR0 and extended state (AVX, AVX-512, PKRU) apart
 * from the host's (SDM Vol. 1 13.1-13.3), for guests that execute XSETBV
 * (an unconditional VM exit, SDM Vol. 3C 25.1.2; exit_xsetbv.c).
 *
 * XCR0 is not part of the VMCS, so the CPU uses whatever value is loaded.
 * vcpu->xcr0 is the guest's value (reset: x87 only). It is loaded when the
 * guest's XSETBV is accepted and stays loaded while the vCPU thread loops
 * through exits and entries (host code never uses XSAVE state: host
 * CR4.OSXSAVE is 0, so the value does not affect it; the hot path pays
 * nothing). Before the vCPU thread lets other threads run (the interrupt
 * window) or stops, it saves the guest's extended state and loads the
 * host's XCR0 again; after the window it loads the guest's value and state
 * back (vcpu.c).
 *
 * XSETBV, XGETBV, XSAVE and XRSTOR need CR4.OSXSAVE (else #UD, SDM Vol. 1
 * 13.3); each helper turns it on around the instruction and restores CR4.
 * The VMCS keeps the host's CR4 (HOST_CR4 without OSXSAVE) for every exit.
 * vCPU thread, interrupts off (xcr0_detect: boot).
 */
#pragma once

#include "types.h"
#include "xcr0_rules.h"

struct vcpu;

/* What a guest may load (host CPUID.0DH:0 & XCR0_GUEST_MANAGED, 0 without
   XSAVE) and the host's own XCR0; read once at boot (vmx_detect). */
void xcr0_detect(void);
/* Load value into XCR0 (sets host CR4.OSXSAVE around XSETBV when it is off). */
void xcr0_load(uint64_t value);
/* Read XCR0 the same way (XGETBV). */
uint64_t xcr0_read(void);
/* Make value (xcr0_valid already said yes) v's XCR0 and load it now.
   Components it enables start from v's own save area (zeroed: their initial
   state, SDM Vol. 1 13.8.1), never from what another guest left in the
   registers. 0, or -ENOMEM when the save area cannot be allocated. */
int xcr0_set_guest(struct vcpu *v, uint64_t value);
/* Before v's thread lets others run: save v's extended state and load the
   host's XCR0; after: the reverse. No-ops while v uses the host's value. */
void xcr0_leave_guest(struct vcpu *v);
void xcr0_enter_guest(struct vcpu *v);
