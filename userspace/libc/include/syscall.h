/*
 * Raw system calls: the `syscall` instruction with the SWEB-VX convention
 * (uapi/syscall_nr.h): rax = number, arguments in rdi, rsi, rdx, r10, r8, r9,
 * result in rax (>= 0 success, -errno failure); rcx and r11 are clobbered.
 * The libc wrappers in unistd.h turn a negative result into errno and -1;
 * test programs (badptr, fuzz) use these directly to see the raw value.
 */
#pragma once

#include <stdint.h>
#include "syscall_nr.h"

static inline long syscall6(long nr, long a1, long a2, long a3, long a4,
                            long a5, long a6)
{
    long ret;
    register long r10 __asm__("r10") = a4;
    register long r8 __asm__("r8") = a5;
    register long r9 __asm__("r9") = a6;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

static inline long syscall0(long nr) { return syscall6(nr, 0, 0, 0, 0, 0, 0); }
static inline long syscall1(long nr, long a1) { return syscall6(nr, a1, 0, 0, 0, 0, 0); }
static inline long syscall2(long nr, long a1, long a2)
{
    return syscall6(nr, a1, a2, 0, 0, 0, 0);
}
static inline long syscall3(long nr, long a1, long a2, long a3)
{
    return syscall6(nr, a1, a2, a3, 0, 0, 0);
}

/* Turn a raw result into the C convention: errno = -ret and -1 on failure. */
long __syscall_ret(long ret);
