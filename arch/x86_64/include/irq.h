/*
 * Hardware interrupt lines 0-15 (vectors 32-47 via the remapped PIC).
 * Handlers run with interrupts off on the interrupted thread's stack; they
 * must be short and must not block.
 */
#pragma once

#include "trapframe.h"

#define IRQ_TIMER 0
#define IRQ_KEYBOARD 1
#define IRQ_COM1 4
#define IRQ_SPURIOUS_MASTER 7
#define IRQ_SPURIOUS_SLAVE 15

typedef void (*irq_handler)(struct trap_frame *f);

/* Install handler for line irq and unmask it: 0, -EINVAL for a bad line,
   -EBUSY if the line already has a handler. */
int irq_register(unsigned irq, irq_handler handler);
/* Called by trap_dispatch for vectors 32-47: handler, EOI, then
   sched_preempt_point(). */
void irq_handle(struct trap_frame *f);
/* Interrupts seen on a line since boot (spurious ones not counted). */
uint64_t irq_count(unsigned irq);
uint64_t irq_spurious_count(void);
