/* Unit tests for the VM syscall argument checks (vmx/vm_args.c): every
   bad-argument case of docs/vm-api.md gives its own errno. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "vm_args.h"
#include "errno.h"

static void ranges(void **state)
{
    assert_int_equal(vm_args_check_range(0, 0x100000), 0);
    assert_int_equal(vm_args_check_range(0x8000, 0x1000), 0);
    assert_int_equal(vm_args_check_range(0x8001, 0x1000), -EINVAL);
    assert_int_equal(vm_args_check_range(0x8000, 0x1001), -EINVAL);
    assert_int_equal(vm_args_check_range(0x8000, 0), -EINVAL);
    assert_int_equal(vm_args_check_range((1ull << 32) - 0x20000, 0x20000), 0);   /* firmware below 4 GiB */
    assert_int_equal(vm_args_check_range((1ull << 32) - 0x1000, 0x2000), -ERANGE);
    assert_int_equal(vm_args_check_range(1ull << 32, 0x1000), -ERANGE);
    assert_int_equal(vm_args_check_range(0xfffffffffffff000ull, 0x2000), -ERANGE);
    assert_int_equal(vm_args_check_bytes(0x1003, 5, 1 << 20), 0);
    assert_int_equal(vm_args_check_bytes(0x1003, (1 << 20) + 1, 1 << 20), -E2BIG);
    assert_int_equal(vm_args_check_bytes((1ull << 32) - 2, 3, 1 << 20), -ERANGE);
    assert_int_equal(vm_args_check_bytes((1ull << 30) - 2, 3, 1 << 20), 0);
    assert_int_equal(vm_args_check_bytes(UINT64_MAX, 2, 1 << 20), -ERANGE);
}

static void rights(void **state)
{
    const uint64_t ok[] = {0, 1, 3, 5, 7, 4};
    const uint64_t bad[] = {2, 6, 8, 0x10, 0x101, UINT64_MAX};
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
        assert_int_equal(vm_args_check_rights(ok[i]), 0);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(vm_args_check_rights(bad[i]), -EACCES);
}

static void modes(void **state)
{
    assert_int_equal(vm_args_check_mode(1, 0x1000), 0);
    assert_int_equal(vm_args_check_mode(1, 0x10000), -EINVAL);
    assert_int_equal(vm_args_check_mode(2, 0xfffff000), 0);
    assert_int_equal(vm_args_check_mode(2, 0x100000000ull), -EINVAL);
    assert_int_equal(vm_args_check_mode(3, 0x10000), 0);
    assert_int_equal(vm_args_check_mode(3, 1ull << 30), -EINVAL);
    assert_int_equal(vm_args_check_mode(0, 0x1000), -EINVAL);
    assert_int_equal(vm_args_check_mode(4, 0x1000), 0);             /* reset: entry ignored */
    assert_int_equal(vm_args_check_mode(5, 0x1000200), 0);          /* linux64 */
    assert_int_equal(vm_args_check_mode(5, 0xFFFFF000ull), 0);
    assert_int_equal(vm_args_check_mode(5, 1ull << 32), -EINVAL);
    assert_int_equal(vm_args_check_mode(6, 0x1000), -EINVAL);
}

static void sorting(void **state)
{
    struct vm_exit_stat rows[4] = {
        {.reason = 12, .count = 1}, {.reason = 30, .count = 29},
        {.reason = 1, .count = 3}, {.reason = 10, .count = 3},
    };
    vm_args_sort_rows(rows, 4);
    assert_int_equal(rows[0].reason, 30);
    assert_int_equal(rows[1].reason, 1);
    assert_int_equal(rows[2].reason, 10);
    assert_int_equal(rows[3].reason, 12);
}

static void top_lists(void **state)
{
    struct vm_stat_top top[3];
    memset(top, 0, sizeof(top));
    vm_args_top_add(top, 3, 0xe9, 1);
    vm_args_top_add(top, 3, 0x80, 1);
    vm_args_top_add(top, 3, 0xe9, 5);
    vm_args_top_add(top, 3, 0x3f8, 2);
    vm_args_top_add(top, 3, 0x60, 1);   /* full: not more frequent than 0x80 */
    vm_args_top_add(top, 3, 0x61, 4);   /* replaces the least frequent (0x80) */
    vm_args_top_sort(top, 3);
    assert_int_equal(top[0].key, 0xe9);
    assert_int_equal(top[0].count, 6);
    assert_int_equal(top[1].key, 0x61);
    assert_int_equal(top[2].key, 0x3f8);
    char name[8];
    vm_args_copy_name(name, sizeof(name), "IO_INSTRUCTION");
    assert_string_equal(name, "IO_INST");
}

