/*
 * I/O-instruction exits (exit_io.c) and the guest console they feed.
 * vCPU thread, interrupts off.
 */
#pragma once

#include "exit.h"

enum exit_action exit_io(struct vcpu *v);

/* Console output of guest bytes, line-buffered, "[vmN] " prefix (exit_io.c). */
void vcpu_console_putc(struct vcpu *v, char c);
void vcpu_console_flush(struct vcpu *v);
