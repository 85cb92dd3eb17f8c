/*
 * Unit tests for the boot archive parser (common/fs/initrd.c). Archives are
 * laid out by hand here (not by utils/mkinitrd), then damaged field by
 * field; the parser must accept the good one and reject every bad one
 * without reading outside the buffer (run under ASan/valgrind to see).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "initrd.h"
#include "errno.h"
#include "abi.h"

struct spec {
    uint32_t type;
    const char *path;
    const char *data;
};

static const struct spec good_spec[] = {
    {INITRD_TYPE_DIR, "/bin", NULL},
    {INITRD_TYPE_FILE, "/bin/shell", "#!shell binary"},
    {INITRD_TYPE_FILE, "/bin/ls", "ls!"},
    {INITRD_TYPE_FILE, "/README.txt", "Welcome\n"},
    {INITRD_TYPE_DIR, "/guests", NULL},
    {INITRD_TYPE_FILE, "/guests/hello.bin", ""},
};
#define GOOD_COUNT (sizeof(good_spec) / sizeof(good_spec[0]))

/* Lay out n entries the documented way; returns a malloc'd archive of *size bytes. */
static uint8_t *build(const struct spec *s, size_t n, size_t *size)
{
    size_t off = sizeof(struct initrd_header) + n * sizeof(struct initrd_entry);
    size_t total = off;
    for (size_t i = 0; i < n; i++)
        total += strlen(s[i].path) + 1 + (s[i].data ? strlen(s[i].data) + 16 : 0);
    uint8_t *a = calloc(1, total);
    struct initrd_header h = {.version = INITRD_VERSION, .count = (uint32_t)n};
    memcpy(h.magic, INITRD_MAGIC, INITRD_MAGIC_LEN);
    for (size_t i = 0; i < n; i++) {
        struct initrd_entry e = {.type = s[i].type, .path_len = (uint32_t)strlen(s[i].path)};
        e.path_offset = off;
        memcpy(a + off, s[i].path, e.path_len + 1);
        off += e.path_len + 1;
        if (s[i].data) {
            off = (off + 15) & ~(size_t)15;
            e.data_offset = off;
            e.size = strlen(s[i].data);
            memcpy(a + off, s[i].data, e.size);
            off += e.size;
        }
        memcpy(a + sizeof(h) + i * sizeof(e), &e, sizeof(e));
    }
    h.total_size = off;
    memcpy(a, &h, sizeof(h));
    *size = off;
    return a;
}

static struct initrd_entry get_entry(const uint8_t *a, size_t i)
{
    struct initrd_entry e;
    memcpy(&e, a + sizeof(struct initrd_header) + i * sizeof(e), sizeof(e));
    return e;
}

static void put_entry(uint8_t *a, size_t i, const struct initrd_entry *e)
{
    memcpy(a + sizeof(struct initrd_header) + i * sizeof(*e), e, sizeof(*e));
}

static struct initrd_header get_header(const uint8_t *a)
{
    struct initrd_header h;
    memcpy(&h, a, sizeof(h));
    return h;
}

/* Parse a copy of exactly len bytes (so ASan catches any over-read). */
static int parse_exact(const uint8_t *a, size_t len, struct initrd *rd)
{
    uint8_t *copy = malloc(len ? len : 1);
    memcpy(copy, a, len);
    int r = initrd_parse(rd, copy, len);
    free(copy);
    return r;
}

static void test_good_archive(void **state)
{
    (void)state;
    size_t size;
    uint8_t *a = build(good_spec, GOOD_COUNT, &size);
    struct initrd rd;
    assert_int_equal(initrd_parse(&rd, a, size), 0);
    assert_null(rd.error);
    assert_int_equal(rd.count, 6);
    assert_int_equal(rd.files, 4);
    assert_int_equal(rd.file_bytes, 14 + 3 + 8 + 0);

    int readme = initrd_lookup(&rd, "/README.txt");
    assert_int_equal(readme, 4);
    assert_int_equal(initrd_node_type(&rd, readme), INITRD_TYPE_FILE);
    assert_int_equal(initrd_node_size(&rd, readme), 8);
    assert_memory_equal(initrd_node_data(&rd, readme), "Welcome\n", 8);
    assert_string_equal(initrd_node_path(&rd, readme), "/README.txt");

    size_t len;
    const char *name = initrd_node_name(&rd, initrd_lookup(&rd, "/bin/ls"), &len);
    assert_int_equal(len, 2);
    assert_memory_equal(name, "ls", 2);
    assert_int_equal(initrd_lookup(&rd, "/"), INITRD_ROOT);
    assert_int_equal(initrd_node_type(&rd, INITRD_ROOT), INITRD_TYPE_DIR);
    assert_int_equal(initrd_lookup(&rd, "/bin/sh"), -ENOENT);
    assert_int_equal(initrd_lookup(&rd, "/bin/shell/x"), -ENOENT);
    assert_int_equal(initrd_lookup(&rd, "/bi"), -ENOENT);
    free(a);
}

