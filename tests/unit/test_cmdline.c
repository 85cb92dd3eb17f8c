/* Unit tests for the kernel command-line parser (common/kernel/cmdline.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cmdline.h"

static void test_key_value_and_bare_keys(void **state)
{
    (void)state;
    cmdline_init("selftest=heap quiet  loglevel=3\tdebug=");
    assert_string_equal(cmdline_get("selftest"), "heap");
    assert_string_equal(cmdline_get("quiet"), "");
    assert_string_equal(cmdline_get("loglevel"), "3");
    assert_string_equal(cmdline_get("debug"), "");
    assert_null(cmdline_get("missing"));
    assert_null(cmdline_get("selftes"));   /* no prefix matches */
    assert_true(cmdline_has("quiet"));
    assert_false(cmdline_has("loud"));
    assert_string_equal(cmdline_raw(), "selftest=heap quiet  loglevel=3\tdebug=");
}

static void test_later_word_wins(void **state)
{
    (void)state;
    cmdline_init("a=1 b a=2 b=x");
    assert_string_equal(cmdline_get("a"), "2");
    assert_string_equal(cmdline_get("b"), "x");
}

static void test_value_may_contain_equals_and_empty_key_ignored(void **state)
{
    (void)state;
    cmdline_init("=lost opt=a=b  ");
    assert_string_equal(cmdline_get("opt"), "a=b");
    assert_null(cmdline_get(""));
    assert_null(cmdline_get("lost"));
}

static void test_empty_and_null(void **state)
{
    (void)state;
    cmdline_init(NULL);
    assert_string_equal(cmdline_raw(), "");
    assert_null(cmdline_get("a"));
    cmdline_init("     ");
    assert_null(cmdline_get("a"));
    cmdline_init("x=1");
    cmdline_init("");   /* re-init forgets the old words */
    assert_null(cmdline_get("x"));
}

static void test_numbers(void **state)
{
    (void)state;
    cmdline_init("d=42 h=0x1F H=0XfF z=0 big=18446744073709551615 over=18446744073709551616 "
                 "bad=12x hx=0x nohex=0xg neg=-1 bare");
    assert_int_equal(cmdline_get_u64("d", 7), 42);
    assert_int_equal(cmdline_get_u64("h", 7), 31);
    assert_int_equal(cmdline_get_u64("H", 7), 255);
    assert_int_equal(cmdline_get_u64("z", 7), 0);
    assert_true(cmdline_get_u64("big", 7) == 18446744073709551615ull);
    assert_int_equal(cmdline_get_u64("over", 7), 7);
    assert_int_equal(cmdline_get_u64("bad", 7), 7);
    assert_int_equal(cmdline_get_u64("hx", 7), 7);
    assert_int_equal(cmdline_get_u64("nohex", 7), 7);
    assert_int_equal(cmdline_get_u64("neg", 7), 7);
    assert_int_equal(cmdline_get_u64("bare", 7), 7);
    assert_int_equal(cmdline_get_u64("absent", 9), 9);
}

static void test_overlong_input_is_cut_and_cut_word_dropped(void **state)
{
    (void)state;
    char buf[1200];
    memset(buf, 'x', sizeof(buf));
    memcpy(buf, "first=1 long=", 13);
    buf[sizeof(buf) - 1] = '\0';
    cmdline_init(buf);
    assert_int_equal(strlen(cmdline_raw()), CMDLINE_MAX - 1);
    assert_string_equal(cmdline_get("first"), "1");
    assert_null(cmdline_get("long"));   /* its value was cut: not trusted */

    /* a cut that falls exactly on a space keeps the last word */
    memset(buf, ' ', sizeof(buf));
    memcpy(buf + CMDLINE_MAX - 1 - 4, "ok=1", 4);
    memcpy(buf + CMDLINE_MAX, "after=2", 7);
    buf[CMDLINE_MAX + 7] = '\0';
    cmdline_init(buf);
    assert_string_equal(cmdline_get("ok"), "1");
    assert_null(cmdline_get("after"));
}

static void test_too_many_words(void **state)
{
    (void)state;
    char buf[CMDLINE_MAX];
    size_t len = 0;
    for (int i = 0; i < CMDLINE_MAX_WORDS + 8; i++)
        len += (size_t)snprintf(buf + len, sizeof(buf) - len, "w%d=%d ", i, i);
    cmdline_init(buf);
    assert_string_equal(cmdline_get("w0"), "0");
    assert_string_equal(cmdline_get("w31"), "31");   /* the 32nd word, the last kept */
    assert_null(cmdline_get("w32"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_value_and_bare_keys),
        cmocka_unit_test(test_later_word_wins),
        cmocka_unit_test(test_value_may_contain_equals_and_empty_key_ignored),
        cmocka_unit_test(test_empty_and_null),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_overlong_input_is_cut_and_cut_word_dropped),
        cmocka_unit_test(test_too_many_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
