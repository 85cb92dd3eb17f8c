/*
 * Hooks the exception handlers call for faults that are not kernel bugs.
 */
#pragma once

#include "trapframe.h"

/* A fault in kernel mode at an instruction registered as a user-memory
   access: move rip to its recovery point and return true. */
bool uaccess_fixup(struct trap_frame *f);
/* A fault in user mode: print "segmentation fault at ADDR (rip RIP)" (or the
   exception name), kill the process and schedule something else. */
void process_user_fault(struct trap_frame *f, const char *what, uint64_t addr);