static void test_children(void **state)
{
    (void)state;
    size_t size;
    uint8_t *a = build(good_spec, GOOD_COUNT, &size);
    struct initrd rd;
    assert_int_equal(initrd_parse(&rd, a, size), 0);
    /* root: /bin (1), /README.txt (4), /guests (5) */
    int expect_root[] = {1, 4, 5};
    int c = INITRD_ROOT;
    for (size_t i = 0; i < 3; i++) {
        c = initrd_next_child(&rd, INITRD_ROOT, c);
        assert_int_equal(c, expect_root[i]);
    }
    assert_int_equal(initrd_next_child(&rd, INITRD_ROOT, c), -ENOENT);
    int bin = initrd_lookup(&rd, "/bin");
    c = initrd_next_child(&rd, bin, 0);
    assert_int_equal(c, 2);
    c = initrd_next_child(&rd, bin, c);
    assert_int_equal(c, 3);
    assert_int_equal(initrd_next_child(&rd, bin, c), -ENOENT);
    /* a file has no children */
    assert_int_equal(initrd_next_child(&rd, initrd_lookup(&rd, "/README.txt"), 0), -ENOENT);
    free(a);
}

static void test_empty_archive(void **state)
{
    (void)state;
    size_t size;
    uint8_t *a = build(NULL, 0, &size);
    struct initrd rd;
    assert_int_equal(size, 32);
    assert_int_equal(parse_exact(a, size, &rd), 0);
    assert_int_equal(rd.count, 0);
    free(a);
}

static void test_every_truncation(void **state)
{
    (void)state;
    size_t size;
    uint8_t *a = build(good_spec, GOOD_COUNT, &size);
    struct initrd rd;
    /* every length shorter than the archive is refused (its size field says more) */
    for (size_t len = 0; len < size; len++) {
        assert_int_equal(parse_exact(a, len, &rd), -EINVAL);
        assert_non_null(rd.error);
    }
    assert_int_equal(parse_exact(a, size, &rd), 0);
    free(a);
}

static void test_truncation_with_matching_size(void **state)
{
    (void)state;
    size_t size;
    uint8_t *a = build(good_spec, GOOD_COUNT, &size);
    struct initrd rd;
    /* also lie in total_size: then the entries must catch it */
    for (size_t len = sizeof(struct initrd_header); len < size; len++) {
        struct initrd_header h = get_header(a);
        h.total_size = len;
        memcpy(a, &h, sizeof(h));
        assert_int_equal(parse_exact(a, len, &rd), -EINVAL);
    }
    free(a);
}

static void test_bad_magic_and_version(void **state)
{
    (void)state;
    size_t size;
    uint8_t *a = build(good_spec, GOOD_COUNT, &size);
    struct initrd rd;
    for (size_t i = 0; i < INITRD_MAGIC_LEN; i++) {
        a[i] ^= 0x20;
        assert_int_equal(initrd_parse(&rd, a, size), -EINVAL);
        assert_string_equal(rd.error, "bad magic");
        a[i] ^= 0x20;
    }
    struct initrd_header h = get_header(a);
    h.version = 2;
    memcpy(a, &h, sizeof(h));
    assert_int_equal(initrd_parse(&rd, a, size), -EINVAL);
    assert_string_equal(rd.error, "unsupported version");
    free(a);
}

static void test_entry_count(void **state)
{
    (void)state;
    size_t size;
    uint8_t *a = build(good_spec, GOOD_COUNT, &size);
    struct initrd rd;
    struct initrd_header h = get_header(a);
    h.count = INITRD_MAX_ENTRIES + 1;
    memcpy(a, &h, sizeof(h));
    assert_int_equal(initrd_parse(&rd, a, size), -EINVAL);
    assert_string_equal(rd.error, "too many entries");
    h.count = 0xFFFFFFFFu;
    memcpy(a, &h, sizeof(h));
    assert_int_equal(initrd_parse(&rd, a, size), -EINVAL);
    /* more entries than the table space before total_size */
    h.count = (uint32_t)(size / sizeof(struct initrd_entry));
    memcpy(a, &h, sizeof(h));
    assert_int_equal(initrd_parse(&rd, a, size), -EINVAL);
    free(a);
}

