/*
 * fuzz COUNT [SEED] [-v]: COUNT system calls with random numbers and random
 * arguments (integers, NULL, kernel, non-canonical and valid user
 * pointers), reproducible for a given SEED; -v prints each call before it
 * is made (to find the one that hangs or crashes). The kernel must survive every
 * call. A few rules keep the run itself alive and side-effect free, so
 * `mem` afterwards must show the same free pages as before:
 *   - never exit, thread_exit or shutdown; kill only pids that cannot exist;
 *   - no read/write/close on fds 0-2 (that would block on or garble the
 *     terminal, or silence our report);
 *   - spawn, exec, mkdir and unlink only get bad path pointers (no new
 *     processes, no new image, no files); open only reads (no O_CREAT/O_TRUNC);
 *     fork is skipped (the child would fuzz on) and pipe only gets bad
 *     pointers (a read of our own empty pipe would block for good);
 *   - dup and dup2 never name fds 0-2, so no second terminal fd appears;
 *   - new threads start in a function that exits at once, or at a bad
 *     address; sleeps are at most 2 ms; the heap stays under 8 MiB;
 *   - VMs are created for this process only (freed when it exits) and
 *     vm_wait waits at most 3 ms.
 * Valid pointers point into a scratch area taken with sbrk, behind which
 * nothing of ours lives, so an overlong write just faults.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <unistd.h>
#include <vm.h>

#define SCRATCH_SIZE (64 * 1024)
#define HEAP_LIMIT (8L * 1024 * 1024)
#define KERNEL_BASE 0xffffffff80000000UL
#define NONCANONICAL 0x0000800000000000UL
#define ABOVE_STACK 0x00007ffffffff000UL
#define RESULT_KINDS 128

static char *scratch;
static uintptr_t heap_base;
static unsigned int seed_state;
static long results[RESULT_KINDS];    /* [0] successes, [e] -e errors */
static int my_tid;

static const char *const paths[] = {
    "/", "/bin", "/bin/true", "/tmp", "/nonexistent", "/bin/../bin", "", "/README.txt",
};

static uint64_t rnd(void)
{
    return ((uint64_t)rand_r(&seed_state) << 33) ^ ((uint64_t)rand_r(&seed_state) << 2) ^
           (uint64_t)rand_r(&seed_state);
}

static long bad_pointer(void)
{
    switch (rnd() % 6) {
    case 0: return 0;
    case 1: return (long)(rnd() % 0x10000);             /* below any mapping */
    case 2: return (long)(KERNEL_BASE + rnd() % 0x1000000);
    case 3: return (long)(NONCANONICAL + rnd() % 0x1000000);
    case 4: return (long)(ABOVE_STACK + rnd() % 0x1000);
    default: return (long)(rnd() | (1UL << 63));        /* kernel half */
    }
}

static long random_pointer(void)
{
    if (rnd() % 3 == 0)
        return bad_pointer();
    return (long)(scratch + rnd() % SCRATCH_SIZE);
}

static long random_path(void)
{
    if (rnd() % 2)
        return (long)paths[rnd() % (sizeof(paths) / sizeof(paths[0]))];
    return random_pointer();
}

static long random_int(void)
{
    switch (rnd() % 8) {
    case 0: return 0;
    case 1: return 1;
    case 2: return -1;
    case 3: return (long)(rnd() % 64);
    case 4: return 1L << 62;
    case 5: return (int)rnd();
    case 6: return (long)rnd();
    default: return random_pointer();
    }
}

/* 60% the kernel's own calls (0..39), 30% the VM range, 10% anything. */
static long random_number(void)
{
    uint64_t pick = rnd() % 10;
    if (pick < 6)
        return (long)(rnd() % 40);
    if (pick < 9)
        return SYS_VM_FIRST + (long)(rnd() % (SYS_COUNT - SYS_VM_FIRST + 2));
    return rnd() % 2 ? (long)rnd() : -(long)(rnd() % 16) - 1;
}

static void quick_thread(void *arg)
{
    (void)arg;
    thread_exit(7);
}

/* A pid no process can have: negative, or far above any pid handed out. */
static long impossible_pid(void)
{
    long offset = (long)(rnd() % 1000);
    return rnd() % 2 ? -offset - 1 : (1L << 20) + offset;
}

