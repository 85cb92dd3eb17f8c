/*
 * badptr: hand every system call that takes a pointer NULL, a kernel
 * address, a non-canonical address, a range running off the end of mapped
 * memory or a huge length, plus bad fds and unknown numbers. Each call must
 * come back with the documented negative errno (and the kernel must
 * survive). Prints one line per check, then `badptr: ok` only if all matched.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <syscall.h>
#include <unistd.h>

#define KERNEL_PTR 0xffffffff80000000L    /* kernel text */
#define NONCANON_PTR 0x0000800000000000L  /* first non-canonical address */
#define HUGE_LEN (1L << 62)
#define LAST_USER_PAGE 0x00007ffffffff000L

struct check {
    const char *what;
    long nr, a1, a2, a3;
    long expect, also_ok;     /* also_ok: a second acceptable result, or 0 */
};

static int failures, checks;
static char buf[64];
static struct stat st;

static void run(const struct check *c)
{
    long r = syscall6(c->nr, c->a1, c->a2, c->a3, 0, 0, 0);
    int ok = r == c->expect || (c->also_ok && r == c->also_ok);
    const char *name = r < 0 ? errno_name((int)-r) : NULL;
    printf("badptr: %-40s = %ld %s%s\n", c->what, r, name ? name : "",
           ok ? "" : "  <-- WRONG");
    if (!ok) {
        printf("badptr:   expected %ld (%s)\n", c->expect, errno_name((int)-c->expect));
        failures++;
    }
    checks++;
}

/* Map one more heap page and return its end: the first unmapped byte. */
static char *heap_edge(void)
{
    uintptr_t cur = (uintptr_t)sbrk(0);
    uintptr_t end = ((cur + 4095) & ~(uintptr_t)4095) + 4096;
    if (sbrk((intptr_t)(end - cur)) == (void *)-1)
        return NULL;
    return (char *)end;
}

static void check_paths(char *edge)
{
    static char long_path[400];
    memset(long_path, 'a', sizeof(long_path) - 1);
    long_path[0] = '/';
    char *unterminated = edge - 100;
    memset(unterminated, 'a', 100);
    unterminated[0] = '/';
    const struct check table[] = {
        { "open(NULL)", SYS_OPEN, 0, O_RDONLY, 0, -EFAULT, 0 },
        { "open(kernel)", SYS_OPEN, KERNEL_PTR, O_RDONLY, 0, -EFAULT, 0 },
        { "open(non-canonical)", SYS_OPEN, NONCANON_PTR, O_RDONLY, 0, -EFAULT, 0 },
        { "open(unterminated at end of heap)", SYS_OPEN, (long)unterminated, O_RDONLY, 0, -EFAULT, 0 },
        { "open(399-byte path)", SYS_OPEN, (long)long_path, O_RDONLY, 0, -ENAMETOOLONG, 0 },
        { "stat(NULL, &st)", SYS_STAT, 0, (long)&st, 0, -EFAULT, 0 },
        { "stat(\"/bin\", NULL)", SYS_STAT, (long)"/bin", 0, 0, -EFAULT, 0 },
        { "stat(\"/bin\", kernel)", SYS_STAT, (long)"/bin", KERNEL_PTR, 0, -EFAULT, 0 },
        { "unlink(NULL)", SYS_UNLINK, 0, 0, 0, -EFAULT, 0 },
        { "unlink(kernel)", SYS_UNLINK, KERNEL_PTR, 0, 0, -EFAULT, 0 },
        { "mkdir(NULL)", SYS_MKDIR, 0, 0, 0, -EFAULT, 0 },
        { "mkdir(kernel)", SYS_MKDIR, KERNEL_PTR, 0, 0, -EFAULT, 0 },
        { "chdir(NULL)", SYS_CHDIR, 0, 0, 0, -EFAULT, 0 },
        { "chdir(kernel)", SYS_CHDIR, KERNEL_PTR, 0, 0, -EFAULT, 0 },
        { "chdir(unterminated at end of heap)", SYS_CHDIR, (long)unterminated, 0, 0, -EFAULT, 0 },
        { "chdir(399-byte path)", SYS_CHDIR, (long)long_path, 0, 0, -ENAMETOOLONG, 0 },
        { "getcwd(kernel, 64)", SYS_GETCWD, KERNEL_PTR, 64, 0, -EFAULT, 0 },
        { "getcwd(buf, 2^62)", SYS_GETCWD, (long)buf, HUGE_LEN, 0, -EFAULT, 0 },
        { "getcwd(heap end - 1, 16)", SYS_GETCWD, (long)(edge - 1), 16, 0, -EFAULT, 0 },
    };
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        run(&table[i]);
}