static void test_entry_beyond_end(void **state)
{
    (void)state;
    size_t size;
    uint8_t *a = build(good_spec, GOOD_COUNT, &size);
    struct initrd rd;
    struct initrd_entry e = get_entry(a, 1), saved = e;

    e.data_offset = size - 3;           /* 14 bytes starting 3 before the end */
    put_entry(a, 1, &e);
    assert_int_equal(initrd_parse(&rd, a, size), -EINVAL);
    assert_string_equal(rd.error, "file data beyond end of archive");

    e = saved;
    e.size = UINT64_MAX;                /* offset + size wraps around */
    put_entry(a, 1, &e);
    assert_int_equal(initrd_parse(&rd, a, size), -EINVAL);

    e = saved;
    e.data_offset = UINT64_MAX - 4;
    put_entry(a, 1, &e);
    assert_int_equal(initrd_parse(&rd, a, size), -EINVAL);

    e = saved;
    e.path_offset = size;               /* path starts at the end */
    put_entry(a, 1, &e);
    assert_int_equal(initrd_parse(&rd, a, size), -EINVAL);
    assert_string_equal(rd.error, "path beyond end of archive");

    e = saved;
    e.path_offset = UINT64_MAX - 2;
    put_entry(a, 1, &e);
    assert_int_equal(initrd_parse(&rd, a, size), -EINVAL);

    e = saved;
    e.size = size - e.data_offset;      /* exactly to the end: still fine */
    put_entry(a, 1, &e);
    assert_int_equal(initrd_parse(&rd, a, size), 0);
    free(a);
}

