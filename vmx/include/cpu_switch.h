/*
 * CPU state a guest can change or read without a VM exit, and that the VMCS
 * does not switch: DR0-DR3 and DR6 (MOV DR does not exit), the SYSCALL MSRs
 * STAR/LSTAR/FMASK, KERNEL_GS_BASE (SWAPGS), TSC_AUX (RDTSCP/RDPID), CR2,
 * XCR0 with the extended state (xcr0.h). While the vCPU loop runs, the
 * guest's values are in the CPU (exit handlers do not use them); before the
 * loop lets other threads run (the interrupt window, the vCPU's end) the
 * guest's values are saved and the host's put back, and after the window
 * the reverse. So no value of one guest reaches the host or another guest,
 * no host value reaches a guest, and the hot path pays nothing.
 * The host's GDTR and IDTR limits come back too: every VM exit sets both to
 * 0xFFFF (SDM 27.5.2), which would let user programs probe "descriptors"
 * made of kernel data beyond the real GDT (LSL, LAR, VERR).
 * DR7 and IA32_DEBUGCTL are switched by the CPU itself ("save/load debug
 * controls", SDM 24.7.1, 24.8.1); CSTAR is kept per vCPU but never loaded
 * (Intel CPUs never use it: SYSCALL outside 64-bit mode is #UD).
 * vCPU thread, interrupts off.
 */
#pragma once

#include "types.h"

struct vcpu;

/* The MSRs in vcpu->cpu.msr[], in this order. */
enum cpu_switch_msr { CPU_MSR_STAR, CPU_MSR_LSTAR, CPU_MSR_FMASK, CPU_MSR_KERNEL_GS_BASE, CPU_MSR_TSC_AUX,
                      CPU_MSR_CSTAR, CPU_MSR_COUNT };

/* A descriptor-table register as SGDT/SIDT store it. */
struct cpu_desc_table {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

/* A guest's (or the host's) copy of the switched registers. */
struct cpu_switch_regs {
    uint64_t dr[4];
    uint64_t dr6;
    uint64_t dr7;                  /* host only: the CPU switches the guest's */
    uint64_t msr[CPU_MSR_COUNT];
    struct cpu_desc_table gdtr, idtr;   /* host only: the VMCS holds the guest's */
};

/* Whether this CPU has TSC_AUX (RDTSCP or RDPID); read once at boot. */
void cpu_switch_detect(void);
/* Reset values for a new vCPU: DR0-3 = 0, DR6 = 0xFFFF0FF0, MSRs 0 (SDM
   Vol. 3A 9.1.1 Table 9-1). */
void cpu_switch_reset(struct cpu_switch_regs *guest);
/* Put v's values into the CPU, keeping the host's in v->host_cpu. */
void cpu_switch_to_guest(struct vcpu *v);
/* Save v's values from the CPU and put the host's back. No-op unless
   cpu_switch_to_guest ran last. */
void cpu_switch_to_host(struct vcpu *v);
/* MSR index msr -> its slot, or -1 if it is not one of the switched MSRs. */
int cpu_switch_msr_slot(uint32_t msr);
/* RDMSR/WRMSR of a switched MSR for the guest (loaded now: the vCPU loop
   runs). Write: false if the value is one the CPU refuses (#GP). */
uint64_t cpu_switch_read_msr(struct vcpu *v, int slot);
bool cpu_switch_write_msr(struct vcpu *v, int slot, uint64_t value);
