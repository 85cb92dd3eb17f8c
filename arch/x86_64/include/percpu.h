/*
 * Per-CPU data the syscall entry reaches through GS (one CPU for now).
 * GS convention (as in isr.asm): in the kernel GS.base = &percpu; in user
 * mode it is the user's value and IA32_KERNEL_GS_BASE holds &percpu; every
 * entry from and exit to ring 3 does swapgs. Offsets are used by
 * syscall_entry.asm and checked below.
 */
#pragma once

#include "types.h"

struct percpu {
    uint64_t kernel_rsp;    /* 0: top of the current thread's kernel stack */
    uint64_t user_rsp;      /* 8: user rsp saved during syscall entry */
};

_Static_assert(__builtin_offsetof(struct percpu, kernel_rsp) == 0, "syscall_entry.asm PERCPU_KERNEL_RSP");
_Static_assert(__builtin_offsetof(struct percpu, user_rsp) == 8, "syscall_entry.asm PERCPU_USER_RSP");

extern struct percpu percpu;
