/*
 * x86 architectural constants, and nothing else: control-register, EFER,
 * RFLAGS and debug-register bits, architectural MSR numbers, exception
 * vectors, the CPUID bits the kernel and the hypervisor look at.
 * x86.h (instruction wrappers) and vmx_arch.h (VT-x) both build on it.
 * Pure definitions: usable from the kernel and from host unit tests.
 * Sections are Intel SDM Vol. 3A unless named otherwise.
 */
#pragma once

#include "types.h"

/* ---- CR0 (2.5) ------------------------------------------------------------ */
#define CR0_PE (1ull << 0)    /* protection enable */
#define CR0_MP (1ull << 1)    /* monitor coprocessor */
#define CR0_EM (1ull << 2)    /* x87 emulation */
#define CR0_TS (1ull << 3)    /* task switched */
#define CR0_ET (1ull << 4)    /* extension type (reads as 1) */
#define CR0_NE (1ull << 5)    /* native x87 error reporting */
#define CR0_WP (1ull << 16)   /* supervisor writes honour read-only pages */
#define CR0_AM (1ull << 18)   /* alignment mask */
#define CR0_NW (1ull << 29)   /* not write-through */
#define CR0_CD (1ull << 30)   /* cache disable */
#define CR0_PG (1ull << 31)   /* paging */
#define CR0_RESERVED 0xFFFFFFFF1FFAFFC0ull   /* 63:32, 28:19, 17, 15:6 */

/* ---- CR4 (2.5) ------------------------------------------------------------ */
#define CR4_VME (1ull << 0)
#define CR4_PVI (1ull << 1)
#define CR4_TSD (1ull << 2)
#define CR4_DE (1ull << 3)
#define CR4_PSE (1ull << 4)           /* 4 MiB pages with 32-bit paging */
#define CR4_PAE (1ull << 5)
#define CR4_MCE (1ull << 6)
#define CR4_PGE (1ull << 7)           /* global pages */
#define CR4_PCE (1ull << 8)
#define CR4_OSFXSR (1ull << 9)        /* FXSAVE/FXRSTOR and SSE enabled */
#define CR4_OSXMMEXCPT (1ull << 10)   /* unmasked SSE exceptions raise #XM */
#define CR4_UMIP (1ull << 11)
#define CR4_LA57 (1ull << 12)         /* 5-level paging */
#define CR4_VMXE (1ull << 13)         /* VMX enable */
#define CR4_SMXE (1ull << 14)
#define CR4_FSGSBASE (1ull << 16)
#define CR4_PCIDE (1ull << 17)
#define CR4_OSXSAVE (1ull << 18)
#define CR4_SMEP (1ull << 20)         /* no supervisor fetch from user pages (4.6.1) */
#define CR4_SMAP (1ull << 21)         /* no supervisor data access to user pages unless RFLAGS.AC (4.6.1) */
#define CR4_SMAP (1ull << 21)         /* no supervisor data access to user pages (4.6.1) */
#define CR4_PKE (1ull << 22)

/* ---- IA32_EFER (2.2.1, Vol. 4 Table 2-2) ----------------------------------- */
#define EFER_SCE (1ull << 0)    /* SYSCALL/SYSRET enable */
#define EFER_LME (1ull << 8)    /* IA-32e mode enable */
#define EFER_LMA (1ull << 10)   /* IA-32e mode active (set by the CPU) */
#define EFER_NXE (1ull << 11)   /* execute-disable bit enable */

/* ---- RFLAGS (Vol. 1 3.4.3, Vol. 3A 2.3) ------------------------------------ */
#define RFLAGS_CF (1ull << 0)
#define RFLAGS_FIXED1 (1ull << 1)    /* reads as 1 */
#define RFLAGS_TF (1ull << 8)        /* single-step trap */
#define RFLAGS_IF (1ull << 9)        /* maskable interrupts enabled */
#define RFLAGS_DF (1ull << 10)       /* string instructions count down */
#define RFLAGS_IOPL (3ull << 12)
#define RFLAGS_NT (1ull << 14)
#define RFLAGS_RF (1ull << 16)       /* resume flag: no instruction breakpoint */
#define RFLAGS_VM (1ull << 17)       /* virtual-8086 mode */
#define RFLAGS_AC (1ull << 18)
#define RFLAGS_RESERVED 0xFFFFFFFFFFC08028ull   /* 63:22, 15, 5, 3 must be 0 */

/* ---- Debug registers (17.2) ------------------------------------------------ */
#define DR6_B0_B3 0xFull                /* breakpoint conditions 0-3 detected */
#define DR6_BD (1ull << 13)             /* debug-register access detected */
#define DR6_BS (1ull << 14)             /* single step */
#define DR6_FIXED_ONES 0xFFFF0FF0ull    /* reserved bits that read as 1 (17.2.3) */
#define DR7_RESET 0x400ull              /* DR7 after reset: bit 10 reads as 1 */
#define DR7_LE (1ull << 8)              /* local exact breakpoint enable */
#define DR7_GD (1ull << 13)             /* general detect */

/* ---- Exception vectors (Table 6-1) ----------------------------------------- */
#define VEC_DE 0     /* divide error */
#define VEC_DB 1     /* debug */
#define VEC_NMI 2    /* non-maskable interrupt */
#define VEC_BP 3     /* breakpoint (INT3) */
#define VEC_UD 6     /* invalid opcode */
#define VEC_DF 8     /* double fault */
#define VEC_SS 12    /* stack-segment fault */
#define VEC_GP 13    /* general protection */
#define VEC_PF 14    /* page fault */

/* ---- Architectural MSRs (Vol. 4 chapter 2) --------------------------------- */
#define MSR_TSC 0x10
#define MSR_APIC_BASE 0x1B
#define MSR_SYSENTER_CS 0x174
#define MSR_SYSENTER_ESP 0x175
#define MSR_SYSENTER_EIP 0x176
#define MSR_DEBUGCTL 0x1D9
#define MSR_MISC_ENABLE 0x1A0
#define MSR_PAT 0x277
#define MSR_EFER 0xC0000080
#define MSR_STAR 0xC0000081
#define MSR_LSTAR 0xC0000082
#define MSR_CSTAR 0xC0000083
#define MSR_FMASK 0xC0000084
#define MSR_FS_BASE 0xC0000100
#define MSR_GS_BASE 0xC0000101
#define MSR_KERNEL_GS_BASE 0xC0000102
#define MSR_TSC_AUX 0xC0000103

/* ---- CPUID (Vol. 2A CPUID) ------------------------------------------------ */
#define CPUID_1_ECX_HYPERVISOR (1u << 31)  /* reserved for hypervisors: "running under one" */
#define CPUID_HV_LEAF 0x40000000u          /* first hypervisor leaf (vendor signature) */

/* IA32_PAT (11.12.2): eight 8-bit entries, each a memory type 0, 1, 4, 5, 6
   or 7 (2, 3 and 8-255 are reserved; writing one is #GP, and VM entry or
   exit loading one fails, SDM Vol. 3C 26.2.2, 26.3.1.1). */
static inline bool x86_pat_valid(uint64_t pat)
{
    for (int i = 0; i < 8; i++) {
        unsigned t = (unsigned)(pat >> (8 * i)) & 0xFF;
        if (t == 2 || t == 3 || t > 7)
            return false;
    }
    return true;
}
