/* Unit tests for the shell's command-line parser
   (userspace/programs/shell/parse.c): words and quoting, pipelines,
   redirections, background, and every syntax error, each case written
   out by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "parse.h"

static char words[512];
static struct pipeline pl;

static int parse(const char *line, const char **error)
{
    return shell_parse(line, words, sizeof(words), &pl, error);
}

static void assert_argv(const struct stage *st, const char *const *want)
{
    int n = 0;
    for (; want[n]; n++)
        assert_string_equal(st->argv[n], want[n]);
    assert_int_equal(st->argc, n);
    assert_null(st->argv[n]);
}

static void test_words_and_quotes(void **state)
{
    (void)state;
    const char *err;
    assert_int_equal(parse("  echo  one \"two three\" 'a|b' x\\>y  ", &err), 0);
    assert_int_equal(pl.nstages, 1);
    assert_argv(&pl.stages[0], (const char *const[]){ "echo", "one", "two three", "a|b", "x>y", NULL });
    assert_null(pl.stages[0].in);
    assert_null(pl.stages[0].out);
    assert_int_equal(pl.background, 0);
}

static void test_empty_line(void **state)
{
    (void)state;
    const char *err;
    assert_int_equal(parse("", &err), 0);
    assert_int_equal(pl.nstages, 0);
    assert_int_equal(parse("   \t ", &err), 0);
    assert_int_equal(pl.nstages, 0);
}

static void test_pipeline_of_three(void **state)
{
    (void)state;
    const char *err;
    assert_int_equal(parse("cat /README.txt | grep SWEB|wc -l", &err), 0);
    assert_int_equal(pl.nstages, 3);
    assert_argv(&pl.stages[0], (const char *const[]){ "cat", "/README.txt", NULL });
    assert_argv(&pl.stages[1], (const char *const[]){ "grep", "SWEB", NULL });
    assert_argv(&pl.stages[2], (const char *const[]){ "wc", "-l", NULL });
}

static void test_redirections(void **state)
{
    (void)state;
    const char *err;
    assert_int_equal(parse("sort < in.txt > out.txt", &err), 0);
    assert_string_equal(pl.stages[0].in, "in.txt");
    assert_string_equal(pl.stages[0].out, "out.txt");
    assert_int_equal(pl.stages[0].append, 0);
    assert_argv(&pl.stages[0], (const char *const[]){ "sort", NULL });
    assert_int_equal(parse(">>log echo hi", &err), 0);   /* anywhere in the stage */
    assert_string_equal(pl.stages[0].out, "log");
    assert_int_equal(pl.stages[0].append, 1);
    assert_argv(&pl.stages[0], (const char *const[]){ "echo", "hi", NULL });
    assert_int_equal(parse("a <x | b >y", &err), 0);
    assert_string_equal(pl.stages[0].in, "x");
    assert_null(pl.stages[0].out);
    assert_null(pl.stages[1].in);
    assert_string_equal(pl.stages[1].out, "y");
}

static void test_background(void **state)
{
    (void)state;
    const char *err;
    assert_int_equal(parse("sleep 300 &", &err), 0);
    assert_int_equal(pl.background, 1);
    assert_argv(&pl.stages[0], (const char *const[]){ "sleep", "300", NULL });
    assert_int_equal(parse("sleep 300&", &err), 0);
    assert_int_equal(pl.background, 1);
    assert_argv(&pl.stages[0], (const char *const[]){ "sleep", "300", NULL });
    assert_int_equal(parse("a | b &", &err), 0);
    assert_int_equal(pl.nstages, 2);
    assert_int_equal(pl.background, 1);
}

static void test_syntax_errors(void **state)
{
    (void)state;
    static const struct { const char *line, *error; } cases[] = {
        { "| wc", "syntax error near '|'" },
        { "ls |", "syntax error near '|'" },
        { "a || b", "syntax error near '|'" },
        { "echo >", "missing file name after '>'" },
        { "echo >> | x", "missing file name after '>>'" },
        { "cat <", "missing file name after '<'" },
        { "a & b", "'&' must end the line" },
        { "&", "missing command" },
        { "> out", "missing command" },
        { "a|b|c|d|e|f|g|h|i", "too many commands in one pipeline" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *err = NULL;
        if (parse(cases[i].line, &err) != -1 || !err || strcmp(err, cases[i].error) != 0)
            fail_msg("\"%s\": got \"%s\", expected \"%s\"", cases[i].line, err ? err : "(none)",
                     cases[i].error);
    }
}

static void test_limits(void **state)
{
    (void)state;
    const char *err;
    char line[200] = "x";
    for (int i = 1; i < PARSE_ARGS_MAX - 1; i++)
        strcat(line, " a");                      /* 31 words: the most that fit */
    assert_int_equal(parse(line, &err), 0);
    assert_int_equal(pl.stages[0].argc, PARSE_ARGS_MAX - 1);
    strcat(line, " b");
    assert_int_equal(parse(line, &err), -1);
    assert_string_equal(err, "too many arguments");
    assert_int_equal(parse("a|b|c|d|e|f|g|h", &err), 0);   /* 8 stages */
    assert_int_equal(pl.nstages, PARSE_STAGES_MAX);
    char small[4];
    assert_int_equal(shell_parse("abcdef", small, sizeof(small), &pl, &err), -1);
    assert_string_equal(err, "line too long");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words_and_quotes),
        cmocka_unit_test(test_empty_line),
        cmocka_unit_test(test_pipeline_of_three),
        cmocka_unit_test(test_redirections),
        cmocka_unit_test(test_background),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
