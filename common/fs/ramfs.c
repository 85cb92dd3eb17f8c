/*
 * ramfs (ramfs.h): a tree of nodes; a file's data is an array of physical
 * pages indexed by block number (0 = hole, reads as zeros). Every
 * operation takes the ramfs mutex; the VFS also holds the open file's
 * own lock around file operations (order: file lock, then ramfs lock).
 * A node is freed when it has no name (unlinked) and no open file.
 * Context: thread context, or boot before the scheduler.
 */
#include "ramfs.h"
#include "vfs.h"
#include "path.h"
#include "pmm.h"
#include "paging.h"
#include "kheap.h"
#include "kstring.h"
#include "errno.h"

#define MAX_BLOCKS (RAMFS_MAX_FILE_SIZE / PAGE_SIZE)

struct ramfs_node {
    char name[NAME_MAX];
    uint32_t type;                  /* S_IFREG or S_IFDIR */
    struct ramfs_node *parent;
    struct ramfs_node *children;    /* directories: first child */
    struct ramfs_node *next;        /* next sibling in the parent */
    uint64_t size;                  /* files: bytes */
    uint64_t *blocks;               /* files: physical page per 4 KiB block, 0 = hole */
    size_t block_slots;             /* entries in blocks */
    uint32_t opens;                 /* open files referring to the node */
    bool linked;                    /* still has its name in the tree */
};

struct ramfs {
    struct mutex lock;
    struct ramfs_node root;
    uint64_t pages;                 /* data pages in use */
    uint64_t page_limit;
};

static struct ramfs_node *node_new(const char *name, size_t len, uint32_t type)
{
    struct ramfs_node *n = kzalloc(sizeof(*n));
    if (!n)
        return NULL;
    memcpy(n->name, name, len);
    n->type = type;
    n->linked = true;
    return n;
}

/* Free every data page of n; its size becomes 0. */
static void node_truncate(struct ramfs *fs, struct ramfs_node *n)
{
    for (size_t i = 0; i < n->block_slots; i++) {
        if (n->blocks[i]) {
            pmm_free_page(n->blocks[i]);
            fs->pages--;
        }
    }
    kfree(n->blocks);
    n->blocks = NULL;
    n->block_slots = 0;
    n->size = 0;
}

/* Free n if nothing refers to it any more. */
static void node_put(struct ramfs *fs, struct ramfs_node *n)
{
    if (n->linked || n->opens || n == &fs->root)
        return;
    node_truncate(fs, n);
    kfree(n);
}

static struct ramfs_node *find_child(struct ramfs_node *dir, const char *name, size_t len)
{
    for (struct ramfs_node *c = dir->children; c; c = c->next)
        if (strncmp(c->name, name, len) == 0 && c->name[len] == '\0')
            return c;
    return NULL;
}

/* Node of the canonical path (relative to the mount): 0, -ENOENT or -ENOTDIR. */
static int walk(struct ramfs *fs, const char *path, struct ramfs_node **out)
{
    struct ramfs_node *n = &fs->root;
    const char *p = path;
    while (*p) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        const char *start = p;
        while (*p && *p != '/')
            p++;
        if (n->type != S_IFDIR)
            return -ENOTDIR;
        n = find_child(n, start, (size_t)(p - start));
        if (!n)
            return -ENOENT;
    }
    *out = n;
    return 0;
}

/* The directory that would hold path, and path's last component. */
static int walk_parent(struct ramfs *fs, const char *path, struct ramfs_node **dir, const char **name)
{
    char parent[PATH_MAX];
    size_t parent_len;
    if (path_split(path, &parent_len, name) != 0)
        return -EEXIST;         /* the root always exists */
    strlcpy(parent, path, MIN(parent_len + 1, sizeof(parent)));
    int err = walk(fs, parent, dir);
    if (err)
        return err;
    return (*dir)->type == S_IFDIR ? 0 : -ENOTDIR;
}

/* Create name in dir (which has no such entry) and return it in *out. */
static int link_new(struct ramfs_node *dir, const char *name, uint32_t type, struct ramfs_node **out)
{
    size_t len = strlen(name);
    if (!path_valid_name(name, len))
        return -EINVAL;
    struct ramfs_node *n = node_new(name, len, type);
    if (!n)
        return -ENOMEM;
    n->parent = dir;
    n->next = dir->children;
    dir->children = n;
    *out = n;
    return 0;
}

