/*
 * kprintf formatting (common/util/format.c) against literal expected
 * strings: every conversion, the l/ll/z modifiers, width (also '*'), zero
 * padding, left alignment, extreme values, NULL strings and pointers, and
 * ksnprintf's truncation and return value. Since the engine is shared with
 * libc, also what the kernel gained from that: precision, the + space #
 * flags, %o and the hh h j t modifiers.
 */
#include "host_support.h"

#include <limits.h>
#include <string.h>

#include "format.h"
#include "types.h"

/* Format into a large buffer; the output and the returned length must both
   match expected. */
#define CHECK(expected, ...)                                                 \
    do {                                                                     \
        char buf_[256];                                                      \
        memset(buf_, 'Z', sizeof buf_);                                      \
        int n_ = ksnprintf(buf_, sizeof buf_, __VA_ARGS__);                  \
        assert_string_equal(buf_, expected);                                 \
        assert_int_equal(n_, (int)strlen(expected));                         \
    } while (0)

static void test_signed_decimal(void **state)
{
    (void)state;
    CHECK("0", "%d", 0);
    CHECK("42", "%d", 42);
    CHECK("-42", "%d", -42);
    CHECK("7", "%i", 7);
    CHECK("-7", "%i", -7);
    CHECK("2147483647", "%d", INT_MAX);
    CHECK("-2147483648", "%d", INT_MIN);
    CHECK("-2147483648", "%i", INT_MIN);
}

static void test_unsigned_and_hex(void **state)
{
    (void)state;
    CHECK("0", "%u", 0u);
    CHECK("4294967295", "%u", UINT_MAX);
    CHECK("0", "%x", 0u);
    CHECK("deadbeef", "%x", 0xdeadbeefu);
    CHECK("DEADBEEF", "%X", 0xdeadbeefu);
    CHECK("ff", "%x", 255u);
    CHECK("FF", "%X", 255u);
    /* int conversions take 32 bits, whatever was passed */
    CHECK("ffffffff", "%x", -1);
}

