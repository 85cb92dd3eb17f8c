/* Unit tests for the exception name table and error-code decoding
   (arch/x86_64/exception_names.c), against SDM Vol. 3A Table 6-1 and
   Figure 4-12 / 6-6. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "exceptions.h"

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(exception_name(0), "#DE divide error");
    assert_string_equal(exception_name(6), "#UD invalid opcode");
    assert_string_equal(exception_name(8), "#DF double fault");
    assert_string_equal(exception_name(13), "#GP general protection");
    assert_string_equal(exception_name(14), "#PF page fault");
    assert_string_equal(exception_name(18), "#MC machine check");
    assert_string_equal(exception_name(32), "(not an exception)");
    for (unsigned v = 0; v < 32; v++)
        assert_non_null(exception_name(v));
}

static void test_error_code_vectors(void **state)
{
    (void)state;
    const unsigned with[] = {8, 10, 11, 12, 13, 14, 17, 21, 29, 30};
    unsigned count = 0;
    for (unsigned v = 0; v < 32; v++)
        count += exception_has_error_code(v);
    assert_int_equal(count, sizeof(with) / sizeof(with[0]));
    for (size_t i = 0; i < sizeof(with) / sizeof(with[0]); i++)
        assert_true(exception_has_error_code(with[i]));
}

static void test_page_fault_decoding(void **state)
{
    (void)state;
    char buf[64];
    exception_describe_error(14, 0x2, buf, sizeof(buf));
    assert_string_equal(buf, "not-present write kernel");
    exception_describe_error(14, 0x7, buf, sizeof(buf));
    assert_string_equal(buf, "protection write user");
    exception_describe_error(14, 0x15, buf, sizeof(buf));
    assert_string_equal(buf, "protection fetch user");
    exception_describe_error(14, 0x9, buf, sizeof(buf));
    assert_string_equal(buf, "protection read kernel reserved-bit");
}

static void test_selector_decoding(void **state)
{
    (void)state;
    char buf[64];
    exception_describe_error(13, 0x0, buf, sizeof(buf));
    assert_string_equal(buf, "");
    exception_describe_error(13, 0x402, buf, sizeof(buf));   /* IDT vector 0x80 */
    assert_string_equal(buf, "IDT vector 0x80");
    exception_describe_error(11, 0x29, buf, sizeof(buf));    /* GDT 0x28, external */
    assert_string_equal(buf, "GDT selector 0x28 (external)");
    exception_describe_error(13, 0x1C, buf, sizeof(buf));
    assert_string_equal(buf, "LDT selector 0x18");
    exception_describe_error(14, 0x2, buf, 8);                 /* truncated, terminated */
    assert_int_equal(strlen(buf), 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_error_code_vectors),
        cmocka_unit_test(test_page_fault_decoding),
        cmocka_unit_test(test_selector_decoding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