static void unlink_from_parent(struct ramfs_node *n)
{
    struct ramfs_node **pp = &n->parent->children;
    while (*pp != n)
        pp = &(*pp)->next;
    *pp = n->next;
    n->next = NULL;
    n->linked = false;
}

/* Make room in n->blocks for block index b. */
static int grow_blocks(struct ramfs_node *n, size_t b)
{
    if (b < n->block_slots)
        return 0;
    size_t slots = MAX(MAX(b + 1, n->block_slots * 2), (size_t)8);
    slots = MIN(slots, (size_t)MAX_BLOCKS);
    uint64_t *nb = krealloc(n->blocks, slots * sizeof(uint64_t));
    if (!nb)
        return -ENOSPC;
    memset(nb + n->block_slots, 0, (slots - n->block_slots) * sizeof(uint64_t));
    n->blocks = nb;
    n->block_slots = slots;
    return 0;
}

/* Kernel address of block b of n in *out, allocating the page if it is a hole. */
static int block_for_write(struct ramfs *fs, struct ramfs_node *n, size_t b, uint8_t **out)
{
    int err = grow_blocks(n, b);
    if (err)
        return err;
    if (!n->blocks[b]) {
        if (fs->pages >= fs->page_limit)
            return -ENOSPC;
        uint64_t page = pmm_alloc_page();
        if (!page)
            return -ENOSPC;
        n->blocks[b] = page;
        fs->pages++;
    }
    *out = phys_to_virt(n->blocks[b]);
    return 0;
}

static ssize_t ramfs_read(struct file *f, void *buf, size_t n)
{
    struct ramfs *fs = f->fs;
    struct ramfs_node *node = f->priv;
    mutex_lock(&fs->lock);
    size_t done = 0;
    while (done < n && f->pos < node->size) {
        size_t b = (size_t)(f->pos / PAGE_SIZE), off = (size_t)(f->pos % PAGE_SIZE);
        size_t chunk = (size_t)MIN((uint64_t)MIN(n - done, PAGE_SIZE - off), node->size - f->pos);
        if (b < node->block_slots && node->blocks[b])
            memcpy((uint8_t *)buf + done, (uint8_t *)phys_to_virt(node->blocks[b]) + off, chunk);
        else
            memset((uint8_t *)buf + done, 0, chunk);
        done += chunk;
        f->pos += chunk;
    }
    mutex_unlock(&fs->lock);
    return (ssize_t)done;
}

static ssize_t ramfs_write(struct file *f, const void *buf, size_t n)
{
    struct ramfs *fs = f->fs;
    struct ramfs_node *node = f->priv;
    mutex_lock(&fs->lock);
    if (f->flags & O_APPEND)
        f->pos = node->size;
    size_t done = 0;
    int err = 0;
    if (f->pos >= RAMFS_MAX_FILE_SIZE || n > RAMFS_MAX_FILE_SIZE - f->pos)
        err = -EFBIG;
    while (!err && done < n) {
        size_t b = (size_t)(f->pos / PAGE_SIZE), off = (size_t)(f->pos % PAGE_SIZE);
        size_t chunk = MIN(n - done, (size_t)PAGE_SIZE - off);
        uint8_t *page;
        err = block_for_write(fs, node, b, &page);
        if (err)
            break;
        memcpy(page + off, (const uint8_t *)buf + done, chunk);
        done += chunk;
        f->pos += chunk;
        node->size = MAX(node->size, f->pos);
    }
    mutex_unlock(&fs->lock);
    return done ? (ssize_t)done : err;
}

static int64_t ramfs_seek(struct file *f, int64_t off, int whence)
{
    struct ramfs *fs = f->fs;
    struct ramfs_node *node = f->priv;
    mutex_lock(&fs->lock);
    int64_t pos = vfs_seek_position(f->pos, node->size, off, whence);
    if (pos >= 0)
        f->pos = (uint64_t)pos;
    mutex_unlock(&fs->lock);
    return pos;
}

/* f->pos counts the entries already listed. */
static int ramfs_readdir(struct file *f, struct dirent *d)
{
    struct ramfs *fs = f->fs;
    struct ramfs_node *dir = f->priv;
    mutex_lock(&fs->lock);
    struct ramfs_node *c = dir->children;
    for (uint64_t i = 0; c && i < f->pos; i++)
        c = c->next;
    if (c) {
        memset(d, 0, sizeof(*d));
        strlcpy(d->name, c->name, sizeof(d->name));
        d->type = c->type;
        d->size = c->size;
        f->pos++;
    }
    mutex_unlock(&fs->lock);
    return c ? 1 : 0;
}

