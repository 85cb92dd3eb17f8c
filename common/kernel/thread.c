/*
 * Kernel threads: creation, exit, join, sleep, and the reaper that frees the
 * stacks of dead threads (a thread cannot free the stack it runs on).
 *
 * Each thread owns a 16 KiB kernel stack below an unmapped guard page
 * (kstack.c); its lowest word also holds a canary that the scheduler checks
 * on every switch.
 * Thread lists and states change with interrupts off (see sched.c).
 */
#include "cpu_state.h"
#include "kheap.h"
#include "kprintf.h"
#include "kstack.h"
#include "kstring.h"
#include "mutex.h"
#include "panic.h"
#include "paging.h"
#include "pmm.h"
#include "process.h"
#include "sched.h"
#include "thread_internal.h"
#include "timer.h"
#include "trapframe.h"
#include "x86.h"

#define SLEEP_MAX_MS (1000ull * 60 * 60 * 24 * 365)   /* a year: no overflow below */

void thread_trampoline(void);
NORETURN void thread_first_run(struct thread *t);

static struct thread *all_head;       /* every thread except idle */
static struct thread *dead_head;      /* exited, stack not yet freed */
static struct thread *reaper;
static int next_tid = 1;

struct thread *thread_current(void) { return sched_current(); }
int thread_id(const struct thread *t) { return t->tid; }
const char *thread_name(const struct thread *t) { return t->name; }

/* Lay out the stack so that the first context_switch into t "returns" to
   thread_trampoline with r12 = t (see context_switch.asm for the order). */
static void thread_build_first_frame(struct thread *t, uint64_t top)
{
    // SOLUTION(A1-threads) BEGIN: 7 words below top (r15 r14 r13 r12=t rbx rbp, return address thread_trampoline); t->saved_rsp = the lowest
    // SOLUTION(A1-threads) STUB: panic("thread %s: thread_build_first_frame is not written yet", t->name);
    uint64_t *sp = (uint64_t *)(top - 9 * 8);  /* rsp % 16 == 0 after ret */
    sp[0] = 0;                            /* r15 */
    sp[1] = 0;                            /* r14 */
    sp[2] = 0;                            /* r13 */
    sp[3] = (uint64_t)t;                  /* r12: argument for the trampoline */
    sp[4] = 0;                            /* rbx */
    sp[5] = 0;                            /* rbp */
    sp[6] = (uint64_t)thread_trampoline;  /* return address of context_switch */
    t->saved_rsp = (uint64_t)sp;
    // SOLUTION(A1-threads) END
}

struct thread *thread_alloc(const char *name, thread_fn fn, void *arg)
{
    static bool fpu_ready;
    if (!fpu_ready) {
        cpu_fpu_init();
        fpu_ready = true;
    }
    struct thread *t = kzalloc(sizeof(*t));
    if (!t)
        return NULL;
    t->kstack_base = kstack_alloc();
    if (!t->kstack_base) {
        kfree(t);
        return NULL;
    }
    t->kstack_top = t->kstack_base + KSTACK_SIZE;
    *(uint64_t *)t->kstack_base = KSTACK_CANARY;
    strlcpy(t->name, name ? name : "?", sizeof(t->name));
    t->fn = fn;
    t->arg = arg;
    t->state = THREAD_BLOCKED;   /* not started yet */
    cpu_fpu_init_image(t->fpu);
    thread_build_first_frame(t, t->kstack_top);

    bool irq = irq_save();
    t->tid = next_tid++;
    t->all_next = all_head;
    all_head = t;
    irq_restore(irq);
    return t;
}

struct trap_frame *thread_prepare_user_frame(struct thread *t)
{
    uint64_t frame = t->kstack_top - sizeof(struct trap_frame);
    thread_build_first_frame(t, frame);
    return (struct trap_frame *)frame;
}

void thread_start(struct thread *t)
{
    bool irq = irq_save();
    sched_make_runnable(t);
    irq_restore(irq);
}

struct thread *thread_create(const char *name, thread_fn fn, void *arg)
{
    struct thread *t = thread_alloc(name, fn, arg);
    if (t)
        thread_start(t);
    return t;
}

/* First C code of every new thread (from thread_trampoline, interrupts off). */
NORETURN void thread_first_run(struct thread *t)
{
    sti();
    t->fn(t->arg);
    thread_exit();
}

