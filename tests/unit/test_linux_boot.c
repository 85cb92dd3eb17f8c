/* Unit tests for the Linux boot protocol logic (vmx/linux_boot.c): setup
   headers built by hand with the offsets of the kernel's boot.rst written
   out here (not taken from the code under test), the e820 map, the layout
   plan and the boot_params page. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "errno.h"
#include "linux_boot.h"

#define MIB (1ull << 20)
#define FILE_SIZE (8 * MIB)

static uint8_t head[4096];

static void put(size_t off, uint64_t v, int width)
{
    for (int i = 0; i < width; i++)
        head[off + i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get(const uint8_t *p, size_t off, int width)
{
    uint64_t v = 0;
    for (int i = width - 1; i >= 0; i--)
        v = (v << 8) | p[off + i];
    return v;
}

/* A header like Debian's 6.1 bzImage: protocol 2.15, 27 setup sectors. */
static void good_header(void)
{
    memset(head, 0, sizeof(head));
    head[0x1EF] = 0x5A;                  /* boot sector byte: must not reach boot_params */
    put(0x1F1, 27, 1);                   /* setup_sects */
    put(0x1F4, (FILE_SIZE - 28 * 512) / 16, 4);   /* syssize */
    put(0x1FA, 0xFFFF, 2);               /* vid_mode */
    put(0x1FE, 0xAA55, 2);               /* boot_flag */
    put(0x200, 0xEB, 1);                 /* jmp short ...  */
    put(0x201, 0x6A, 1);                 /* ... header ends at 0x202 + 0x6A = 0x26C */
    memcpy(head + 0x202, "HdrS", 4);
    put(0x206, 0x020F, 2);               /* version 2.15 */
    put(0x211, 0x01, 1);                 /* loadflags: LOADED_HIGH */
    put(0x22C, 0x7FFFFFFF, 4);           /* initrd_addr_max */
    put(0x230, 0x200000, 4);             /* kernel_alignment */
    put(0x234, 1, 1);                    /* relocatable_kernel */
    put(0x236, 0x7F, 2);                 /* xloadflags incl. XLF_KERNEL_64 */
    put(0x238, 2047, 4);                 /* cmdline_size */
    put(0x258, 0x1000000, 8);            /* pref_address */
    put(0x260, 0x2A00000, 4);            /* init_size */
}

static void test_parse_good(void **state)
{
    (void)state;
    struct linux_image img;
    good_header();
    assert_int_equal(linux_image_parse(head, sizeof(head), FILE_SIZE, &img), 0);
    assert_int_equal(img.version, 0x020F);
    assert_int_equal(img.setup_sects, 27);
    assert_int_equal(img.kernel_offset, 28 * 512);
    assert_int_equal(img.kernel_size, FILE_SIZE - 28 * 512);
    assert_int_equal(img.pref_address, 0x1000000);
    assert_int_equal(img.init_size, 0x2A00000);
    assert_int_equal(img.initrd_addr_max, 0x7FFFFFFF);
    assert_int_equal(img.cmdline_size, 2047);
    assert_int_equal(img.header_end, 0x26C);
    assert_true(img.relocatable);
    put(0x1F1, 0, 1);                    /* setup_sects 0 means 4 */
    put(0x1F4, (FILE_SIZE - 5 * 512) / 16, 4);
    assert_int_equal(linux_image_parse(head, sizeof(head), FILE_SIZE, &img), 0);
    assert_int_equal(img.kernel_offset, 5 * 512);
}

