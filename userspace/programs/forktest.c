/*
 * forktest: fork with copy-on-write from user space (kernel side:
 * common/kernel/fork.c, user_memory.c, page_fault.c). Each check compares
 * with values fixed here: a write on one side of a fork is never seen on
 * the other (globals, heap, stack, and pages the kernel writes through
 * read()); only the calling thread is copied; forks nest; stacks grow on
 * demand to 512 KiB and fault beyond; the free page count returns once
 * every child is reaped; a fork under memory pressure fails with ENOMEM
 * and leaks nothing, and so does an exec (the program goes on). Prints
 * `forktest: ok` when all pass.
 *   forktest            every check
 *   forktest NAME       one check (cow, kernel-write, threads, nested, many,
 *                       stack, pressure)
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <unistd.h>

#define PAGE 4096
#define HEAP_PAGES 3
#define MANY_CHILDREN 12
#define SETTLE_TRIES 40
#define SETTLE_MS 25

static int failures;
static volatile int g_value = 1;                 /* .data */
static char g_buf[2 * PAGE];                     /* .bss */

static void check(int ok, const char *what)
{
    printf("forktest: %-56s %s\n", what, ok ? "ok" : "FAIL");
    if (!ok)
        failures++;
}

static long free_pages(void)
{
    struct meminfo mi;
    return meminfo(&mi) < 0 ? -1 : (long)mi.free_pages;
}

/* The free page count once the kernel has finished freeing (its reaper
   frees stacks a moment after a child is reaped), compared with want. */
static long settled_free_pages(long want)
{
    long now = free_pages();
    if (want < 0) {                          /* no target: wait until it stops changing */
        sleep_ms(SETTLE_MS);
        return free_pages();
    }
    for (int i = 0; i < SETTLE_TRIES && now != want; i++) {
        sleep_ms(SETTLE_MS);
        now = free_pages();
    }
    return now;
}

/* fork, flushing stdout first so that buffered text is not printed twice. */
static pid_t fork_flushed(void)
{
    fflush(stdout);
    return fork();
}

static int wait_status(pid_t pid)
{
    int status = -1;
    if (waitpid(pid, &status) != pid)
        return -1;
    return status;
}

static int fill_check(const char *p, size_t n, char c)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != c)
            return 0;
    return 1;
}

/* Globals, heap and stack: the child sees the values from before the
   fork, its writes stay its own, and the parent's writes stay the
   parent's, whichever side writes first. */
static void check_cow(void)
{
    char *heap = malloc(HEAP_PAGES * PAGE);
    char stack_buf[PAGE];
    memset(heap, 'h', HEAP_PAGES * PAGE);
    memset(stack_buf, 's', sizeof(stack_buf));
    g_value = 1;
    pid_t pid = fork_flushed();
    if (pid == 0) {
        int seen = g_value == 1 && fill_check(heap, HEAP_PAGES * PAGE, 'h') &&
                   fill_check(stack_buf, sizeof(stack_buf), 's');
        sleep_ms(100);                       /* the parent writes meanwhile */
        seen = seen && g_value == 1 && fill_check(heap, HEAP_PAGES * PAGE, 'h') &&
               fill_check(stack_buf, sizeof(stack_buf), 's');
        g_value = 3;
        memset(heap, 'c', HEAP_PAGES * PAGE);
        memset(stack_buf, 'c', sizeof(stack_buf));
        exit(seen && g_value == 3 && heap[PAGE] == 'c' ? 42 : 1);
    }
    check(pid > 0, "fork returns the child's pid in the parent");
    g_value = 2;
    memset(heap, 'p', PAGE);                 /* only the first heap page */
    check(wait_status(pid) == 42, "child sees pre-fork values, not the parent's writes");
    check(g_value == 2, "parent's global keeps its own write");
    check(fill_check(heap, PAGE, 'p') && fill_check(heap + PAGE, 2 * PAGE, 'h'),
          "parent's heap has its write and not the child's");
    check(fill_check(stack_buf, sizeof(stack_buf), 's'), "parent's stack unchanged by the child");
    free(heap);
}

/* The kernel writes into copy-on-write pages through read(): the data
   lands on the reader's side only. */
