/*
 * Global descriptor table and the 64-bit task-state segment.
 *
 * The layout is fixed by syscall/sysret (SDM Vol. 3A 5.8.8, Vol. 2B SYSRET):
 * SYSCALL loads CS = STAR[47:32] and SS = STAR[47:32] + 8; 64-bit SYSRET
 * loads CS = STAR[63:48] + 16 and SS = STAR[63:48] + 8 (both with RPL 3).
 * So kernel code/data and user data/code must sit in exactly this order.
 */
#pragma once

#include "types.h"

#define GDT_KERNEL_CODE 0x08    /* 64-bit code, DPL 0 */
#define GDT_KERNEL_DATA 0x10    /* data, DPL 0 */
#define GDT_USER_CODE32 0x18    /* 32-bit code, DPL 3 (placeholder for SYSRET's layout) */
#define GDT_USER_DATA 0x20      /* data, DPL 3 */
#define GDT_USER_CODE64 0x28    /* 64-bit code, DPL 3 */
#define GDT_TSS 0x30            /* 16-byte 64-bit TSS descriptor */

/* Selectors as loaded into segment registers (RPL in bits 1:0). */
#define SEL_KERNEL_CODE GDT_KERNEL_CODE
#define SEL_KERNEL_DATA GDT_KERNEL_DATA
#define SEL_USER_DATA (GDT_USER_DATA | 3)     /* 0x23 */
#define SEL_USER_CODE (GDT_USER_CODE64 | 3)   /* 0x2B */
#define SEL_TSS GDT_TSS

/* Values for IA32_STAR bits 47:32 and 63:48 (see the layout note above). */
#define STAR_KERNEL_BASE GDT_KERNEL_CODE
#define STAR_USER_BASE GDT_USER_CODE32

/* Interrupt stack table slots (1-based, as in the IDT gate's IST field). */
#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_MACHINE_CHECK 3

/* Load the GDT and TSS, reload every segment register. Interrupts off. */
void gdt_init(void);
/* Stack the CPU switches to on an interrupt or exception from ring 3 (TSS.RSP0). */
void tss_set_kernel_stack(uint64_t rsp0);
uint64_t tss_kernel_stack(void);

/* Linear addresses and limits, for the VMX host-state area (SDM Vol. 3C 25.5). */
uint64_t gdt_base(void);
uint16_t gdt_limit(void);
uint64_t tss_base(void);
