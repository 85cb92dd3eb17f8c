/*
 * File-descriptor tables (fd.h). p->fd_lock guards p->fds; VFS calls (which
 * may sleep) always happen after the lock is dropped.
 */
#include "errno.h"
#include "fd.h"
#include "process.h"
#include "spinlock.h"
#include "tty.h"
#include "vfs.h"

int fd_init_std(struct process *p)
{
    for (int fd = 0; fd < 3; fd++) {
        struct file *f = tty_open();
        if (!f)
            return -ENOMEM;
        p->fds[fd] = f;
    }
    return 0;
}

int fd_install(struct process *p, struct file *f)
{
    spin_lock(&p->fd_lock);
    for (int fd = 0; fd < PROC_MAX_FDS; fd++) {
        if (!p->fds[fd]) {
            p->fds[fd] = f;
            spin_unlock(&p->fd_lock);
            return fd;
        }
    }
    spin_unlock(&p->fd_lock);
    return -EMFILE;
}

struct file *fd_get(struct process *p, int fd)
{
    if (fd < 0 || fd >= PROC_MAX_FDS)
        return NULL;
    spin_lock(&p->fd_lock);
    struct file *f = p->fds[fd];
    if (f)
        vfs_file_ref(f);
    spin_unlock(&p->fd_lock);
    return f;
}

int fd_dup2(struct process *p, int oldfd, int newfd)
{
    if (oldfd < 0 || oldfd >= PROC_MAX_FDS || newfd < 0 || newfd >= PROC_MAX_FDS)
        return -EBADF;
    spin_lock(&p->fd_lock);
    struct file *f = p->fds[oldfd];
    if (!f) {
        spin_unlock(&p->fd_lock);
        return -EBADF;
    }
    struct file *old = NULL;
    if (newfd != oldfd) {
        old = p->fds[newfd];
        p->fds[newfd] = vfs_file_ref(f);
    }
    spin_unlock(&p->fd_lock);
    if (old)
        vfs_close(old);     /* after the lock: closing may sleep */
    return newfd;
}

int fd_close(struct process *p, int fd)
{
    if (fd < 0 || fd >= PROC_MAX_FDS)
        return -EBADF;
    spin_lock(&p->fd_lock);
    struct file *f = p->fds[fd];
    p->fds[fd] = NULL;
    spin_unlock(&p->fd_lock);
    if (!f)
        return -EBADF;
    vfs_close(f);
    return 0;
}

void fd_close_all(struct process *p)
{
    for (int fd = 0; fd < PROC_MAX_FDS; fd++)
        fd_close(p, fd);
}
