/* Unit tests for the Multiboot2 tag parser (common/kernel/multiboot2.c)
   on hand-built tag buffers laid out as in the Multiboot2 spec 3.6. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "host_support.h"

#include "errno.h"
#include "multiboot2.h"

/* ---- a tiny builder for tag buffers ---- */

struct builder {
    _Alignas(8) uint8_t buf[1024];
    size_t len;
};

static void put32(struct builder *b, uint32_t v)
{
    memcpy(b->buf + b->len, &v, 4);
    b->len += 4;
}

static void put64(struct builder *b, uint64_t v)
{
    memcpy(b->buf + b->len, &v, 8);
    b->len += 8;
}

static void put_bytes(struct builder *b, const void *p, size_t n)
{
    memcpy(b->buf + b->len, p, n);
    b->len += n;
}

static void pad8(struct builder *b)
{
    while (b->len % 8)
        b->buf[b->len++] = 0xEE;   /* padding garbage must be ignored */
}

static void begin(struct builder *b)
{
    memset(b, 0, sizeof(*b));
    put32(b, 0);   /* total_size, patched by finish() */
    put32(b, 0);   /* reserved */
}

/* Tag header with an explicit size; the caller writes the payload. */
static void tag_header(struct builder *b, uint32_t type, uint32_t size)
{
    put32(b, type);
    put32(b, size);
}

static void tag_string(struct builder *b, uint32_t type, const char *s)
{
    tag_header(b, type, (uint32_t)(8 + strlen(s) + 1));
    put_bytes(b, s, strlen(s) + 1);
    pad8(b);
}

static void tag_module(struct builder *b, uint32_t start, uint32_t end, const char *s)
{
    tag_header(b, MB2_TAG_MODULE, (uint32_t)(16 + strlen(s) + 1));
    put32(b, start);
    put32(b, end);
    put_bytes(b, s, strlen(s) + 1);
    pad8(b);
}

static void tag_meminfo(struct builder *b, uint32_t lower, uint32_t upper)
{
    tag_header(b, MB2_TAG_BASIC_MEMINFO, 16);
    put32(b, lower);
    put32(b, upper);
}

/* A memory map with entries of entry_size bytes (24 in GRUB, more allowed). */
static void tag_mmap(struct builder *b, uint32_t entry_size, const uint64_t (*e)[3], size_t n)
{
    tag_header(b, MB2_TAG_MMAP, (uint32_t)(16 + n * entry_size));
    put32(b, entry_size);
    put32(b, 0);   /* entry_version */
    for (size_t i = 0; i < n; i++) {
        size_t start = b->len;
        put64(b, e[i][0]);
        put64(b, e[i][1]);
        put32(b, (uint32_t)e[i][2]);
        put32(b, 0);
        while (b->len < start + entry_size)
            b->buf[b->len++] = 0xAB;
    }
    pad8(b);
}

static size_t finish(struct builder *b)
{
    tag_header(b, MB2_TAG_END, 8);
    uint32_t total = (uint32_t)b->len;
    memcpy(b->buf, &total, 4);
    return b->len;
}

static const uint64_t qemu_map[3][3] = {
    {0x0, 0x9FC00, 1},
    {0xF0000, 0x10000, 2},
    {0x100000, 0x7EE0000, 1},
};

/* ---- tests ---- */

static void test_full_buffer(void **state)
{
    (void)state;
    struct builder b;
    struct mb2_info info;
    begin(&b);
    tag_string(&b, MB2_TAG_CMDLINE, "selftest=heap quiet");
    tag_module(&b, 0x200000, 0x280123, "initrd extra words");
    tag_module(&b, 0x300000, 0x300010, "initrdx");
    tag_meminfo(&b, 639, 130048);
    tag_header(&b, 21, 12);   /* unknown tag type: skipped */
    put32(&b, 0xDEADBEEF);
    pad8(&b);
    tag_mmap(&b, 24, qemu_map, 3);
    size_t len = finish(&b);

    assert_int_equal(mb2_parse(b.buf, len, &info), 0);
    assert_int_equal(info.total_size, len);
    assert_string_equal(info.cmdline, "selftest=heap quiet");
    assert_int_equal(info.module_count, 2);
    assert_int_equal(info.modules[0].start, 0x200000);
    assert_int_equal(info.modules[0].end, 0x280123);
    assert_string_equal(info.modules[0].string, "initrd extra words");
    assert_string_equal(info.modules[1].string, "initrdx");
    assert_true(info.has_meminfo);
    assert_int_equal(info.mem_lower_kib, 639);
    assert_int_equal(info.mem_upper_kib, 130048);
    assert_int_equal(info.mmap_count, 3);
    assert_int_equal(info.mmap[2].base, 0x100000);
    assert_int_equal(info.mmap[2].len, 0x7EE0000);
    assert_int_equal(info.mmap[2].type, MB2_MEM_AVAILABLE);
    assert_int_equal(info.mmap[1].type, MB2_MEM_RESERVED);
    assert_int_equal(info.dropped, 0);

    uint64_t s = 0, e = 0;
    assert_true(mb2_info_find_module(&info, "initrd", &s, &e));
    assert_int_equal(s, 0x200000);
    assert_int_equal(e, 0x280123);
    assert_true(mb2_info_find_module(&info, "initrdx", &s, &e));
    assert_int_equal(s, 0x300000);
    assert_false(mb2_info_find_module(&info, "init", &s, &e));
    assert_false(mb2_info_find_module(&info, "extra", &s, &e));
    assert_false(mb2_info_find_module(&info, "", &s, &e));
}

