/*
 * Unit tests for ELF64 validation (common/kernel/elf_check.c) on
 * hand-built executables: one valid image, then one broken field at a time,
 * each with the error code docs/syscalls.md promises.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "elf.h"
#include "errno.h"

#define FILE_SIZE 8192
#define MAX_PH 20

/* An image under construction: header, program headers, then data. */
struct image {
    union {
        uint8_t bytes[FILE_SIZE];
        uint64_t align;
    };
    size_t len;
};

static Elf64_Ehdr *ehdr(struct image *im) { return (Elf64_Ehdr *)im->bytes; }
static Elf64_Phdr *phdr(struct image *im, int i) { return (Elf64_Phdr *)(im->bytes + 64 + 56 * i); }

/* A valid static x86-64 executable: text RX at 0x400000 (entry 0x400010),
   data RW at 0x401000 with a .bss tail. */
static void make_valid(struct image *im)
{
    memset(im, 0, sizeof(*im));
    im->len = FILE_SIZE;
    Elf64_Ehdr *e = ehdr(im);
    memcpy(e->e_ident, "\177ELF", 4);
    e->e_ident[4] = 2;      /* ELFCLASS64 */
    e->e_ident[5] = 1;      /* little endian */
    e->e_ident[6] = 1;      /* version */
    e->e_type = 2;          /* ET_EXEC */
    e->e_machine = 62;      /* x86-64 */
    e->e_version = 1;
    e->e_entry = 0x400010;
    e->e_phoff = 64;
    e->e_ehsize = 64;
    e->e_phentsize = 56;
    e->e_phnum = 2;
    *phdr(im, 0) = (Elf64_Phdr){1, 5 /* R+X */, 0x1000, 0x400000, 0x400000, 0x800, 0x800, 0x1000};
    *phdr(im, 1) = (Elf64_Phdr){1, 6 /* R+W */, 0x1800, 0x401000, 0x401000, 0x100, 0x3000, 0x1000};
}

static int validate(struct image *im, struct elf_image *out)
{
    return elf_validate(im->bytes, im->len, out);
}

static void test_valid_image(void **state)
{
    struct image im;
    struct elf_image out;
    make_valid(&im);
    assert_int_equal(validate(&im, &out), 0);
    assert_int_equal(out.nsegments, 2);
    assert_int_equal(out.entry, 0x400010);
    assert_int_equal(out.seg[0].vaddr, 0x400000);
    assert_int_equal(out.seg[0].filesz, 0x800);
    assert_int_equal(out.seg[0].flags, 5);
    assert_int_equal(out.seg[1].vaddr, 0x401000);
    assert_int_equal(out.seg[1].memsz, 0x3000);
    assert_int_equal(out.seg[1].offset, 0x1800);
}

static void test_non_load_headers_are_ignored(void **state)
{
    struct image im;
    struct elf_image out;
    make_valid(&im);
    ehdr(&im)->e_phnum = 3;
    /* PT_NOTE with nonsense addresses: not loaded, so not checked */
    *phdr(&im, 2) = (Elf64_Phdr){4, 0xFF, 0xFFFFFFFF, 0xFFFFFFFF80000000ull, 0, 0x10, 0x10, 0};
    assert_int_equal(validate(&im, &out), 0);
    assert_int_equal(out.nsegments, 2);
}

/* One broken field per case, with the errno it must produce. */
struct bad_case {
    const char *name;
    void (*breakit)(struct image *im);
    int err;
};

