/* Unit tests for the text form of VM-exit breakpoints (vmx/exit_break_parse.c),
   shared by gdb's `monitor vmexit break` and the shell's `vm break`. Reason
   numbers are those of the SDM, Appendix C. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "exit_break.h"

static struct exit_break_spec parse_ok(const char *text)
{
    struct exit_break_spec b;
    char err[96] = "";
    int rc = exit_break_parse(text, &b, err, sizeof(err));
    if (rc != 0)
        fail_msg("'%s' refused: %s", text, err);
    return b;
}

static void expect_error(const char *text, const char *fragment)
{
    struct exit_break_spec b;
    char err[96] = "";
    assert_int_equal(exit_break_parse(text, &b, err, sizeof(err)), -22);
    if (!strstr(err, fragment))
        fail_msg("'%s': message '%s' lacks '%s'", text, err, fragment);
}

static void test_reason_names_numbers_any(void **state)
{
    (void)state;
    struct exit_break_spec b = parse_ok("CPUID");
    assert_int_equal(b.reason, 10);
    assert_int_equal(b.vm_id, 0);
    assert_int_equal(b.count, 1);
    assert_int_equal(b.filter, EXIT_FILTER_NONE);
    assert_int_equal(parse_ok("io_instruction").reason, 30);
    assert_int_equal(parse_ok("  EPT_VIOLATION  ").reason, 48);
    assert_int_equal(parse_ok("12").reason, 12);              /* HLT by number */
    assert_int_equal(parse_ok("0x1c").reason, 28);            /* CR_ACCESS */
    assert_int_equal(parse_ok("any").reason, EXIT_BREAK_ANY);
}

static void test_vm_count_and_filters(void **state)
{
    (void)state;
    struct exit_break_spec b = parse_ok("IO_INSTRUCTION vm 3 count 2 port=0x3f8");
    assert_int_equal(b.vm_id, 3);
    assert_int_equal(b.count, 2);
    assert_int_equal(b.filter, EXIT_FILTER_PORT);
    assert_int_equal(b.value, 0x3f8);
    b = parse_ok("MSR_READ vm=2 msr=0xC0000080");
    assert_int_equal(b.vm_id, 2);
    assert_int_equal(b.filter, EXIT_FILTER_MSR);
    assert_true(b.value == 0xC0000080u);
    b = parse_ok("CPUID leaf=1 count=1000");
    assert_int_equal(b.filter, EXIT_FILTER_LEAF);
    assert_int_equal(b.value, 1);
    assert_int_equal(b.count, 1000);
    assert_int_equal(parse_ok("EPT_VIOLATION gpa=0x8000").value, 0x8000);
}

static void test_errors_say_what(void **state)
{
    (void)state;
    expect_error("", "missing exit reason");
    expect_error("CPUIDX", "unknown exit reason 'CPUIDX'");
    expect_error("999", "unknown exit reason");
    expect_error("CPUID vm", "expected vm N");
    expect_error("CPUID vm x", "not a number: 'x'");
    expect_error("CPUID vm 0", "bad VM id");
    expect_error("CPUID count 0", "count must be 1 or more");
    expect_error("CPUID colour=3", "unknown filter 'colour'");
    expect_error("CPUID leaf=1 port=2", "only one filter");
    expect_error("CPUID leaf=", "expected");
    expect_error("CPUID leaf=0x", "not a number");
    expect_error("CPUID leaf=12345678901234567", "not a number");
}

static void test_format_round_trip(void **state)
{
    (void)state;
    char text[EXIT_BREAK_TEXT];
    struct exit_break_spec b = parse_ok("io_instruction vm 2 port=0xe9 count 3");
    exit_break_format(&b, text, sizeof(text));
    assert_string_equal(text, "IO_INSTRUCTION vm 2 port=0xe9 count 3");
    struct exit_break_spec again = parse_ok(text);
    assert_int_equal(again.reason, b.reason);
    assert_int_equal(again.vm_id, b.vm_id);
    assert_int_equal(again.filter, b.filter);
    assert_int_equal(again.value, b.value);
    assert_int_equal(again.count, b.count);
    b = parse_ok("any");
    exit_break_format(&b, text, sizeof(text));
    assert_string_equal(text, "any");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reason_names_numbers_any),
        cmocka_unit_test(test_vm_count_and_filters),
        cmocka_unit_test(test_errors_say_what),
        cmocka_unit_test(test_format_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