static void test_no_cmdline_gives_empty_string(void **state)
{
    (void)state;
    struct builder b;
    struct mb2_info info;
    begin(&b);
    tag_mmap(&b, 24, qemu_map, 1);
    size_t len = finish(&b);
    assert_int_equal(mb2_parse(b.buf, len, &info), 0);
    assert_string_equal(info.cmdline, "");
    assert_false(info.has_meminfo);
    assert_int_equal(info.module_count, 0);
}

static void test_wide_mmap_entries(void **state)
{
    (void)state;
    struct builder b;
    struct mb2_info info;
    begin(&b);
    tag_mmap(&b, 32, qemu_map, 3);
    size_t len = finish(&b);
    assert_int_equal(mb2_parse(b.buf, len, &info), 0);
    assert_int_equal(info.mmap_count, 3);
    assert_int_equal(info.mmap[1].base, 0xF0000);
    assert_int_equal(info.mmap[1].len, 0x10000);
    assert_int_equal(info.mmap[2].len, 0x7EE0000);
}

static void test_too_many_modules_are_counted(void **state)
{
    (void)state;
    struct builder b;
    struct mb2_info info;
    begin(&b);
    for (int i = 0; i < MB2_MAX_MODULES + 3; i++)
        tag_module(&b, 0x1000u * (uint32_t)i, 0x1000u * (uint32_t)i + 1, "m");
    size_t len = finish(&b);
    assert_int_equal(mb2_parse(b.buf, len, &info), 0);
    assert_int_equal(info.module_count, MB2_MAX_MODULES);
    assert_int_equal(info.dropped, 3);
}

static void test_truncated_buffers(void **state)
{
    (void)state;
    struct builder b;
    struct mb2_info info;
    begin(&b);
    tag_string(&b, MB2_TAG_CMDLINE, "a=b");
    size_t len = finish(&b);
    assert_int_equal(mb2_parse(b.buf, len - 1, &info), -EINVAL);   /* total_size > len */
    assert_int_equal(mb2_parse(b.buf, 4, &info), -EINVAL);
    assert_int_equal(mb2_parse(NULL, 64, &info), -EINVAL);

    uint32_t small = 4;   /* total_size below the 8-byte header */
    memcpy(b.buf, &small, 4);
    assert_int_equal(mb2_parse(b.buf, len, &info), -EINVAL);
}

static void test_missing_end_tag(void **state)
{
    (void)state;
    struct builder b;
    struct mb2_info info;
    begin(&b);
    tag_string(&b, MB2_TAG_CMDLINE, "a=b");
    uint32_t total = (uint32_t)b.len;
    memcpy(b.buf, &total, 4);
    assert_int_equal(mb2_parse(b.buf, b.len, &info), -EINVAL);
}

static void test_bad_tag_sizes(void **state)
{
    (void)state;
    struct builder b;
    struct mb2_info info;
    begin(&b);
    tag_header(&b, 21, 4);   /* smaller than a tag header */
    size_t len = finish(&b);
    assert_int_equal(mb2_parse(b.buf, len, &info), -EINVAL);

    begin(&b);
    tag_header(&b, 21, 4000);   /* runs past total_size */
    len = finish(&b);
    assert_int_equal(mb2_parse(b.buf, len, &info), -EINVAL);
}

static void test_malformed_payloads(void **state)
{
    (void)state;
    struct builder b;
    struct mb2_info info;

    begin(&b);   /* command line without its NUL inside the tag */
    tag_header(&b, MB2_TAG_CMDLINE, 8 + 3);
    put_bytes(&b, "abc", 3);
    pad8(&b);
    size_t len = finish(&b);
    assert_int_equal(mb2_parse(b.buf, len, &info), -EINVAL);

    begin(&b);   /* module ending before it starts */
    tag_module(&b, 0x5000, 0x4000, "x");
    len = finish(&b);
    assert_int_equal(mb2_parse(b.buf, len, &info), -EINVAL);

    begin(&b);   /* memory map entries too small to hold base/len/type */
    tag_header(&b, MB2_TAG_MMAP, 16 + 16);
    put32(&b, 16);
    put32(&b, 0);
    put64(&b, 0);
    put64(&b, 0x1000);
    len = finish(&b);
    assert_int_equal(mb2_parse(b.buf, len, &info), -EINVAL);

    begin(&b);   /* basic meminfo too short */
    tag_header(&b, MB2_TAG_BASIC_MEMINFO, 12);
    put32(&b, 639);
    pad8(&b);
    len = finish(&b);
    assert_int_equal(mb2_parse(b.buf, len, &info), -EINVAL);
}

static void test_unaligned_buffer(void **state)
{
    (void)state;
    struct builder b;
    struct mb2_info info;
    static uint8_t shifted[1100];
    begin(&b);
    tag_string(&b, MB2_TAG_CMDLINE, "k=v");
    tag_mmap(&b, 24, qemu_map, 3);
    size_t len = finish(&b);
    memcpy(shifted + 3, b.buf, len);
    assert_int_equal(mb2_parse(shifted + 3, len, &info), 0);
    assert_string_equal(info.cmdline, "k=v");
    assert_int_equal(info.mmap[2].base, 0x100000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_buffer),
        cmocka_unit_test(test_no_cmdline_gives_empty_string),
        cmocka_unit_test(test_wide_mmap_entries),
        cmocka_unit_test(test_too_many_modules_are_counted),
        cmocka_unit_test(test_truncated_buffers),
        cmocka_unit_test(test_missing_end_tag),
        cmocka_unit_test(test_bad_tag_sizes),
        cmocka_unit_test(test_malformed_payloads),
        cmocka_unit_test(test_unaligned_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
