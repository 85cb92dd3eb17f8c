/* A list of blocked threads waiting for a condition (no busy waiting). */
#pragma once

#include "types.h"

struct thread;
struct spinlock;

struct waitqueue {
    struct thread *head, *tail;
};

#define WAITQUEUE_INIT {NULL, NULL}

/* Block the caller on wq; lock (held) is released while blocked and
   re-acquired before returning. */
void waitqueue_wait(struct waitqueue *wq, struct spinlock *lock);
/* Like waitqueue_wait but gives up after ms milliseconds; false on timeout. */
bool waitqueue_wait_timeout(struct waitqueue *wq, struct spinlock *lock, uint64_t ms);
/* Waits that a kill of the calling (user) thread ends early, e.g. a process
   blocked for input when Ctrl-C arrives: false / -EINTR when the caller has
   been killed (check before blocking too); lock is held again on return.
   The timeout variant returns 1 when woken, 0 on timeout, -EINTR. */
bool waitqueue_wait_killable(struct waitqueue *wq, struct spinlock *lock);
int waitqueue_wait_timeout_killable(struct waitqueue *wq, struct spinlock *lock, uint64_t ms);
void waitqueue_wake_one(struct waitqueue *wq);
void waitqueue_wake_all(struct waitqueue *wq);
