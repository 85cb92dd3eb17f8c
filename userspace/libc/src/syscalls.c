/*
 * unistd.h: one thin wrapper per system call (numbers and semantics in
 * uapi/syscall_nr.h and docs/syscalls.md). A negative kernel result becomes
 * errno and -1. The thread syscalls are used by pthread.c.
 */
#include <errno.h>
#include <syscall.h>
#include <unistd.h>

long __syscall_ret(long ret)
{
    if (ret < 0 && ret > -4096) {
        errno = (int)-ret;
        return -1;
    }
    return ret;
}

#define SC0(nr) __syscall_ret(syscall0(nr))
#define SC1(nr, a) __syscall_ret(syscall1(nr, (long)(a)))
#define SC2(nr, a, b) __syscall_ret(syscall2(nr, (long)(a), (long)(b)))
#define SC3(nr, a, b, c) __syscall_ret(syscall3(nr, (long)(a), (long)(b), (long)(c)))

ssize_t read(int fd, void *buf, size_t len) { return SC3(SYS_READ, fd, buf, len); }
ssize_t write(int fd, const void *buf, size_t len) { return SC3(SYS_WRITE, fd, buf, len); }
int open(const char *path, int flags) { return (int)SC2(SYS_OPEN, path, flags); }
int close(int fd) { return (int)SC1(SYS_CLOSE, fd); }
off_t lseek(int fd, off_t off, int whence) { return SC3(SYS_LSEEK, fd, off, whence); }
int stat(const char *path, struct stat *st) { return (int)SC2(SYS_STAT, path, st); }
int readdir(int fd, struct dirent *d) { return (int)SC2(SYS_READDIR, fd, d); }
int pipe(int fds[2]) { return (int)SC1(SYS_PIPE, fds); }
int dup(int fd) { return (int)SC1(SYS_DUP, fd); }
int dup2(int oldfd, int newfd) { return (int)SC2(SYS_DUP2, oldfd, newfd); }
int chdir(const char *path) { return (int)SC1(SYS_CHDIR, path); }

char *getcwd(char *buf, size_t size)
{
    return SC2(SYS_GETCWD, buf, size) < 0 ? NULL : buf;
}

int unlink(const char *path) { return (int)SC1(SYS_UNLINK, path); }
int mkdir(const char *path) { return (int)SC1(SYS_MKDIR, path); }

pid_t spawn(const char *path, char *const argv[]) { return (pid_t)SC2(SYS_SPAWN, path, argv); }
pid_t fork(void) { return (pid_t)SC0(SYS_FORK); }
int exec(const char *path, char *const argv[]) { return (int)SC2(SYS_EXEC, path, argv); }
int execv(const char *path, char *const argv[]) { return exec(path, argv); }
pid_t waitpid(pid_t pid, int *status) { return (pid_t)SC2(SYS_WAITPID, pid, status); }
pid_t getpid(void) { return (pid_t)SC0(SYS_GETPID); }
pid_t getppid(void) { return (pid_t)SC0(SYS_GETPPID); }
int gettid(void) { return (int)SC0(SYS_GETTID); }
int kill(pid_t pid) { return (int)SC1(SYS_KILL, pid); }
int sched_yield(void) { return (int)SC0(SYS_YIELD); }
int sleep_ms(uint64_t ms) { return (int)SC1(SYS_SLEEP, ms); }
int usleep(uint64_t us) { return sleep_ms((us + 999) / 1000); }

unsigned int sleep(unsigned int seconds)
{
    return sleep_ms((uint64_t)seconds * 1000) < 0 ? seconds : 0;
}

int clock_get(struct clock_info *ci) { return (int)SC1(SYS_CLOCK, ci); }

uint64_t uptime_ms(void)
{
    struct clock_info ci;
    if (clock_get(&ci) < 0)
        return 0;
    return ci.ns / 1000000;
}

void *sbrk(intptr_t increment)
{
    long ret = syscall1(SYS_SBRK, increment);
    if (ret < 0 && ret > -4096) {
        errno = (int)-ret;
        return (void *)-1;
    }
    return (void *)ret;
}

int ps(struct proc_info *buf, size_t max) { return (int)SC2(SYS_PS, buf, max); }
int meminfo(struct meminfo *mi) { return (int)SC1(SYS_MEMINFO, mi); }
int shutdown(int status) { return (int)SC1(SYS_SHUTDOWN, status); }
int ioctl(int fd, int cmd, uint64_t arg) { return (int)SC3(SYS_IOCTL, fd, cmd, arg); }
int tty_ctl(int cmd, uint64_t arg) { return ioctl(STDIN_FILENO, cmd, arg); }

_Noreturn void _exit(int status)
{
    for (;;)
        syscall1(SYS_EXIT, status);
}

int thread_create(void (*fn)(void *), void *arg)
{
    return (int)SC2(SYS_THREAD_CREATE, fn, arg);
}

int thread_join(int tid, uint64_t *value) { return (int)SC2(SYS_THREAD_JOIN, tid, value); }

_Noreturn void thread_exit(uint64_t value)
{
    for (;;)
        syscall1(SYS_THREAD_EXIT, value);
}
