/*
 * Threads and mutexes, pthread-style, over SYS_THREAD_CREATE/JOIN/EXIT.
 * The kernel allocates each thread's stack (128 KiB, see process.h).
 * The mutex spins briefly and then yields the CPU with sched_yield(); it is
 * not recursive (relocking by the holder hangs) and does not check who
 * unlocks it.
 */
#pragma once

#include <stdint.h>

typedef struct pthread *pthread_t;
typedef struct { int unused; } pthread_attr_t;

int pthread_create(pthread_t *thread, const pthread_attr_t *attr,
                   void *(*fn)(void *), void *arg);
int pthread_join(pthread_t thread, void **result);
_Noreturn void pthread_exit(void *result);
int pthread_tid(pthread_t thread);   /* kernel thread id */

typedef struct {
    volatile int locked;   /* 0 free, 1 held */
} pthread_mutex_t;
typedef struct { int unused; } pthread_mutexattr_t;

#define PTHREAD_MUTEX_INITIALIZER { 0 }

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr);
int pthread_mutex_destroy(pthread_mutex_t *m);
int pthread_mutex_lock(pthread_mutex_t *m);
int pthread_mutex_trylock(pthread_mutex_t *m);   /* 0 or EBUSY */
int pthread_mutex_unlock(pthread_mutex_t *m);
