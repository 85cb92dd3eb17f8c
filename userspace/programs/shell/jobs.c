/*
 * Running pipelines from the shell, the classic way: one fork per stage,
 * the stages' stdin and stdout connected by pipes and redirected files with
 * dup2, then exec of /bin/NAME (or a builtin run in the child). A builtin
 * alone on the line runs in the shell itself, so that `cd` changes the
 * shell's directory; its redirections are applied around it and undone.
 *
 * Foreground: the terminal goes back to cooked mode (programs read whole
 * lines) and the last stage becomes the terminal's foreground process
 * (Ctrl-C kills it; the shell then kills the other stages too); the shell
 * waits for every stage, then restores raw mode. Background (`&`): the
 * pids are remembered and reaped before a later prompt once ps() shows
 * they have ended.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "shell.h"

#define JOBS_MAX 16
#define PS_MAX 64
#define STATUS_KILLED 137        /* what the kernel reports for Ctrl-C */
#define STATUS_NOT_FOUND 127     /* exec failed */

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

/* Errors of a stage go to stderr: its stdout may be a pipe or a file. */
static void report_exec_error(const char *name, int err)
{
    if (err == ENOENT)
        dprintf(STDERR_FILENO, "shell: %s: command not found\n", name);
    else
        dprintf(STDERR_FILENO, "shell: %s: %s\n", name, strerror(err));
}

/* Open a stage's redirection file onto fd (0 or 1): 0, or -1 after a message. */
static int redirect(const char *path, int fd, int flags)
{
    int f = open(path, flags);
    if (f < 0) {
        dprintf(STDERR_FILENO, "shell: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (f != fd) {
        dup2(f, fd);
        close(f);
    }
    return 0;
}

static int stage_redirect(const struct stage *st)
{
    if (st->in && redirect(st->in, STDIN_FILENO, O_RDONLY) < 0)
        return -1;
    int out_flags = O_WRONLY | O_CREAT | (st->append ? O_APPEND : O_TRUNC);
    if (st->out && redirect(st->out, STDOUT_FILENO, out_flags) < 0)
        return -1;
    return 0;
}

/* In a forked child: become stage st, reading in_fd and writing out_fd
   (-1: keep the terminal). Never returns. */
static _Noreturn void stage_exec(struct stage *st, int in_fd, int out_fd)
{
    if (in_fd >= 0) {
        dup2(in_fd, STDIN_FILENO);
        close(in_fd);
    }
    if (out_fd >= 0) {
        dup2(out_fd, STDOUT_FILENO);
        close(out_fd);
    }
    if (stage_redirect(st) < 0)
        exit(1);
    int status;
    if (builtin_run(st->argc, st->argv, &status))
        exit(status);
    char path[PATH_MAX];
    program_path(st->argv[0], path, sizeof(path));
    exec(path, st->argv);
    report_exec_error(st->argv[0], errno);
    exit(STATUS_NOT_FOUND);
}

/* Fork one child per stage, connected by pipes; the pids go to pids.
   Returns how many were started (a failure stops the rest). */
static int start_stages(struct pipeline *pl, pid_t *pids)
{
    int in_fd = -1, started = 0;
    for (int i = 0; i < pl->nstages; i++) {
        int fds[2] = { -1, -1 };
        if (i + 1 < pl->nstages && pipe(fds) < 0) {
            printf("shell: pipe: %s\n", strerror(errno));
            break;
        }
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            if (fds[0] >= 0)
                close(fds[0]);       /* the next stage's end */
            stage_exec(&pl->stages[i], in_fd, fds[1]);
        }
        if (in_fd >= 0)
            close(in_fd);
        if (fds[1] >= 0)
            close(fds[1]);
        in_fd = fds[0];
        if (pid < 0) {
            printf("shell: fork: %s\n", strerror(errno));
            break;
        }
        pids[started++] = pid;
    }
    if (in_fd >= 0)
        close(in_fd);
    return started;
}

/* Wait for the n stages, the last (the terminal's foreground process)
   first: when Ctrl-C has killed it, the others are killed too. Only these
   pids are waited for, so background jobs keep their report. */
static void wait_stages(const pid_t *pids, int n)
{
    int status = 0;
    waitpid(pids[n - 1], &status);
    for (int i = 0; i < n - 1; i++) {
        if (status == STATUS_KILLED)
            kill(pids[i]);
        int ignored;
        waitpid(pids[i], &ignored);
    }
}

static void remember_background(const pid_t *pids, int n)
{
    for (int i = 0; i < n; i++) {
        if (background_count == JOBS_MAX) {
            printf("shell: too many background jobs; pid %d is not tracked\n", pids[i]);
            continue;
        }
        background_jobs[background_count++] = pids[i];
    }
    if (n > 0)
        printf("[pid %d]\n", pids[n - 1]);
}

static void run_children(struct pipeline *pl)
{
    pid_t pids[PARSE_STAGES_MAX];
    if (pl->background) {
        remember_background(pids, start_stages(pl, pids));
        return;
    }
    if (shell_raw_mode)
        tty_ctl(TTY_SET_RAW, 0);
    int n = start_stages(pl, pids);
    if (n > 0) {
        tty_ctl(TTY_SET_FOREGROUND, (uint64_t)pids[n - 1]);
        wait_stages(pids, n);
        tty_ctl(TTY_SET_FOREGROUND, 0);
    }
    if (shell_raw_mode)
        tty_ctl(TTY_SET_RAW, 1);
}

/* Run a lone builtin in the shell with its redirections; 0 when argv[0]
   is no builtin after all (then it runs as a program). */
static int run_builtin_here(struct stage *st)
{
    int saved_in = -1, saved_out = -1, status;
    fflush(stdout);
    if (st->in)
        saved_in = dup(STDIN_FILENO);
    if (st->out)
        saved_out = dup(STDOUT_FILENO);
    int handled = 1;
    if (stage_redirect(st) == 0)
        handled = builtin_run(st->argc, st->argv, &status);
    fflush(stdout);
    if (saved_in >= 0) {
        dup2(saved_in, STDIN_FILENO);
        close(saved_in);
    }
    if (saved_out >= 0) {
        dup2(saved_out, STDOUT_FILENO);
        close(saved_out);
    }
    return handled;
}

void job_run(struct pipeline *pl)
{
    fflush(stdout);
    if (pl->nstages == 1 && !pl->background && builtin_name_known(pl->stages[0].argv[0]) &&
        run_builtin_here(&pl->stages[0]))
        return;
    run_children(pl);
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
