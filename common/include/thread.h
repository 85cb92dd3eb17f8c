/*
 * Threads. Every thread has its own kernel stack; a kernel thread runs only
 * there, a user thread also has a user stack in its process. The scheduler
 * (sched.h) is preemptive round-robin, driven by the timer interrupt.
 */
#pragma once

#include "types.h"

struct process;
struct thread;

typedef void (*thread_fn)(void *arg);

enum thread_state { THREAD_RUNNABLE, THREAD_RUNNING, THREAD_BLOCKED, THREAD_SLEEPING, THREAD_DEAD };

/* Create a runnable kernel thread; NULL on out-of-memory. name is copied.
   Every thread is either joined (thread_join) or detached (thread_detach);
   otherwise its struct stays allocated after it exits. */
struct thread *thread_create(const char *name, thread_fn fn, void *arg);
struct thread *thread_current(void);
int thread_id(const struct thread *t);
const char *thread_name(const struct thread *t);
/* Give up the CPU to the next runnable thread (returns at once if none). */
void thread_yield(void);
/* Block for at least ms milliseconds. */
void thread_sleep_ms(uint64_t ms);
/* Terminate the calling thread; its stack is freed once another thread runs. */
NORETURN void thread_exit(void);
/* True when the calling thread has been killed (its process is exiting):
   long-running kernel work done for a user thread should stop and return. */
bool thread_kill_pending(void);
/* Wait until t has exited and release it; t must not be used afterwards. */
void thread_join(struct thread *t);
/* Nobody will join t: it is released as soon as it has exited (at once if
   it already has). t must not be used afterwards. */
void thread_detach(struct thread *t);

/*
 * Per-thread hook run by the scheduler right after it switches this thread
 * in (interrupts off). The VMX code uses it to VMPTRLD the vCPU's VMCS,
 * because a VMCS is current per CPU, not per thread.
 */
void thread_set_switch_hook(struct thread *t, void (*hook)(void *data), void *data);
