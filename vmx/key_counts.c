/* Reading the key counters (key_counts.h). Pure C. */
#include "key_counts.h"

uint64_t key_counts_get(const struct key_counts *t, uint32_t key)
{
    unsigned s = key_counts_slot(key);
    for (unsigned i = 0; i < KEY_COUNTS_PROBES; i++, s = (s + 1) & (KEY_COUNTS_SLOTS - 1))
        if (t->count[s] && t->key[s] == key)
            return t->count[s];
    return 0;
}

void key_counts_merge(struct key_counts *dst, const struct key_counts *src)
{
    for (unsigned s = 0; s < KEY_COUNTS_SLOTS; s++)
        if (src->count[s])
            key_counts_add_n(dst, src->key[s], src->count[s]);
    dst->other += src->other;
}

/* a ranks before b: more counts, or as many and a lower key. */
static bool before(uint64_t ca, uint32_t ka, uint64_t cb, uint32_t kb) { return ca > cb || (ca == cb && ka < kb); }

size_t key_counts_top(const struct key_counts *t, uint32_t *keys, uint64_t *counts, size_t max)
{
    size_t n = 0;
    for (unsigned s = 0; s < KEY_COUNTS_SLOTS; s++) {
        if (!t->count[s])
            continue;
        size_t i = n < max ? n++ : max;   /* insertion into the sorted prefix */
        while (i > 0 && before(t->count[s], t->key[s], counts[i - 1], keys[i - 1])) {
            if (i < max) {
                keys[i] = keys[i - 1];
                counts[i] = counts[i - 1];
            }
            i--;
        }
        if (i < max) {
            keys[i] = t->key[s];
            counts[i] = t->count[s];
        }
    }
    return n;
}