/* Each bad header is refused with -ENOEXEC and a reason naming the problem. */
static void test_parse_bad(void **state)
{
    (void)state;
    static const struct {
        size_t off;
        uint64_t value;
        int width;
        uint64_t file_size;
        const char *reason;
    } cases[] = {
        {0x1FE, 0x1234, 2, FILE_SIZE, "no boot flag 0xAA55"},
        {0x202, 0x48647253, 4, FILE_SIZE, "no 'HdrS'"},               /* "SrdH" */
        {0x206, 0x020B, 2, FILE_SIZE, "boot protocol 2.11 is too old"},
        {0x206, 0x0204, 2, FILE_SIZE, "boot protocol 2.04 is too old"},
        {0x211, 0x00, 1, FILE_SIZE, "zImage"},
        {0x236, 0x02, 2, FILE_SIZE, "no 64-bit entry point"},
        {0x201, 0x20, 1, FILE_SIZE, "setup header does not fit"},    /* header ends before init_size */
        {0x260, 0, 4, FILE_SIZE, "init_size"},
        {0x1F1, 27, 1, FILE_SIZE - 4096, "truncated: the header promises 8388608 bytes, the file has 8384512"},
        {0x1F1, 27, 1, 28 * 512, "truncated"},
        {0x1F1, 27, 1, 0x100, "truncated"},
        {0x1F1, 27, 1, 0, "truncated"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct linux_image img;
        good_header();
        put(cases[i].off, cases[i].value, cases[i].width);
        int r = linux_image_parse(head, sizeof(head), cases[i].file_size, &img);
        if (r != -ENOEXEC)
            print_error("case %zu: %d\n", i, r);
        assert_int_equal(r, -ENOEXEC);
        if (!strstr(img.reason, cases[i].reason)) {
            print_error("case %zu: reason '%s' lacks '%s'\n", i, img.reason, cases[i].reason);
            fail();
        }
    }
    struct linux_image img;
    memset(head, 0x90, sizeof(head));    /* not a kernel at all */
    assert_int_equal(linux_image_parse(head, sizeof(head), sizeof(head), &img), -ENOEXEC);
    good_header();                       /* only the first 0x200 bytes were read */
    assert_int_equal(linux_image_parse(head, 0x200, FILE_SIZE, &img), -ENOEXEC);
}

/* RAM from 0 to 256 MiB and a firmware ROM: the legacy area is reserved. */
static void test_e820(void **state)
{
    (void)state;
    const struct e820_range in[] = {
        {0xFFFE0000ull, 0x20000, E820_RESERVED},
        {0x100000, 255 * MIB, E820_RAM},
        {0, 0x100000, E820_RAM},
    };
    struct e820_range out[8];
    int n = linux_e820_build(in, 3, out, 8);
    assert_int_equal(n, 4);
    assert_int_equal(out[0].addr, 0);
    assert_int_equal(out[0].size, 0x9FC00);
    assert_int_equal(out[0].type, E820_RAM);
    assert_int_equal(out[1].addr, 0x9FC00);
    assert_int_equal(out[1].size, 0x100000 - 0x9FC00);
    assert_int_equal(out[1].type, E820_RESERVED);
    assert_int_equal(out[2].addr, 0x100000);
    assert_int_equal(out[2].size, 255 * MIB);
    assert_int_equal(out[2].type, E820_RAM);
    assert_int_equal(out[3].addr, 0xFFFE0000ull);
    assert_int_equal(out[3].type, E820_RESERVED);
    assert_int_equal(linux_e820_build(in, 3, out, 3), -ENOSPC);
    const struct e820_range one[] = {{0, 128 * MIB, E820_RAM}};    /* one mapping across 1 MiB */
    assert_int_equal(linux_e820_build(one, 1, out, 8), 3);
    assert_int_equal(out[2].addr, 0x100000);
    assert_int_equal(out[2].size, 127 * MIB);
}

static void test_plan(void **state)
{
    (void)state;
    struct linux_image img;
    struct linux_plan plan;
    const struct e820_range ram[] = {{0, 128 * MIB, E820_RAM}};
    good_header();
    assert_int_equal(linux_image_parse(head, sizeof(head), FILE_SIZE, &img), 0);
    assert_int_equal(linux_plan_layout(&img, ram, 1, 3 * MIB + 5, 40, &plan), 0);
    assert_int_equal(plan.kernel_gpa, 0x1000000);
    assert_int_equal(plan.entry, 0x1000200);
    assert_int_equal(plan.initrd_gpa, 128 * MIB - 3 * MIB - 0x1000);   /* page boundary below the top */
    assert_int_equal(plan.initrd_size, 3 * MIB + 5);
    /* initrd_addr_max limits the initrd's end */
    put(0x22C, 0x3BFFFFF, 4);
    assert_int_equal(linux_image_parse(head, sizeof(head), FILE_SIZE, &img), 0);
    assert_int_equal(linux_plan_layout(&img, ram, 1, 0x1000, 0, &plan), 0);
    assert_int_equal(plan.initrd_gpa, 0x3BFF000);
    /* 2 MiB fill the room between the kernel's end (0x3A00000) and the limit exactly */
    assert_int_equal(linux_plan_layout(&img, ram, 1, 2 * MIB, 0, &plan), 0);
    assert_int_equal(plan.initrd_gpa, 0x3A00000);
    assert_int_equal(linux_plan_layout(&img, ram, 1, 2 * MIB + 1, 0, &plan), -ENOSPC);
    assert_non_null(strstr(plan.reason, "initrd (2048 KiB) does not fit"));
    /* too little RAM for init_size: 0x1000000 + 0x2A00000 = 58 MiB */
    const struct e820_range small[] = {{0, 48 * MIB, E820_RAM}};
    assert_int_equal(linux_plan_layout(&img, small, 1, 0, 0, &plan), -ENXIO);
    assert_non_null(strstr(plan.reason, "at least 58 MiB"));
    /* the command line limit of the header (2047 bytes) */
    assert_int_equal(linux_plan_layout(&img, ram, 1, 0, 2047, &plan), 0);
    assert_int_equal(linux_plan_layout(&img, ram, 1, 0, 2048, &plan), -E2BIG);
    /* no RAM in the first MiB */
    const struct e820_range high[] = {{MIB, 127 * MIB, E820_RAM}};
    assert_int_equal(linux_plan_layout(&img, high, 1, 0, 0, &plan), -ENXIO);
}

static void test_boot_params(void **state)
{
    (void)state;
    static uint8_t zp[4096];
    struct linux_image img;
    struct linux_plan plan;
    const struct e820_range ram[] = {{0, 128 * MIB, E820_RAM}};
    struct e820_range e820[8];
    good_header();
    assert_int_equal(linux_image_parse(head, sizeof(head), FILE_SIZE, &img), 0);
    assert_int_equal(linux_plan_layout(&img, ram, 1, 0x2000, 11, &plan), 0);
    int n = linux_e820_build(ram, 1, e820, 8);
    memset(zp, 0xCC, sizeof(zp));
    linux_fill_boot_params(zp, head, &img, &plan, e820, n);
    assert_int_equal(zp[0x1EF], 0);                     /* sentinel stays 0 */
    assert_int_equal(get(zp, 0x1FE, 2), 0xAA55);        /* header copied */
    assert_int_equal(get(zp, 0x202, 4), 0x53726448);    /* "HdrS" */
    assert_int_equal(get(zp, 0x260, 4), 0x2A00000);
    assert_int_equal(zp[0x26C], 0);                     /* nothing beyond the header */
    assert_int_equal(zp[0x210], 0xFF);                  /* type_of_loader */
    assert_int_equal(get(zp, 0x214, 4), 0x1000000);     /* code32_start */
    assert_int_equal(get(zp, 0x228, 4), 0x20000);       /* cmd_line_ptr */
    assert_int_equal(get(zp, 0x218, 4), 128 * MIB - 0x2000);
    assert_int_equal(get(zp, 0x21C, 4), 0x2000);
    assert_int_equal(zp[0x1E8], 3);                     /* e820_entries */
    assert_int_equal(get(zp, 0x2D0, 8), 0);             /* entry 0: addr, size, type */
    assert_int_equal(get(zp, 0x2D8, 8), 0x9FC00);
    assert_int_equal(get(zp, 0x2E0, 4), 1);
    assert_int_equal(get(zp, 0x2E4 + 16, 4), 2);        /* entry 1 reserved */
    assert_int_equal(get(zp, 0x2F8, 8), 0x100000);      /* entry 2 at 1 MiB */
    assert_int_equal(zp[0x1000 - 1], 0);
}

static void test_tables(void **state)
{
    (void)state;
    uint64_t page[512], gdt[4];
    linux_boot_table_page(0, page);
    assert_int_equal(page[0], 0xA000 | 3);
    assert_int_equal(page[1], 0);
    linux_boot_table_page(1, page);
    assert_int_equal(page[0], 0xB000 | 3);
    assert_int_equal(page[3], 0xE000 | 3);
    assert_int_equal(page[4], 0);
    linux_boot_table_page(5, page);                     /* the PD of 3-4 GiB */
    assert_int_equal(page[0], 0xC0000000ull | 0x83);
    assert_int_equal(page[511], 0xFFE00000ull | 0x83);
    linux_boot_gdt(gdt);
    assert_int_equal(gdt[2] >> 40 & 0xFF, 0x9B);        /* present code, execute/read */
    assert_int_equal(gdt[2] >> 53 & 1, 1);              /* L */
    assert_int_equal(gdt[3] >> 40 & 0xFF, 0x93);        /* present data, read/write */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_good), cmocka_unit_test(test_parse_bad),
        cmocka_unit_test(test_e820),       cmocka_unit_test(test_plan),
        cmocka_unit_test(test_boot_params), cmocka_unit_test(test_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