static void check_io(int fd, int dirfd, char *edge)
{
    const struct check table[] = {
        { "read(file, NULL, 16)", SYS_READ, fd, 0, 16, -EFAULT, 0 },
        { "read(file, kernel, 16)", SYS_READ, fd, KERNEL_PTR, 16, -EFAULT, 0 },
        { "read(file, buf, 2^62)", SYS_READ, fd, (long)buf, HUGE_LEN, -EFAULT, 0 },
        { "read(file, last user page, 8192)", SYS_READ, fd, LAST_USER_PAGE, 8192, -EFAULT, 0 },
        { "write(1, NULL, 16)", SYS_WRITE, 1, 0, 16, -EFAULT, 0 },
        { "write(1, kernel, 16)", SYS_WRITE, 1, KERNEL_PTR, 16, -EFAULT, 0 },
        { "write(1, non-canonical, 16)", SYS_WRITE, 1, NONCANON_PTR, 16, -EFAULT, 0 },
        { "write(1, buf, 2^62)", SYS_WRITE, 1, (long)buf, HUGE_LEN, -EFAULT, 0 },
        { "write(1, buf, -1)", SYS_WRITE, 1, (long)buf, -1, -EFAULT, -EINVAL },
        { "write(1, heap end - 8, 16)", SYS_WRITE, 1, (long)(edge - 8), 16, -EFAULT, 0 },
        { "readdir(dir, NULL)", SYS_READDIR, dirfd, 0, 0, -EFAULT, 0 },
        { "readdir(dir, kernel)", SYS_READDIR, dirfd, KERNEL_PTR, 0, -EFAULT, 0 },
        { "read(999, buf, 1)", SYS_READ, 999, (long)buf, 1, -EBADF, 0 },
        { "write(-1, buf, 1)", SYS_WRITE, -1, (long)buf, 1, -EBADF, 0 },
        { "close(77)", SYS_CLOSE, 77, 0, 0, -EBADF, 0 },
        { "lseek(99, 0, SEEK_SET)", SYS_LSEEK, 99, 0, SEEK_SET, -EBADF, 0 },
        { "lseek(file, 0, 99)", SYS_LSEEK, fd, 0, 99, -EINVAL, 0 },
        { "ioctl(0, 999, 0)", SYS_IOCTL, 0, 999, 0, -EINVAL, 0 },
        { "ioctl(file, TTY_SET_RAW, 1)", SYS_IOCTL, fd, TTY_SET_RAW, 1, -ENOTTY, 0 },
        { "pipe(kernel)", SYS_PIPE, KERNEL_PTR, 0, 0, -EFAULT, 0 },
        { "pipe(non-canonical)", SYS_PIPE, NONCANON_PTR, 0, 0, -EFAULT, 0 },
        { "pipe(heap end - 4)", SYS_PIPE, (long)(edge - 4), 0, 0, -EFAULT, 0 },
        { "dup(999)", SYS_DUP, 999, 0, 0, -EBADF, 0 },
        { "dup2(file, 999)", SYS_DUP2, fd, 999, 0, -EBADF, 0 },
        { "dup2(-1, 5)", SYS_DUP2, -1, 5, 0, -EBADF, 0 },
    };
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        run(&table[i]);
}

