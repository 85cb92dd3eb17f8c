/*
 * The console's output ring: one writer side, several readers (COM1, VGA),
 * each with its own read position. Bytes stay until every reader has taken
 * them, so the space left is bounded by the slowest reader. Pure code: the
 * caller serialises (console.c holds its lock); host unit-tested.
 */
#pragma once

#include "types.h"

#define CONSOLE_RING_SIZE 65536u   /* power of two */

enum console_reader { CONSOLE_READER_SERIAL, CONSOLE_READER_VGA, CONSOLE_READERS };

struct console_ring {
    char buf[CONSOLE_RING_SIZE];
    uint64_t head;                      /* bytes ever written */
    uint64_t tail[CONSOLE_READERS];     /* bytes each reader has taken */
};

/* Empty ring, every reader caught up. */
void console_ring_init(struct console_ring *r);
/* Bytes that can be written before the slowest reader must catch up. */
size_t console_ring_space(const struct console_ring *r);
/* Append all n bytes of s if they fit (true), else nothing (false). */
bool console_ring_put(struct console_ring *r, const char *s, size_t n);
/* Bytes written that reader has not taken yet. */
size_t console_ring_pending(const struct console_ring *r, enum console_reader reader);
/* The oldest bytes reader has not taken, as one contiguous run: *p points
   at them, the return value says how many (0: none pending). */
size_t console_ring_peek(const struct console_ring *r, enum console_reader reader, const char **p);
/* reader has taken n more bytes (n <= its pending count). */
void console_ring_consume(struct console_ring *r, enum console_reader reader, size_t n);