static void check_kernel_write(void)
{
    memset(g_buf, 'x', sizeof(g_buf));
    pid_t pid = fork_flushed();
    if (pid == 0) {
        sleep_ms(100);                       /* the parent reads meanwhile */
        int ok = fill_check(g_buf, sizeof(g_buf), 'x');
        int fd = open("/README.txt", O_RDONLY);
        ok = ok && fd >= 0 && read(fd, g_buf, 64) == 64 && g_buf[0] != 'x';
        exit(ok ? 43 : 1);
    }
    int fd = open("/README.txt", O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, g_buf + PAGE - 8, 64) : -1;   /* spans two pages */
    close(fd);
    check(n == 64 && g_buf[PAGE - 8] != 'x', "read() into a shared page works in the parent");
    check(wait_status(pid) == 43, "child does not see the parent's read(), and can read() itself");
    check(fill_check(g_buf, PAGE - 8, 'x') && fill_check(g_buf + PAGE + 56, PAGE - 56, 'x'),
          "parent does not see the child's read()");
}

static volatile int helper_run = 1;

static void *helper_thread(void *arg)
{
    (void)arg;
    while (helper_run)
        sleep_ms(10);
    return NULL;
}

/* Threads of this process as ps shows them; -1 if it is not listed. */
static int my_threads(void)
{
    static struct proc_info procs[64];
    int n = ps(procs, 64);
    for (int i = 0; i < n; i++)
        if (procs[i].pid == getpid())
            return procs[i].threads;
    return -1;
}

/* A process with three threads forks: the child has one thread. */
static void check_threads(void)
{
    pthread_t t[2];
    helper_run = 1;
    int created = pthread_create(&t[0], NULL, helper_thread, NULL) == 0 &&
                  pthread_create(&t[1], NULL, helper_thread, NULL) == 0;
    check(created && my_threads() == 3, "parent runs 3 threads");
    pid_t pid = fork_flushed();
    if (pid == 0)
        exit(my_threads() == 1 ? 44 : 10 + my_threads());
    check(wait_status(pid) == 44, "child of a 3-thread process has 1 thread");
    check(my_threads() == 3, "parent still has 3 threads");
    helper_run = 0;
    pthread_join(t[0], NULL);
    pthread_join(t[1], NULL);
}

/* A grandchild shares pages three ways; every level keeps its own writes. */
static void check_nested(void)
{
    g_value = 100;
    pid_t pid = fork_flushed();
    if (pid == 0) {
        g_value = 200;
        pid_t grand = fork_flushed();
        if (grand == 0) {
            int ok = g_value == 200;
            g_value = 300;
            exit(ok ? 45 : 1);
        }
        int st = wait_status(grand);
        exit(st == 45 && g_value == 200 ? 46 : 1);
    }
    check(wait_status(pid) == 46, "grandchild sees its parent's value, writes its own");
    check(g_value == 100, "grandparent's value unchanged");
}

/* Many children at once, each writing a pattern of its own. */
static void check_many(void)
{
    char *heap = malloc(4 * PAGE);
    memset(heap, 0, 4 * PAGE);
    pid_t warm = fork_flushed();             /* kernel heap grown to its working size */
    if (warm == 0)
        exit(0);
    wait_status(warm);
    long before = settled_free_pages(-1);
    pid_t pids[MANY_CHILDREN];
    for (int i = 0; i < MANY_CHILDREN; i++) {
        pids[i] = fork_flushed();
        if (pids[i] == 0) {
            memset(heap, 'a' + i, 4 * PAGE);
            sleep_ms(20);
            exit(fill_check(heap, 4 * PAGE, (char)('a' + i)) ? i : 100);
        }
    }
    int ok = 1;
    for (int i = 0; i < MANY_CHILDREN; i++)
        ok = ok && pids[i] > 0 && wait_status(pids[i]) == i;
    check(ok, "12 children each keep their own heap pattern");
    check(fill_check(heap, 4 * PAGE, 0), "parent's heap still zero");
    long after = settled_free_pages(before);
    printf("forktest: many: free pages before %ld, after %ld\n", before, after);
    check(after == before, "free page count back after the children exited");
    free(heap);
}

/* Use about kib KiB of stack, touching every page, from the top down. */
static int use_stack(int kib)
{
    volatile char frame[1024];
    frame[0] = (char)kib;
    frame[sizeof(frame) - 1] = 1;
    if (kib <= 1)
        return frame[0];
    return use_stack(kib - 1) + frame[sizeof(frame) - 1];
}

static void *deep_thread(void *arg)
{
    (void)arg;
    return (void *)(uintptr_t)use_stack(300);
}

/* The stack grows on demand to 512 KiB; beyond it is a segmentation fault.
   A second thread's stack grows the same way. */
static void check_stack(void)
{
    pthread_t t;
    void *got = NULL;
    check(pthread_create(&t, NULL, deep_thread, NULL) == 0 && pthread_join(t, &got) == 0 &&
          got == (void *)300, "a second thread's stack grows to 300 KiB");
    pid_t pid = fork_flushed();
    if (pid == 0)
        exit(use_stack(400) == 400 ? 47 : 1);
    check(wait_status(pid) == 47, "400 KiB of stack grow on demand");
    pid = fork_flushed();
    if (pid == 0)
        exit(use_stack(600) == 600 ? 2 : 3);
    check(wait_status(pid) == 139, "600 KiB of stack (limit 512 KiB): status 139");
}

