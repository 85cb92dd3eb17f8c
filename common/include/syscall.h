/*
 * System-call dispatch. Numbers and the register convention are in
 * uapi/syscall_nr.h; docs/syscalls.md describes every call. Handlers run
 * in the calling thread with interrupts on, get the five argument
 * registers (rdi, rsi, rdx, r10, r8) and return a value >= 0 or -errno.
 * Every handler validates every argument: user pointers only through
 * uaccess.h.
 */
#pragma once

#include "trapframe.h"
#include "types.h"

typedef int64_t (*syscall_fn)(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);

/* Install the handler for a VM syscall number (SYS_VM_FIRST..SYS_VM_LAST),
   e.g. from vmx/ at boot. 0, -EINVAL (number outside that range or NULL),
   -EBUSY (already taken). */
int syscall_register(unsigned nr, syscall_fn fn);

/* Called by syscall_entry.asm with the user's registers; the result goes
   to f->rax. */
void syscall_dispatch(struct trap_frame *f);

/* Handlers (sys_*.c), for the table in syscall.c. */
#define SYSCALL_DECL(name) int64_t name(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
SYSCALL_DECL(sys_exit);
SYSCALL_DECL(sys_read);
SYSCALL_DECL(sys_write);
SYSCALL_DECL(sys_open);
SYSCALL_DECL(sys_close);
SYSCALL_DECL(sys_lseek);
SYSCALL_DECL(sys_stat);
SYSCALL_DECL(sys_readdir);
SYSCALL_DECL(sys_spawn);
SYSCALL_DECL(sys_waitpid);
SYSCALL_DECL(sys_getpid);
SYSCALL_DECL(sys_kill);
SYSCALL_DECL(sys_yield);
SYSCALL_DECL(sys_sleep);
SYSCALL_DECL(sys_clock);
SYSCALL_DECL(sys_sbrk);
SYSCALL_DECL(sys_thread_create);
SYSCALL_DECL(sys_thread_join);
SYSCALL_DECL(sys_thread_exit);
SYSCALL_DECL(sys_ps);
SYSCALL_DECL(sys_meminfo);
SYSCALL_DECL(sys_shutdown);
SYSCALL_DECL(sys_ioctl);
SYSCALL_DECL(sys_gettid);
SYSCALL_DECL(sys_unlink);
SYSCALL_DECL(sys_mkdir);
SYSCALL_DECL(sys_getppid);
SYSCALL_DECL(sys_fork);
SYSCALL_DECL(sys_exec);
SYSCALL_DECL(sys_pipe);
SYSCALL_DECL(sys_dup);
SYSCALL_DECL(sys_dup2);
SYSCALL_DECL(sys_chdir);
SYSCALL_DECL(sys_getcwd);
