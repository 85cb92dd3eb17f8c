/*
 * Condition variables over mutexes. One global spinlock makes "release the
 * mutex and start waiting" atomic with respect to signal/broadcast, so no
 * wake-up is lost. Waiters re-check their predicate in a loop, as usual.
 */
#include "mutex.h"
#include "spinlock.h"

static struct spinlock condvar_lock = SPINLOCK_INIT("condvar");

void condvar_init(struct condvar *c) { c->waiters = (struct waitqueue)WAITQUEUE_INIT; }

void condvar_wait(struct condvar *c, struct mutex *m)
{
    spin_lock(&condvar_lock);
    mutex_unlock(m);
    waitqueue_wait(&c->waiters, &condvar_lock);
    spin_unlock(&condvar_lock);
    mutex_lock(m);
}

void condvar_signal(struct condvar *c)
{
    spin_lock(&condvar_lock);
    waitqueue_wake_one(&c->waiters);
    spin_unlock(&condvar_lock);
}

void condvar_broadcast(struct condvar *c)
{
    spin_lock(&condvar_lock);
    waitqueue_wake_all(&c->waiters);
    spin_unlock(&condvar_lock);
}
