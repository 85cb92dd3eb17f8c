/*
 * Preemptive round-robin scheduler for one CPU.
 *
 * Locking: one CPU, so disabling interrupts is the scheduler lock. Every
 * function here runs with interrupts off; the run queue, the sleep list and
 * thread states are only touched that way. A thread that is switched out
 * resumes inside schedule() with interrupts off and restores its own
 * interrupt state on the way out (new threads enable them in
 * thread_first_run).
 *
 * The boot context becomes the idle thread: it is never on the run queue
 * and runs (hlt) only when nothing else is runnable.
 */
#include "console.h"
#include "cpu_state.h"
#include "kprintf.h"
#include "panic.h"
#include "paging.h"
#include "process.h"
#include "sched.h"
#include "thread_internal.h"
#include "timer.h"
#include "x86.h"

#define SCHED_SLICE_TICKS 5   /* 50 ms at 100 Hz */

/* The boot context: current before sched_start, the idle thread after. */
static struct thread boot_thread = {.tid = 0, .state = THREAD_RUNNING, .name = "idle"};
static struct thread *current = &boot_thread;
static struct thread *const idle = &boot_thread;
static struct thread *rq_head, *rq_tail;
static struct thread *sleep_head;          /* sorted by wake_tick */
static int slice_left;
static bool need_resched;
static bool running;

void context_switch(struct thread *prev, struct thread *next);

bool sched_running(void) { return running; }

struct thread *sched_current(void) { return current; }

static void rq_push(struct thread *t)
{
    t->run_next = NULL;
    if (rq_tail)
        rq_tail->run_next = t;
    else
        rq_head = t;
    rq_tail = t;
}

static struct thread *rq_pop(void)
{
    // SOLUTION(A1-threads) BEGIN: unlink and return the run queue head (NULL if empty)
    // SOLUTION(A1-threads) STUB: return NULL;
    struct thread *t = rq_head;
    if (t) {
        rq_head = t->run_next;
        if (!rq_head)
            rq_tail = NULL;
        t->run_next = NULL;
    }
    return t;
    // SOLUTION(A1-threads) END
}

void sched_make_runnable(struct thread *t)
{
    t->state = THREAD_RUNNABLE;
    rq_push(t);
    if (current == idle)
        need_resched = true;
}

/* Insert t into the sleep list, which stays sorted by wake tick. */
void sched_sleep_list_add(struct thread *t, uint64_t wake_tick)
{
    t->wake_tick = wake_tick;
    struct thread **pp = &sleep_head;
    while (*pp && (*pp)->wake_tick <= wake_tick)
        pp = &(*pp)->sleep_next;
    t->sleep_next = *pp;
    *pp = t;
    t->on_sleep_list = true;
}

void sched_sleep_list_remove(struct thread *t)
{
    if (!t->on_sleep_list)
        return;
    for (struct thread **pp = &sleep_head; *pp; pp = &(*pp)->sleep_next) {
        if (*pp == t) {
            *pp = t->sleep_next;
            break;
        }
    }
    t->sleep_next = NULL;
    t->on_sleep_list = false;
}

void sched_wake(struct thread *t)
{
    if (t->wq)
        waitqueue_remove(t->wq, t);
    sched_sleep_list_remove(t);
    if (t->state == THREAD_BLOCKED || t->state == THREAD_SLEEPING)
        sched_make_runnable(t);
}

void sched_wake_if_interruptible(struct thread *t)
{
    if (t->interruptible)
        sched_wake(t);
}

/* Page-table root t runs in: its process's, or the kernel's. */
static uint64_t thread_root(const struct thread *t)
{
    return t->process ? process_page_root(t->process) : paging_kernel_root();
}

/* Make next the running thread: stacks, address space, FPU, hook, registers. */
static void switch_to(struct thread *prev, struct thread *next)
{
    if (prev->kstack_base && *(uint64_t *)prev->kstack_base != KSTACK_CANARY)
        panic("kernel stack overflow in thread %s (%d)", prev->name, prev->tid);
    cpu_fpu_save(prev->fpu);
    current = next;
    if (next->kstack_top)
        cpu_set_kernel_stack(next->kstack_top);
    uint64_t root = thread_root(next);
    if (root && root != (read_cr3() & PTE_ADDR_MASK))
        paging_switch(root);
    if (next->switch_hook)
        next->switch_hook(next->switch_hook_data);
    cpu_fpu_restore(next->fpu);
    context_switch(prev, next);
}

/* Pick the next thread and switch to it; the current one has set its state
   (RUNNING means it stays runnable). Interrupts off. */
static void schedule(void)
{
    struct thread *prev = current;
    // SOLUTION(A1-threads) BEGIN: round robin: requeue a RUNNING prev (not idle), next = queue head or idle
    // SOLUTION(A1-threads) STUB: struct thread *next = idle;   /* only the idle thread ever runs */
    // SOLUTION(A1-threads) STUB: (void)rq_pop;
    if (prev->state == THREAD_RUNNING) {
        prev->state = THREAD_RUNNABLE;
        if (prev != idle)
            rq_push(prev);
    }
    struct thread *next = rq_pop();
    if (!next)
        next = idle;
    // SOLUTION(A1-threads) END
    next->state = THREAD_RUNNING;
    slice_left = SCHED_SLICE_TICKS;
    need_resched = false;
    if (next != prev)
        switch_to(prev, next);
}

void sched_block_current(void)
{
    kassert(!(read_rflags() & RFLAGS_IF));
    kassert(current != idle || !running);
    schedule();
}

void thread_yield(void)
{
    if (!running)
        return;
    bool irq = irq_save();
    schedule();
    irq_restore(irq);
}

void sched_tick(void)
{
    if (!running)
        return;
    uint64_t now = timer_ticks();
    while (sleep_head && sleep_head->wake_tick <= now) {
        struct thread *t = sleep_head;
        sched_sleep_list_remove(t);
        if (t->wq) {
            waitqueue_remove(t->wq, t);
            t->timed_out = true;
        }
        sched_make_runnable(t);
    }
    if (current != idle && --slice_left <= 0)
        need_resched = true;
}

void sched_preempt_point(void)
{
    if (!running)
        return;
    process_preempt_check();
    if (need_resched || (current == idle && rq_head))
        schedule();
}

/* Block the current thread until timer tick wake_tick (interrupts off). */
void sched_sleep_until(uint64_t wake_tick)
{
    current->state = THREAD_SLEEPING;
    sched_sleep_list_add(current, wake_tick);
    schedule();
}

NORETURN void sched_start(void (*first)(void *), void *arg)
{
    thread_subsystem_start();
    console_start_async();   /* output through the console ring from here on */
    struct thread *t = thread_create("init", first, arg);
    if (!t)
        panic("sched_start: cannot create the first thread");
    thread_detach(t);
    cli();
    running = true;
    current->state = THREAD_RUNNING;
    kprintf("sched: round-robin, %d ticks per slice at %d Hz\n", SCHED_SLICE_TICKS, TIMER_HZ);
    schedule();
    for (;;) {
        /* idle: sleep until the next interrupt; its preempt point switches */
        __asm__ volatile("sti; hlt; cli" ::: "memory");
        if (rq_head)
            schedule();
    }
}
