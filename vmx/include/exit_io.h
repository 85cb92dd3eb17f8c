/*
 * I/O-instruction exits (exit_io.c) and the guest console they feed.
 * vCPU thread, interrupts off.
 */
#pragma once

#include "exit.h"

enum exit_action exit_io(struct vcpu *v);
#include "vcpu_console.h"   /* where the guest's console bytes go */
