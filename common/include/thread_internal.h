/*
 * The thread control block. Only the scheduler, the lock primitives and the
 * process/syscall code look inside; everything else uses thread.h.
 * All fields that the scheduler reads are changed with interrupts off
 * (one CPU: disabling interrupts is the scheduler lock).
 */
#pragma once

#include "thread.h"
#include "waitqueue.h"

#define THREAD_NAME_MAX 32
#define KSTACK_PAGES 4                       /* 16 KiB kernel stack per thread */
#define KSTACK_SIZE (KSTACK_PAGES * 4096ull)
#define KSTACK_CANARY 0x5357454253544B21ull  /* "!KTSBEWS": bottom-of-stack guard word */

struct mutex;

struct thread {
    uint64_t saved_rsp;             /* must stay first: context_switch.asm stores here */
    int tid;
    enum thread_state state;
    char name[THREAD_NAME_MAX];

    uint64_t kstack_base;           /* lowest address (direct map); canary lives here */
    uint64_t kstack_top;            /* initial rsp; the TSS rsp0 while this thread runs */

    thread_fn fn;
    void *arg;

    struct thread *run_next;        /* run queue link */
    struct thread *wq_next;         /* link in the waitqueue it blocks on */
    struct waitqueue *wq;           /* the waitqueue it is blocked on, or NULL */
    struct thread *sleep_next;      /* timer list link */
    uint64_t wake_tick;             /* sleeping / timed wait: wake at this tick */
    bool on_sleep_list;
    bool timed_out;                 /* last timed wait ended by the timer */
    bool interruptible;             /* a kill may end the current wait early */

    struct thread *all_next;        /* list of every thread (ps, kill) */
    struct waitqueue joiners;       /* threads in thread_join on this one */
    bool reaped;                    /* stack freed; only the struct is left */
    bool detached;                  /* nobody joins: the reaper frees the struct */
    struct thread *dead_next;       /* reaper list link */

    struct mutex *held;             /* mutexes this thread holds (mutex.c) */

    void (*switch_hook)(void *data);
    void *switch_hook_data;

    /* user threads (process.c) */
    struct process *process;        /* NULL for kernel threads */
    struct thread *proc_next;       /* link in the process's thread list */
    bool kill_pending;              /* leave at the next return to user mode */
    bool in_exit;                   /* thread_exit has started */
    int stack_slot;                 /* user stack slot index in the process */
    uint64_t user_stack_base;       /* user stack region [base, base + size) */
    uint64_t user_stack_size;
    uint64_t exit_value;            /* user thread_exit value for thread_join */

    uint8_t fpu[512] __attribute__((aligned(16)));  /* FXSAVE image (SDM Vol. 1 10.5) */
};

/* Internal scheduler interface (sched.c). Interrupts must be off. */
void sched_make_runnable(struct thread *t);
/* Switch away from the current thread, which has set its own state. */
void sched_block_current(void);
/* Wake t from a block or sleep (no-op if it is runnable or dead). */
void sched_wake(struct thread *t);
void sched_sleep_list_add(struct thread *t, uint64_t wake_tick);
void sched_sleep_list_remove(struct thread *t);
/* Sleep until timer tick wake_tick. */
void sched_sleep_until(uint64_t wake_tick);
struct thread *sched_current(void);
/* Unlink t from wq if it is there (waitqueue.c). */
void waitqueue_remove(struct waitqueue *wq, struct thread *t);
/* Enqueue the current thread on wq and switch away; interrupts off. */
void waitqueue_block_current(struct waitqueue *wq);
/* thread_sleep_ms that a kill interrupts: false when killed. */
bool thread_sleep_ms_killable(uint64_t ms);
/* Wake t if it waits interruptibly (kill). Interrupts off. */
void sched_wake_if_interruptible(struct thread *t);
/* thread.c: start the reaper (called by sched_start). */
void thread_subsystem_start(void);

/* thread.c helpers for process.c */
struct thread *thread_alloc(const char *name, thread_fn fn, void *arg);
void thread_start(struct thread *t);
/* Reserve a trap frame at the top of t's (not yet started) kernel stack
   and return it; t's first run happens below it, so the frame survives
   until usermode_enter consumes it. */
struct trap_frame *thread_prepare_user_frame(struct thread *t);
/* Call fn for every thread (interrupts off inside fn). */
void thread_for_each(void (*fn)(struct thread *t, void *data), void *data);
