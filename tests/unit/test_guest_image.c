/* Unit tests for guest images (vmx/guest_image.c): ELF32/ELF64 guest
   parsing against hand-built headers (System V gABI field offsets written
   out here, not taken from the code under test). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "guest_image.h"
#include "errno.h"
#include "uapi/vm_abi.h"

static uint8_t file[4096];

static void put(size_t off, uint64_t v, int width)
{
    for (int i = 0; i < width; i++)
        file[off + i] = (uint8_t)(v >> (8 * i));
}

/* ELF64 executable: header, phnum PT_LOAD headers at 64, segment i at file
   offset 0x200 + 0x100 * i, paddr 0x10000 + 0x1000 * i, 0x80 file bytes,
   0x800 memory bytes. */
static void build_elf64(int phnum, uint64_t entry)
{
    memset(file, 0, sizeof(file));
    memcpy(file, "\177ELF", 4);
    file[4] = 2; file[5] = 1; file[6] = 1;
    put(16, 2, 2); put(18, 62, 2); put(20, 1, 4);
    put(24, entry, 8); put(32, 64, 8);
    put(52, 64, 2); put(54, 56, 2); put(56, phnum, 2);
    for (int i = 0; i < phnum; i++) {
        size_t ph = 64 + 56 * i;
        put(ph, 1, 4); put(ph + 4, 5, 4);
        put(ph + 8, 0x200 + 0x100 * i, 8);
        put(ph + 16, 0xdead0000, 8);               /* vaddr: must be ignored */
        put(ph + 24, 0x10000 + 0x1000 * i, 8);     /* paddr */
        put(ph + 32, 0x80, 8); put(ph + 40, 0x800, 8);
    }
}

/* ELF32 executable with one PT_LOAD at paddr 0x2000 (file offset 0x100). */
static void build_elf32(void)
{
    memset(file, 0, sizeof(file));
    memcpy(file, "\177ELF", 4);
    file[4] = 1; file[5] = 1; file[6] = 1;
    put(16, 2, 2); put(18, 3, 2); put(20, 1, 4);
    put(24, 0x2010, 4); put(28, 52, 4);
    put(42, 32, 2); put(44, 1, 2);
    put(52, 1, 4); put(56, 0x100, 4); put(60, 0x8000, 4); put(64, 0x2000, 4);
    put(68, 0x40, 4); put(72, 0x100, 4);
}

static void elf64_ok(void **state)
{
    struct guest_elf g;
    build_elf64(2, 0x10004);
    assert_int_equal(guest_elf_parse(file, sizeof(file), sizeof(file), VM_GPA_LIMIT, &g), 0);
    assert_int_equal(g.mode, VM_MODE_LONG64);
    assert_int_equal(g.entry, 0x10004);
    assert_int_equal(g.nsegments, 2);
    assert_int_equal(g.seg[1].paddr, 0x11000);
    assert_int_equal(g.seg[1].offset, 0x300);
    assert_int_equal(g.seg[1].filesz, 0x80);
    assert_int_equal(g.seg[1].memsz, 0x800);
}

static void elf32_ok(void **state)
{
    struct guest_elf g;
    build_elf32();
    assert_int_equal(guest_elf_parse(file, sizeof(file), sizeof(file), VM_GPA_LIMIT, &g), 0);
    assert_int_equal(g.mode, VM_MODE_PROT32);
    assert_int_equal(g.entry, 0x2010);
    assert_int_equal(g.nsegments, 1);
    assert_int_equal(g.seg[0].paddr, 0x2000);
    assert_int_equal(g.seg[0].offset, 0x100);
    assert_int_equal(g.seg[0].memsz, 0x100);
}

/* Each broken field gives its error and a reason. */
static void elf_broken(void **state)
{
    struct guest_elf g;
    struct { size_t off; uint64_t v; int width; int err; } cases[] = {
        {0, 'X', 1, -ENOEXEC},            /* magic */
        {4, 3, 1, -ENOEXEC},              /* class */
        {5, 2, 1, -ENOEXEC},              /* big endian */
        {16, 3, 2, -ENOEXEC},             /* ET_DYN */
        {18, 3, 2, -ENOEXEC},             /* EM_386 in an ELF64 */
        {54, 32, 2, -ENOEXEC},            /* phentsize */
        {32, 4090, 8, -ENOEXEC},          /* phoff outside the file */
        {64 + 32, 0x900, 8, -ENOEXEC},    /* filesz > memsz */
        {64 + 8, 4095, 8, -ENOEXEC},      /* bytes outside the file */
        {64 + 24, VM_GPA_LIMIT - 0x100, 8, -ERANGE},   /* past the GPA limit */
        {64 + 24, UINT64_MAX - 0x10, 8, -ERANGE},      /* wraps around */
        {64 + 56 + 24, 0x10400, 8, -ENOEXEC},          /* overlaps segment 0 */
        {24, 0x9000, 8, -ENOEXEC},        /* entry outside the segments */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        build_elf64(2, 0x10004);
        put(cases[i].off, cases[i].v, cases[i].width);
        assert_int_equal(guest_elf_parse(file, sizeof(file), sizeof(file), VM_GPA_LIMIT, &g), cases[i].err);
        assert_non_null(g.reason);
    }
    build_elf64(0, 0x10004);
    assert_int_equal(guest_elf_parse(file, sizeof(file), sizeof(file), VM_GPA_LIMIT, &g), -ENOEXEC);
    build_elf64(2, 0x10004);
    assert_int_equal(guest_elf_parse(file, 40, 40, VM_GPA_LIMIT, &g), -ENOEXEC);  /* truncated */
    /* headers in a short head, segments checked against the real file size */
    assert_int_equal(guest_elf_parse(file, 64 + 2 * 56, sizeof(file), VM_GPA_LIMIT, &g), 0);
    assert_int_equal(guest_elf_parse(file, 64 + 56, sizeof(file), VM_GPA_LIMIT, &g), -ENOEXEC);
    assert_int_equal(guest_elf_parse(file, sizeof(file), 0x340, VM_GPA_LIMIT, &g), -ENOEXEC);
    assert_int_equal(guest_elf_parse(file, sizeof(file), 0x380, VM_GPA_LIMIT, &g), 0);
    assert_false(guest_is_elf("\177ELG", 4));
    assert_true(guest_is_elf(file, 4));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(elf64_ok),
        cmocka_unit_test(elf32_ok),
        cmocka_unit_test(elf_broken),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
