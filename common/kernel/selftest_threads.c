/*
 * `selftest=threads`: the scheduler and the locks under load. Starts the
 * scheduler with a test thread that checks, against numbers fixed in
 * advance: a mutex-protected counter (exact total), sleep ordering, join,
 * condvar ping-pong, waitqueue timeout, preemption of a busy thread, and
 * that the stacks of many exited threads come back to the page allocator.
 * `selftest=mutex`: locks a mutex twice; the expected outcome is a panic
 * naming the mutex and the thread.
 * `selftest=kstack`: a thread overflows its kernel stack; the expected
 * outcome is a fault on the guard page below it (a double fault, reported
 * from its IST stack), not silent corruption.
 */
#include "kheap.h"
#include "kprintf.h"
#include "mutex.h"
#include "pmm.h"
#include "power.h"
#include "sched.h"
#include "selftest.h"
#include "thread.h"
#include "timer.h"
#include "waitqueue.h"

#define COUNTER_THREADS 8
#define COUNTER_ROUNDS 2000
#define MANY_THREADS 100
#define PINGPONG_ROUNDS 100

static int failures;

static void check(bool ok, const char *what)
{
    kprintf("  %s: %s\n", ok ? "ok  " : "FAIL", what);
    if (!ok)
        failures++;
}

/* --- mutex-protected counter ------------------------------------------ */
static struct mutex counter_lock = MUTEX_INIT("counter");
static volatile uint64_t counter;

static void counter_worker(void *arg)
{
    UNUSED(arg);
    for (int i = 0; i < COUNTER_ROUNDS; i++) {
        mutex_lock(&counter_lock);
        uint64_t v = counter;          /* read-modify-write with a switch in between */
        if (i % 64 == 0)
            thread_yield();
        counter = v + 1;
        mutex_unlock(&counter_lock);
    }
}

static void test_counter(void)
{
    struct thread *t[COUNTER_THREADS];
    for (int i = 0; i < COUNTER_THREADS; i++)
        t[i] = thread_create("counter", counter_worker, NULL);
    for (int i = 0; i < COUNTER_THREADS; i++)
        thread_join(t[i]);
    kprintf("  counter = %lu (expected %d)\n", counter, COUNTER_THREADS * COUNTER_ROUNDS);
    check(counter == COUNTER_THREADS * COUNTER_ROUNDS, "mutex counter total");
}

/* --- sleep ordering ------------------------------------------------------ */
static struct mutex order_lock = MUTEX_INIT("order");
static int order[3], norder;

static void sleeper(void *arg)
{
    uint64_t ms = (uint64_t)arg;
    thread_sleep_ms(ms);
    mutex_lock(&order_lock);
    order[norder++] = (int)ms;
    mutex_unlock(&order_lock);
}

static void test_sleep_order(void)
{
    uint64_t start = timer_ticks();
    struct thread *a = thread_create("sleep300", sleeper, (void *)300);
    struct thread *b = thread_create("sleep100", sleeper, (void *)100);
    struct thread *c = thread_create("sleep200", sleeper, (void *)200);
    thread_join(a);
    thread_join(b);
    thread_join(c);
    uint64_t ticks = timer_ticks() - start;
    kprintf("  wake order %d %d %d after %lu ticks\n", order[0], order[1], order[2], ticks);
    check(norder == 3 && order[0] == 100 && order[1] == 200 && order[2] == 300, "sleepers wake in order 100 200 300");
    check(ticks >= 30 * TIMER_HZ / 100 && ticks <= 60 * TIMER_HZ / 100, "300 ms sleep took 0.3-0.6 s");
}

/* --- condvar ping-pong ---------------------------------------------------- */
static struct mutex pp_lock = MUTEX_INIT("pingpong");
static struct condvar pp_cv;
static int pp_turn, pp_moves, pp_bad;

static void pingpong(void *arg)
{
    int me = (int)(uint64_t)arg;
    for (int i = 0; i < PINGPONG_ROUNDS; i++) {
        mutex_lock(&pp_lock);
        while (pp_turn != me)
            condvar_wait(&pp_cv, &pp_lock);
        if (pp_moves % 2 != me)
            pp_bad++;
        pp_moves++;
        pp_turn = 1 - me;
        condvar_broadcast(&pp_cv);
        mutex_unlock(&pp_lock);
    }
}

static void test_pingpong(void)
{
    condvar_init(&pp_cv);
    struct thread *a = thread_create("ping", pingpong, (void *)0);
    struct thread *b = thread_create("pong", pingpong, (void *)1);
    thread_join(a);
    thread_join(b);
    kprintf("  ping-pong moves %d, out of turn %d\n", pp_moves, pp_bad);
    check(pp_moves == 2 * PINGPONG_ROUNDS && pp_bad == 0, "condvar ping-pong alternates 200 times");
}