static int ramfs_fstat(struct file *f, struct stat *st)
{
    struct ramfs *fs = f->fs;
    struct ramfs_node *node = f->priv;
    mutex_lock(&fs->lock);
    memset(st, 0, sizeof(*st));
    st->type = node->type;
    st->size = node->size;
    mutex_unlock(&fs->lock);
    return 0;
}

static void ramfs_release(struct file *f)
{
    struct ramfs *fs = f->fs;
    struct ramfs_node *node = f->priv;
    mutex_lock(&fs->lock);
    node->opens--;
    node_put(fs, node);
    mutex_unlock(&fs->lock);
}

static const struct file_ops ramfs_file_ops = {
    .read = ramfs_read,
    .write = ramfs_write,
    .seek = ramfs_seek,
    .readdir = ramfs_readdir,
    .stat = ramfs_fstat,
    .release = ramfs_release,
};

/* Find or (with O_CREAT) create the node to open; checks the access mode. */
static int open_node(struct ramfs *fs, const char *path, int flags, struct ramfs_node **out)
{
    int err = walk(fs, path, out);
    if (err == -ENOENT && (flags & O_CREAT)) {
        struct ramfs_node *dir;
        const char *name;
        err = walk_parent(fs, path, &dir, &name);
        if (!err)
            err = link_new(dir, name, S_IFREG, out);
    }
    if (err)
        return err;
    bool writing = (flags & O_ACCMODE) != O_RDONLY;
    if ((*out)->type == S_IFDIR && (writing || (flags & O_TRUNC)))
        return -EISDIR;
    if (writing && (flags & O_TRUNC))
        node_truncate(fs, *out);
    return 0;
}

static int ramfs_open(void *vfs_fs, const char *path, int flags, struct file *f)
{
    struct ramfs *fs = vfs_fs;
    struct ramfs_node *node;
    mutex_lock(&fs->lock);
    int err = open_node(fs, path, flags, &node);
    if (!err) {
        node->opens++;
        f->ops = &ramfs_file_ops;
        f->fs = fs;
        f->priv = node;
        f->type = node->type;
    }
    mutex_unlock(&fs->lock);
    return err;
}

static int ramfs_stat(void *vfs_fs, const char *path, struct stat *st)
{
    struct ramfs *fs = vfs_fs;
    struct ramfs_node *node;
    mutex_lock(&fs->lock);
    int err = walk(fs, path, &node);
    if (!err) {
        memset(st, 0, sizeof(*st));
        st->type = node->type;
        st->size = node->size;
    }
    mutex_unlock(&fs->lock);
    return err;
}

static int ramfs_mkdir(void *vfs_fs, const char *path)
{
    struct ramfs *fs = vfs_fs;
    struct ramfs_node *dir, *node;
    const char *name;
    mutex_lock(&fs->lock);
    int err = walk_parent(fs, path, &dir, &name);
    if (!err && find_child(dir, name, strlen(name)))
        err = -EEXIST;
    if (!err)
        err = link_new(dir, name, S_IFDIR, &node);
    mutex_unlock(&fs->lock);
    return err;
}

static int ramfs_unlink(void *vfs_fs, const char *path)
{
    struct ramfs *fs = vfs_fs;
    struct ramfs_node *node;
    mutex_lock(&fs->lock);
    int err = walk(fs, path, &node);
    if (!err && node == &fs->root)
        err = -EBUSY;
    if (!err && node->children)
        err = -ENOTEMPTY;
    if (!err) {
        unlink_from_parent(node);
        node_put(fs, node);
    }
    mutex_unlock(&fs->lock);
    return err;
}

static const struct fs_ops ramfs_fs_ops = {
    .name = "ramfs",
    .open = ramfs_open,
    .stat = ramfs_stat,
    .mkdir = ramfs_mkdir,
    .unlink = ramfs_unlink,
};

struct ramfs *ramfs_create(uint64_t page_limit)
{
    struct ramfs *fs = kzalloc(sizeof(*fs));
    if (!fs)
        return NULL;
    mutex_init(&fs->lock, "ramfs");
    fs->root.type = S_IFDIR;
    fs->root.linked = true;
    fs->page_limit = page_limit;
    return fs;
}

int ramfs_mount(const char *at, struct ramfs *fs)
{
    return vfs_mount(at, &ramfs_fs_ops, fs);
}

uint64_t ramfs_pages_used(const struct ramfs *fs)
{
    return fs->pages;
}