NORETURN void thread_exit(void)
{
    struct thread *t = thread_current();
    t->in_exit = true;
    if (t->process)
        process_thread_exiting(t);
    if (t->held)
        panic("thread %s (%d) exits while holding mutex %s", t->name, t->tid, mutex_name(t->held));
    // SOLUTION(A1-threads) BEGIN: interrupts off, mark t DEAD, push it on dead_head for the reaper, wake the reaper, block for good
    // SOLUTION(A1-threads) STUB: panic("thread_exit of %s (%d): not written yet", t->name, t->tid);
    cli();
    t->state = THREAD_DEAD;
    t->dead_next = dead_head;
    dead_head = t;
    sched_wake(reaper);
    sched_block_current();
    // SOLUTION(A1-threads) END
    panic("dead thread %s ran again", t->name);
}

static void thread_unlink_all(struct thread *t)
{
    for (struct thread **pp = &all_head; *pp; pp = &(*pp)->all_next) {
        if (*pp == t) {
            *pp = t->all_next;
            return;
        }
    }
}

/* The reaper thread: frees the stacks of dead threads, then wakes their
   joiners (or frees detached ones entirely). */
static void reaper_main(void *unused)
{
    UNUSED(unused);
    for (;;) {
        cli();
        while (!dead_head) {
            reaper->state = THREAD_BLOCKED;
            sched_block_current();
        }
        struct thread *t = dead_head;
        dead_head = t->dead_next;
        sti();

        kstack_free(t->kstack_base);

        cli();
        thread_unlink_all(t);
        t->reaped = true;
        bool free_now = t->detached;
        while (t->joiners.head)
            sched_wake(t->joiners.head);
        sti();
        if (free_now)
            kfree(t);
    }
}

void thread_subsystem_start(void)
{
    reaper = thread_create("reaper", reaper_main, NULL);
    if (!reaper)
        panic("cannot create the reaper thread");
}

void thread_detach(struct thread *t)
{
    bool irq = irq_save();
    bool free_now = t->reaped;
    t->detached = true;
    irq_restore(irq);
    if (free_now)
        kfree(t);
}

void thread_join(struct thread *t)
{
    if (t == thread_current())
        panic("thread %s (%d) joins itself", t->name, t->tid);
    // SOLUTION(A1-threads) BEGIN: sleep on t->joiners (interrupts off) until the reaper has reaped t, then free t
    bool irq = irq_save();
    while (!t->reaped)
        waitqueue_block_current(&t->joiners);
    irq_restore(irq);
    kfree(t);
    // SOLUTION(A1-threads) END
}

/* The tick at which a sleep of ms milliseconds (> 0) ends. */
static uint64_t sleep_wake_tick(uint64_t ms)
{
    ms = MIN(ms, SLEEP_MAX_MS);
    uint64_t ticks = (ms * TIMER_HZ + 999) / 1000;
    return timer_ticks() + ticks + 1;   /* +1: the current tick is partly over */
}

void thread_sleep_ms(uint64_t ms)
{
    if (ms == 0) {
        thread_yield();
        return;
    }
    uint64_t wake = sleep_wake_tick(ms);
    bool irq = irq_save();
    if (!sched_running()) {
        while (timer_ticks() < wake)
            __asm__ volatile("sti; hlt; cli" ::: "memory");
    } else {
        sched_sleep_until(wake);
    }
    irq_restore(irq);
}

bool thread_sleep_ms_killable(uint64_t ms)
{
    struct thread *t = thread_current();
    if (ms == 0) {
        thread_yield();
        return !t->kill_pending;
    }
    uint64_t wake = sleep_wake_tick(ms);
    bool irq = irq_save();
    if (!t->kill_pending) {
        t->interruptible = true;
        sched_sleep_until(wake);
        t->interruptible = false;
    }
    bool killed = t->kill_pending;
    irq_restore(irq);
    return !killed;
}

void thread_set_switch_hook(struct thread *t, void (*hook)(void *data), void *data)
{
    bool irq = irq_save();
    t->switch_hook = hook;
    t->switch_hook_data = data;
    irq_restore(irq);
}

void thread_for_each(void (*fn)(struct thread *t, void *data), void *data)
{
    bool irq = irq_save();
    for (struct thread *t = all_head; t; t = t->all_next)
        fn(t, data);
    irq_restore(irq);
}

bool thread_kill_pending(void) { return thread_current()->kill_pending; }
