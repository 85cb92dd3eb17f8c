/*
 * bench: median cost in TSC cycles (rdtsc) of
 *   - a null system call round trip (getpid),
 *   - sched_yield with no other runnable thread (syscall + scheduler pass),
 *   - a thread switch: two threads of this process yielding to each other
 *     (one sample = a yield there and back, halved),
 *   - spawn + waitpid of /bin/true,
 *   - fork + waitpid (the child exits at once), fork + exec /bin/true + waitpid,
 *   - a copy-on-write fault: the first write to a page shared with a child,
 *   - 1 MiB through a pipe from a child, in 4 KiB writes (kernel clock).
 * The absolute numbers depend on the machine (QEMU TCG is slow); compare
 * them with each other and with the kernel's own yield loop, measured the
 * same way by the boot option selftest=schedbench
 * (utils/sweb exec --cmdline selftest=schedbench).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <unistd.h>

#define SYSCALL_RUNS 2000
#define SWITCH_RUNS 1000
#define SPAWN_RUNS 50
#define COW_PAGES 64

static uint64_t samples[SYSCALL_RUNS];
static volatile int partner_stop;

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *what, int runs)
{
    qsort(samples, (size_t)runs, sizeof(samples[0]), cmp_u64);
    printf("bench: %-36s median %8llu cycles (min %llu, %d runs)\n", what,
           (unsigned long long)samples[runs / 2], (unsigned long long)samples[0], runs);
}

/* Time runs calls of the argument-less system call nr into samples[],
   each divided by share (2 when one sample covers two switches). */
static void time_syscall(long nr, int runs, uint64_t share)
{
    for (int i = 0; i < runs; i++) {
        uint64_t t0 = rdtsc();
        syscall0(nr);
        samples[i] = (rdtsc() - t0) / share;
    }
}

static void bench_null_syscall(void)
{
    time_syscall(SYS_GETPID, SYSCALL_RUNS, 1);
    report("null syscall (getpid)", SYSCALL_RUNS);
}

static void bench_lone_yield(void)
{
    time_syscall(SYS_YIELD, SWITCH_RUNS, 1);
    report("yield, nobody else runnable", SWITCH_RUNS);
}

static void *partner(void *arg)
{
    (void)arg;
    while (!partner_stop)
        syscall0(SYS_YIELD);
    return NULL;
}

static void bench_thread_switch(void)
{
    pthread_t t;
    if (pthread_create(&t, NULL, partner, NULL) != 0) {
        printf("bench: thread switch: pthread_create failed\n");
        return;
    }
    for (int i = 0; i < 10; i++)      /* let the partner start */
        syscall0(SYS_YIELD);
    time_syscall(SYS_YIELD, SWITCH_RUNS, 2);
    partner_stop = 1;
    pthread_join(t, NULL);
    report("thread switch (yield ping-pong / 2)", SWITCH_RUNS);
}

static uint64_t now_ns(void)
{
    struct clock_info ci;
    return clock_get(&ci) < 0 ? 0 : ci.ns;
}

static void bench_spawn(void)
{
    static uint64_t spawn_part[SPAWN_RUNS];
    char *argv[] = { "true", NULL };
    uint64_t n0 = now_ns();
    for (int i = 0; i < SPAWN_RUNS; i++) {
        uint64_t t0 = rdtsc();
        pid_t pid = spawn("/bin/true", argv);
        uint64_t t1 = rdtsc();
        int status;
        if (pid < 0 || waitpid(pid, &status) != pid) {
            printf("bench: spawn /bin/true failed\n");
            return;
        }
        samples[i] = rdtsc() - t0;
        spawn_part[i] = t1 - t0;
    }
    /* The kernel clock ticks every 10 ms: only the whole series is long
       enough to measure with it. */
    uint64_t mean_us = (now_ns() - n0) / SPAWN_RUNS / 1000;
    report("spawn+wait /bin/true", SPAWN_RUNS);
    qsort(spawn_part, SPAWN_RUNS, sizeof(spawn_part[0]), cmp_u64);
    printf("bench: %-36s median %8llu cycles (the spawn call alone)\n", "  of which spawn()",
           (unsigned long long)spawn_part[SPAWN_RUNS / 2]);
    printf("bench: %-36s mean   %8llu us (kernel clock over %d runs)\n",
           "spawn+wait /bin/true", (unsigned long long)mean_us, SPAWN_RUNS);
}

/* fork + waitpid, the child exiting at once (exec_true: after exec of /bin/true). */
static void bench_fork(int exec_true)
{
    char *argv[] = { "true", NULL };
    for (int i = 0; i < SPAWN_RUNS; i++) {
        fflush(stdout);
        uint64_t t0 = rdtsc();
        pid_t pid = fork();
        if (pid == 0) {
            if (exec_true)
                exec("/bin/true", argv);
            _exit(0);
        }
        int status;
        if (pid < 0 || waitpid(pid, &status) != pid) {
            printf("bench: fork failed\n");
            return;
        }
        samples[i] = rdtsc() - t0;
    }
    report(exec_true ? "fork+exec+wait /bin/true" : "fork+wait (child exits at once)", SPAWN_RUNS);
}

/* The first write to each of COW_PAGES pages shared with a sleeping child:
   the fault, a page copy and the return. */
static void bench_cow_fault(void)
{
    char *pages = malloc((COW_PAGES + 1) * 4096);
    char *p = (char *)(((uintptr_t)pages + 4095) & ~(uintptr_t)4095);
    memset(p, 1, COW_PAGES * 4096);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        sleep_ms(100000);
        _exit(0);
    }
    for (int i = 0; i < COW_PAGES; i++) {
        uint64_t t0 = rdtsc();
        ((volatile char *)p)[i * 4096] = 2;
        samples[i] = rdtsc() - t0;
    }
    kill(pid);
    int status;
    waitpid(pid, &status);
    free(pages);
    report("copy-on-write fault (page copy)", COW_PAGES);
}

static void bench_pipe(void)
{
    static char buf[4096];
    int fds[2];
    if (pipe(fds) < 0) {
        printf("bench: pipe failed\n");
        return;
    }
    uint64_t n0 = now_ns();
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        for (int i = 0; i < 256; i++)
            write(fds[1], buf, sizeof(buf));
        _exit(0);
    }
    close(fds[1]);
    long total = 0, n;
    while ((n = read(fds[0], buf, sizeof(buf))) > 0)
        total += n;
    close(fds[0]);
    int status;
    waitpid(pid, &status);
    uint64_t us = (now_ns() - n0) / 1000;
    printf("bench: %-36s %8llu us for %ld bytes (%llu KiB/s)\n", "pipe, 1 MiB from a child",
           (unsigned long long)us, total, us ? (unsigned long long)(1024ull * 1000000 / us) : 0);
}

int main(void)
{
    bench_null_syscall();
    bench_lone_yield();
    bench_thread_switch();
    bench_spawn();
    bench_fork(0);
    bench_fork(1);
    bench_cow_fault();
    bench_pipe();
    printf("bench: done (kernel figures: boot with selftest=schedbench)\n");
    return 0;
}
