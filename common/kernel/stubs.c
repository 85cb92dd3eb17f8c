/*
 * TEMPORARY fallbacks so the tree links while the scheduler and process code
 * are being written. Each definition is deleted by the owner of the real one.
 */
#include "fault.h"
#include "panic.h"
#include "sched.h"
#include "spinlock.h"
#include "waitqueue.h"
#include "x86.h"

void sched_tick(void) {}
void sched_preempt_point(void) {}
bool sched_running(void) { return false; }

bool uaccess_fixup(struct trap_frame *f)
{
    UNUSED(f);
    return false;
}

void process_user_fault(struct trap_frame *f, const char *what, uint64_t addr)
{
    panic("user fault (%s at 0x%lx, rip 0x%lx) before processes exist", what, addr, f->rip);
}

void spin_lock(struct spinlock *l)
{
    l->irq_was_on = irq_save();
    l->locked = 1;
}

void spin_unlock(struct spinlock *l)
{
    l->locked = 0;
    irq_restore(l->irq_was_on);
}

/* Without a scheduler, waiting means halting until an interrupt. */
void waitqueue_wait(struct waitqueue *wq, struct spinlock *lock)
{
    UNUSED(wq);
    spin_unlock(lock);
    __asm__ volatile("sti; hlt" ::: "memory");
    spin_lock(lock);
}

void waitqueue_wake_one(struct waitqueue *wq) { UNUSED(wq); }
void waitqueue_wake_all(struct waitqueue *wq) { UNUSED(wq); }
