/*
 * Open files (struct file in vfs.h): creation, reference counting and the
 * operations on an open file. Files opened by path are serialised with
 * their own mutex (f->lock) around every operation, so the file systems
 * see one caller per file at a time; device files (vfs_file_create by
 * another subsystem) are called without it. Directory listings get the
 * mount points inside them added in front of the file system's entries.
 * Context: thread context (may sleep), or boot before the scheduler.
 */
#include "vfs.h"
#include "vfs_internal.h"
#include "kheap.h"
#include "kstring.h"
#include "errno.h"

struct file *vfs_file_create(const struct file_ops *ops, void *priv, int flags, uint32_t type)
{
    struct file *f = kzalloc(sizeof(*f));
    if (!f)
        return NULL;
    f->ops = ops;
    f->priv = priv;
    f->flags = flags;
    f->type = type;
    f->refcount = 1;
    mutex_init(&f->lock, "file");
    return f;
}

struct file *vfs_file_ref(struct file *f)
{
    if (f)
        __atomic_add_fetch(&f->refcount, 1, __ATOMIC_ACQ_REL);
    return f;
}

int vfs_close(struct file *f)
{
    if (!f)
        return -EBADF;
    if (__atomic_sub_fetch(&f->refcount, 1, __ATOMIC_ACQ_REL) != 0)
        return 0;
    if (f->ops && f->ops->release)
        f->ops->release(f);
    kfree(f->path);
    kfree(f);
    return 0;
}

static void file_lock(struct file *f)
{
    if (f->vfs_locked)
        mutex_lock(&f->lock);
}

static void file_unlock(struct file *f)
{
    if (f->vfs_locked)
        mutex_unlock(&f->lock);
}

/* Read (write == false) or write n bytes at buf through f's file system,
   under f's lock: the count moved or a negative errno. buf is only read
   when writing (the cast in vfs_write is for this shared signature). */
static ssize_t transfer(struct file *f, bool write, void *buf, size_t n)
{
    if (!f || (f->flags & O_ACCMODE) == (write ? O_RDONLY : O_WRONLY))
        return -EBADF;
    if (f->type == S_IFDIR)
        return -EISDIR;
    bool has_op = write ? f->ops->write != NULL : f->ops->read != NULL;
    if (!has_op || (!buf && n))
        return -EINVAL;
    if (n == 0)
        return 0;
    file_lock(f);
    ssize_t r = write ? f->ops->write(f, buf, n) : f->ops->read(f, buf, n);
    file_unlock(f);
    return r;
}

ssize_t vfs_read(struct file *f, void *buf, size_t n)
{
    return transfer(f, false, buf, n);
}

ssize_t vfs_write(struct file *f, const void *buf, size_t n)
{
    return transfer(f, true, (void *)buf, n);
}

int64_t vfs_seek_position(uint64_t pos, uint64_t size, int64_t off, int whence)
{
    uint64_t base;
    switch (whence) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = pos; break;
    case SEEK_END: base = size; break;
    default: return -EINVAL;
    }
    if (base > (uint64_t)INT64_MAX)
        return -EINVAL;
    int64_t b = (int64_t)base;
    if ((off > 0 && b > INT64_MAX - off) || b + off < 0)
        return -EINVAL;
    return b + off;
}

int64_t vfs_seek(struct file *f, int64_t off, int whence)
{
    if (!f)
        return -EBADF;
    if (f->type == S_IFDIR) {
        /* directories can only be rewound */
        if (whence != SEEK_SET || off != 0)
            return -EINVAL;
        file_lock(f);
        f->pos = 0;
        f->mount_cursor = 0;
        file_unlock(f);
        return 0;
    }
    if (!f->ops->seek)
        return -ESPIPE;
    file_lock(f);
    int64_t r = f->ops->seek(f, off, whence);
    file_unlock(f);
    return r;
}

int vfs_fstat(struct file *f, struct stat *st)
{
    if (!f || !st)
        return f ? -EINVAL : -EBADF;
    if (!f->ops->stat) {
        memset(st, 0, sizeof(*st));
        st->type = f->type;
        return 0;
    }
    file_lock(f);
    int r = f->ops->stat(f, st);
    file_unlock(f);
    return r;
}

/* Fill d for a mount point called name. */
static void mount_dirent(struct dirent *d, const char *name)
{
    memset(d, 0, sizeof(*d));
    d->type = S_IFDIR;
    strlcpy(d->name, name, sizeof(d->name));
}

/* Next entry: mount points first, then the file system's own (minus names a mount hides). */
static int readdir_locked(struct file *f, struct dirent *d)
{
    if (f->path) {
        const char *name = vfs_mount_child_name(f->path, &f->mount_cursor);
        if (name) {
            mount_dirent(d, name);
            return 1;
        }
    }
    for (;;) {
        int r = f->ops->readdir(f, d);
        if (r <= 0 || !f->path || !vfs_is_mount_child(f->path, d->name))
            return r;
    }
}

int vfs_readdir(struct file *f, struct dirent *d)
{
    if (!f)
        return -EBADF;
    if (!d)
        return -EINVAL;
    if (f->type != S_IFDIR || !f->ops->readdir)
        return -ENOTDIR;
    file_lock(f);
    int r = readdir_locked(f, d);
    file_unlock(f);
    return r;
}

int vfs_open_for_load(const char *path, uint64_t max, int too_big, struct file **f, uint64_t *size)
{
    struct stat st;
    int err = vfs_open(path, O_RDONLY, f);
    if (err)
        return err;
    err = vfs_fstat(*f, &st);
    if (!err && st.type == S_IFDIR)
        err = -EISDIR;
    if (!err && st.size > max)
        err = too_big;
    if (err)
        vfs_close(*f);
    else
        *size = st.size;
    return err;
}

int vfs_read_all(const char *path, void **buf, size_t *size)
{
    struct file *f;
    uint64_t len;
    if (!buf || !size)
        return -EINVAL;
    int err = vfs_open_for_load(path, VFS_READ_ALL_MAX, -EFBIG, &f, &len);
    if (err)
        return err;
    uint8_t *data = kmalloc(len ? len : 1);
    if (!data)
        err = -ENOMEM;
    size_t got = 0;
    while (!err && got < len) {
        ssize_t r = vfs_read(f, data + got, len - got);
        if (r < 0)
            err = (int)r;
        else if (r == 0)
            break;
        else
            got += (size_t)r;
    }
    vfs_close(f);
    if (err) {
        kfree(data);
        return err;
    }
    *buf = data;
    *size = got;
    return 0;
}
