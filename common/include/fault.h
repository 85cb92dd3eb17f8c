/*
 * Hooks the exception handlers call for faults that are not kernel bugs.
 */
#pragma once

#include "trapframe.h"

/* A fault in kernel mode at an instruction registered as a user-memory
   access: move rip to its recovery point and return true. */
bool uaccess_fixup(struct trap_frame *f);
/* True when rip is one of the registered user-memory access instructions. */
bool uaccess_is_user_access(uint64_t rip);
/* A page fault at addr that may be part of normal operation: a write to a
   copy-on-write page or the first touch of a stack page, by user code or
   by a registered user-memory access of the kernel. Returns true when the
   page is now mapped and the instruction can be retried. A user process
   that needed a page when none was free is killed here (with a message). */
bool user_page_fault_resolve(struct trap_frame *f, uint64_t addr);
/* A fault in user mode: print "segmentation fault at ADDR (rip RIP)" (or the
   exception name), kill the process and schedule something else. */
void process_user_fault(struct trap_frame *f, const char *what, uint64_t addr);
