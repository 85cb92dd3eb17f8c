/*
 * Page faults that are not errors (fault.h): the first write to a page
 * shared copy-on-write since fork, and the first touch of a stack page
 * below the part mapped so far. Called by the exception handler with
 * interrupts off, on the faulting thread's kernel stack.
 *
 * Interrupts stay off while the fault is resolved: the preempt point of an
 * interrupt would take the user-mode #PF frame at the top of the kernel
 * stack for "interrupted in user mode" and could end a killed thread while
 * it holds p->lock. Taking p->lock may still block (another thread of the
 * process is in sbrk or fork); the scheduler allows that with interrupts
 * off, and this thread resumes with them off.
 */
#include "fault.h"
#include "kprintf.h"
#include "mutex.h"
#include "paging.h"
#include "process.h"
#include "thread_internal.h"
#include "user_memory.h"
#include "errno.h"
#include "x86.h"

/* A supervisor data access to a user page while SMAP is on and
   RFLAGS.AC is clear (SDM Vol. 3A 4.6.1): it faults whatever the page
   table says, so retrying it would loop. */
static bool smap_violation(const struct trap_frame *f)
{
    return !trap_from_user(f) && (read_cr4() & CR4_SMAP) && !(f->rflags & RFLAGS_AC);
}

/* Whether the fault may be resolved at all: in p's user half, by ring 3 or
   by a kernel user-memory copy, and not while this thread holds p->lock
   (a copy under that lock must fail with -EFAULT instead of deadlocking). */
static bool resolvable(const struct trap_frame *f, struct process *p, uint64_t addr)
{
    if (!p || thread_current()->in_exit || addr >= USER_SPACE_END)
        return false;
    if (!trap_from_user(f) && (!uaccess_is_user_access(f->rip) || smap_violation(f)))
        return false;
    return !mutex_held(&p->lock);
}

bool user_page_fault_resolve(struct trap_frame *f, uint64_t addr)
{
    struct process *p = process_current();
    if (!resolvable(f, p, addr))
        return false;
    mutex_lock(&p->lock);
    int err = umem_resolve_fault(p, addr, f->error_code);
    mutex_unlock(&p->lock);
    if (err == -ENOMEM && trap_from_user(f)) {
        kprintf("%s[%d]: out of memory at 0x%lx (rip 0x%lx)\n", p->name, p->pid, addr, f->rip);
        process_kill(p->pid, EXIT_STATUS_KILLED);
        sti();
        thread_exit();
    }
    return err == 0;
}
