/*
 * File system calls: read, write, open, close, lseek, stat, readdir,
 * ioctl, unlink, mkdir, pipe, dup, dup2, chdir, getcwd. Every path is
 * resolved against the working directory (cwd.c). User data moves through a small bounce buffer on
 * the kernel stack; the VFS only ever sees kernel memory.
 */
#include "abi.h"
#include "cwd.h"
#include "errno.h"
#include "fd.h"
#include "pipe.h"
#include "process.h"
#include "syscall.h"
#include "tty.h"
#include "uaccess.h"
#include "vfs.h"

#define BOUNCE 1024
#define OPEN_FLAGS_KNOWN (O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND)

/* A new reference to the current process's open file fd; NULL for a bad fd. */
static struct file *file_of_fd(uint64_t fd)
{
    return fd > 0x7FFFFFFF ? NULL : fd_get(process_current(), (int)fd);
}

/* The file of fd for read or write of len bytes at user address ubuf: a new
   reference, or NULL with *err = -EFAULT (bad range) or -EBADF (bad fd). */
static struct file *transfer_file(uint64_t fd, uint64_t ubuf, uint64_t len, int64_t *err)
{
    struct file *f = NULL;
    if (!user_range_ok(ubuf, len))
        *err = -EFAULT;
    else if (!(f = file_of_fd(fd)))
        *err = -EBADF;
    return f;
}

/* read(fd, buf, len): one read of at most BOUNCE bytes (short reads are normal). */
int64_t sys_read(uint64_t fd, uint64_t ubuf, uint64_t len, uint64_t a3, uint64_t a4)
{
    int64_t err = 0;
    struct file *f = transfer_file(fd, ubuf, len, &err);
    if (!f)
        return err;
    char buf[BOUNCE];
    ssize_t n = vfs_read(f, buf, MIN(len, sizeof(buf)));
    vfs_close(f);
    if (n > 0 && copy_to_user(ubuf, buf, (size_t)n) < 0)
        return -EFAULT;
    return n;
}

/* write(fd, buf, len): writes everything unless an error stops it. */
int64_t sys_write(uint64_t fd, uint64_t ubuf, uint64_t len, uint64_t a3, uint64_t a4)
{
    int64_t err = 0;
    struct file *f = transfer_file(fd, ubuf, len, &err);
    if (!f)
        return err;
    char buf[BOUNCE];
    uint64_t done = 0;
    while (done < len) {
        size_t chunk = MIN(len - done, sizeof(buf));
        if (copy_from_user(buf, ubuf + done, chunk) < 0) {
            err = -EFAULT;
            break;
        }
        ssize_t n = vfs_write(f, buf, chunk);
        if (n <= 0) {
            err = n;
            break;
        }
        done += (uint64_t)n;
    }
    vfs_close(f);
    return done > 0 ? (int64_t)done : err;
}

int64_t sys_open(uint64_t upath, uint64_t flags, uint64_t a2, uint64_t a3, uint64_t a4)
{
    if ((flags & ~(uint64_t)OPEN_FLAGS_KNOWN) || (flags & O_ACCMODE) == O_ACCMODE)
        return -EINVAL;
    char path[PATH_MAX];
    int err = cwd_path_from_user(path, upath);
    if (err)
        return err;
    struct file *f;
    err = vfs_open(path, (int)flags, &f);
    if (err)
        return err;
    int fd = fd_install(process_current(), f);
    if (fd < 0)
        vfs_close(f);
    return fd;
}

int64_t sys_close(uint64_t fd, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    if (fd > 0x7FFFFFFF)
        return -EBADF;
    return fd_close(process_current(), (int)fd);
}

int64_t sys_lseek(uint64_t fd, uint64_t off, uint64_t whence, uint64_t a3, uint64_t a4)
{
    if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END)
        return -EINVAL;
    struct file *f = file_of_fd(fd);
    if (!f)
        return -EBADF;
    int64_t r = vfs_seek(f, (int64_t)off, (int)whence);
    vfs_close(f);
    return r;
}

