/*
 * Running programs from the shell. Foreground: the terminal goes back to
 * cooked mode (programs read whole lines) and the child becomes the
 * terminal's foreground process (Ctrl-C kills it); the shell waits, then
 * restores raw mode. Background (`&`): the pid is remembered and reaped
 * before a later prompt once ps() shows it has ended.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "shell.h"

#define JOBS_MAX 16
#define PS_MAX 64

static pid_t background_jobs[JOBS_MAX];
static int background_count;

/* argv[0] as a path: /bin/NAME unless it already contains a '/'. */
static void program_path(const char *name, char *path, size_t size)
{
    if (strchr(name, '/'))
        strlcpy(path, name, size);
    else
        snprintf(path, size, "/bin/%s", name);
}

static void report_spawn_error(const char *name, int err)
{
    if (err == ENOENT)
        printf("shell: %s: command not found\n", name);
    else
        printf("shell: %s: %s\n", name, strerror(err));
}

static void run_foreground(const char *path, char **argv)
{
    if (shell_raw_mode)
        tty_ctl(TTY_SET_RAW, 0);
    pid_t pid = spawn(path, argv);
    if (pid < 0) {
        report_spawn_error(argv[0], errno);
    } else {
        int status;
        tty_ctl(TTY_SET_FOREGROUND, (uint64_t)pid);
        waitpid(pid, &status);
        tty_ctl(TTY_SET_FOREGROUND, 0);
    }
    if (shell_raw_mode)
        tty_ctl(TTY_SET_RAW, 1);
}

static void run_background(const char *path, char **argv)
{
    if (background_count == JOBS_MAX) {
        printf("shell: too many background jobs\n");
        return;
    }
    pid_t pid = spawn(path, argv);
    if (pid < 0) {
        report_spawn_error(argv[0], errno);
        return;
    }
    background_jobs[background_count++] = pid;
    printf("[pid %d]\n", pid);
}

void job_run(char **argv, int background)
{
    char path[PATH_MAX];
    program_path(argv[0], path, sizeof(path));
    fflush(stdout);
    if (background)
        run_background(path, argv);
    else
        run_foreground(path, argv);
}

/* Whether pid may still run: listed as running, or missing from a full
   (possibly truncated) list. Only an ended job is waited for. */
static int still_running(const struct proc_info *procs, int n, pid_t pid)
{
    for (int i = 0; i < n; i++) {
        if (procs[i].pid == pid)
            return procs[i].state == 0;
    }
    return n >= PS_MAX;
}

void job_reap_finished(void)
{
    static struct proc_info procs[PS_MAX];
    if (background_count == 0)
        return;
    int n = ps(procs, PS_MAX);
    if (n < 0)
        return;
    for (int i = 0; i < background_count;) {
        pid_t pid = background_jobs[i];
        if (still_running(procs, n, pid)) {
            i++;
            continue;
        }
        int status = 0;
        if (waitpid(pid, &status) == pid)
            printf("[pid %d] done, status %d\n", pid, status);
        else
            printf("[pid %d] done\n", pid);
        background_jobs[i] = background_jobs[--background_count];
    }
    fflush(stdout);
}