/* fork, and in the parent wait for the child, without touching memory
   between the two: the child _exits at once and the parent's pages are
   shared only while no user instruction of ours runs, so no
   copy-on-write fault needs a page. The child's pid, or -errno. */
static long fork_and_reap(void)
{
    long ret;
    __asm__ volatile("syscall\n\t"
                     "test %%rax, %%rax\n\t"
                     "jnz 1f\n\t"
                     "xor %%edi, %%edi\n\t"
                     "mov %[exit_nr], %%eax\n\t"
                     "syscall\n"                  /* child: exit(0) */
                     "1:\n\t"
                     "js 2f\n\t"                  /* fork failed: -errno in rax */
                     "mov %%rax, %%rdi\n\t"
                     "xor %%esi, %%esi\n\t"
                     "mov %[wait_nr], %%eax\n\t"
                     "syscall\n"                  /* parent: waitpid(pid, NULL) */
                     "2:\n\t"
                     : "=a"(ret)
                     : "a"((long)SYS_FORK), [exit_nr] "i"(SYS_EXIT), [wait_nr] "i"(SYS_WAITPID)
                     : "rdi", "rsi", "rdx", "rcx", "r11", "memory");
    return ret;
}

/* In a child of the test: take all free memory with sbrk, then give it
   back a few pages at a time, forking at each step. Every fork must fail
   with ENOMEM until enough is free, then one must succeed. 0 when so. */
static int pressure_child(void)
{
    errno = 0;                               /* its page is private before memory runs out */
    long chunk = 64 * PAGE, taken = 0;
    while (chunk >= PAGE) {
        if (sbrk(chunk) == (void *)-1)
            chunk /= 2;
        else
            taken += chunk;
    }
    char *true_argv[] = { "true", NULL };
    long exec_r = syscall2(SYS_EXEC, (long)"/bin/true", (long)true_argv);   /* no room for it */
    int enomem = 0, other = 0, steps = 0;
    long r = -ENOMEM;
    while (r < 0 && taken >= 4 * PAGE && steps < 400) {
        r = fork_and_reap();
        if (r == -ENOMEM)
            enomem++;
        else if (r < 0)
            other++;
        sbrk(-4 * PAGE);
        taken -= 4 * PAGE;
        steps++;
    }
    sbrk(-taken);
    printf("forktest: pressure: exec with no memory left: %s, and this program goes on\n",
           exec_r == -ENOMEM ? "ENOMEM" : "not ENOMEM");
    printf("forktest: pressure: %d forks failed with ENOMEM, %d otherwise, then one succeeded: %s\n",
           enomem, other, r > 0 ? "yes" : "no");
    return enomem > 0 && other == 0 && r > 0 && exec_r == -ENOMEM ? 0 : 1;
}

/* The pressure test runs in a child, so that its page tables are freed
   too: afterwards the free page count must be exactly what it was. */
static void check_pressure(void)
{
    pid_t warm = fork_flushed();             /* kernel heap grown to its working size */
    if (warm == 0)
        exit(0);
    wait_status(warm);
    long before = settled_free_pages(-1);
    pid_t pid = fork_flushed();
    if (pid == 0)
        exit(pressure_child());
    check(wait_status(pid) == 0, "fork and exec under memory pressure fail with ENOMEM");
    long after = settled_free_pages(before);
    printf("forktest: pressure: free pages before %ld, after %ld\n", before, after);
    check(after == before, "no page leaked by the failed forks and exec");
}

struct test {
    const char *name;
    void (*run)(void);
};

static const struct test tests[] = {
    { "cow", check_cow },
    { "kernel-write", check_kernel_write },
    { "threads", check_threads },
    { "nested", check_nested },
    { "many", check_many },
    { "stack", check_stack },
    { "pressure", check_pressure },
    { NULL, NULL },
};

int main(int argc, char **argv)
{
    int ran = 0;
    for (const struct test *t = tests; t->name; t++) {
        if (argc > 1 && strcmp(argv[1], t->name) != 0)
            continue;
        t->run();
        ran++;
    }
    if (ran == 0) {
        printf("usage: forktest [cow|kernel-write|threads|nested|many|stack|pressure]\n");
        return 2;
    }
    printf(failures ? "forktest: %d FAILED\n" : "forktest: ok\n", failures);
    return failures != 0;
}