int64_t sys_stat(uint64_t upath, uint64_t ust, uint64_t a2, uint64_t a3, uint64_t a4)
{
    if (!ust || !user_range_ok(ust, sizeof(struct stat)))
        return -EFAULT;
    char path[PATH_MAX];
    int err = cwd_path_from_user(path, upath);
    if (err)
        return err;
    struct stat st;
    err = vfs_stat(path, &st);
    if (err)
        return err;
    return copy_to_user(ust, &st, sizeof(st));
}

int64_t sys_readdir(uint64_t fd, uint64_t udirent, uint64_t a2, uint64_t a3, uint64_t a4)
{
    if (!udirent || !user_range_ok(udirent, sizeof(struct dirent)))
        return -EFAULT;
    struct file *f = file_of_fd(fd);
    if (!f)
        return -EBADF;
    struct dirent d;
    int r = vfs_readdir(f, &d);
    vfs_close(f);
    if (r == 1 && copy_to_user(udirent, &d, sizeof(d)) < 0)
        return -EFAULT;
    return r;
}

int64_t sys_ioctl(uint64_t fd, uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4)
{
    struct file *f = file_of_fd(fd);
    if (!f)
        return -EBADF;
    int64_t r = cmd > 0x7FFFFFFF ? -EINVAL : tty_ioctl(f, (int)cmd, arg);
    vfs_close(f);
    return r;
}

int64_t sys_unlink(uint64_t upath, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    char path[PATH_MAX];
    int err = cwd_path_from_user(path, upath);
    return err ? err : vfs_unlink(path);
}

int64_t sys_mkdir(uint64_t upath, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    char path[PATH_MAX];
    int err = cwd_path_from_user(path, upath);
    return err ? err : vfs_mkdir(path);
}

/* pipe(fds): fds[0] = the read end, fds[1] = the write end. On any error
   nothing stays open. */
int64_t sys_pipe(uint64_t ufds, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    if (!ufds || !user_range_ok(ufds, 2 * sizeof(int)))
        return -EFAULT;
    struct process *p = process_current();
    struct file *rd, *wr;
    int err = pipe_create(&rd, &wr);
    if (err)
        return err;
    int fds[2];
    fds[0] = fd_install(p, rd);
    if (fds[0] < 0) {
        vfs_close(rd);
        vfs_close(wr);
        return fds[0];
    }
    fds[1] = fd_install(p, wr);
    if (fds[1] < 0) {
        fd_close(p, fds[0]);
        vfs_close(wr);
        return fds[1];
    }
    err = copy_to_user(ufds, fds, sizeof(fds));
    if (err) {
        fd_close(p, fds[0]);
        fd_close(p, fds[1]);
    }
    return err;
}

int64_t sys_dup(uint64_t fd, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    struct file *f = file_of_fd(fd);
    if (!f)
        return -EBADF;
    int nfd = fd_install(process_current(), f);   /* the table takes our reference */
    if (nfd < 0)
        vfs_close(f);
    return nfd;
}

int64_t sys_dup2(uint64_t oldfd, uint64_t newfd, uint64_t a2, uint64_t a3, uint64_t a4)
{
    if (oldfd > 0x7FFFFFFF || newfd > 0x7FFFFFFF)
        return -EBADF;
    return fd_dup2(process_current(), (int)oldfd, (int)newfd);
}

int64_t sys_chdir(uint64_t upath, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    char path[PATH_MAX];
    int err = cwd_path_from_user(path, upath);
    return err ? err : cwd_change(process_current(), path);
}

/* getcwd(buf, size): the length of the path without its NUL. */
int64_t sys_getcwd(uint64_t ubuf, uint64_t size, uint64_t a2, uint64_t a3, uint64_t a4)
{
    if (!ubuf || !user_range_ok(ubuf, size))
        return -EFAULT;
    if (size == 0)
        return -EINVAL;
    char cwd[PATH_MAX];
    size_t len = cwd_get(process_current(), cwd);
    if (len + 1 > size)
        return -ERANGE;
    int err = copy_to_user(ubuf, cwd, len + 1);
    return err ? err : (int64_t)len;
}
