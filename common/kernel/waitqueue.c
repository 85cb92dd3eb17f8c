/*
 * Wait queues: FIFO lists of blocked threads. Waiting releases the caller's
 * spinlock only after the thread is on the queue, with interrupts still off,
 * so a wake-up between "check condition" and "block" cannot be lost.
 * Callers re-check their condition in a loop (a kill or timeout may end a
 * wait early). Before the scheduler runs, waiting halts until the next
 * interrupt instead.
 */
#include "errno.h"
#include "panic.h"
#include "sched.h"
#include "spinlock.h"
#include "thread_internal.h"
#include "timer.h"
#include "waitqueue.h"
#include "x86.h"

static void wq_push(struct waitqueue *wq, struct thread *t)
{
    t->wq_next = NULL;
    if (wq->tail)
        wq->tail->wq_next = t;
    else
        wq->head = t;
    wq->tail = t;
    t->wq = wq;
}

void waitqueue_remove(struct waitqueue *wq, struct thread *t)
{
    struct thread *prev = NULL;
    for (struct thread *c = wq->head; c; prev = c, c = c->wq_next) {
        if (c != t)
            continue;
        if (prev)
            prev->wq_next = c->wq_next;
        else
            wq->head = c->wq_next;
        if (wq->tail == c)
            wq->tail = prev;
        break;
    }
    t->wq_next = NULL;
    t->wq = NULL;
}

void waitqueue_block_current(struct waitqueue *wq)
{
    struct thread *t = thread_current();
    wq_push(wq, t);
    t->state = THREAD_BLOCKED;
    sched_block_current();
}

/* Release l but keep interrupts off; returns the interrupt state to restore later. */
static bool release_keep_irq_off(struct spinlock *l)
{
    bool irq = l->irq_was_on;
    l->irq_was_on = false;
    spin_unlock(l);
    return irq;
}

static void reacquire(struct spinlock *l, bool irq)
{
    spin_lock(l);
    l->irq_was_on = irq;
}

/* Before sched_start: no other thread exists, just wait for an interrupt. */
static void wait_without_scheduler(struct spinlock *lock)
{
    bool irq = release_keep_irq_off(lock);
    __asm__ volatile("sti; hlt; cli" ::: "memory");
    reacquire(lock, irq);
}

void waitqueue_wait(struct waitqueue *wq, struct spinlock *lock)
{
    if (!sched_running()) {
        wait_without_scheduler(lock);
        return;
    }
    bool irq = release_keep_irq_off(lock);
    waitqueue_block_current(wq);
    reacquire(lock, irq);
}

bool waitqueue_wait_timeout(struct waitqueue *wq, struct spinlock *lock, uint64_t ms)
{
    if (!sched_running()) {
        wait_without_scheduler(lock);
        return true;
    }
    uint64_t ticks = (MIN(ms, 1000ull * 60 * 60 * 24 * 365) * TIMER_HZ + 999) / 1000;
    struct thread *t = thread_current();
    bool irq = release_keep_irq_off(lock);
    t->timed_out = false;
    sched_sleep_list_add(t, timer_ticks() + ticks + 1);
    waitqueue_block_current(wq);
    bool woken = !t->timed_out;
    reacquire(lock, irq);
    return woken;
}

void waitqueue_wake_one(struct waitqueue *wq)
{
    bool irq = irq_save();
    if (wq->head)
        sched_wake(wq->head);
    irq_restore(irq);
}

void waitqueue_wake_all(struct waitqueue *wq)
{
    bool irq = irq_save();
    while (wq->head)
        sched_wake(wq->head);
    irq_restore(irq);
}

int waitqueue_wait_timeout_killable(struct waitqueue *wq, struct spinlock *lock, uint64_t ms)
{
    struct thread *t = thread_current();
    if (t->kill_pending)
        return -EINTR;
    t->interruptible = true;
    bool woken = waitqueue_wait_timeout(wq, lock, ms);
    t->interruptible = false;
    if (t->kill_pending)
        return -EINTR;
    return woken ? 1 : 0;
}

bool waitqueue_wait_killable(struct waitqueue *wq, struct spinlock *lock)
{
    struct thread *t = thread_current();
    if (t->kill_pending)
        return false;
    t->interruptible = true;
    waitqueue_wait(wq, lock);
    t->interruptible = false;
    return !t->kill_pending;
}
