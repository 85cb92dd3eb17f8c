/*
 * Where a killed user thread actually leaves: at the end of a system call,
 * at the preempt point of an interrupt that came from user mode, and on a
 * user-mode fault (which also kills the process). process_kill only marks
 * the threads (process.c); these paths act on the mark.
 */
#include "fault.h"
#include "kprintf.h"
#include "panic.h"
#include "process.h"
#include "thread_internal.h"
#include "usermode.h"
#include "x86.h"

/* True when t is in user mode underneath the interrupt now being handled:
   the frame at the top of its kernel stack is an interrupt frame from ring
   3 (a syscall frame would mean t is inside a system call). */
static bool interrupted_in_user_mode(const struct thread *t)
{
    const struct trap_frame *f = (const struct trap_frame *)(t->kstack_top - sizeof(*f));
    return trap_from_user(f) && f->vector != SYSCALL_VECTOR;
}

void process_preempt_check(void)
{
    struct thread *t = thread_current();
    if (!t->process || !t->kill_pending || t->in_exit || !interrupted_in_user_mode(t))
        return;
    sti();
    thread_exit();
}

void process_syscall_exit_check(void)
{
    if (thread_current()->kill_pending)
        thread_exit();
}

void process_user_fault(struct trap_frame *f, const char *what, uint64_t addr)
{
    struct thread *t = thread_current();
    struct process *p = t->process;
    if (!p || t->in_exit)
        panic("user-mode %s at 0x%lx (rip 0x%lx) without a process", what, addr, f->rip);
    if (f->vector == 14)
        kprintf("%s[%d]: segmentation fault at 0x%lx (rip 0x%lx)\n", p->name, p->pid, addr, f->rip);
    else
        kprintf("%s[%d]: %s (rip 0x%lx)\n", p->name, p->pid, what, f->rip);
    process_kill(p->pid, EXIT_STATUS_FAULT);
    sti();
    thread_exit();
}
