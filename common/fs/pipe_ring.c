/*
 * Pipe ring buffer (pipe_ring.h). A transfer wraps around the end of the
 * array in at most two copies. Context: no locks here; the caller
 * serialises all calls on one ring.
 */
#include "pipe_ring.h"
#include "kstring.h"

void pipe_ring_init(struct pipe_ring *r)
{
    r->head = 0;
    r->count = 0;
}

size_t pipe_ring_used(const struct pipe_ring *r) { return r->count; }

size_t pipe_ring_space(const struct pipe_ring *r) { return PIPE_RING_SIZE - r->count; }

size_t pipe_ring_write(struct pipe_ring *r, const void *src, size_t n)
{
    // SOLUTION(A4-pipes) BEGIN: at most the free space, after the used bytes, wrapping at the end of data[] (two copies at most); return the count
    // SOLUTION(A4-pipes) STUB: return 0;
    const uint8_t *s = src;
    n = MIN(n, pipe_ring_space(r));
    size_t tail = (r->head + r->count) % PIPE_RING_SIZE;
    size_t first = MIN(n, PIPE_RING_SIZE - tail);
    memcpy(r->data + tail, s, first);
    memcpy(r->data, s + first, n - first);
    r->count += n;
    return n;
    // SOLUTION(A4-pipes) END
}

size_t pipe_ring_read(struct pipe_ring *r, void *dst, size_t n)
{
    // SOLUTION(A4-pipes) BEGIN: at most the used bytes from head, wrapping (two copies at most); advance head; return the count
    // SOLUTION(A4-pipes) STUB: return 0;
    uint8_t *d = dst;
    n = MIN(n, r->count);
    size_t first = MIN(n, PIPE_RING_SIZE - r->head);
    memcpy(d, r->data + r->head, first);
    memcpy(d + first, r->data, n - first);
    r->head = (r->head + n) % PIPE_RING_SIZE;
    r->count -= n;
    return n;
    // SOLUTION(A4-pipes) END
}
