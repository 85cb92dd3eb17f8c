/*
 * Pipes (pipe.h): a ring buffer (pipe_ring.c) shared by the open files of
 * its two ends, a spinlock, and one wait queue per direction. The counts
 * of open read and write ends decide end of file and -EPIPE; each end's
 * release (the last close of its struct file) drops one, and the pipe is
 * freed with the last end. The lock is held only for the ring copies of at
 * most PIPE_RING_SIZE bytes (interrupts off meanwhile), never across a
 * sleep: waitqueue_wait_killable releases it.
 */
#include "pipe.h"
#include "errno.h"
#include "kheap.h"
#include "pipe_ring.h"
#include "spinlock.h"
#include "vfs.h"
#include "waitqueue.h"

struct pipe {
    struct pipe_ring ring;
    struct spinlock lock;
    struct waitqueue readable;     /* readers waiting for data or EOF */
    struct waitqueue writable;     /* writers waiting for room or EPIPE */
    int readers, writers;          /* open ends */
};

/*
 * Read up to n bytes: wait while the pipe is empty and a writer exists;
 * 0 at end of file (empty, no writer), -EINTR when killed while waiting.
 */
static ssize_t pipe_read(struct file *f, void *buf, size_t n)
{
    // SOLUTION(A4-pipes) BEGIN: under pp->lock: sleep killably on readable while empty and a writer exists (-EINTR if killed); take what is there (0 = EOF), wake the writers
    // SOLUTION(A4-pipes) STUB: return -ENOSYS;
    struct pipe *pp = f->priv;
    spin_lock(&pp->lock);
    while (pipe_ring_used(&pp->ring) == 0 && pp->writers > 0) {
        if (!waitqueue_wait_killable(&pp->readable, &pp->lock)) {
            spin_unlock(&pp->lock);
            return -EINTR;
        }
    }
    size_t got = pipe_ring_read(&pp->ring, buf, n);
    waitqueue_wake_all(&pp->writable);
    spin_unlock(&pp->lock);
    return (ssize_t)got;
    // SOLUTION(A4-pipes) END
}

/*
 * Write n bytes: wait until they all fit (at most PIPE_RING_SIZE at once,
 * so a small write stays in one piece), then append them. -EPIPE when no
 * reader is left, -EINTR when killed while waiting; otherwise the count
 * written (less than n only when n is more than the ring holds).
 */
static ssize_t pipe_write(struct file *f, const void *buf, size_t n)
{
    // SOLUTION(A4-pipes) BEGIN: up to PIPE_RING_SIZE bytes in one piece: -EPIPE without readers; sleep killably on writable until they fit; append, wake the readers
    // SOLUTION(A4-pipes) STUB: return -ENOSYS;
    struct pipe *pp = f->priv;
    size_t want = MIN(n, (size_t)PIPE_RING_SIZE);
    spin_lock(&pp->lock);
    for (;;) {
        if (pp->readers == 0) {
            spin_unlock(&pp->lock);
            return -EPIPE;
        }
        if (pipe_ring_space(&pp->ring) >= want)
            break;
        if (!waitqueue_wait_killable(&pp->writable, &pp->lock)) {
            spin_unlock(&pp->lock);
            return -EINTR;
        }
    }
    size_t put = pipe_ring_write(&pp->ring, buf, want);
    waitqueue_wake_all(&pp->readable);
    spin_unlock(&pp->lock);
    return (ssize_t)put;
    // SOLUTION(A4-pipes) END
}

static int pipe_stat(struct file *f, struct stat *st)
{
    struct pipe *pp = f->priv;
    spin_lock(&pp->lock);
    st->size = pipe_ring_used(&pp->ring);
    spin_unlock(&pp->lock);
    st->type = S_IFIFO;
    st->reserved = 0;
    return 0;
}

/* The last reference to one end is gone: wake the other side so that it
   sees EOF or EPIPE, and free the pipe with its last end. */
static void pipe_release(struct file *f)
{
    struct pipe *pp = f->priv;
    spin_lock(&pp->lock);
    if ((f->flags & O_ACCMODE) == O_RDONLY)
        pp->readers--;
    else
        pp->writers--;
    bool last = pp->readers == 0 && pp->writers == 0;
    waitqueue_wake_all(&pp->readable);
    waitqueue_wake_all(&pp->writable);
    spin_unlock(&pp->lock);
    if (last)
        kfree(pp);
}

static const struct file_ops pipe_read_ops = {
    .read = pipe_read,
    .stat = pipe_stat,
    .release = pipe_release,
};

static const struct file_ops pipe_write_ops = {
    .write = pipe_write,
    .stat = pipe_stat,
    .release = pipe_release,
};

int pipe_create(struct file **rd, struct file **wr)
{
    struct pipe *pp = kzalloc(sizeof(*pp));
    if (!pp)
        return -ENOMEM;
    pipe_ring_init(&pp->ring);
    pp->lock = (struct spinlock)SPINLOCK_INIT("pipe");
    pp->readable = (struct waitqueue)WAITQUEUE_INIT;
    pp->writable = (struct waitqueue)WAITQUEUE_INIT;
    *rd = vfs_file_create(&pipe_read_ops, pp, O_RDONLY, S_IFIFO);
    if (!*rd) {
        kfree(pp);
        return -ENOMEM;
    }
    pp->readers = 1;
    *wr = vfs_file_create(&pipe_write_ops, pp, O_WRONLY, S_IFIFO);
    if (!*wr) {
        vfs_close(*rd);         /* the last end: its release frees pp */
        return -ENOMEM;
    }
    pp->writers = 1;
    return 0;
}
