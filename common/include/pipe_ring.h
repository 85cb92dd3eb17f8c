/*
 * The byte ring buffer behind a pipe, pure core: a fixed array, the index
 * of the oldest byte and the number of bytes stored. Reads take the oldest
 * bytes first; writes append as much as fits. No locking and no waiting:
 * pipe.c holds the pipe's lock around every call and sleeps when the ring
 * is empty or full; the host unit tests drive this core directly.
 */
#pragma once

#include "types.h"

#define PIPE_RING_SIZE 4096      /* bytes a pipe holds; also the atomic-write limit */

struct pipe_ring {
    uint8_t data[PIPE_RING_SIZE];
    size_t head;                 /* index of the oldest byte */
    size_t count;                /* bytes stored */
};

void pipe_ring_init(struct pipe_ring *r);
/* Bytes that can be read now / written now. */
size_t pipe_ring_used(const struct pipe_ring *r);
size_t pipe_ring_space(const struct pipe_ring *r);
/* Append min(n, space) bytes from src; returns how many. */
size_t pipe_ring_write(struct pipe_ring *r, const void *src, size_t n);
/* Remove min(n, used) of the oldest bytes into dst; returns how many. */
size_t pipe_ring_read(struct pipe_ring *r, void *dst, size_t n);
