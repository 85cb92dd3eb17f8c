/*
 * A vCPU's guest console (vcpu_console.c): the bytes a guest prints through
 * port 0xE9, COM1's data port or the write hypercall, shown as host console
 * lines "[vmN] text". Exit path: vCPU thread, interrupts off, never waits.
 */
#pragma once

#include "types.h"

struct vcpu;

/* Print n guest bytes (made printable, cut into tagged lines). When the
   console ring is full the rest waits in the vCPU and v->console_blocked is
   set: the run loop must then call vcpu_console_wait before the next entry. */
void vcpu_console_write(struct vcpu *v, const char *s, size_t n);
void vcpu_console_putc(struct vcpu *v, char c);
/* Run loop slow path (interrupts off on entry and on return; on while it
   sleeps): hand the waiting output to the console, sleeping until it has
   room; returns early when the vCPU is asked to stop or its time is up
   (the sleep counts as its time). */
void vcpu_console_wait(struct vcpu *v);
/* The vCPU stops: everything still waiting and the unfinished line go out
   (waiting for room with interrupts on, if need be). */
void vcpu_console_flush(struct vcpu *v);
