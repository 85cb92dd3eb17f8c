/*
 * pipetest: pipes, dup and dup2 from user space (kernel side:
 * common/fs/pipe.c, pipe_ring.c, common/kernel/fd.c). Each check compares
 * with values fixed here: 1 MiB sent by one process arrives intact and in
 * order at another (the bytes are a function of their position, checked
 * one by one), then end of file; EOF as soon as the last write end closes,
 * also by the writer's exit; EPIPE once no read end is left; a reader
 * blocked on an empty pipe can be killed; dup/dup2 semantics and the errno
 * of every bad argument. Prints `pipetest: ok` when all pass.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <unistd.h>

#define TOTAL (1024 * 1024)
#define MAX_FDS 32

static int failures;
static volatile uintptr_t bad_address = 8;   /* never mapped (below 0x10000) */

static void check(int ok, const char *what)
{
    printf("pipetest: %-58s %s\n", what, ok ? "ok" : "FAIL");
    if (!ok)
        failures++;
}

static int wait_status(pid_t pid)
{
    int status = -1;
    return waitpid(pid, &status) == pid ? status : -1;
}

static pid_t fork_flushed(void)
{
    fflush(stdout);
    return fork();
}

/* The byte at position i of the test stream: not periodic in any chunk size used. */
static unsigned char stream_byte(unsigned long i)
{
    return (unsigned char)((i * 2654435761u) >> 13 ^ (i >> 9));
}

/* The child's side of the transfer: TOTAL bytes in chunks of changing size. */
static void send_stream(int fd)
{
    static unsigned char buf[5000];
    static const int sizes[] = { 1, 4096, 777, 5000, 13, 2048, 4095, 100 };
    unsigned long sent = 0;
    for (int k = 0; sent < TOTAL; k++) {
        unsigned long n = (unsigned long)sizes[k % 8];
        if (n > TOTAL - sent)
            n = TOTAL - sent;
        for (unsigned long i = 0; i < n; i++)
            buf[i] = stream_byte(sent + i);
        if (write(fd, buf, n) != (ssize_t)n)
            _exit(2);
        sent += n;
    }
    _exit(0);
}

static void check_transfer(void)
{
    int fds[2];
    check(pipe(fds) == 0 && fds[0] >= 3 && fds[1] == fds[0] + 1, "pipe() gives the two lowest free fds");
    pid_t pid = fork_flushed();
    if (pid == 0) {
        close(fds[0]);
        send_stream(fds[1]);
    }
    close(fds[1]);                   /* else our own write end would keep the pipe open */
    static unsigned char buf[3000];
    unsigned long got = 0, bad = 0;
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof(buf))) > 0) {
        for (ssize_t i = 0; i < n; i++)
            if (buf[i] != stream_byte(got + (unsigned long)i))
                bad++;
        got += (unsigned long)n;
    }
    printf("pipetest: received %lu bytes, %lu wrong\n", got, bad);
    check(got == TOTAL && bad == 0 && n == 0, "1 MiB between two processes arrives intact, then EOF");
    check(wait_status(pid) == 0, "the writer wrote everything");
    close(fds[0]);
}

static void check_eof(void)
{
    int fds[2];
    char c;
    pipe(fds);
    write(fds[1], "ab", 2);
    close(fds[1]);
    check(read(fds[0], &c, 1) == 1 && read(fds[0], &c, 1) == 1 && c == 'b' &&
          read(fds[0], &c, 1) == 0, "data left in the pipe is read before EOF");
    close(fds[0]);

    pipe(fds);
    pid_t pid = fork_flushed();
    if (pid == 0) {
        sleep_ms(100);
        _exit(0);                    /* exit closes the child's write end */
    }
    close(fds[1]);
    check(read(fds[0], &c, 1) == 0, "a blocked reader gets EOF when the writer exits");
    wait_status(pid);
    close(fds[0]);
}

static void check_epipe(void)
{
    int fds[2];
    pipe(fds);
    close(fds[0]);
    errno = 0;
    check(write(fds[1], "x", 1) == -1 && errno == EPIPE, "write without a reader: EPIPE");
    close(fds[1]);

    pipe(fds);
    pid_t pid = fork_flushed();
    if (pid == 0) {
        close(fds[1]);
        char c;
        _exit(read(fds[0], &c, 1) == 1 && c == 'y' ? 0 : 1);   /* one byte, then gone */
    }
    close(fds[0]);
    check(write(fds[1], "y", 1) == 1, "write while the reader lives");
    check(wait_status(pid) == 0, "the reader got its byte");
    errno = 0;
    check(write(fds[1], "z", 1) == -1 && errno == EPIPE, "write after the reader exited: EPIPE");
    close(fds[1]);
}

