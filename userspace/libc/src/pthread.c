/*
 * pthread-style threads over SYS_THREAD_CREATE/JOIN/EXIT and a spin-then-
 * yield mutex. Each thread gets a malloc'd struct pthread; the kernel gives
 * it a stack of its own and starts it at __thread_entry (thread_start.asm)
 * with the struct as argument, which calls __thread_main here.
 * pthread_join frees the struct.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#define SPINS_BEFORE_YIELD 64

struct pthread {
    void *(*fn)(void *);
    void *arg;
    int tid;         /* kernel thread id */
};

void __thread_entry(void *arg);
_Noreturn void __thread_main(struct pthread *t);

_Noreturn void __thread_main(struct pthread *t)
{
    void *result = t->fn(t->arg);
    thread_exit((uint64_t)(uintptr_t)result);
}

int pthread_create(pthread_t *thread, const pthread_attr_t *attr,
                   void *(*fn)(void *), void *arg)
{
    (void)attr;
    struct pthread *t = malloc(sizeof(*t));
    if (!t)
        return EAGAIN;
    *t = (struct pthread){ fn, arg, 0 };
    int tid = thread_create(__thread_entry, t);
    if (tid < 0) {
        int err = errno;
        free(t);
        return err;
    }
    t->tid = tid;
    *thread = t;
    return 0;
}

int pthread_join(pthread_t t, void **result)
{
    uint64_t value = 0;
    if (thread_join(t->tid, &value) < 0)
        return errno;
    if (result)
        *result = (void *)(uintptr_t)value;
    free(t);
    return 0;
}

_Noreturn void pthread_exit(void *result)
{
    thread_exit((uint64_t)(uintptr_t)result);
}

int pthread_tid(pthread_t t)
{
    return t->tid;
}

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr)
{
    (void)attr;
    m->locked = 0;
    return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *m)
{
    return m->locked ? EBUSY : 0;
}

int pthread_mutex_trylock(pthread_mutex_t *m)
{
    return __atomic_exchange_n(&m->locked, 1, __ATOMIC_ACQUIRE) ? EBUSY : 0;
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
    for (;;) {
        for (int i = 0; i < SPINS_BEFORE_YIELD; i++) {
            if (!m->locked && pthread_mutex_trylock(m) == 0)
                return 0;
            __builtin_ia32_pause();
        }
        sched_yield();
    }
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
    __atomic_store_n(&m->locked, 0, __ATOMIC_RELEASE);
    return 0;
}
