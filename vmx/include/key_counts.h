/*
 * Counting by a 32-bit key over a whole run (I/O ports, CPUID leaves, MSR
 * indices for `vmstat -d`): a fixed open-addressing table, no allocation,
 * so it can sit on the exit path. A key that finds no free slot after
 * KEY_COUNTS_PROBES tries (or a full table) is counted in `other`, so
 * totals stay exact. Pure C; the caller serialises (one writer: the exit
 * path of a VM, interrupts off).
 */
#pragma once

#include "types.h"

#define KEY_COUNTS_SLOTS 128   /* power of two */
#define KEY_COUNTS_PROBES 16

struct key_counts {
    uint32_t key[KEY_COUNTS_SLOTS];
    uint64_t count[KEY_COUNTS_SLOTS];   /* 0 = slot free */
    uint64_t other;
};

/* Fibonacci hashing: the top bits of key * 2^32/phi spread neighbouring
   keys (ports 0x3F8..0x3FF, leaves 0..0xD) over the table. */
static inline unsigned key_counts_slot(uint32_t key) { return (key * 2654435769u) >> 25; }

/* Count n more of key. */
static inline void key_counts_add_n(struct key_counts *t, uint32_t key, uint64_t n)
{
    unsigned s = key_counts_slot(key);
    for (unsigned i = 0; i < KEY_COUNTS_PROBES; i++, s = (s + 1) & (KEY_COUNTS_SLOTS - 1)) {
        if (t->count[s] && t->key[s] != key)
            continue;
        t->key[s] = key;
        t->count[s] += n;
        return;
    }
    t->other += n;
}

static inline void key_counts_add(struct key_counts *t, uint32_t key) { key_counts_add_n(t, key, 1); }

/* dst += src (other included). */
void key_counts_merge(struct key_counts *dst, const struct key_counts *src);

/* The count of key (0 if never added or counted in other). */
uint64_t key_counts_get(const struct key_counts *t, uint32_t key);
/* Copy up to max (key, count) pairs, highest count first (ties: lower key
   first); returns how many were copied. */
size_t key_counts_top(const struct key_counts *t, uint32_t *keys, uint64_t *counts, size_t max);
