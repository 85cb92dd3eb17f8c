/*
 * The boot archive as a read-only file system. The archive stays where
 * GRUB loaded it; files are read straight out of it. An open file keeps
 * the archive in f->fs and its node number in f->priv; f->pos is the
 * byte position (files) or the last node listed (directories). The VFS
 * serialises the operations on one file (file.c), and the archive never
 * changes, so no lock is needed here.
 */
#include "initrd.h"
#include "vfs.h"
#include "path.h"
#include "kstring.h"
#include "errno.h"

static uint32_t stat_type(const struct initrd *rd, int node)
{
    return initrd_node_type(rd, node) == INITRD_TYPE_DIR ? S_IFDIR : S_IFREG;
}

/* Node of a canonical path; -ENOTDIR when a prefix of it is a file, else -ENOENT. */
static int resolve(const struct initrd *rd, const char *path)
{
    int node = initrd_lookup(rd, path);
    if (node >= 0)
        return node;
    char prefix[PATH_MAX];
    strlcpy(prefix, path, sizeof(prefix));
    size_t parent_len;
    const char *name;
    while (path_split(prefix, &parent_len, &name) == 0) {
        prefix[parent_len] = '\0';
        int p = initrd_lookup(rd, prefix);
        if (p >= 0)
            return initrd_node_type(rd, p) == INITRD_TYPE_FILE ? -ENOTDIR : -ENOENT;
    }
    return -ENOENT;
}

static int file_node(const struct file *f)
{
    return (int)(uintptr_t)f->priv;
}

static ssize_t initrd_read(struct file *f, void *buf, size_t n)
{
    const struct initrd *rd = f->fs;
    int node = file_node(f);
    uint64_t size = initrd_node_size(rd, node);
    if (f->pos >= size)
        return 0;
    size_t count = (size_t)MIN((uint64_t)n, size - f->pos);
    memcpy(buf, initrd_node_data(rd, node) + f->pos, count);
    f->pos += count;
    return (ssize_t)count;
}

static int64_t initrd_seek(struct file *f, int64_t off, int whence)
{
    const struct initrd *rd = f->fs;
    int64_t pos = vfs_seek_position(f->pos, initrd_node_size(rd, file_node(f)), off, whence);
    if (pos >= 0)
        f->pos = (uint64_t)pos;
    return pos;
}

static int initrd_readdir(struct file *f, struct dirent *d)
{
    const struct initrd *rd = f->fs;
    int child = initrd_next_child(rd, file_node(f), (int)f->pos);
    if (child < 0)
        return 0;
    size_t len;
    const char *name = initrd_node_name(rd, child, &len);
    memset(d, 0, sizeof(*d));
    memcpy(d->name, name, MIN(len, sizeof(d->name) - 1));
    d->type = stat_type(rd, child);
    d->size = initrd_node_size(rd, child);
    f->pos = (uint64_t)child;
    return 1;
}

static int initrd_fstat(struct file *f, struct stat *st)
{
    const struct initrd *rd = f->fs;
    memset(st, 0, sizeof(*st));
    st->type = stat_type(rd, file_node(f));
    st->size = initrd_node_size(rd, file_node(f));
    return 0;
}

static const struct file_ops initrd_file_ops = {
    .read = initrd_read,
    .seek = initrd_seek,
    .readdir = initrd_readdir,
    .stat = initrd_fstat,
};

static int initrd_open(void *fs, const char *path, int flags, struct file *f)
{
    const struct initrd *rd = fs;
    int node = resolve(rd, path);
    if (node == -ENOENT && (flags & O_CREAT)) {
        size_t parent_len;
        const char *name;
        char parent[PATH_MAX];
        path_split(path, &parent_len, &name);
        strlcpy(parent, path, MIN(parent_len + 1, sizeof(parent)));
        return resolve(rd, parent) >= 0 ? -EROFS : -ENOENT;
    }
    if (node < 0)
        return node;
    bool dir = initrd_node_type(rd, node) == INITRD_TYPE_DIR;
    if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
        return dir ? -EISDIR : -EROFS;
    f->ops = &initrd_file_ops;
    f->fs = fs;
    f->priv = (void *)(uintptr_t)node;
    f->type = dir ? S_IFDIR : S_IFREG;
    return 0;
}

static int initrd_stat(void *fs, const char *path, struct stat *st)
{
    const struct initrd *rd = fs;
    int node = resolve(rd, path);
    if (node < 0)
        return node;
    memset(st, 0, sizeof(*st));
    st->type = stat_type(rd, node);
    st->size = initrd_node_size(rd, node);
    return 0;
}

static int initrd_mkdir(void *fs, const char *path)
{
    return resolve(fs, path) >= 0 ? -EEXIST : -EROFS;
}

static int initrd_unlink(void *fs, const char *path)
{
    int node = resolve(fs, path);
    return node < 0 ? node : -EROFS;
}

static const struct fs_ops initrd_fs_ops = {
    .name = "initrd",
    .open = initrd_open,
    .stat = initrd_stat,
    .mkdir = initrd_mkdir,
    .unlink = initrd_unlink,
};

int initrd_fs_mount(const char *at, struct initrd *rd)
{
    return vfs_mount(at, &initrd_fs_ops, rd);
}
