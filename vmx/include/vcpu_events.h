/*
 * Events for the guest (SDM 26.6 event injection, 24.4.2 interruptibility,
 * 25.2 interrupt-window exiting, 27.2.4 IDT-vectoring information): the
 * PIC's interrupts for vCPU 0, an event whose delivery an exit interrupted,
 * and HLT, which waits on the vCPU thread until an interrupt is pending.
 *
 * The run loop calls vcpu_events_before_entry() on its slow path, and the
 * slow path is taken when a handler says so or when the TSC passes
 * v->event_deadline (the next PIT edge or the end of the time slice), so
 * the hot path pays one compare. Anything that may change what is pending
 * calls vcpu_events_changed(), which makes the next exit take the slow path.
 * vCPU thread, interrupts off, VMCS current.
 */
#pragma once

#include "exit.h"
#include "platform.h"
#include "vm_internal.h"

/* Look at the events before the next entry (v's own thread); for another
   vCPU's change, wake vCPU 0 if it sleeps in HLT (it is not running: one
   CPU, and a vCPU gives the CPU away only in its slow path). */
static inline void vcpu_events_changed(struct vcpu *v)
{
    if (v->index == 0)
        v->event_deadline = 0;
    else
        platform_wake(&v->vm->platform);
}

/* Before the next entry: raise what the timers owe, wait out an HLT with
   IF = 1, inject the PIC's interrupt if the guest can take it or ask for an
   interrupt window, and set the next deadline (and the preemption timer to
   it). *slice_end is the end of the current host time slice (a halt that
   slept starts a new one). Returns false when the vCPU stopped (killed or
   out of time while halted). */
bool vcpu_events_before_entry(struct vcpu *v, uint64_t *slice_end);
/* HLT (already skipped): with IF = 1 the vCPU waits for an interrupt;
   with IF = 0 it stops with "halted" (only an NMI could wake it). */
enum exit_action vcpu_halt(struct vcpu *v);
/* The exits that can interrupt an event's delivery carry it in the
   IDT-vectoring information; queue it again for the next entry (exit.c
   calls this before the handler, which may still replace it). */
void vcpu_reinject_vectoring(struct vcpu *v);
/* Basic exit reasons (< 64) whose IDT-vectoring information can be valid. */
#define VECTORING_EXITS                                                                        \
    ((1ull << EXIT_REASON_EXCEPTION_NMI) | (1ull << EXIT_REASON_EXTERNAL_INTERRUPT) |          \
     (1ull << EXIT_REASON_TASK_SWITCH) | (1ull << EXIT_REASON_APIC_ACCESS) |                   \
     (1ull << EXIT_REASON_EPT_VIOLATION) | (1ull << EXIT_REASON_EPT_MISCONFIG) |               \
     (1ull << EXIT_REASON_PML_FULL))

enum exit_action exit_interrupt_window(struct vcpu *v);
