/*
 * `selftest=schedbench`: the kernel's own scheduling costs in TSC cycles,
 * the reference figures for userspace's `bench` program (same methods, so
 * the two can be compared across machines and emulators):
 *   - thread_yield() with nobody else runnable,
 *   - a thread switch: two kernel threads yielding to each other (one
 *     round trip = two switches, reported per switch).
 * Prints medians; always passes (it measures, it does not judge).
 */
#include "kprintf.h"
#include "power.h"
#include "sched.h"
#include "selftest.h"
#include "thread.h"
#include "x86.h"

#define RUNS 1001

static uint64_t samples[RUNS];

static uint64_t median(uint64_t *v, int n)
{
    for (int i = 1; i < n; i++) {          /* insertion sort: n is small */
        uint64_t x = v[i];
        int j = i - 1;
        for (; j >= 0 && v[j] > x; j--)
            v[j + 1] = v[j];
        v[j + 1] = x;
    }
    return v[n / 2];
}

static volatile bool partner_stop;

static void partner(void *arg)
{
    UNUSED(arg);
    while (!partner_stop)
        thread_yield();
}

static void bench_main(void *arg)
{
    UNUSED(arg);
    for (int i = 0; i < RUNS; i++) {
        uint64_t t0 = rdtsc();
        thread_yield();
        samples[i] = rdtsc() - t0;
    }
    kprintf("schedbench: kernel yield, nobody else runnable  median %6lu cycles (%d runs)\n",
            median(samples, RUNS), RUNS);

    struct thread *p = thread_create("partner", partner, NULL);
    thread_yield();
    for (int i = 0; i < RUNS; i++) {
        uint64_t t0 = rdtsc();
        thread_yield();                    /* to the partner and back: two switches */
        samples[i] = (rdtsc() - t0) / 2;
    }
    partner_stop = true;
    thread_join(p);
    kprintf("schedbench: kernel thread switch (ping-pong / 2) median %6lu cycles (%d runs)\n",
            median(samples, RUNS), RUNS);
    kprintf("selftest schedbench: pass\n");
    power_off(POWER_EXIT_OK);
}

static int selftest_schedbench(void) { sched_start(bench_main, NULL); }
SELFTEST("schedbench", selftest_schedbench);
