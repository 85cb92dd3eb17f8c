/*
 * Pipes: a one-way byte channel between two open files, a read end and a
 * write end, usually inherited across fork. Reading an empty pipe blocks
 * until data arrives, or returns 0 (end of file) once no write end is
 * open; writing to a pipe whose read ends are all closed fails with
 * -EPIPE; a write of up to PIPE_RING_SIZE bytes is never interleaved with
 * another writer's. Both waits are killable (-EINTR). Thread context.
 */
#pragma once

#include "types.h"

struct file;

/* A new pipe: *rd and *wr are open files (one reference each) on its read
   and write end. 0 or -ENOMEM. */
int pipe_create(struct file **rd, struct file **wr);
