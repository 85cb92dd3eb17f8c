/*
 * Process system calls: exit, spawn, fork, exec, waitpid, getpid, getppid, kill,
 * sbrk, ps.
 */
#include "abi.h"
#include "cwd.h"
#include "errno.h"
#include "kheap.h"
#include "process.h"
#include "process_internal.h"
#include "syscall.h"
#include "thread_internal.h"
#include "uaccess.h"

#define PS_MAX 64

int64_t sys_exit(uint64_t status, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    process_kill(process_current()->pid, (int)status);
    thread_exit();
}

/* Kernel copy of a user argv: pointers into one string area. */
struct spawn_args {
    int argc;
    char *argv[SPAWN_MAX_ARGS + 1];
    char strings[SPAWN_MAX_ARG_BYTES];
};

/* Copy the NULL-terminated user array uargv into a (NULL uargv: argc 0). */
static int copy_argv(struct spawn_args *a, uint64_t uargv)
{
    size_t used = 0;
    a->argc = 0;
    for (; uargv; a->argc++) {
        uint64_t uptr;
        if (copy_from_user(&uptr, uargv + (uint64_t)a->argc * 8, 8) < 0)
            return -EFAULT;
        if (!uptr)
            break;
        if (a->argc == SPAWN_MAX_ARGS)
            return -E2BIG;
        int64_t len = strncpy_from_user(a->strings + used, uptr, sizeof(a->strings) - used);
        if (len < 0)
            return len == -ENAMETOOLONG ? -E2BIG : (int)len;
        a->argv[a->argc] = a->strings + used;
        used += (size_t)len + 1;
    }
    a->argv[a->argc] = NULL;
    return 0;
}

/* The path and argv of spawn or exec, copied from user space into a new
   *out (kfree it): 0 or -EFAULT/-ENAMETOOLONG/-ENOENT/-E2BIG/-ENOMEM. */
static int program_args_from_user(uint64_t upath, uint64_t uargv, char *path,
                                  struct spawn_args **out)
{
    int err = cwd_path_from_user(path, upath);   /* relative to the working directory */
    if (err)
        return err;
    struct spawn_args *a = kmalloc(sizeof(*a));
    if (!a)
        return -ENOMEM;
    err = copy_argv(a, uargv);
    if (err) {
        kfree(a);
        return err;
    }
    *out = a;
    return 0;
}

int64_t sys_spawn(uint64_t upath, uint64_t uargv, uint64_t a2, uint64_t a3, uint64_t a4)
{
    char path[PATH_MAX];
    struct spawn_args *a;
    int err = program_args_from_user(upath, uargv, path, &a);
    if (err)
        return err;
    err = process_spawn(path, a->argc, a->argv, process_current()->pid);
    kfree(a);
    return err;
}

int64_t sys_exec(uint64_t upath, uint64_t uargv, uint64_t a2, uint64_t a3, uint64_t a4)
{
    char path[PATH_MAX];
    struct spawn_args *a;
    int err = program_args_from_user(upath, uargv, path, &a);
    if (err)
        return err;
    err = process_exec(path, a->argc, a->argv);
    kfree(a);
    return err;
}

int64_t sys_fork(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    return process_fork();
}

int64_t sys_waitpid(uint64_t pid, uint64_t ustatus, uint64_t a2, uint64_t a3, uint64_t a4)
{
    int ipid = (int)pid;
    if ((uint64_t)(int64_t)ipid != pid || (ipid <= 0 && ipid != -1))
        return -EINVAL;
    int status = 0;
    /* check the destination first: a reaped child's status must not get lost */
    if (ustatus && copy_to_user(ustatus, &status, sizeof(status)) < 0)
        return -EFAULT;
    int r = process_wait(process_current()->pid, ipid, &status);
    if (r > 0 && ustatus && copy_to_user(ustatus, &status, sizeof(status)) < 0)
        return -EFAULT;
    return r;
}

int64_t sys_getpid(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    return process_current()->pid;
}

int64_t sys_getppid(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    int parent = process_current()->parent;
    return parent > 0 ? parent : 0;
}

int64_t sys_kill(uint64_t pid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    if (pid == 0 || pid > 0x7FFFFFFF)
        return -ESRCH;
    return process_kill((int)pid, EXIT_STATUS_KILLED);
}

int64_t sys_sbrk(uint64_t incr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    return process_sbrk(process_current(), (int64_t)incr);
}

int64_t sys_ps(uint64_t ubuf, uint64_t max, uint64_t a2, uint64_t a3, uint64_t a4)
{
    if (max > PS_MAX)
        max = PS_MAX;
    if (!user_range_ok(ubuf, max * sizeof(struct proc_info)) || (!ubuf && max))
        return -EFAULT;
    struct proc_info *info = kzalloc(PS_MAX * sizeof(*info));
    if (!info)
        return -ENOMEM;
    int n = process_list(info, (int)max);
    int count = MIN(n, (int)max);
    int err = copy_to_user(ubuf, info, (size_t)count * sizeof(*info));
    kfree(info);
    return err ? err : count;
}
