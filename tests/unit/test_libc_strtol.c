/*
 * The userspace libc's number parsing (userspace/libc/src/strtol.c):
 * bases, prefixes, signs, end pointers, saturation with ERANGE. Included
 * under ulibc_ names (errno too) so nothing clashes with the host C library.
 */
#include "host_support.h"

#include <limits.h>
#include <stdlib.h>

static int ulibc_errno;
#define errno ulibc_errno
#define strtol ulibc_strtol
#define strtoul ulibc_strtoul
#define strtoll ulibc_strtoll
#define strtoull ulibc_strtoull
#define atoi ulibc_atoi
#define atol ulibc_atol
#define abs ulibc_abs
#define labs ulibc_labs
#include "../../userspace/libc/src/strtol.c"

static void test_decimal(void **state)
{
    (void)state;
    char *end;
    assert_int_equal(strtol("0", &end, 10), 0);
    assert_int_equal(strtol("  -123xyz", &end, 10), -123);
    assert_string_equal(end, "xyz");
    assert_int_equal(strtol("+77", NULL, 10), 77);
    assert_int_equal(atoi("42"), 42);
    assert_int_equal(atoi("-2147483648"), INT_MIN);
    assert_int_equal(atoi("99999999999"), INT_MAX);    /* clamped */
    assert_int_equal(atol("-9"), -9);
    assert_int_equal(abs(-3), 3);
    assert_int_equal(labs(-4L), 4);
}

static void test_bases_and_prefixes(void **state)
{
    (void)state;
    char *end;
    assert_int_equal(strtol("0x1f", NULL, 0), 31);
    assert_int_equal(strtol("0X1F", NULL, 16), 31);
    assert_int_equal(strtol("1f", NULL, 16), 31);
    assert_int_equal(strtol("017", NULL, 0), 15);
    assert_int_equal(strtol("101", NULL, 2), 5);
    assert_int_equal(strtol("zz", NULL, 36), 1295);
    assert_int_equal(strtol("0x", &end, 0), 0);        /* "0" then 'x' */
    assert_string_equal(end, "x");
    assert_int_equal(strtol("0xg", &end, 16), 0);
    assert_string_equal(end, "xg");
    assert_int_equal(strtoul("ffffffffffffffff", NULL, 16), ULONG_MAX);
}

static void test_no_digits(void **state)
{
    (void)state;
    const char *s = "  +abc";
    char *end;
    assert_int_equal(strtol(s, &end, 10), 0);
    assert_ptr_equal(end, s);
    ulibc_errno = 0;
    assert_int_equal(strtol("12", &end, 1), 0);        /* invalid base */
    assert_int_equal(ulibc_errno, EINVAL);
}

static void test_overflow(void **state)
{
    (void)state;
    char *end;
    ulibc_errno = 0;
    assert_true(strtol("9223372036854775807", NULL, 10) == LONG_MAX);
    assert_int_equal(ulibc_errno, 0);
    assert_true(strtol("-9223372036854775808", NULL, 10) == LONG_MIN);
    assert_int_equal(ulibc_errno, 0);
    assert_true(strtol("9223372036854775808", NULL, 10) == LONG_MAX);
    assert_int_equal(ulibc_errno, ERANGE);
    ulibc_errno = 0;
    assert_true(strtol("-9223372036854775809", &end, 10) == LONG_MIN);
    assert_int_equal(ulibc_errno, ERANGE);
    assert_string_equal(end, "");
    ulibc_errno = 0;
    assert_true(strtoull("18446744073709551616", NULL, 10) == ULLONG_MAX);
    assert_int_equal(ulibc_errno, ERANGE);
    ulibc_errno = 0;
    assert_true(strtoull("18446744073709551615", NULL, 10) == ULLONG_MAX);
    assert_int_equal(ulibc_errno, 0);
    assert_true(strtoull("-1", NULL, 10) == ULLONG_MAX);   /* C: negated */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decimal),
        cmocka_unit_test(test_bases_and_prefixes),
        cmocka_unit_test(test_no_digits),
        cmocka_unit_test(test_overflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
