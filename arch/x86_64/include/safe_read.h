/*
 * Reading kernel memory that may not be mapped, without dying: used by the
 * backtrace walker, which follows saved frame pointers it cannot trust.
 */
#pragma once

#include "trapframe.h"

/* Read the quadword at addr into *out: 0, or -EFAULT when the read faults. */
int safe_read_u64(uint64_t addr, uint64_t *out);
/* Called first by the exception handler: if f faulted inside
   safe_read_u64, make it return -EFAULT and return true. */
bool safe_read_fixup(struct trap_frame *f);
