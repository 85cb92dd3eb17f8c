/*
 * The guest's XCR0 and extended state, switched with the host's (the
 * scheme is in xcr0.h). vCPU thread, interrupts off (xcr0_detect: boot).
 */
#include "errno.h"
#include "paging.h"
#include "pmm.h"
#include "vcpu.h"
#include "vmx.h"
#include "x86.h"
#include "xcr0.h"

#define CPUID_1_ECX_XSAVE_BIT (1u << 26)   /* CPUID.01H:ECX.XSAVE */
#define CPUID_XSAVE_LEAF 0xD               /* sub-leaf 0: EDX:EAX = XCR0 bits supported */

/* Set CR4.OSXSAVE if it is clear; returns the CR4 to restore. */
static uint64_t osxsave_on(void)
{
    uint64_t cr4 = read_cr4();
    if (!(cr4 & CR4_OSXSAVE))
        write_cr4(cr4 | CR4_OSXSAVE);
    return cr4;
}

static void osxsave_restore(uint64_t cr4)
{
    if (!(cr4 & CR4_OSXSAVE))
        write_cr4(cr4);
}

static inline void xsetbv0(uint64_t v)
{
    __asm__ volatile("xsetbv" ::"c"(0), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

static inline uint64_t xgetbv0(void)
{
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (uint64_t)hi << 32 | lo;
}

/* XSAVE / XRSTOR of the components in mask (RFBM = XCR0 & mask, SDM Vol. 1
   13.7/13.8) to/from a 64-byte aligned standard-format area. */
static inline void xsave_mask(void *area, uint64_t mask)
{
    __asm__ volatile("xsave64 (%0)" ::"r"(area), "a"((uint32_t)mask), "d"((uint32_t)(mask >> 32)) : "memory");
}

static inline void xrstor_mask(const void *area, uint64_t mask)
{
    __asm__ volatile("xrstor64 (%0)" ::"r"(area), "a"((uint32_t)mask), "d"((uint32_t)(mask >> 32)) : "memory");
}

void xcr0_detect(void)
{
    uint32_t a, b, c, d;
    cpuid(1, 0, &a, &b, &c, &d);
    vmx.xcr0_allowed = 0;
    vmx.host_xcr0 = XCR0_X87;
    if (!(c & CPUID_1_ECX_XSAVE_BIT))
        return;                          /* XSETBV is #UD everywhere */
    cpuid(CPUID_XSAVE_LEAF, 0, &a, &b, &c, &d);
    vmx.xcr0_allowed = ((uint64_t)d << 32 | a) & XCR0_GUEST_MANAGED;
    vmx.host_xcr0 = xcr0_read();
}

void xcr0_load(uint64_t value)
{
    uint64_t cr4 = osxsave_on();
    xsetbv0(value);
    osxsave_restore(cr4);
}

uint64_t xcr0_read(void)
{
    uint64_t cr4 = osxsave_on();
    uint64_t v = xgetbv0();
    osxsave_restore(cr4);
    return v;
}

/* The components beyond x87/SSE: those the kernel's FXSAVE on a thread
   switch does not cover. */
static uint64_t extended(uint64_t xcr0)
{
    return xcr0 & ~(XCR0_X87 | XCR0_SSE);
}

void xcr0_leave_guest(struct vcpu *v)
{
    if (v->xcr0 == vmx.host_xcr0)
        return;
    uint64_t cr4 = osxsave_on();
    if (extended(v->xcr0))
        xsave_mask(phys_to_virt(v->xsave_area), extended(v->xcr0));
    xsetbv0(vmx.host_xcr0);
    osxsave_restore(cr4);
}

void xcr0_enter_guest(struct vcpu *v)
{
    if (v->xcr0 == vmx.host_xcr0)
        return;
    uint64_t cr4 = osxsave_on();
    xsetbv0(v->xcr0);
    if (extended(v->xcr0))
        xrstor_mask(phys_to_virt(v->xsave_area), extended(v->xcr0));
    osxsave_restore(cr4);
}

/* XSTATE_BV in the XSAVE header: the components the area holds in a
   non-initial state (SDM Vol. 1 13.4.2), at byte 512 of the area. */
#define XSAVE_XSTATE_BV_OFFSET 512

int xcr0_set_guest(struct vcpu *v, uint64_t value)
{
    if (value != vmx.host_xcr0 && !v->xsave_area && !(v->xsave_area = pmm_alloc_page()))
        return -ENOMEM;
    uint64_t enabled = extended(value & ~v->xcr0);
    v->xcr0 = value;
    /* The saved area must never hold a component XCR0 lacks: XRSTOR of such
       an area raises #GP (SDM Vol. 1 13.8.1), in the host. A component
       enabled again starts from its initial state. */
    if (v->xsave_area)
        *(uint64_t *)((char *)phys_to_virt(v->xsave_area) + XSAVE_XSTATE_BV_OFFSET) &= value;
    uint64_t cr4 = osxsave_on();
    xsetbv0(value);
    if (enabled)
        xrstor_mask(phys_to_virt(v->xsave_area), enabled);
    osxsave_restore(cr4);
    return 0;
}
