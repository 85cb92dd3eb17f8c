/*
 * The userspace libc's printf engine (common/util/format.c, shared with
 * the kernel) through its snprintf/vsnprintf (snprintf.c), against literal
 * expected strings:
 * every conversion, flags, width and precision (also '*'), length
 * modifiers, extreme values, truncation and the return value. snprintf.c
 * is included under ulibc_ names so it does not clash with the host C
 * library; the engine is linked in (tests/unit/CMakeLists.txt).
 */
#include "host_support.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#define vsnprintf ulibc_vsnprintf
#define snprintf ulibc_snprintf
#define sprintf ulibc_sprintf
#include "../../userspace/libc/src/snprintf.c"
#undef vsnprintf
#undef snprintf
#undef sprintf

/* Output and return value must both match expected. */
#define CHECK(expected, ...)                                                 \
    do {                                                                     \
        char buf_[256];                                                      \
        memset(buf_, 'Z', sizeof buf_);                                      \
        int n_ = ulibc_snprintf(buf_, sizeof buf_, __VA_ARGS__);             \
        assert_string_equal(buf_, expected);                                 \
        assert_int_equal(n_, (int)strlen(expected));                         \
    } while (0)

static void test_integers(void **state)
{
    (void)state;
    CHECK("0 42 -42 7", "%d %d %i %i", 0, 42, -42, 7);
    CHECK("2147483647 -2147483648", "%d %d", INT_MAX, INT_MIN);
    CHECK("4294967295", "%u", UINT_MAX);
    CHECK("ff FF 777", "%x %X %o", 255, 255, 0777);
    CHECK("-9223372036854775808", "%lld", LLONG_MIN);
    CHECK("18446744073709551615", "%llu", ULLONG_MAX);
    CHECK("ffffffffffffffff", "%lx", ULONG_MAX);
    CHECK("12345678901", "%zu", (size_t)12345678901ULL);
    CHECK("-1 255 -1 65535", "%hhd %hhu %hd %hu", 255, 255, 65535, 65535);
    CHECK("-5 77", "%jd %td", (intmax_t)-5, (ptrdiff_t)77);
}

static void test_flags_width_precision(void **state)
{
    (void)state;
    CHECK("[   42]", "[%5d]", 42);
    CHECK("[42   ]", "[%-5d]", 42);
    CHECK("[00042]", "[%05d]", 42);
    CHECK("[-0042]", "[%05d]", -42);
    CHECK("[+42] [ 42]", "[%+d] [% d]", 42, 42);
    CHECK("[  042]", "[%5.3d]", 42);
    CHECK("[  042]", "[%05.3d]", 42);        /* precision disables '0' */
    CHECK("[]", "[%.0d]", 0);
    CHECK("[0x1f] [0X1F] [017] [0]", "[%#x] [%#X] [%#o] [%#x]", 31, 31, 15, 0);
    CHECK("[0x00ff]", "[%#06x]", 255);
    CHECK("[    7]", "[%*d]", 5, 7);
    CHECK("[7    ]", "[%*d]", -5, 7);
    CHECK("[  007]", "[%*.*d]", 5, 3, 7);
}

static void test_strings_chars_pointers(void **state)
{
    (void)state;
    CHECK("hello", "%s", "hello");
    CHECK("[  abc] [abc  ]", "[%5s] [%-5s]", "abc", "abc");
    CHECK("[ab]", "[%.2s]", "abcdef");
    CHECK("[abc]", "[%.*s]", 3, "abcdef");
    CHECK("(null)", "%s", (char *)NULL);
    CHECK("x [  y]", "%c [%3c]", 'x', 'y');
    CHECK("0x1234", "%p", (void *)0x1234);
    CHECK("0xffffffff80000000", "%p", (void *)0xffffffff80000000UL);
    CHECK("0x0", "%p", (void *)0);             /* the kernel's form, also for NULL */
    CHECK("100%", "100%%");
    CHECK("%q", "%q");                         /* unknown: printed as is */
}

static void test_truncation_and_return(void **state)
{
    (void)state;
    char buf[8];
    memset(buf, 'Z', sizeof buf);
    assert_int_equal(ulibc_snprintf(buf, sizeof buf, "%s", "0123456789"), 10);
    assert_string_equal(buf, "0123456");
    memset(buf, 'Z', sizeof buf);
    assert_int_equal(ulibc_snprintf(buf, 1, "abc"), 3);
    assert_int_equal(buf[0], '\0');
    assert_int_equal(buf[1], 'Z');
    assert_int_equal(ulibc_snprintf(NULL, 0, "%d", 12345), 5);
    assert_int_equal(ulibc_sprintf(buf, "%d-%d", 1, 2), 3);
    assert_string_equal(buf, "1-2");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_flags_width_precision),
        cmocka_unit_test(test_strings_chars_pointers),
        cmocka_unit_test(test_truncation_and_return),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