static void test_long_modifiers(void **state)
{
    (void)state;
    CHECK("-9223372036854775808", "%ld", (long)INT64_MIN);
    CHECK("-9223372036854775808", "%lld", (long long)INT64_MIN);
    CHECK("9223372036854775807", "%lli", (long long)INT64_MAX);
    CHECK("18446744073709551615", "%lu", (unsigned long)UINT64_MAX);
    CHECK("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
    CHECK("ffffffffffffffff", "%lx", (unsigned long)UINT64_MAX);
    CHECK("FFFFFFFF80000000", "%llX", 0xFFFFFFFF80000000ull);
    CHECK("123456789012", "%ld", 123456789012L);
}

static void test_size_modifier(void **state)
{
    (void)state;
    CHECK("4096", "%zu", (size_t)4096);
    CHECK("1000", "%zx", (size_t)4096);
    CHECK("-1", "%zd", (ssize_t)-1);
    CHECK("18446744073709551615", "%zu", (size_t)-1);
}

static void test_pointer(void **state)
{
    (void)state;
    CHECK("0x1234", "%p", (void *)0x1234);
    CHECK("0xffffffff80100000", "%p", (void *)0xffffffff80100000ull);
    CHECK("0x0", "%p", (void *)0);
    CHECK("    0x1234", "%10p", (void *)0x1234);
    CHECK("0x1234    |", "%-10p|", (void *)0x1234);
}

static void test_strings_and_chars(void **state)
{
    (void)state;
    CHECK("abc", "%s", "abc");
    CHECK("", "%s", "");
    const char *volatile null_string = NULL;   /* hidden from gcc's format check */
    CHECK("(null)", "%s", null_string);
    CHECK("  abc", "%5s", "abc");
    CHECK("abc  |", "%-5s|", "abc");
    CHECK("abcdef", "%3s", "abcdef");
    CHECK("A", "%c", 'A');
    CHECK("  A", "%3c", 'A');
    CHECK("A  |", "%-3c|", 'A');
    CHECK("100%", "100%%");
    CHECK("%", "%%");
}

static void test_width_and_flags(void **state)
{
    (void)state;
    CHECK("   42", "%5d", 42);
    CHECK("42   |", "%-5d|", 42);
    CHECK("00042", "%05d", 42);
    CHECK("-0042", "%05d", -42);
    CHECK("  -42", "%5d", -42);
    CHECK("-42   |", "%-6d|", -42);
    CHECK("12345", "%2d", 12345);
    CHECK("0000beef", "%08x", 0xbeefu);
    CHECK("BEEF    |", "%-8X|", 0xbeefu);
    CHECK("000", "%03u", 0u);
    CHECK("0000000000000000", "%016lx", 0ul);
    CHECK("00000000deadbeef", "%016lx", 0xdeadbeeful);
    CHECK("    42", "%*d", 6, 42);
    CHECK("42    |", "%*d|", -6, 42);       /* negative '*' width = left align */
    CHECK("-00000000000000000009223372036854775808", "%039lld", (long long)INT64_MIN);
}

static void test_precision(void **state)
{
    (void)state;
    CHECK("[  042]", "[%5.3d]", 42);
    CHECK("[-042]", "[%.3d]", -42);
    CHECK("[]", "[%.0d]", 0);
    CHECK("[]", "[%.0x]", 0u);
    CHECK("[00ff]", "[%.4x]", 255u);
    CHECK("[  007]", "[%*.*d]", 5, 3, 7);
    CHECK("[7]", "[%.*d]", -1, 7);          /* negative '*' precision = none */
    CHECK("[ab]", "[%.2s]", "abcdef");
    CHECK("[abc]", "[%.*s]", 3, "abcdef");
    CHECK("[   ab]", "[%5.2s]", "abcdef");
    CHECK("[abc]", "[%.9s]", "abc");
}

static void test_sign_and_alternate_flags(void **state)
{
    (void)state;
    CHECK("[+42] [-42] [+0]", "[%+d] [%+d] [%+d]", 42, -42, 0);
    CHECK("[ 42] [-42]", "[% d] [% d]", 42, -42);
    CHECK("[  +42]", "[%+5d]", 42);
    CHECK("[+0042]", "[%+05d]", 42);
    CHECK("[0x1f] [0X1F] [0]", "[%#x] [%#X] [%#x]", 31u, 31u, 0u);
    CHECK("[0x00ff]", "[%#06x]", 255u);
    CHECK("[  0xff]", "[%#6x]", 255u);
    CHECK("[0xff  ]", "[%-#6x]", 255u);
}

static void test_octal(void **state)
{
    (void)state;
    CHECK("0 10 777", "%o %o %o", 0u, 8u, 0777u);
    CHECK("017 0", "%#o %#o", 15u, 0u);
    CHECK("1777777777777777777777", "%lo", (unsigned long)UINT64_MAX);
    CHECK("00017", "%05o", 15u);
}

static void test_short_and_fixed_modifiers(void **state)
{
    (void)state;
    CHECK("-1 255", "%hhd %hhu", 255, 255);
    CHECK("-128 7f", "%hhd %hhx", 128, 0x17f);
    CHECK("-1 65535", "%hd %hu", 65535, 65535);
    CHECK("-32768 ffff", "%hd %hx", 32768, 0x1ffff);
    CHECK("-5 77", "%jd %td", (intmax_t)-5, (ptrdiff_t)77);
    CHECK("18446744073709551615", "%ju", (uintmax_t)UINT64_MAX);
    CHECK("-9223372036854775808", "%jd", (intmax_t)INT64_MIN);
    CHECK("fffffffffffffffe", "%tx", (ptrdiff_t)-2);
}

static void test_mixed(void **state)
{
    (void)state;
    CHECK("pid 3: init [0x1000] 'x' 100%", "pid %u: %s [%p] '%c' %d%%", 3u, "init",
          (void *)0x1000, 'x', 100);
    CHECK("mem: 127 MiB usable, 32512 pages", "mem: %zu MiB usable, %lu pages", (size_t)127,
          32512ul);
}

/* Formats gcc would reject at compile time: built at run time instead. */
static void test_odd_formats(void **state)
{
    (void)state;
    char fmt[16];
    char buf[32];
    strcpy(fmt, "a%qb");                    /* unknown conversion: printed verbatim */
    assert_int_equal(ksnprintf(buf, sizeof buf, fmt, 1), 4);
    assert_string_equal(buf, "a%qb");
    strcpy(fmt, "abc%");                    /* lone '%' at the end */
    ksnprintf(buf, sizeof buf, fmt, 1);
    assert_string_equal(buf, "abc%");
    strcpy(fmt, "%05s");                    /* '0' does not pad strings with zeros */
    ksnprintf(buf, sizeof buf, fmt, "ab");
    assert_string_equal(buf, "   ab");
    strcpy(fmt, "%-05d|");                  /* '-' wins over '0' */
    ksnprintf(buf, sizeof buf, fmt, 42);
    assert_string_equal(buf, "42   |");
    strcpy(fmt, "%018p");                   /* zero padding goes after "0x" */
    ksnprintf(buf, sizeof buf, fmt, (void *)0x1234);
    assert_string_equal(buf, "0x0000000000001234");
    strcpy(fmt, "[%05.3d]");                /* precision disables '0' */
    ksnprintf(buf, sizeof buf, fmt, 42);
    assert_string_equal(buf, "[  042]");
    strcpy(fmt, "[%+ d]");                  /* '+' wins over ' ' */
    ksnprintf(buf, sizeof buf, fmt, 42);
    assert_string_equal(buf, "[+42]");
}

static void test_truncation(void **state)
{
    (void)state;
    char buf[16];
    memset(buf, 'Z', sizeof buf);
    assert_int_equal(ksnprintf(buf, 5, "hello world"), 11);
    assert_string_equal(buf, "hell");
    assert_int_equal(buf[5], 'Z');          /* nothing written past size */

    memset(buf, 'Z', sizeof buf);
    assert_int_equal(ksnprintf(buf, 6, "hello"), 5);   /* exact fit */
    assert_string_equal(buf, "hello");

    memset(buf, 'Z', sizeof buf);
    assert_int_equal(ksnprintf(buf, 4, "%d", 123456), 6);
    assert_string_equal(buf, "123");

    memset(buf, 'Z', sizeof buf);
    assert_int_equal(ksnprintf(buf, 1, "abc"), 3);
    assert_string_equal(buf, "");
    assert_int_equal(buf[1], 'Z');

    memset(buf, 'Z', sizeof buf);
    assert_int_equal(ksnprintf(buf, 0, "abc%d", 42), 5);
    assert_int_equal(buf[0], 'Z');          /* size 0: buffer untouched */

    assert_int_equal(ksnprintf(NULL, 0, "%s", "four"), 4);

    memset(buf, 'Z', sizeof buf);
    assert_int_equal(ksnprintf(buf, 8, "%-10s|", "ab"), 11);
    assert_string_equal(buf, "ab     ");
}

struct collect {
    char text[64];
    int len;
};

static void collect_sink(char c, void *ctx)
{
    struct collect *col = ctx;
    if (col->len < (int)sizeof col->text - 1)
        col->text[col->len++] = c;
    col->text[col->len] = '\0';
}

static int format_collect(struct collect *col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = format_v(collect_sink, col, fmt, ap);
    va_end(ap);
    return n;
}

static void test_format_v_sink(void **state)
{
    (void)state;
    struct collect col = {{0}, 0};
    assert_int_equal(format_collect(&col, "[%4x|%-3d]", 0xabu, -1), 10);
    assert_string_equal(col.text, "[  ab|-1 ]");
    assert_int_equal(col.len, 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signed_decimal),
        cmocka_unit_test(test_unsigned_and_hex),
        cmocka_unit_test(test_long_modifiers),
        cmocka_unit_test(test_size_modifier),
        cmocka_unit_test(test_pointer),
        cmocka_unit_test(test_strings_and_chars),
        cmocka_unit_test(test_width_and_flags),
        cmocka_unit_test(test_precision),
        cmocka_unit_test(test_sign_and_alternate_flags),
        cmocka_unit_test(test_octal),
        cmocka_unit_test(test_short_and_fixed_modifiers),
        cmocka_unit_test(test_mixed),
        cmocka_unit_test(test_odd_formats),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_format_v_sink),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
