/* Unit tests for the per-key counters behind `vmstat -d` (vmx/key_counts.c):
   exact counts for keys that share a home slot, the overflow into `other`
   once probing gives up, and the top-N order. */
#include "host_support.h"

#include "key_counts.h"

static void counts_and_collisions(void **state)
{
    (void)state;
    static struct key_counts t;
    for (int i = 0; i < 5; i++)
        key_counts_add(&t, 0x3F8);
    key_counts_add(&t, 0);          /* key 0 is a key like any other */
    key_counts_add(&t, 0x3FD);
    assert_int_equal(key_counts_get(&t, 0x3F8), 5);
    assert_int_equal(key_counts_get(&t, 0), 1);
    assert_int_equal(key_counts_get(&t, 0x3FD), 1);
    assert_int_equal(key_counts_get(&t, 0x3F9), 0);
    /* keys with the same home slot: find 40 of them and count each */
    uint32_t same[40];
    unsigned n = 0;
    for (uint32_t k = 1; n < 40; k++)
        if (key_counts_slot(k) == key_counts_slot(0x40000000u) && k != 0x40000000u)
            same[n++] = k;
    key_counts_add(&t, 0x40000000u);
    for (unsigned i = 0; i < 40; i++)
        key_counts_add(&t, same[i]);
    unsigned kept = 0;
    for (unsigned i = 0; i < 40; i++)
        kept += key_counts_get(&t, same[i]) == 1;
    /* the home slot and KEY_COUNTS_PROBES - 1 more take keys; neighbours of the
       earlier keys may already be taken, so at most 15 of the 40 fit */
    assert_true(kept <= KEY_COUNTS_PROBES - 1);
    assert_int_equal(kept + t.other, 40);
}

static void top_order(void **state)
{
    (void)state;
    static struct key_counts t;
    uint32_t keys[3];
    uint64_t counts[3];
    key_counts_add(&t, 7);
    for (int i = 0; i < 3; i++)
        key_counts_add(&t, 9);
    key_counts_add(&t, 2);
    key_counts_add(&t, 5);
    key_counts_add(&t, 5);
    assert_int_equal(key_counts_top(&t, keys, counts, 3), 3);
    assert_int_equal(keys[0], 9);
    assert_int_equal(counts[0], 3);
    assert_int_equal(keys[1], 5);
    assert_int_equal(keys[2], 2);   /* 2 and 7 tie at 1: the lower key first */
    assert_int_equal(counts[2], 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(counts_and_collisions), cmocka_unit_test(top_order)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
