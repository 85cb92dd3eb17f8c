/*
 * The system-call table and dispatcher (syscall.h). The table is filled at
 * compile time for the kernel's own calls; the VM range is filled at boot
 * through syscall_register. Runs with interrupts on in the calling thread.
 */
#include "errno.h"
#include "process.h"
#include "syscall.h"
#include "syscall_nr.h"
#include "usermode.h"

static syscall_fn table[SYS_COUNT] = {
    [SYS_EXIT] = sys_exit,
    [SYS_READ] = sys_read,
    [SYS_WRITE] = sys_write,
    [SYS_OPEN] = sys_open,
    [SYS_CLOSE] = sys_close,
    [SYS_LSEEK] = sys_lseek,
    [SYS_STAT] = sys_stat,
    [SYS_READDIR] = sys_readdir,
    [SYS_SPAWN] = sys_spawn,
    [SYS_WAITPID] = sys_waitpid,
    [SYS_GETPID] = sys_getpid,
    [SYS_KILL] = sys_kill,
    [SYS_YIELD] = sys_yield,
    [SYS_SLEEP] = sys_sleep,
    [SYS_CLOCK] = sys_clock,
    [SYS_SBRK] = sys_sbrk,
    [SYS_THREAD_CREATE] = sys_thread_create,
    [SYS_THREAD_JOIN] = sys_thread_join,
    [SYS_THREAD_EXIT] = sys_thread_exit,
    [SYS_PS] = sys_ps,
    [SYS_MEMINFO] = sys_meminfo,
    [SYS_SHUTDOWN] = sys_shutdown,
    [SYS_IOCTL] = sys_ioctl,
    [SYS_GETTID] = sys_gettid,
    [SYS_UNLINK] = sys_unlink,
    [SYS_MKDIR] = sys_mkdir,
    [SYS_GETPPID] = sys_getppid,
    [SYS_FORK] = sys_fork,
    [SYS_EXEC] = sys_exec,
    [SYS_PIPE] = sys_pipe,
    [SYS_DUP2] = sys_dup2,
    [SYS_DUP] = sys_dup,
    [SYS_CHDIR] = sys_chdir,
    [SYS_GETCWD] = sys_getcwd,
};

int syscall_register(unsigned nr, syscall_fn fn)
{
    if (nr < SYS_VM_FIRST || nr > SYS_VM_LAST || !fn)
        return -EINVAL;
    if (table[nr])
        return -EBUSY;
    table[nr] = fn;
    return 0;
}

void syscall_dispatch(struct trap_frame *f)
{
    uint64_t nr = f->rax;
    syscall_fn fn = nr < SYS_COUNT ? table[nr] : NULL;
    if (!fn || !process_current())
        f->rax = (uint64_t)-ENOSYS;
    else
        f->rax = (uint64_t)fn(f->rdi, f->rsi, f->rdx, f->r10, f->r8);
    process_syscall_exit_check();
}
