/*
 * XCR0, the extended control register that enables XSAVE state components
 * (SDM Vol. 1 13.1-13.3), for guests that execute XSETBV (an unconditional
 * VM exit, SDM Vol. 3C 25.1.2).
 *
 * How a guest's XCR0 is kept: XCR0 is not part of the VMCS, so the CPU uses
 * whatever value is loaded. vcpu->xcr0 is the guest's value (reset: x87
 * only). It is loaded when the guest's XSETBV is accepted and stays loaded
 * while the vCPU thread loops through exits and entries (host code never
 * uses XSAVE state: host CR4.OSXSAVE is 0, so the value does not affect it;
 * the hot path pays nothing). Before the vCPU thread lets other threads run
 * (the interrupt window) or stops, it saves the guest's extended state
 * (AVX, AVX-512, PKRU) and loads the host's XCR0 again; after the window
 * it loads the guest's value and state back (vcpu.c).
 *
 * xcr0_valid() and the bit names are pure (host unit test
 * tests/unit/test_vmx_xcr0.c); the rest runs on the vCPU thread with
 * interrupts off.
 */
#pragma once

#include "types.h"

/* XCR0 state-component bits (SDM Vol. 1 13.1) */
#define XCR0_X87 (1ull << 0)        /* must be 1 */
#define XCR0_SSE (1ull << 1)
#define XCR0_AVX (1ull << 2)        /* needs SSE */
#define XCR0_BNDREGS (1ull << 3)    /* MPX: BNDREGS and BNDCSR together */
#define XCR0_BNDCSR (1ull << 4)
#define XCR0_OPMASK (1ull << 5)     /* AVX-512: all three together, and AVX */
#define XCR0_ZMM_HI256 (1ull << 6)
#define XCR0_HI16_ZMM (1ull << 7)
#define XCR0_PKRU (1ull << 9)
#define XCR0_TILECFG (1ull << 17)   /* AMX: both together */
#define XCR0_TILEDATA (1ull << 18)
#define XCR0_AVX512 (XCR0_OPMASK | XCR0_ZMM_HI256 | XCR0_HI16_ZMM)

/* The components a guest may enable if the host CPU has them: their save
   area (standard format, below 3 KiB) fits the one page per vCPU. */
#define XCR0_GUEST_MANAGED (XCR0_X87 | XCR0_SSE | XCR0_AVX | XCR0_AVX512 | XCR0_PKRU)

/* True when XSETBV may load value into XCR0 on a CPU that supports the
   components in `supported` (CPUID.(EAX=0DH,ECX=0):EDX:EAX, SDM Vol. 1
   13.3 and Vol. 2C XSETBV): bit 0 set, no unsupported bit, AVX only with
   SSE, AVX-512 bits all or none and only with AVX, MPX and AMX bit pairs
   all or none. */
bool xcr0_valid(uint64_t value, uint64_t supported);

struct vcpu;

/* What a guest may load (host CPUID.0DH:0 & XCR0_GUEST_MANAGED, 0 without
   XSAVE) and the host's own XCR0; read once at boot (vmx_detect). */
void xcr0_detect(void);
/* Load value into XCR0 (sets host CR4.OSXSAVE around XSETBV when it is off). */
void xcr0_load(uint64_t value);
/* Read XCR0 the same way (XGETBV). */
uint64_t xcr0_read(void);
/* Before v's thread lets others run: save v's extended state and load the
   host's XCR0; after: the reverse. No-ops while v uses the host's value. */
void xcr0_leave_guest(struct vcpu *v);
void xcr0_enter_guest(struct vcpu *v);
