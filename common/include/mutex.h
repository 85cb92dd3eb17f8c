/* Sleeping mutex and condition variable. Locking a mutex the caller already
   holds, or exiting while holding one, is reported with a panic naming the
   mutex and the thread, never a silent deadlock. */
#pragma once

#include "spinlock.h"
#include "waitqueue.h"

struct mutex {
    struct thread *owner;
    struct waitqueue waiters;
    struct spinlock guard;
    const char *name;
    struct mutex *next_held;   /* list of mutexes the owner holds */
};

#define MUTEX_INIT(n) {NULL, WAITQUEUE_INIT, SPINLOCK_INIT(n), n, NULL}

void mutex_init(struct mutex *m, const char *name);
void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);
bool mutex_held(const struct mutex *m);
/* The name given at init ("?" when none), for messages. */
const char *mutex_name(const struct mutex *m);

struct condvar {
    struct waitqueue waiters;
};

void condvar_init(struct condvar *c);
/* Atomically release m and wait; m is held again on return. */
void condvar_wait(struct condvar *c, struct mutex *m);
void condvar_signal(struct condvar *c);
void condvar_broadcast(struct condvar *c);
