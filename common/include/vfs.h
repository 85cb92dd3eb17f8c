/*
 * Virtual file system: one name space built from mounted file systems
 * (the boot archive read-only at "/", a ramfs at "/tmp"), and open files
 * (struct file) that any subsystem can create with its own operations
 * (the terminal does, for file descriptors 0/1/2).
 *
 * All buffers passed here are kernel memory; the system-call layer copies
 * from and to user space. Paths are absolute (a relative path is taken
 * relative to "/"); they are canonicalised with path.h first.
 * Every function returns 0 / a count, or a negative errno:
 *   -ENOENT, -ENOTDIR, -EISDIR, -EROFS (writing to the boot archive),
 *   -EEXIST, -ENAMETOOLONG, -EBADF (wrong access mode), -EINVAL,
 *   -ENOSPC, -EFBIG, -ENOTEMPTY, -EBUSY (a mount point), -ESPIPE, -ENOMEM.
 *
 * Context: thread context with interrupts on (functions may sleep on
 * mutexes), or during boot before the scheduler runs. The mount table is
 * written only during boot (vfs_mount) and read without a lock afterwards.
 */
#pragma once

#include "types.h"
#include "abi.h"
#include "mutex.h"

struct file;

/* Operations of an open file. A NULL operation means "not supported". */
struct file_ops {
    /* Read up to n bytes at the file position and advance it; 0 at the end. */
    ssize_t (*read)(struct file *f, void *buf, size_t n);
    /* Write n bytes at the file position (at the end with O_APPEND) and advance it. */
    ssize_t (*write)(struct file *f, const void *buf, size_t n);
    /* Set the position; returns the new position (NULL: -ESPIPE). */
    int64_t (*seek)(struct file *f, int64_t off, int whence);
    /* Fill *d with the next directory entry: 1, 0 at the end (NULL: -ENOTDIR). */
    int (*readdir)(struct file *f, struct dirent *d);
    int (*stat)(struct file *f, struct stat *st);
    /* Called once when the last reference goes away. */
    void (*release)(struct file *f);
};

struct file {
    const struct file_ops *ops;
    void *fs;               /* the file system it belongs to (NULL for devices) */
    void *priv;             /* owned by whoever created the file */
    uint64_t pos;           /* file position; ops may protect it with lock */
    int flags;              /* O_* open flags */
    uint32_t type;          /* S_IF* */
    int refcount;           /* atomic; vfs_close drops one */
    struct mutex lock;      /* files from vfs_open: held by the VFS around read,
                               write, seek and readdir (devices: not used by the VFS,
                               a terminal read may block for long) */
    bool vfs_locked;        /* opened by path: the VFS takes lock around the ops */
    char *path;             /* directories opened by path: canonical path (kmalloc) */
    uint32_t mount_cursor;  /* directories: next mount table slot to report */
};

/* Operations of a file system type; path is canonical relative to the mount ("/" = its root). */
struct fs_ops {
    const char *name;
    /* Open (and with O_CREAT create) path into f: set f->ops, f->priv, f->type. */
    int (*open)(void *fs, const char *path, int flags, struct file *f);
    int (*stat)(void *fs, const char *path, struct stat *st);
    int (*mkdir)(void *fs, const char *path);
    /* Remove a file or an empty directory. */
    int (*unlink)(void *fs, const char *path);
};

#define VFS_MAX_MOUNTS 8

/* Largest file vfs_read_all() loads. */
#define VFS_READ_ALL_MAX (256ull << 20)

/* Seek helper for file systems: the new position for (off, whence) on a file
   of size bytes at position pos, or -EINVAL (bad whence, negative result, overflow). */
int64_t vfs_seek_position(uint64_t pos, uint64_t size, int64_t off, int whence);

/* Mount fs (with operations ops) at the canonical path at. Boot only. */
int vfs_mount(const char *at, const struct fs_ops *ops, void *fs);

int vfs_open(const char *path, int flags, struct file **out);
ssize_t vfs_read(struct file *f, void *buf, size_t n);
ssize_t vfs_write(struct file *f, const void *buf, size_t n);
int64_t vfs_seek(struct file *f, int64_t off, int whence);
int vfs_fstat(struct file *f, struct stat *st);
/* Next entry of an open directory into *d: 1, 0 at the end. Mount points appear as directories. */
int vfs_readdir(struct file *f, struct dirent *d);
/* Drop one reference; the file is released with the last one. */
int vfs_close(struct file *f);

int vfs_stat(const char *path, struct stat *st);
int vfs_unlink(const char *path);
int vfs_mkdir(const char *path);

/* Read a whole file into a new kmalloc'd buffer (*buf, *size bytes; kfree it). */
int vfs_read_all(const char *path, void **buf, size_t *size);
/* Open path for reading as a loader does: -EISDIR for a directory,
   too_big (a negative errno) when it has more than max bytes; on success
   *f is open and *size holds its length. */
int vfs_open_for_load(const char *path, uint64_t max, int too_big, struct file **f, uint64_t *size);

/* A new open file with the given operations (refcount 1), for devices such
   as the terminal; NULL on out-of-memory. */
struct file *vfs_file_create(const struct file_ops *ops, void *priv, int flags, uint32_t type);
/* Take another reference (a duplicated file descriptor, a child process). */
struct file *vfs_file_ref(struct file *f);

/* Boot: mount the boot archive (Multiboot2 module "initrd") at / and a
   ramfs at /tmp, and print one summary line. */
void fs_init(void);
