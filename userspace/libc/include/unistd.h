/*
 * System call wrappers (one per syscall in uapi/syscall_nr.h). Each returns
 * what the kernel returns on success; on failure it sets errno and returns
 * -1 (or NULL / (void *)-1 for pointer results), like POSIX.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "abi.h"
#include "syscall_nr.h"

#define STDIN_FILENO 0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

ssize_t read(int fd, void *buf, size_t len);
ssize_t write(int fd, const void *buf, size_t len);
int open(const char *path, int flags);
int close(int fd);
off_t lseek(int fd, off_t offset, int whence);
int stat(const char *path, struct stat *st);
/* Next entry of the directory open on fd: 1 = *d filled, 0 = end, -1 error. */
int readdir(int fd, struct dirent *d);
/* A pipe: fds[0] reads what fds[1] writes. 0, or -1 and errno. */
int pipe(int fds[2]);
/* The lowest free fd, on the same open file as fd. */
int dup(int fd);
/* Make newfd refer to oldfd's open file (closing newfd first); newfd. */
int dup2(int oldfd, int newfd);
/* Change the working directory, against which every relative path is
   resolved (inherited by children, kept by exec). */
int chdir(const char *path);
/* The working directory into buf (size bytes); buf, or NULL and errno
   (ERANGE: too small). */
char *getcwd(char *buf, size_t size);
int unlink(const char *path);
int mkdir(const char *path);

/* Start path as a new process with the NULL-terminated argv; its pid. */
pid_t spawn(const char *path, char *const argv[]);
/* A copy of this process (copy-on-write memory, the open files, only the
   calling thread): the child's pid in the parent, 0 in the child. */
pid_t fork(void);
/* Replace this process's program with path, argv[0..] NULL-terminated: pid,
   open files and working directory stay. Returns only on failure (-1 and
   errno; the old program goes on untouched). execv is the POSIX name. */
int exec(const char *path, char *const argv[]);
int execv(const char *path, char *const argv[]);
/* Wait for child pid (-1: any) to end; *status = its exit status. */
pid_t waitpid(pid_t pid, int *status);
pid_t getpid(void);
pid_t getppid(void);
int gettid(void);
int kill(pid_t pid);
int sched_yield(void);
int sleep_ms(uint64_t ms);
int usleep(uint64_t us);           /* rounded up to whole milliseconds */
unsigned int sleep(unsigned int seconds);
int clock_get(struct clock_info *ci);
uint64_t uptime_ms(void);          /* milliseconds since boot (0 on error) */
void *sbrk(intptr_t increment);    /* old break, (void *)-1 on failure */
int ps(struct proc_info *buf, size_t max);
int meminfo(struct meminfo *mi);
int shutdown(int status);          /* powers off; returns only on error */
int ioctl(int fd, int cmd, uint64_t arg);
int tty_ctl(int cmd, uint64_t arg);   /* ioctl on the terminal (fd 0) */
_Noreturn void _exit(int status);

/* New thread of this process running fn(arg) on a stack the kernel maps;
   fn must end with thread_exit (pthread_create arranges that). Its tid. */
int thread_create(void (*fn)(void *), void *arg);
int thread_join(int tid, uint64_t *value);
_Noreturn void thread_exit(uint64_t value);