static void check_process_calls(void)
{
    static char *bad_argv[] = { "/bin/true", (char *)KERNEL_PTR, NULL };
    static char *true_argv[] = { "/bin/true", NULL };
    const struct check table[] = {
        { "spawn(NULL, argv)", SYS_SPAWN, 0, (long)true_argv, 0, -EFAULT, 0 },
        { "spawn(kernel, argv)", SYS_SPAWN, KERNEL_PTR, (long)true_argv, 0, -EFAULT, 0 },
        { "spawn(\"/bin/true\", kernel)", SYS_SPAWN, (long)"/bin/true", KERNEL_PTR, 0, -EFAULT, 0 },
        { "spawn(\"/bin/true\", {.., kernel})", SYS_SPAWN, (long)"/bin/true", (long)bad_argv, 0, -EFAULT, 0 },
        { "exec(NULL, argv)", SYS_EXEC, 0, (long)true_argv, 0, -EFAULT, 0 },
        { "exec(kernel, argv)", SYS_EXEC, KERNEL_PTR, (long)true_argv, 0, -EFAULT, 0 },
        { "exec(\"/bin/true\", kernel)", SYS_EXEC, (long)"/bin/true", KERNEL_PTR, 0, -EFAULT, 0 },
        { "exec(\"/bin/true\", {.., kernel})", SYS_EXEC, (long)"/bin/true", (long)bad_argv, 0, -EFAULT, 0 },
        { "clock(NULL)", SYS_CLOCK, 0, 0, 0, -EFAULT, 0 },
        { "clock(kernel)", SYS_CLOCK, KERNEL_PTR, 0, 0, -EFAULT, 0 },
        { "ps(NULL, 4)", SYS_PS, 0, 4, 0, -EFAULT, 0 },
        { "ps(kernel, 4)", SYS_PS, KERNEL_PTR, 4, 0, -EFAULT, 0 },
        { "meminfo(NULL)", SYS_MEMINFO, 0, 0, 0, -EFAULT, 0 },
        { "meminfo(kernel)", SYS_MEMINFO, KERNEL_PTR, 0, 0, -EFAULT, 0 },
        { "sbrk(2^62)", SYS_SBRK, HUGE_LEN, 0, 0, -ENOMEM, 0 },
        { "waitpid(-1, kernel) without children", SYS_WAITPID, -1, KERNEL_PTR, 0, -ECHILD, -EFAULT },
        { "thread_join(12345, &v)", SYS_THREAD_JOIN, 12345, (long)buf, 0, -ESRCH, -EINVAL },
        { "syscall 1000", 1000, 0, 0, 0, -ENOSYS, 0 },
        { "syscall -1", -1, 0, 0, 0, -ENOSYS, 0 },
        { "syscall SYS_COUNT", SYS_COUNT, 0, 0, 0, -ENOSYS, 0 },
        { "thread_create(kernel fn, 0)", SYS_THREAD_CREATE, KERNEL_PTR, 0, 0, -EFAULT, 0 },
    };
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        run(&table[i]);
}

/* waitpid for a real child with a kernel status pointer. */
static void check_waitpid_child(void)
{
    char *argv[] = { "/bin/true", NULL };
    pid_t pid = spawn("/bin/true", argv);
    if (pid < 0) {
        printf("badptr: cannot spawn /bin/true (%s), waitpid check skipped\n",
               strerror(errno));
        return;
    }
    const struct check c = { "waitpid(child, kernel)", SYS_WAITPID, pid, KERNEL_PTR, 0, -EFAULT, 0 };
    run(&c);
    int status;
    waitpid(pid, &status);    /* reap it if the bad call did not */
}

int main(void)
{
    int fd = open("/bin/badptr", O_RDONLY);
    int dirfd = open("/bin", O_RDONLY);
    char *edge = heap_edge();
    if (fd < 0 || dirfd < 0 || !edge) {
        printf("badptr: setup failed (open /bin/badptr: %d, /bin: %d)\n", fd, dirfd);
        return 1;
    }
    check_paths(edge);
    check_io(fd, dirfd, edge);
    check_waitpid_child();
    check_process_calls();
    if (failures) {
        printf("badptr: FAILED: %d of %d checks returned the wrong value\n", failures, checks);
        return 1;
    }
    printf("badptr: %d checks, every one returned the expected error\n", checks);
    printf("badptr: ok\n");
    return 0;
}
