/*
 * proctest: the kernel's process and thread lifecycle from user space
 * (kernel side: common/kernel/process.c). Each check runs a child copy of
 * this program in a role and compares what comes back with numbers fixed
 * here: exit status with threads still running, kill of a busy
 * multi-threaded process (137), a fault in a secondary thread (139),
 * thread_join values, waitpid(-1), orphans, sbrk, sleep timing, and at the
 * end that all physical pages came back. Prints `proctest: ok` if all pass.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures;

static void check(int ok, const char *what)
{
    printf("proctest: %-52s %s\n", what, ok ? "ok" : "FAIL");
    if (!ok)
        failures++;
}

static void spin_forever(void *arg)
{
    (void)arg;
    for (;;)
        __asm__ volatile("" ::: "memory");
}

static void sleep_forever(void *arg)
{
    (void)arg;
    for (;;)
        sleep_ms(1000);
}

static void fault_thread(void *arg)
{
    (void)arg;
    sleep_ms(20);
    volatile int *volatile null_page = (volatile int *)8;
    *null_page = 1;   /* NULL page: kills the whole process */
    thread_exit(0);
}

static void value_thread(void *arg)
{
    thread_exit((uint64_t)arg * 2);
}

/* Child roles, selected by argv[1]. */
static int child(const char *role)
{
    if (strcmp(role, "exit42") == 0) {
        thread_create(spin_forever, NULL);
        thread_create(spin_forever, NULL);
        thread_create(sleep_forever, NULL);
        sleep_ms(30);
        exit(42);   /* must end the spinning and sleeping threads too */
    }
    if (strcmp(role, "spin") == 0) {
        thread_create(spin_forever, NULL);
        thread_create(spin_forever, NULL);
        spin_forever(NULL);
    }
    if (strcmp(role, "fault") == 0) {
        thread_create(fault_thread, NULL);
        sleep_forever(NULL);
    }
    if (strcmp(role, "status") == 0)
        return 3;
    if (strcmp(role, "orphaner") == 0) {
        char *argv[] = {"proctest", "child", "napper", NULL};
        spawn("/bin/proctest", argv);
        return 5;   /* leaves a running child behind */
    }
    if (strcmp(role, "napper") == 0) {
        sleep_ms(150);
        return 0;
    }
    return 99;
}

static pid_t start(const char *role)
{
    char *argv[] = {"proctest", "child", (char *)role, NULL};
    return spawn("/bin/proctest", argv);
}

static int run(const char *role)
{
    pid_t pid = start(role);
    int status = -1;
    if (pid < 0 || waitpid(pid, &status) != pid)
        return -1;
    return status;
}

static int count_named(const char *name)
{
    struct proc_info info[64];
    int n = ps(info, 64), count = 0;
    for (int i = 0; i < n; i++)
        if (strcmp(info[i].name, name) == 0)
            count++;
    return count;
}

static uint64_t free_pages(void)
{
    struct meminfo mi;
    return meminfo(&mi) == 0 ? mi.free_pages : 0;
}

static void lifecycle_checks(void)
{
    uint64_t t0 = uptime_ms();
    check(run("exit42") == 42, "exit(42) with 3 threads still running -> 42");
    check(uptime_ms() - t0 < 2000, "... and it ended at once");

    pid_t pid = start("spin");
    sleep_ms(100);
    int status = -1;
    check(kill(pid) == 0 && waitpid(pid, &status) == pid && status == 137,
          "kill of 3 busy threads -> status 137");
    check(run("fault") == 139, "NULL write in a second thread -> status 139");

    pid_t a = start("status"), b = start("status");
    int sa = -1, sb = -1;
    pid_t wa = waitpid(-1, &sa), wb = waitpid(-1, &sb);
    check(((wa == a && wb == b) || (wa == b && wb == a)) && sa == 3 && sb == 3,
          "waitpid(-1) collects both children");
    check(waitpid(-1, &sa) == -1 && errno == ECHILD, "waitpid(-1) without children -> ECHILD");

    check(run("orphaner") == 5, "parent of an orphan exits with 5");
    sleep_ms(300);
    check(count_named("proctest") == 1, "the orphan reaped itself (no zombie)");
}

static void thread_checks(void)
{
    int tid = thread_create(value_thread, (void *)21);
    uint64_t v = 0;
    check(tid > 0 && thread_join(tid, &v) == 0 && v == 42, "thread_exit(42) reaches thread_join");
    check(thread_join(tid, &v) == -1 && errno == ESRCH, "second join -> ESRCH");
    check(thread_join(gettid(), &v) == -1 && errno == EDEADLK, "join self -> EDEADLK");
}

static void memory_checks(void)
{
    sleep_ms(20);   /* the kernel's reaper frees exited threads' stacks in the background */
    uint64_t before = free_pages();
    char *p = sbrk(1 << 20);
    check(p != (void *)-1, "sbrk(1 MiB)");
    if (p != (void *)-1) {
        memset(p, 0x5a, 1 << 20);
        uint64_t used = before - free_pages();
        check(used >= 256 && used <= 258, "1 MiB heap = 256 pages (+ page tables)");
        sbrk(-(1 << 20));
    }
    check(free_pages() == before, "sbrk(-1 MiB) gives the pages back");
    check(sbrk(-(1L << 40)) == (void *)-1 && errno == EINVAL, "shrinking below the heap -> EINVAL");

    before = free_pages();
    char *argv[] = {"README.txt", NULL};
    check(spawn("/README.txt", argv) == -1 && errno == ENOEXEC, "spawn of a text file -> ENOEXEC");
    check(spawn("/bin", argv) == -1, "spawn of a directory fails");
    check(spawn("/bin/nonexistent", argv) == -1 && errno == ENOENT, "spawn of a missing file -> ENOENT");
    check(free_pages() == before, "failed spawns leave no pages behind");

    uint64_t t0 = uptime_ms();
    sleep_ms(100);
    uint64_t slept = uptime_ms() - t0;
    check(slept >= 100 && slept <= 160, "sleep_ms(100) takes 100-160 ms");
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "child") == 0)
        return child(argv[2]);
    lifecycle_checks();   /* warm-up: kernel heap and tables settle */
    sleep_ms(20);
    uint64_t before = free_pages();
    lifecycle_checks();
    thread_checks();
    memory_checks();
    sleep_ms(20);
    uint64_t after = free_pages();
    printf("proctest: free pages %lu before, %lu after\n", (unsigned long)before, (unsigned long)after);
    check(after == before, "no pages leaked");
    printf(failures ? "proctest: %d FAILED\n" : "proctest: ok\n", failures);
    return failures != 0;
}
