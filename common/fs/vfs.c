/*
 * VFS name space: the mount table and the path-based operations (open,
 * stat, mkdir, unlink). A canonical path is handed to the file system
 * whose mount point is its longest prefix, relative to that mount point.
 * The mount table is filled during boot only and read without a lock.
 * Open-file operations live in file.c.
 */
#include "vfs.h"
#include "vfs_internal.h"
#include "kheap.h"
#include "path.h"
#include "kstring.h"
#include "errno.h"

struct mount {
    char path[PATH_MAX];
    const struct fs_ops *ops;
    void *fs;
};

static struct mount mounts[VFS_MAX_MOUNTS];
static uint32_t mount_count;

/* The mount holding canonical path p and p relative to it; NULL before "/" is mounted. */
static const struct mount *find_mount(const char *p, const char **rel)
{
    const struct mount *best = NULL;
    size_t best_len = 0;
    for (uint32_t i = 0; i < mount_count; i++) {
        size_t len = strlen(mounts[i].path);
        const char *r = path_strip_prefix(p, mounts[i].path);
        if (r && (!best || len > best_len)) {
            best = &mounts[i];
            best_len = len;
            *rel = r;
        }
    }
    return best;
}

static bool is_mount_point(const char *p)
{
    for (uint32_t i = 0; i < mount_count; i++)
        if (strcmp(mounts[i].path, p) == 0)
            return true;
    return false;
}

int vfs_mount(const char *at, const struct fs_ops *ops, void *fs)
{
    char p[PATH_MAX];
    int err = path_normalize(NULL, at, p, sizeof(p));
    if (err)
        return err;
    if (is_mount_point(p))
        return -EBUSY;
    if (mount_count == VFS_MAX_MOUNTS)
        return -ENOSPC;
    strlcpy(mounts[mount_count].path, p, PATH_MAX);
    mounts[mount_count].ops = ops;
    mounts[mount_count].fs = fs;
    mount_count++;
    return 0;
}

/* Canonicalise path into p and find its mount; 0 or a negative errno. */
static int resolve(const char *path, char *p, const struct mount **m, const char **rel)
{
    if (!path)
        return -EINVAL;
    int err = path_normalize(NULL, path, p, PATH_MAX);
    if (err)
        return err;
    *m = find_mount(p, rel);
    return *m ? 0 : -ENOENT;
}

const char *vfs_mount_child_name(const char *dir, uint32_t *cursor)
{
    while (*cursor < mount_count) {
        const char *mp = mounts[(*cursor)++].path;
        size_t parent_len;
        const char *name;
        if (path_split(mp, &parent_len, &name) == 0 &&
            strlen(dir) == parent_len && strncmp(mp, dir, parent_len) == 0)
            return name;
    }
    return NULL;
}

bool vfs_is_mount_child(const char *dir, const char *name)
{
    uint32_t cursor = 0;
    const char *n;
    while ((n = vfs_mount_child_name(dir, &cursor)))
        if (strcmp(n, name) == 0)
            return true;
    return false;
}

int vfs_open(const char *path, int flags, struct file **out)
{
    char p[PATH_MAX];
    const struct mount *m;
    const char *rel;
    if (!out || (flags & O_ACCMODE) == O_ACCMODE)
        return -EINVAL;
    int err = resolve(path, p, &m, &rel);
    if (err)
        return err;
    struct file *f = vfs_file_create(NULL, NULL, flags, 0);
    if (!f)
        return -ENOMEM;
    f->vfs_locked = true;
    err = m->ops->open(m->fs, rel, flags, f);
    if (err) {
        f->ops = NULL;          /* nothing to release */
        vfs_close(f);
        return err;
    }
    if (f->type == S_IFDIR) {
        size_t len = strlen(p) + 1;
        f->path = kmalloc(len);
        if (!f->path) {
            vfs_close(f);
            return -ENOMEM;
        }
        memcpy(f->path, p, len);
    }
    *out = f;
    return 0;
}

int vfs_stat(const char *path, struct stat *st)
{
    char p[PATH_MAX];
    const struct mount *m;
    const char *rel;
    if (!st)
        return -EINVAL;
    int err = resolve(path, p, &m, &rel);
    if (err)
        return err;
    return m->ops->stat(m->fs, rel, st);
}

/* Remove path (make_dir == false) or create it as a directory: a mount point
   is neither removed (-EBUSY) nor created again (-EEXIST); a file system
   without the operation is read-only (-EROFS). */
static int change_name(const char *path, bool make_dir)
{
    char p[PATH_MAX];
    const struct mount *m;
    const char *rel;
    int err = resolve(path, p, &m, &rel);
    if (err)
        return err;
    if (is_mount_point(p))
        return make_dir ? -EEXIST : -EBUSY;
    int (*op)(void *, const char *) = make_dir ? m->ops->mkdir : m->ops->unlink;
    return op ? op(m->fs, rel) : -EROFS;
}

int vfs_unlink(const char *path)
{
    return change_name(path, false);
}

int vfs_mkdir(const char *path)
{
    return change_name(path, true);
}
