/*
 * System call numbers and the calling convention (shared by the kernel and
 * userspace/libc; plain C, no kernel includes). docs/syscalls.md describes
 * each call's arguments, return value and errors.
 *
 * Convention (the `syscall` instruction, SDM Vol. 2B SYSCALL):
 *   rax = number, arguments in rdi, rsi, rdx, r10, r8 (r10 instead of rcx,
 *   because syscall overwrites rcx with the return rip and r11 with rflags).
 *   Result in rax: >= 0 on success, -errno on failure (uapi/errno.h).
 *   rcx and r11 are clobbered; every other register is preserved.
 * Numbers may be added, never changed. 64..95 are the VM syscalls (vmx/).
 */
#pragma once

#define SYS_EXIT 0            /* exit(int status) -> no return */
#define SYS_READ 1            /* read(int fd, void *buf, size_t len) -> bytes */
#define SYS_WRITE 2           /* write(int fd, const void *buf, size_t len) -> bytes */
#define SYS_OPEN 3            /* open(const char *path, int flags) -> fd */
#define SYS_CLOSE 4           /* close(int fd) -> 0 */
#define SYS_LSEEK 5           /* lseek(int fd, int64_t off, int whence) -> new offset */
#define SYS_STAT 6            /* stat(const char *path, struct stat *st) -> 0 */
#define SYS_READDIR 7         /* readdir(int fd, struct dirent *d) -> 1 entry, 0 end */
#define SYS_SPAWN 8           /* spawn(const char *path, char *const argv[]) -> pid */
#define SYS_WAITPID 9         /* waitpid(int pid, int *status) -> pid (pid -1: any child) */
#define SYS_GETPID 10         /* getpid() -> pid */
#define SYS_KILL 11           /* kill(int pid) -> 0 */
#define SYS_YIELD 12          /* sched_yield() -> 0 */
#define SYS_SLEEP 13          /* sleep(uint64_t ms) -> 0 */
#define SYS_CLOCK 14          /* clock(struct clock_info *ci) -> 0 */
#define SYS_SBRK 15           /* sbrk(int64_t increment) -> old break address */
#define SYS_THREAD_CREATE 16  /* thread_create(void (*fn)(void *), void *arg) -> tid */
#define SYS_THREAD_JOIN 17    /* thread_join(int tid, uint64_t *value) -> 0 */
#define SYS_THREAD_EXIT 18    /* thread_exit(uint64_t value) -> no return */
#define SYS_PS 19             /* ps(struct proc_info *buf, size_t max) -> count */
#define SYS_MEMINFO 20        /* meminfo(struct meminfo *mi) -> 0 */
#define SYS_SHUTDOWN 21       /* shutdown(int status) -> no return (0: success) */
#define SYS_IOCTL 22          /* ioctl(int fd, int cmd, uint64_t arg) -> 0 (TTY_* below) */
#define SYS_GETTID 23         /* gettid() -> tid */
#define SYS_UNLINK 24         /* unlink(const char *path) -> 0 */
#define SYS_MKDIR 25          /* mkdir(const char *path) -> 0 */
#define SYS_GETPPID 26        /* getppid() -> parent pid (0 for the first process) */
#define SYS_FORK 27           /* fork() -> child pid in the parent, 0 in the child */
#define SYS_EXEC 28           /* exec(const char *path, char *const argv[]) -> no return */
#define SYS_PIPE 29           /* pipe(int fds[2]) -> 0; fds[0] reads, fds[1] writes */
#define SYS_DUP2 30           /* dup2(int oldfd, int newfd) -> newfd */
#define SYS_DUP 31            /* dup(int fd) -> lowest free fd */
#define SYS_CHDIR 32          /* chdir(const char *path) -> 0 */
#define SYS_GETCWD 33         /* getcwd(char *buf, size_t size) -> length without the NUL */

#define SYS_VM_FIRST 64       /* 64..95: VM syscalls, numbered in vmx's uapi header */
#define SYS_VM_LAST 95
#define SYS_COUNT 96          /* table size: every number below this is valid to ask */

/* ioctl commands on a terminal fd (0/1/2) */
#define TTY_SET_RAW 1         /* arg 1: raw (no echo, bytes as typed); 0: cooked lines */
#define TTY_SET_FOREGROUND 2  /* arg = pid that Ctrl-C kills (0: none) */
#define TTY_GET_RAW 3         /* -> 1 raw, 0 cooked */