static void test_bad_paths(void **state)
{
    (void)state;
    static const char *bad[] = {
        "bin/x", "/bin//x", "/bin/", "/bin/./x", "/bin/../x", "/", "/bin/x/",
        "/bin/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", /* 64 */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct spec s[2] = {{INITRD_TYPE_DIR, "/bin", NULL}, {INITRD_TYPE_FILE, bad[i], "x"}};
        size_t size;
        uint8_t *a = build(s, 2, &size);
        struct initrd rd;
        if (initrd_parse(&rd, a, size) != -EINVAL)
            fail_msg("path \"%s\" accepted", bad[i]);
        free(a);
    }
    /* 63 bytes is the longest name */
    struct spec ok[2] = {{INITRD_TYPE_DIR, "/bin", NULL},
        {INITRD_TYPE_FILE, "/bin/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "x"}};
    size_t size;
    uint8_t *a = build(ok, 2, &size);
    struct initrd rd;
    assert_int_equal(initrd_parse(&rd, a, size), 0);
    free(a);
}

static void test_overlong_path(void **state)
{
    (void)state;
    /* a path of PATH_MAX bytes made of short valid names: too long as a whole */
    char path[PATH_MAX + 1];
    size_t n = 0;
    while (n < PATH_MAX) {
        path[n++] = '/';
        path[n++] = 'a';
    }
    path[PATH_MAX] = '\0';
    struct spec s[1] = {{INITRD_TYPE_FILE, path, "x"}};
    size_t size;
    uint8_t *a = build(s, 1, &size);
    struct initrd rd;
    assert_int_equal(initrd_parse(&rd, a, size), -EINVAL);
    assert_string_equal(rd.error, "path too long");
    /* path_len that claims the whole archive, no NUL where it says */
    free(a);
    a = build(good_spec, GOOD_COUNT, &size);
    struct initrd_entry e = get_entry(a, 3);
    e.path_len = 200;
    put_entry(a, 3, &e);
    assert_int_equal(initrd_parse(&rd, a, size), -EINVAL);
    e.path_len = 0xFFFFFFFFu;
    put_entry(a, 3, &e);
    assert_int_equal(initrd_parse(&rd, a, size), -EINVAL);
    free(a);
}

static void test_missing_nul_and_embedded_nul(void **state)
{
    (void)state;
    size_t size;
    uint8_t *a = build(good_spec, GOOD_COUNT, &size);
    struct initrd rd;
    struct initrd_entry e = get_entry(a, 3);   /* "/README.txt" */
    a[e.path_offset + e.path_len] = 'X';
    assert_int_equal(initrd_parse(&rd, a, size), -EINVAL);
    assert_string_equal(rd.error, "path not NUL-terminated");
    a[e.path_offset + e.path_len] = '\0';
    a[e.path_offset + 3] = '\0';
    assert_int_equal(initrd_parse(&rd, a, size), -EINVAL);
    free(a);
}

static void test_structure_errors(void **state)
{
    (void)state;
    struct initrd rd;
    size_t size;
    /* child before its parent */
    struct spec order[2] = {{INITRD_TYPE_FILE, "/bin/ls", "x"}, {INITRD_TYPE_DIR, "/bin", NULL}};
    uint8_t *a = build(order, 2, &size);
    assert_int_equal(initrd_parse(&rd, a, size), -EINVAL);
    free(a);
    /* parent is a file */
    struct spec fparent[2] = {{INITRD_TYPE_FILE, "/bin", "x"}, {INITRD_TYPE_FILE, "/bin/ls", "y"}};
    a = build(fparent, 2, &size);
    assert_int_equal(initrd_parse(&rd, a, size), -EINVAL);
    free(a);
    /* duplicate */
    struct spec dup[2] = {{INITRD_TYPE_FILE, "/a", "x"}, {INITRD_TYPE_FILE, "/a", "y"}};
    a = build(dup, 2, &size);
    assert_int_equal(initrd_parse(&rd, a, size), -EINVAL);
    assert_string_equal(rd.error, "duplicate path");
    free(a);
    /* unknown type, directory with data */
    struct spec types[1] = {{7, "/a", "x"}};
    a = build(types, 1, &size);
    assert_int_equal(initrd_parse(&rd, a, size), -EINVAL);
    assert_string_equal(rd.error, "entry of unknown type");
    free(a);
    struct spec dirdata[1] = {{INITRD_TYPE_DIR, "/a", "x"}};
    a = build(dirdata, 1, &size);
    assert_int_equal(initrd_parse(&rd, a, size), -EINVAL);
    assert_string_equal(rd.error, "directory with data");
    free(a);
}

/* Flip every byte of the header and entry table: never a crash, and a
   failed parse leaves rd empty. */
static void test_byte_flips(void **state)
{
    (void)state;
    size_t size;
    uint8_t *a = build(good_spec, GOOD_COUNT, &size);
    size_t table = sizeof(struct initrd_header) + GOOD_COUNT * sizeof(struct initrd_entry);
    int rejected = 0;
    for (size_t i = 0; i < table; i++) {
        for (int bit = 0; bit < 8; bit++) {
            struct initrd rd;
            a[i] ^= (uint8_t)(1u << bit);
            if (parse_exact(a, size, &rd) != 0) {
                rejected++;
                assert_int_equal(rd.count, 0);
                assert_null(rd.base);
            }
            a[i] ^= (uint8_t)(1u << bit);
        }
    }
    assert_true(rejected > (int)table);     /* most flips must be caught */
    free(a);
}

/* The archive the build made (path in image_path): mkinitrd's output must
   parse, hold the README, and every /bin entry must be an ELF file. */
static const char *image_path;

static void test_built_image(void **state)
{
    (void)state;
    FILE *f = fopen(image_path, "rb");
    if (!f)
        fail_msg("cannot open %s (run make first)", image_path);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *a = malloc((size_t)len);
    assert_int_equal(fread(a, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    struct initrd rd;
    if (initrd_parse(&rd, a, (uint64_t)len) != 0)
        fail_msg("%s rejected: %s", image_path, rd.error);
    int readme = initrd_lookup(&rd, "/README.txt");
    assert_true(readme > 0);
    assert_memory_equal(initrd_node_data(&rd, readme), "Welcome to SWEB-VX", 18);
    int bin = initrd_lookup(&rd, "/bin");
    assert_true(bin > 0);
    assert_int_equal(initrd_node_type(&rd, bin), INITRD_TYPE_DIR);
    int programs = 0;
    for (int c = initrd_next_child(&rd, bin, 0); c > 0; c = initrd_next_child(&rd, bin, c)) {
        assert_int_equal(initrd_node_type(&rd, c), INITRD_TYPE_FILE);
        assert_true(initrd_node_size(&rd, c) > 4);
        assert_memory_equal(initrd_node_data(&rd, c), "\x7f" "ELF", 4);
        programs++;
    }
    print_message("%s: %u entries, %d programs in /bin\n", image_path, rd.count, programs);
    free(a);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        image_path = argv[1];
        const struct CMUnitTest image_tests[] = {cmocka_unit_test(test_built_image)};
        return cmocka_run_group_tests(image_tests, NULL, NULL);
    }

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_archive),
        cmocka_unit_test(test_children),
        cmocka_unit_test(test_empty_archive),
        cmocka_unit_test(test_every_truncation),
        cmocka_unit_test(test_truncation_with_matching_size),
        cmocka_unit_test(test_bad_magic_and_version),
        cmocka_unit_test(test_entry_count),
        cmocka_unit_test(test_entry_beyond_end),
        cmocka_unit_test(test_bad_paths),
        cmocka_unit_test(test_overlong_path),
        cmocka_unit_test(test_missing_nul_and_embedded_nul),
        cmocka_unit_test(test_structure_errors),
        cmocka_unit_test(test_byte_flips),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