static void regions(void **state)
{
    static struct vm_region_set s, t;
    memset(&s, 0, sizeof(s));
    assert_int_equal(vm_regions_add(&s, 0x100000, 0x1000, 5), 0);
    assert_int_equal(vm_regions_add(&s, 0, 0x100000, 7), 0);
    assert_int_equal(s.r[0].gpa, 0);                   /* sorted */
    assert_true(vm_regions_overlap(&s, 0xff000, 0x2000));
    assert_false(vm_regions_overlap(&s, 0x101000, 0x1000));
    assert_true(vm_regions_cover(&s, 0xff000, 0x2000)); /* across two ranges */
    assert_false(vm_regions_cover(&s, 0x100000, 0x2000));
    assert_int_equal(vm_regions_low_end(&s), 0x101000);
    /* protect the middle of the first range: it splits into three */
    assert_int_equal(vm_regions_protect(&s, 0x8000, 0x1000, 1, &t), 0);
    assert_int_equal(t.n, 4);
    assert_int_equal(t.r[1].gpa, 0x8000);
    assert_int_equal(t.r[1].size, 0x1000);
    assert_int_equal(t.r[1].rights, 1);
    assert_int_equal(t.r[2].gpa, 0x9000);
    assert_int_equal(t.r[2].rights, 7);
    assert_int_equal(vm_regions_bytes(&t), 0x101000);
    /* remove a hole */
    assert_int_equal(vm_regions_remove(&t, 0x8000, 0x2000, &s), 0);
    assert_int_equal(s.n, 3);
    assert_int_equal(vm_regions_bytes(&s), 0xff000);
    assert_int_equal(vm_regions_low_end(&s), 0x8000);
    assert_false(vm_regions_cover(&s, 0x7000, 0x2000));
    /* giving the hole's neighbours' rights back merges the ranges */
    assert_int_equal(vm_regions_add(&s, 0x8000, 0x2000, 7), 0);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.r[0].size, 0x100000);
    /* a full set cannot split */
    memset(&s, 0, sizeof(s));
    for (int i = 0; i < VM_MAX_REGIONS; i++)
        assert_int_equal(vm_regions_add(&s, 0x10000ull * i, 0x3000, (unsigned)(i % 2) * 2 + 1), 0);
    assert_int_equal(s.n, VM_MAX_REGIONS);
    assert_int_equal(vm_regions_add(&s, 0x1000000, 0x1000, 7), -ENOSPC);
    assert_int_equal(vm_regions_protect(&s, 0x1000, 0x1000, 3, &t), -ENOSPC);
    assert_int_equal(vm_regions_protect(&s, 0, 0x3000, 3, &t), 0);
    /* ... but giving a piece the rights it has splits nothing */
    assert_int_equal(vm_regions_protect(&s, 0x1000, 0x1000, 1, &t), 0);
    assert_int_equal(t.n, VM_MAX_REGIONS);
    assert_int_equal(t.r[0].gpa, 0);
    assert_int_equal(t.r[0].size, 0x3000);
}

/* vm protect to other rights and back: vm info lists one range again,
   whatever order the pieces come back in (1 MiB rwx from 0 as `vm run`). */
static void regions_merge_back(void **state)
{
    static struct vm_region_set s, t;
    (void)state;
    memset(&s, 0, sizeof(s));
    assert_int_equal(vm_regions_add(&s, 0, 0x100000, 7), 0);
    for (uint64_t gpa = 0x1000; gpa < 0x5000; gpa += 0x1000) {   /* 4 pages r, one by one */
        assert_int_equal(vm_regions_protect(&s, gpa, 0x1000, 1, &t), 0);
        s = t;
    }
    assert_int_equal(s.n, 3);                    /* rwx, r (4 pages), rwx */
    assert_int_equal(s.r[1].gpa, 0x1000);
    assert_int_equal(s.r[1].size, 0x4000);
    assert_int_equal(s.r[1].rights, 1);
    assert_int_equal(vm_regions_protect(&s, 0x3000, 0x1000, 7, &t), 0);   /* the middle first */
    s = t;
    assert_int_equal(s.n, 5);
    assert_int_equal(vm_regions_protect(&s, 0x4000, 0x1000, 7, &t), 0);   /* joins both sides */
    s = t;
    assert_int_equal(s.n, 3);                    /* rwx, r (0x1000-0x3000), rwx */
    assert_int_equal(s.r[2].gpa, 0x3000);
    assert_int_equal(vm_regions_protect(&s, 0x1000, 0x2000, 7, &t), 0);   /* the rest */
    s = t;
    assert_int_equal(s.n, 1);
    assert_int_equal(s.r[0].gpa, 0);
    assert_int_equal(s.r[0].size, 0x100000);
    assert_int_equal(s.r[0].rights, 7);
    /* two maps that touch, with equal rights, are one range */
    assert_int_equal(vm_regions_add(&s, 0x100000, 0x1000, 7), 0);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.r[0].size, 0x101000);
    /* ... with other rights, two */
    assert_int_equal(vm_regions_add(&s, 0x101000, 0x1000, 5), 0);
    assert_int_equal(s.n, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ranges), cmocka_unit_test(rights), cmocka_unit_test(modes),
        cmocka_unit_test(sorting), cmocka_unit_test(top_lists), cmocka_unit_test(regions),
        cmocka_unit_test(regions_merge_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
