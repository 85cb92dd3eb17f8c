/*
 * XCR0 values: the state-component bits (SDM Vol. 1 13.1) and which values
 * XSETBV may load (SDM Vol. 1 13.3, Vol. 2C XSETBV). Pure: no state, any
 * context; host unit test tests/unit/test_vmx_xcr0.c. Keeping a guest's
 * XCR0 and extended state apart from the host's is xcr0.h.
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
