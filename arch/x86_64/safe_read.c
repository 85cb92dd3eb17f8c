/*
 * Fault recovery for safe_read_u64 (safe_read.asm): the exception handler
 * asks here first, before treating a kernel fault as fatal.
 */
#include "safe_read.h"

extern char safe_read_u64_recover[];

bool safe_read_fixup(struct trap_frame *f)
{
    if (f->rip != (uint64_t)&safe_read_u64)
        return false;
    f->rip = (uint64_t)safe_read_u64_recover;
    return true;
}