/* fd, unless it names the terminal (0-2, also with high bits set): then 3..10. */
static long safe_fd(long fd)
{
    int low = (int)fd;
    return low >= 0 && low <= 2 ? (long)(3 + rnd() % 8) : fd;
}

/* Bend the arguments of nr so the call cannot end or disturb the run;
   returns 0 when nr must be skipped altogether. */
static int sanitize(long nr, long *a)
{
    switch (nr) {
    case SYS_EXIT: case SYS_THREAD_EXIT: case SYS_SHUTDOWN: case SYS_FORK:
        return 0;
    case SYS_KILL: a[0] = impossible_pid(); break;
    case SYS_READ: case SYS_WRITE: case SYS_CLOSE: a[0] = safe_fd(a[0]); break;
    case SYS_OPEN: a[0] = random_path(); a[1] = O_RDONLY; break;
    case SYS_STAT: a[0] = random_path(); break;
    case SYS_SPAWN: case SYS_EXEC: case SYS_MKDIR: case SYS_UNLINK: case SYS_PIPE:
        a[0] = bad_pointer();
        break;
    case SYS_DUP: a[0] = safe_fd(a[0]); break;
    case SYS_DUP2: a[0] = safe_fd(a[0]); a[1] = safe_fd(a[1]); break;
    case SYS_SLEEP: a[0] = (long)(rnd() % 3); break;
    case SYS_THREAD_CREATE:
        a[0] = rnd() % 2 ? (long)(uintptr_t)quick_thread : (long)(KERNEL_BASE + rnd() % 4096);
        break;
    case SYS_THREAD_JOIN: if (a[0] == my_tid) a[0] = -1; break;
    case SYS_VM_CREATE: a[0] &= ~(long)VM_CREATE_FOR_PARENT; break;   /* ours only */
    case SYS_VM_WAIT: a[1] = (long)(1 + rnd() % 3); break;             /* never forever */
    case SYS_SBRK: {
        long brk = syscall1(SYS_SBRK, 0);
        long inc = (long)(rnd() % (128 * 1024)) - 64 * 1024;
        if (brk > 0 && (uintptr_t)brk - heap_base > HEAP_LIMIT)
            inc = -(long)(rnd() % (1024 * 1024));
        a[0] = rnd() % 8 == 0 ? random_int() : inc;
        if (a[0] > 0 && a[0] > HEAP_LIMIT)
            a[0] = 1L << 62;   /* huge requests must fail with ENOMEM */
        break;
    }
    default: break;
    }
    return 1;
}

static void record(long r)
{
    if (r >= 0)
        results[0]++;
    else if (-r < RESULT_KINDS)
        results[-r]++;
}

static void report(long count, unsigned int seed)
{
    printf("fuzz: seed %u: %ld succeeded", seed, results[0]);
    for (int e = 1; e < RESULT_KINDS; e++) {
        if (results[e]) {
            const char *name = errno_name(e);
            printf(", %s %ld", name ? name : "?", results[e]);
        }
    }
    printf("\n");
    printf("fuzz: %ld calls done\n", count);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        printf("usage: fuzz COUNT [SEED] [-v]\n");
        return 2;
    }
    long count = atol(argv[1]);
    unsigned int seed = argc > 2 ? (unsigned int)strtoul(argv[2], NULL, 0) : 1;
    int verbose = argc > 3 && strcmp(argv[3], "-v") == 0;
    seed_state = seed;
    my_tid = gettid();
    heap_base = (uintptr_t)sbrk(0);
    scratch = sbrk(SCRATCH_SIZE);
    if (scratch == (void *)-1) {
        printf("fuzz: no memory for the scratch area\n");
        return 1;
    }
    for (long i = 0; i < count; i++) {
        long nr = random_number();
        long a[6];
        for (int k = 0; k < 6; k++)
            a[k] = random_int();
        if (!sanitize(nr, a)) {
            i--;
            continue;
        }
        if (verbose)
            dprintf(2, "fuzz: #%ld nr %ld (%lx, %lx, %lx, %lx, %lx)\n", i, nr,
                    a[0], a[1], a[2], a[3], a[4]);
        record(syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]));
    }
    report(count, seed);
    return 0;
}
