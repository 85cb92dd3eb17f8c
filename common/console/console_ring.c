/*
 * console_ring.c: the output ring of console_ring.h. Positions are byte
 * counts since boot (64 bits never wrap); a position's slot is its value
 * modulo the size.
 */
#include "console_ring.h"
#include "kstring.h"

#define MASK (CONSOLE_RING_SIZE - 1)
_Static_assert((CONSOLE_RING_SIZE & MASK) == 0, "console ring size is a power of two");

void console_ring_init(struct console_ring *r)
{
    r->head = 0;
    for (int i = 0; i < CONSOLE_READERS; i++)
        r->tail[i] = 0;
}

/* The position of the reader furthest behind. */
static uint64_t slowest_tail(const struct console_ring *r)
{
    uint64_t t = r->tail[0];
    for (int i = 1; i < CONSOLE_READERS; i++)
        t = MIN(t, r->tail[i]);
    return t;
}

size_t console_ring_space(const struct console_ring *r)
{
    return CONSOLE_RING_SIZE - (size_t)(r->head - slowest_tail(r));
}

bool console_ring_put(struct console_ring *r, const char *s, size_t n)
{
    if (n > console_ring_space(r))
        return false;
    size_t at = (size_t)(r->head & MASK), first = MIN(n, CONSOLE_RING_SIZE - at);
    memcpy(r->buf + at, s, first);
    memcpy(r->buf, s + first, n - first);
    r->head += n;
    return true;
}

size_t console_ring_pending(const struct console_ring *r, enum console_reader reader)
{
    return (size_t)(r->head - r->tail[reader]);
}

size_t console_ring_peek(const struct console_ring *r, enum console_reader reader, const char **p)
{
    size_t at = (size_t)(r->tail[reader] & MASK);
    *p = r->buf + at;
    return MIN(console_ring_pending(r, reader), CONSOLE_RING_SIZE - at);
}

void console_ring_consume(struct console_ring *r, enum console_reader reader, size_t n)
{
    r->tail[reader] += MIN(n, console_ring_pending(r, reader));
}
