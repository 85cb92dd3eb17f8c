/*
 * Interrupt descriptor table: vectors 0-31 are the CPU exceptions, 32-47 the
 * remapped PIC IRQs (irq.h). All gates are interrupt gates (IF cleared on
 * entry) with DPL 0, so `int N` from ring 3 raises #GP. Vector 0x80 is not
 * used: system calls enter through the `syscall` instruction.
 */
#pragma once

#include "trapframe.h"

#define IDT_EXCEPTIONS 32
#define IRQ_VECTOR_BASE 32
#define IRQ_LINES 16
#define IDT_STUBS (IRQ_VECTOR_BASE + IRQ_LINES)   /* vectors with a stub in isr.asm */

/* Fill and load the IDT. Interrupts stay off. */
void idt_init(void);
uint64_t idt_base(void);
uint16_t idt_limit(void);

/* The one C entry point of all stubs (isr.asm), interrupts off. */
void trap_dispatch(struct trap_frame *f);

/* Restore the registers of the trap frame at rsp and iretq. A new thread
   can be started by jumping here with rsp pointing at a prepared frame
   (for ring 3: cs = SEL_USER_CODE, ss = SEL_USER_DATA, rflags with IF). */
extern char trap_return[];
