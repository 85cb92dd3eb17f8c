/*
 * Sleeping mutex with owner tracking. Waiters block on the mutex's wait
 * queue (no busy waiting); the guard spinlock protects owner and queue.
 * Each thread keeps a list of the mutexes it holds, so that exiting while
 * holding one is reported (thread_exit) and locking one twice panics with
 * both names. Must not be used from interrupt handlers.
 */
#include "mutex.h"
#include "panic.h"
#include "thread_internal.h"

void mutex_init(struct mutex *m, const char *name)
{
    m->owner = NULL;
    m->waiters = (struct waitqueue)WAITQUEUE_INIT;
    m->guard = (struct spinlock)SPINLOCK_INIT(name);
    m->name = name;
    m->next_held = NULL;
}

const char *mutex_name(const struct mutex *m) { return m->name ? m->name : "?"; }

static void held_list_remove(struct thread *t, struct mutex *m)
{
    for (struct mutex **pp = &t->held; *pp; pp = &(*pp)->next_held) {
        if (*pp == m) {
            *pp = m->next_held;
            break;
        }
    }
    m->next_held = NULL;
}

void mutex_lock(struct mutex *m)
{
    struct thread *self = thread_current();
    spin_lock(&m->guard);
    if (m->owner == self)
        panic("mutex %s locked twice by thread %s (%d)", mutex_name(m), self->name, self->tid);
    while (m->owner)
        waitqueue_wait(&m->waiters, &m->guard);
    m->owner = self;
    m->next_held = self->held;
    self->held = m;
    spin_unlock(&m->guard);
}

void mutex_unlock(struct mutex *m)
{
    struct thread *self = thread_current();
    spin_lock(&m->guard);
    if (m->owner != self)
        panic("mutex %s unlocked by thread %s (%d), but owned by %s", mutex_name(m), self->name,
              self->tid, m->owner ? m->owner->name : "nobody");
    held_list_remove(self, m);
    m->owner = NULL;
    waitqueue_wake_one(&m->waiters);
    spin_unlock(&m->guard);
}

bool mutex_held(const struct mutex *m) { return m->owner == thread_current(); }