/* --- waitqueue timeout ----------------------------------------------------- */
static void test_timeout(void)
{
    static struct waitqueue wq = WAITQUEUE_INIT;
    static struct spinlock l = SPINLOCK_INIT("timeout");
    uint64_t start = timer_ticks();
    spin_lock(&l);
    bool woken = waitqueue_wait_timeout(&wq, &l, 50);
    spin_unlock(&l);
    uint64_t ticks = timer_ticks() - start;
    kprintf("  timed wait returned %d after %lu ticks\n", woken, ticks);
    check(!woken && ticks >= 5, "waitqueue_wait_timeout(50 ms) times out after >= 5 ticks");
}

/* --- preemption ------------------------------------------------------------ */
static volatile bool spin_release;

static void spinner(void *arg)
{
    UNUSED(arg);
    while (!spin_release)
        ;   /* never yields: only the timer can take the CPU away */
}

static void releaser(void *arg)
{
    UNUSED(arg);
    spin_release = true;
}

static void test_preemption(void)
{
    struct thread *s = thread_create("spinner", spinner, NULL);
    struct thread *r = thread_create("releaser", releaser, NULL);
    thread_join(s);
    thread_join(r);
    check(spin_release, "busy thread preempted by the timer");
}

/* --- many threads, stacks returned ---------------------------------------- */
static volatile int many_ran;

static void short_lived(void *arg)
{
    UNUSED(arg);
    __atomic_add_fetch(&many_ran, 1, __ATOMIC_RELAXED);
    thread_sleep_ms(10);
}

static void test_many(void)
{
    static struct thread *t[MANY_THREADS];
    uint64_t free_before = pmm_free_pages();
    size_t heap_before = kheap_used_bytes();
    for (int i = 0; i < MANY_THREADS; i++)
        t[i] = thread_create("many", short_lived, NULL);
    for (int i = 0; i < MANY_THREADS; i++)
        thread_join(t[i]);
    uint64_t free_after = pmm_free_pages();
    size_t heap_after = kheap_used_bytes();
    kprintf("  %d threads ran; free pages %lu -> %lu, heap %zu -> %zu bytes\n", many_ran,
            free_before, free_after, heap_before, heap_after);
    check(many_ran == MANY_THREADS, "100 threads ran");
    check(free_after == free_before && heap_after == heap_before, "all stacks and thread structs freed");
}

static void threads_main(void *arg)
{
    UNUSED(arg);
    test_counter();
    test_sleep_order();
    test_pingpong();
    test_timeout();
    test_preemption();
    test_many();
    if (failures == 0) {
        kprintf("threads selftest: ok\n");
        kprintf("selftest threads: pass\n");
        power_off(POWER_EXIT_OK);
    }
    kprintf("threads selftest: %d FAILED\n", failures);
    kprintf("selftest threads: FAIL (%d)\n", failures);
    power_off(POWER_EXIT_FAIL);
}

static int selftest_threads(void) { sched_start(threads_main, NULL); }
SELFTEST("threads", selftest_threads);

/* --- mutex misuse: expected to panic ---------------------------------------- */
static void mutex_twice(void *arg)
{
    UNUSED(arg);
    static struct mutex m = MUTEX_INIT("selftest-mutex");
    mutex_lock(&m);
    kprintf("locking selftest-mutex a second time (expect a panic naming it)\n");
    mutex_lock(&m);
    kprintf("selftest mutex: FAIL (no panic)\n");
    power_off(POWER_EXIT_FAIL);
}

static int selftest_mutex(void) { sched_start(mutex_twice, NULL); }
SELFTEST("mutex", selftest_mutex);

/* --- kernel stack overflow: expected to hit the guard page ----------------- */
static volatile int recurse_limit = 1 << 30;   /* volatile: the compiler cannot see the end */

static int recurse_deep(int depth)
{
    volatile char pad[512];
    pad[0] = (char)depth;
    if (depth >= recurse_limit)
        return 0;
    return depth + recurse_deep(depth + 1) + pad[0];   /* not a tail call */
}

static void overflow_thread(void *arg)
{
    UNUSED(arg);
    kprintf("recursing until the 16 KiB kernel stack overflows (expect a fault on its guard page)\n");
    kprintf("%d\n", recurse_deep(0));
    kprintf("selftest kstack: FAIL (no fault)\n");
    power_off(POWER_EXIT_FAIL);
}

static int selftest_kstack(void) { sched_start(overflow_thread, NULL); }
SELFTEST("kstack", selftest_kstack);
