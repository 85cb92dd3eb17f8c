/* Unit tests for path canonicalisation (common/fs/path.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "path.h"
#include "errno.h"
#include "abi.h"

struct norm_case {
    const char *cwd;
    const char *in;
    int err;
    const char *out;
};

static const struct norm_case norm_cases[] = {
    {NULL, "/", 0, "/"},
    {NULL, "/bin/ls", 0, "/bin/ls"},
    {NULL, "//bin///ls//", 0, "/bin/ls"},
    {NULL, "/./bin/./ls/.", 0, "/bin/ls"},
    {NULL, "/bin/../tmp/x", 0, "/tmp/x"},
    {NULL, "/..", 0, "/"},
    {NULL, "/../../..", 0, "/"},
    {NULL, "/a/b/c/../../d", 0, "/a/d"},
    {NULL, "/a/..b/c", 0, "/a/..b/c"},
    {NULL, "/a/.b", 0, "/a/.b"},
    {NULL, "/a/...", 0, "/a/..."},
    {NULL, "bin/ls", 0, "/bin/ls"},
    {"/tmp", "x", 0, "/tmp/x"},
    {"/tmp", "../bin/sh", 0, "/bin/sh"},
    {"/tmp/a", "./../b/", 0, "/tmp/b"},
    {"/tmp", "/abs", 0, "/abs"},
    {"/", ".", 0, "/"},
    /* relative to a working directory (chdir, then any path-taking call) */
    {"/tmp/work", "../..", 0, "/"},
    {"/tmp/work", "../../../..", 0, "/"},
    {"/a/b", "c/../d/./e", 0, "/a/b/d/e"},
    {"/a/b", ".", 0, "/a/b"},
    {"/a", "b/", 0, "/a/b"},
    {"/a", "./b//c", 0, "/a/b/c"},
    {"/bin", "../tmp/../bin/ls", 0, "/bin/ls"},
    {"/tmp", "", -ENOENT, NULL},
    {NULL, "", -ENOENT, NULL},
};

static void test_normalize_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(norm_cases) / sizeof(norm_cases[0]); i++) {
        const struct norm_case *c = &norm_cases[i];
        char out[PATH_MAX];
        int err = path_normalize(c->cwd, c->in, out, sizeof(out));
        if (err != c->err || (c->out && strcmp(out, c->out) != 0))
            fail_msg("case %zu: \"%s\" (cwd %s) gave %d \"%s\", expected %d \"%s\"", i, c->in,
                     c->cwd ? c->cwd : "-", err, err ? "" : out, c->err, c->out ? c->out : "");
    }
}

static void test_null_arguments(void **state)
{
    (void)state;
    char out[PATH_MAX];
    assert_int_equal(path_normalize(NULL, NULL, out, sizeof(out)), -EINVAL);
    assert_int_equal(path_normalize(NULL, "/", NULL, 10), -EINVAL);
    assert_int_equal(path_normalize(NULL, "/", out, 1), -EINVAL);
}

static void test_component_length(void **state)
{
    (void)state;
    char in[PATH_MAX], out[PATH_MAX];
    /* 63 bytes: the longest name a struct dirent can hold */
    in[0] = '/';
    memset(in + 1, 'n', 63);
    in[64] = '\0';
    assert_int_equal(path_normalize(NULL, in, out, sizeof(out)), 0);
    assert_int_equal(strlen(out), 64);
    /* 64 bytes is one too many */
    memset(in + 1, 'n', 64);
    in[65] = '\0';
    assert_int_equal(path_normalize(NULL, in, out, sizeof(out)), -ENAMETOOLONG);
}

static void test_total_length(void **state)
{
    (void)state;
    char in[PATH_MAX + 8], out[PATH_MAX];
    /* input of exactly PATH_MAX bytes (no room for the NUL) is refused */
    memset(in, '/', PATH_MAX);
    in[PATH_MAX] = '\0';
    assert_int_equal(path_normalize(NULL, in, out, sizeof(out)), -ENAMETOOLONG);
    /* 255 slashes collapse to "/" */
    in[PATH_MAX - 1] = '\0';
    assert_int_equal(path_normalize(NULL, in, out, sizeof(out)), 0);
    assert_string_equal(out, "/");
    /* a result that would not fit the output buffer */
    assert_int_equal(path_normalize(NULL, "/abcdef", out, 6), -ENAMETOOLONG);
    assert_int_equal(path_normalize(NULL, "/abcd", out, 6), 0);
    assert_string_equal(out, "/abcd");
    /* a long cwd plus a relative path that overflows */
    char cwd[PATH_MAX];
    cwd[0] = '\0';
    for (int i = 0; i < 4; i++)
        strcat(cwd, "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");  /* 63 */
    assert_int_equal(strlen(cwd), 252);
    assert_int_equal(path_normalize(cwd, "bcd", out, sizeof(out)), -ENAMETOOLONG);
    assert_int_equal(path_normalize(cwd, "b", out, sizeof(out)), 0);
    assert_int_equal(strlen(out), 254);
    assert_int_equal(path_normalize(cwd, "../b", out, sizeof(out)), 0);
    assert_int_equal(strlen(out), 191);
}

static void test_strip_prefix(void **state)
{
    (void)state;
    assert_string_equal(path_strip_prefix("/tmp/x", "/tmp"), "/x");
    assert_string_equal(path_strip_prefix("/tmp", "/tmp"), "/");
    assert_string_equal(path_strip_prefix("/tmp/x", "/"), "/tmp/x");
    assert_null(path_strip_prefix("/tmpfoo", "/tmp"));
    assert_null(path_strip_prefix("/tm", "/tmp"));
    assert_null(path_strip_prefix("/bin", "/tmp"));
    assert_true(path_is_under("/tmp/a/b", "/tmp"));
    assert_false(path_is_under("/tmpa/b", "/tmp"));
}

static void test_split(void **state)
{
    (void)state;
    size_t plen;
    const char *name;
    assert_int_equal(path_split("/a/b", &plen, &name), 0);
    assert_int_equal(plen, 2);
    assert_string_equal(name, "b");
    assert_int_equal(path_split("/abc", &plen, &name), 0);
    assert_int_equal(plen, 1);
    assert_string_equal(name, "abc");
    assert_int_equal(path_split("/x/yy/zzz", &plen, &name), 0);
    assert_int_equal(plen, 5);
    assert_string_equal(name, "zzz");
    assert_int_equal(path_split("/", &plen, &name), -EINVAL);
}

static void test_valid_name(void **state)
{
    (void)state;
    assert_true(path_valid_name("a", 1));
    assert_true(path_valid_name("...", 3));
    assert_false(path_valid_name(".", 1));
    assert_false(path_valid_name("..", 2));
    assert_false(path_valid_name("a/b", 3));
    assert_false(path_valid_name("", 0));
    char n[70];
    memset(n, 'x', sizeof(n));
    assert_true(path_valid_name(n, 63));
    assert_false(path_valid_name(n, 64));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize_table),
        cmocka_unit_test(test_null_arguments),
        cmocka_unit_test(test_component_length),
        cmocka_unit_test(test_total_length),
        cmocka_unit_test(test_strip_prefix),
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_valid_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
