/*
 * The userspace libc's string.h and ctype.h functions
 * (userspace/libc/src/string.c, ctype.c, and common/util/kstring.c which
 * libc shares with the kernel), included under ulibc_ names so
 * they do not clash with the host C library. Expected values are literals.
 */
#include "host_support.h"

#include <ctype.h>
#include <string.h>

#define memcpy ulibc_memcpy
#define memmove ulibc_memmove
#define memset ulibc_memset
#define memcmp ulibc_memcmp
#define memchr ulibc_memchr
#define strlen ulibc_strlen
#define strnlen ulibc_strnlen
#define strcmp ulibc_strcmp
#define strncmp ulibc_strncmp
#define strcpy ulibc_strcpy
#define strncpy ulibc_strncpy
#define strlcpy ulibc_strlcpy
#define strcat ulibc_strcat
#define strncat ulibc_strncat
#define strchr ulibc_strchr
#define strrchr ulibc_strrchr
#define strstr ulibc_strstr
#define strspn ulibc_strspn
#define strcspn ulibc_strcspn
#define strtok_r ulibc_strtok_r
#define strtok ulibc_strtok
#include "../../common/util/kstring.c"
#include "../../userspace/libc/src/string.c"

#undef isdigit
#undef isxdigit
#undef isalpha
#undef isalnum
#undef isupper
#undef islower
#undef isspace
#undef isblank
#undef isprint
#undef isgraph
#undef ispunct
#undef iscntrl
#undef toupper
#undef tolower
#define isdigit ulibc_isdigit
#define isxdigit ulibc_isxdigit
#define isalpha ulibc_isalpha
#define isalnum ulibc_isalnum
#define isupper ulibc_isupper
#define islower ulibc_islower
#define isspace ulibc_isspace
#define isblank ulibc_isblank
#define isprint ulibc_isprint
#define isgraph ulibc_isgraph
#define ispunct ulibc_ispunct
#define iscntrl ulibc_iscntrl
#define toupper ulibc_toupper
#define tolower ulibc_tolower
#include "../../userspace/libc/src/ctype.c"

static void test_mem(void **state)
{
    (void)state;
    char buf[16] = "abcdefghij";
    assert_ptr_equal(memmove(buf + 2, buf, 5), buf + 2);   /* overlap forward */
    assert_string_equal(buf, "ababcdehij");
    memmove(buf, buf + 3, 5);                               /* overlap back */
    assert_string_equal(buf, "bcdehdehij");
    memset(buf, 'x', 3);
    assert_memory_equal(buf, "xxxeh", 5);
    memcpy(buf, "12345", 6);
    assert_string_equal(buf, "12345");
    assert_true(memcmp("abc", "abd", 3) < 0);
    assert_true(memcmp("abd", "abc", 3) > 0);
    assert_int_equal(memcmp("ab\xff", "ab\x01", 2), 0);
    assert_true(memcmp("\xff", "\x01", 1) > 0);             /* unsigned compare */
}

static void test_memchr(void **state)
{
    (void)state;
    const char *s = "hello";
    assert_ptr_equal(memchr(s, 'l', 5), s + 2);
    assert_null(memchr(s, 'z', 5));
    assert_null(memchr(s, 'o', 4));
}

static void test_compare_and_length(void **state)
{
    (void)state;
    assert_int_equal(strlen(""), 0);
    assert_int_equal(strlen("sweb"), 4);
    assert_int_equal(strnlen("sweb", 2), 2);
    assert_int_equal(strnlen("sweb", 9), 4);
    assert_int_equal(strcmp("abc", "abc"), 0);
    assert_true(strcmp("abc", "abd") < 0);
    assert_true(strcmp("ab", "abc") < 0);
    assert_true(strcmp("\xe4", "a") > 0);
    assert_int_equal(strncmp("abcx", "abcy", 3), 0);
    assert_true(strncmp("abcx", "abcy", 4) < 0);
    assert_int_equal(strncmp("a", "b", 0), 0);
}

static void test_copy_and_concat(void **state)
{
    (void)state;
    char buf[16];
    assert_ptr_equal(strcpy(buf, "foo"), buf);
    assert_string_equal(strcat(buf, "bar"), "foobar");
    assert_string_equal(strncat(buf, "bazqux", 3), "foobarbaz");
    memset(buf, 'Z', sizeof buf);
    strncpy(buf, "ab", 5);
    assert_memory_equal(buf, "ab\0\0\0Z", 6);
    strncpy(buf, "abcdef", 3);
    assert_memory_equal(buf, "abc\0", 4);
    assert_int_equal(strlcpy(buf, "0123456789abcdefXYZ", sizeof buf), 19);
    assert_string_equal(buf, "0123456789abcde");
    assert_int_equal(strlcpy(buf, "x", 0), 1);
}

static void test_search(void **state)
{
    (void)state;
    const char *s = "/bin/shell";
    assert_ptr_equal(strchr(s, '/'), s);
    assert_ptr_equal(strrchr(s, '/'), s + 4);
    assert_ptr_equal(strchr(s, '\0'), s + 10);
    assert_null(strchr(s, 'z'));
    assert_ptr_equal(strstr(s, "shell"), s + 5);
    assert_ptr_equal(strstr(s, ""), s);
    assert_null(strstr(s, "shellx"));
    assert_int_equal(strspn("  \tab", " \t"), 3);
    assert_int_equal(strcspn("abc def", " "), 3);
}

static void test_strtok(void **state)
{
    (void)state;
    char line[] = "  ls  -l /bin ";
    char *save;
    assert_string_equal(strtok_r(line, " ", &save), "ls");
    assert_string_equal(strtok_r(NULL, " ", &save), "-l");
    assert_string_equal(strtok_r(NULL, " ", &save), "/bin");
    assert_null(strtok_r(NULL, " ", &save));
    char again[] = "a,b";
    assert_string_equal(strtok(again, ","), "a");
    assert_string_equal(strtok(NULL, ","), "b");
    assert_null(strtok(NULL, ","));
}

static void test_ctype(void **state)
{
    (void)state;
    assert_true(isdigit('7') && !isdigit('a'));
    assert_true(isxdigit('F') && isxdigit('a') && !isxdigit('g'));
    assert_true(isalpha('q') && isalpha('Q') && !isalpha('1'));
    assert_true(isspace(' ') && isspace('\n') && isspace('\t') && !isspace('x'));
    assert_true(ispunct('!') && !ispunct('a') && !ispunct(' '));
    assert_true(iscntrl(0x1b) && iscntrl(0x7f) && !iscntrl('a'));
    assert_true(isprint(' ') && !isgraph(' ') && isgraph('~'));
    assert_int_equal(toupper('a'), 'A');
    assert_int_equal(toupper('1'), '1');
    assert_int_equal(tolower('Z'), 'z');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mem),
        cmocka_unit_test(test_memchr),
        cmocka_unit_test(test_compare_and_length),
        cmocka_unit_test(test_copy_and_concat),
        cmocka_unit_test(test_search),
        cmocka_unit_test(test_strtok),
        cmocka_unit_test(test_ctype),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