static void short_file(struct image *im) { im->len = 63; }
static void bad_magic(struct image *im) { ehdr(im)->e_ident[1] = 'X'; }
static void class32(struct image *im) { ehdr(im)->e_ident[4] = 1; }
static void big_endian(struct image *im) { ehdr(im)->e_ident[5] = 2; }
static void bad_version(struct image *im) { ehdr(im)->e_version = 2; }
static void machine_i386(struct image *im) { ehdr(im)->e_machine = 3; }
static void type_dyn(struct image *im) { ehdr(im)->e_type = 3; }
static void phentsize(struct image *im) { ehdr(im)->e_phentsize = 32; }
static void phnum_zero(struct image *im) { ehdr(im)->e_phnum = 0; }
static void phnum_huge(struct image *im) { ehdr(im)->e_phnum = 65; }
static void phoff_outside(struct image *im) { ehdr(im)->e_phoff = FILE_SIZE - 8; }
static void phoff_wraps(struct image *im) { ehdr(im)->e_phoff = UINT64_MAX - 16; }
static void filesz_gt_memsz(struct image *im) { phdr(im, 1)->p_filesz = 0x4000; }
static void data_outside_file(struct image *im) { phdr(im, 0)->p_offset = FILE_SIZE - 0x100; }
static void offset_wraps(struct image *im) { phdr(im, 0)->p_offset = UINT64_MAX - 0x10; }
static void vaddr_null(struct image *im) { phdr(im, 0)->p_vaddr = 0; ehdr(im)->e_entry = 0x10; }
static void vaddr_kernel(struct image *im) { phdr(im, 1)->p_vaddr = 0xFFFFFFFF80000000ull; }
static void vaddr_noncanonical(struct image *im) { phdr(im, 1)->p_vaddr = 0x0000800000000000ull; }
static void end_past_user(struct image *im) { phdr(im, 1)->p_vaddr = ELF_USER_END - 0x1000; }
static void huge_segment(struct image *im) { phdr(im, 1)->p_memsz = 1ull << 30; }
static void memsz_wraps(struct image *im) { phdr(im, 1)->p_memsz = UINT64_MAX - 0x1000; }
static void overlap(struct image *im) { phdr(im, 1)->p_vaddr = 0x400400; }
static void entry_outside(struct image *im) { ehdr(im)->e_entry = 0x500000; }
static void entry_in_data(struct image *im) { ehdr(im)->e_entry = 0x401010; }
static void unknown_flags(struct image *im) { phdr(im, 1)->p_flags = 0x100; }

static void no_load(struct image *im)
{
    phdr(im, 0)->p_type = 4;
    phdr(im, 1)->p_type = 4;
}

static void too_many_segments(struct image *im)
{
    ehdr(im)->e_phnum = 17;
    for (int i = 0; i < 17; i++)
        *phdr(im, i) = (Elf64_Phdr){1, 5, 0x1000, 0x400000 + 0x1000ull * (uint64_t)i, 0, 0x10, 0x10, 0x1000};
}

static void image_too_big(struct image *im)
{
    ehdr(im)->e_phnum = 3;
    for (int i = 0; i < 3; i++)
        *phdr(im, i) = (Elf64_Phdr){1, 5, 0x1000, 0x400000 + (200ull << 20) * (uint64_t)i, 0, 0x10, 200ull << 20, 0};
}

static const struct bad_case bad_cases[] = {
    {"short file", short_file, -ENOEXEC},
    {"bad magic", bad_magic, -ENOEXEC},
    {"ELF32", class32, -EINVAL},
    {"big endian", big_endian, -EINVAL},
    {"version 2", bad_version, -EINVAL},
    {"i386 machine", machine_i386, -EINVAL},
    {"ET_DYN", type_dyn, -EINVAL},
    {"phentsize 32", phentsize, -ENOEXEC},
    {"phnum 0", phnum_zero, -ENOEXEC},
    {"phnum 65", phnum_huge, -E2BIG},
    {"phdr table past the end", phoff_outside, -ENOEXEC},
    {"phoff wraps", phoff_wraps, -ENOEXEC},
    {"filesz > memsz", filesz_gt_memsz, -ENOEXEC},
    {"segment data past the end", data_outside_file, -ENOEXEC},
    {"segment offset wraps", offset_wraps, -ENOEXEC},
    {"segment at NULL", vaddr_null, -EFAULT},
    {"segment in the kernel", vaddr_kernel, -EFAULT},
    {"segment non-canonical", vaddr_noncanonical, -EFAULT},
    {"segment ends past user space", end_past_user, -EFAULT},
    {"1 GiB segment", huge_segment, -EFBIG},
    {"memsz wraps", memsz_wraps, -EFBIG},
    {"overlapping segments", overlap, -EEXIST},
    {"entry outside segments", entry_outside, -EACCES},
    {"entry in a data segment", entry_in_data, -EACCES},
    {"unknown segment flags", unknown_flags, -ENOEXEC},
    {"no PT_LOAD", no_load, -ENOEXEC},
    {"17 PT_LOAD segments", too_many_segments, -E2BIG},
    {"600 MiB image", image_too_big, -EFBIG},
};

static void test_bad_images(void **state)
{
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        struct image im;
        struct elf_image out;
        make_valid(&im);
        bad_cases[i].breakit(&im);
        int err = validate(&im, &out);
        if (err != bad_cases[i].err)
            fail_msg("%s: got %d, expected %d (%s)", bad_cases[i].name, err, bad_cases[i].err, out.reason);
        assert_non_null(out.reason);
        assert_string_not_equal(out.reason, "ok");
    }
}

static void test_null_buffer(void **state)
{
    struct elf_image out;
    assert_int_equal(elf_validate(NULL, 100, &out), -ENOEXEC);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_image),
        cmocka_unit_test(test_non_load_headers_are_ignored),
        cmocka_unit_test(test_bad_images),
        cmocka_unit_test(test_null_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