static void check_kill_reader(void)
{
    int fds[2];
    pipe(fds);
    pid_t pid = fork_flushed();
    if (pid == 0) {
        char c;
        read(fds[0], &c, 1);        /* never gets data: we keep the write end */
        _exit(0);
    }
    sleep_ms(50);
    kill(pid);
    check(wait_status(pid) == 137, "a reader blocked on an empty pipe can be killed");
    close(fds[0]);
    close(fds[1]);
}

static void check_dup(void)
{
    int fds[2];
    pipe(fds);
    int saved = dup(STDOUT_FILENO);
    check(saved > fds[1], "dup gives the lowest free fd");
    fflush(stdout);
    int r = dup2(fds[1], STDOUT_FILENO);
    printf("through stdout\n");
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);      /* the terminal again */
    close(saved);
    check(r == STDOUT_FILENO, "dup2 onto stdout returns 1");
    char buf[32] = { 0 };
    ssize_t n = read(fds[0], buf, sizeof(buf) - 1);
    check(n == 15 && strcmp(buf, "through stdout\n") == 0, "printf after dup2 goes into the pipe");
    check(dup2(fds[0], fds[0]) == fds[0], "dup2(fd, fd) returns fd");
    close(fds[0]);
    close(fds[1]);
}

/* errno of a raw call: its -result, 0 if it succeeded. */
static long err_of(long r) { return r < 0 ? -r : 0; }

static void check_errors(void)
{
    int fds[2];
    pipe(fds);
    char c = 0;
    check(err_of(syscall3(SYS_READ, fds[1], (long)&c, 1)) == EBADF, "read from the write end: EBADF");
    check(err_of(syscall3(SYS_WRITE, fds[0], (long)&c, 1)) == EBADF, "write to the read end: EBADF");
    check(err_of(syscall3(SYS_LSEEK, fds[0], 0, SEEK_SET)) == ESPIPE, "lseek on a pipe: ESPIPE");
    check(err_of(syscall3(SYS_IOCTL, fds[0], TTY_GET_RAW, 0)) == ENOTTY, "ioctl on a pipe: ENOTTY");
    struct stat st;
    write(fds[1], "abc", 3);
    check(err_of(syscall2(SYS_STAT, (long)"/tmp", (long)&st)) == 0, "stat still works");
    check(err_of(syscall2(SYS_DUP2, -1, 5)) == EBADF, "dup2(-1, 5): EBADF");
    check(err_of(syscall2(SYS_DUP2, fds[0], MAX_FDS)) == EBADF, "dup2 onto fd 32 (table size 32): EBADF");
    check(err_of(syscall2(SYS_DUP2, 20, 5)) == EBADF, "dup2 of a closed fd: EBADF");
    check(err_of(syscall2(SYS_DUP2, fds[0], 1L << 32)) == EBADF, "dup2 onto fd 2^32: EBADF");
    check(err_of(syscall1(SYS_DUP, 20)) == EBADF, "dup of a closed fd: EBADF");
    check(err_of(syscall1(SYS_PIPE, 0)) == EFAULT, "pipe(NULL): EFAULT");
    check(err_of(syscall1(SYS_PIPE, (long)bad_address)) == EFAULT, "pipe(bad pointer): EFAULT");
    int again[2];
    check(pipe(again) == 0 && again[0] == fds[1] + 1, "a failed pipe() leaves no fd behind");
    close(again[0]);
    close(again[1]);
    int opened = 0, last_err = 0;
    int many[MAX_FDS];
    for (;;) {
        int p[2];
        if (pipe(p) < 0) {
            last_err = errno;
            break;
        }
        many[opened++] = p[0];
        many[opened++] = p[1];
    }
    check(last_err == EMFILE, "pipes until the table is full: EMFILE");
    int lone = -1;
    if (opened < MAX_FDS && (lone = open("/README.txt", O_RDONLY)) >= 0)
        many[opened++] = lone;      /* one slot was left: a pipe needs two */
    check(err_of(syscall1(SYS_DUP, fds[0])) == EMFILE, "dup with a full table: EMFILE");
    for (int i = 0; i < opened; i++)
        close(many[i]);
    close(fds[0]);
    close(fds[1]);
}

int main(void)
{
    check_transfer();
    check_eof();
    check_epipe();
    check_kill_reader();
    check_dup();
    check_errors();
    printf(failures ? "pipetest: %d FAILED\n" : "pipetest: ok\n", failures);
    return failures != 0;
}
