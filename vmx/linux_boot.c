/*
 * linux_boot.c: the Linux x86 boot protocol as pure logic (see
 * linux_boot.h). No allocation, no locks, any context. Offsets are those of
 * the kernel's boot.rst (setup header, at the same offsets in the file and
 * in boot_params) and zero-page.rst (the rest of boot_params).
 */
#include "linux_boot.h"
#include "errno.h"
#include "format.h"
#include "kstring.h"

/* Setup header fields (file offset = boot_params offset). */
#define H_SETUP_SECTS 0x1F1
#define H_SYSSIZE 0x1F4          /* protected-mode size in 16-byte units */
#define H_BOOT_FLAG 0x1FE        /* 0xAA55 */
#define H_JUMP 0x200             /* 2-byte jump; its second byte is the header's length - 2 */
#define H_MAGIC 0x202            /* "HdrS" */
#define H_VERSION 0x206
#define H_TYPE_OF_LOADER 0x210
#define H_LOADFLAGS 0x211
#define H_CODE32_START 0x214
#define H_RAMDISK_IMAGE 0x218
#define H_RAMDISK_SIZE 0x21C
#define H_CMD_LINE_PTR 0x228
#define H_INITRD_ADDR_MAX 0x22C
#define H_KERNEL_ALIGNMENT 0x230
#define H_RELOCATABLE 0x234
#define H_XLOADFLAGS 0x236
#define H_CMDLINE_SIZE 0x238
#define H_HARDWARE_SUBARCH 0x23C
#define H_PREF_ADDRESS 0x258
#define H_INIT_SIZE 0x260
#define H_END_2_12 0x264         /* a 2.12 header reaches at least to init_size's end */

/* boot_params outside the setup header (zero-page.rst). */
#define ZP_EXT_RAMDISK_IMAGE 0x0C0
#define ZP_EXT_RAMDISK_SIZE 0x0C4
#define ZP_EXT_CMD_LINE_PTR 0x0C8
#define ZP_E820_ENTRIES 0x1E8
#define ZP_E820_TABLE 0x2D0
#define ZP_E820_MAX 128
#define E820_ENTRY_SIZE 20

#define LOADED_HIGH 0x01         /* loadflags bit 0: protected-mode code at 0x100000 (bzImage) */
#define XLF_KERNEL_64 0x01       /* xloadflags bit 0: 64-bit entry at load address + 0x200 */
#define TYPE_LOADER_UNKNOWN 0xFF
#define ENTRY_64_OFFSET 0x200
#define MIB (1ull << 20)
#define PAGE 0x1000ull

static uint64_t rd(const uint8_t *p, size_t off, int width)
{
    uint64_t v = 0;
    for (int i = width - 1; i >= 0; i--)
        v = (v << 8) | p[off + i];
    return v;
}

static void wr(uint8_t *p, size_t off, uint64_t v, int width)
{
    for (int i = 0; i < width; i++)
        p[off + i] = (uint8_t)(v >> (8 * i));
}

static int reject(struct linux_image *out, const char *why)
{
    strlcpy(out->reason, why, sizeof(out->reason));
    return -ENOEXEC;
}

/* The signatures and the protocol version; header_end is set on success. */
static int check_header(const uint8_t *head, size_t head_len, uint64_t file_size, struct linux_image *out)
{
    size_t have = (size_t)MIN((uint64_t)head_len, file_size);
    if (have < H_MAGIC + 4)
        return reject(out, "truncated: shorter than a boot sector and setup header");
    if (rd(head, H_BOOT_FLAG, 2) != 0xAA55)
        return reject(out, "not a Linux bzImage: no boot flag 0xAA55 at offset 0x1fe");
    if (memcmp(head + H_MAGIC, "HdrS", 4) != 0)
        return reject(out, "not a Linux bzImage: no 'HdrS' setup header at offset 0x202");
    out->version = (uint16_t)rd(head, H_VERSION, 2);
    if (out->version < LINUX_PROTOCOL_MIN) {
        ksnprintf(out->reason, sizeof(out->reason), "boot protocol %u.%02u is too old: 2.12 or later needed",
                  out->version >> 8, out->version & 0xFF);
        return -ENOEXEC;
    }
    out->header_end = H_JUMP + 2 + head[H_JUMP + 1];
    if (out->header_end < H_END_2_12 || out->header_end > have)
        return reject(out, "truncated or damaged: the setup header does not fit the file");
    return 0;
}

int linux_image_parse(const uint8_t *head, size_t head_len, uint64_t file_size, struct linux_image *out)
{
    memset(out, 0, sizeof(*out));
    int err = check_header(head, head_len, file_size, out);
    if (err)
        return err;
    if (!(head[H_LOADFLAGS] & LOADED_HIGH))
        return reject(out, "a zImage (loaded low); only bzImages are supported");
    if (!(rd(head, H_XLOADFLAGS, 2) & XLF_KERNEL_64))
        return reject(out, "no 64-bit entry point (XLF_KERNEL_64 not set): not an x86_64 kernel");
    out->setup_sects = head[H_SETUP_SECTS] ? head[H_SETUP_SECTS] : 4;
    out->kernel_offset = (uint64_t)(out->setup_sects + 1) * 512;
    uint64_t syssize = rd(head, H_SYSSIZE, 4) * 16;
    if (out->kernel_offset >= file_size || syssize > file_size - out->kernel_offset) {
        ksnprintf(out->reason, sizeof(out->reason), "truncated: the header promises %llu bytes, the file has %llu",
                  (unsigned long long)(out->kernel_offset + syssize), (unsigned long long)file_size);
        return -ENOEXEC;
    }
    out->kernel_size = file_size - out->kernel_offset;
    out->pref_address = rd(head, H_PREF_ADDRESS, 8);
    out->init_size = (uint32_t)rd(head, H_INIT_SIZE, 4);
    out->initrd_addr_max = (uint32_t)rd(head, H_INITRD_ADDR_MAX, 4);
    out->cmdline_size = (uint32_t)rd(head, H_CMDLINE_SIZE, 4);
    out->relocatable = head[H_RELOCATABLE] != 0;
    if (out->init_size == 0 || out->init_size < out->kernel_size)
        return reject(out, "damaged setup header: init_size is smaller than the kernel");
    return 0;
}

/* ---- e820 ---- */

/* Append [addr, addr+size) of type to out (unsorted); -ENOSPC if full. */
static int push(struct e820_range *out, int *n, int max, uint64_t addr, uint64_t size, uint32_t type)
{
    if (size == 0)
        return 0;
    if (*n == max)
        return -ENOSPC;
    out[(*n)++] = (struct e820_range){addr, size, type};
    return 0;
}

/* Sort by address (insertion sort: a VM has a few dozen ranges), then merge
   touching neighbours of one type; returns the new count. */
static int sort_merge(struct e820_range *r, int n)
{
    for (int i = 1; i < n; i++) {
        struct e820_range x = r[i];
        int j = i;
        for (; j > 0 && r[j - 1].addr > x.addr; j--)
            r[j] = r[j - 1];
        r[j] = x;
    }
    int out = 0;
    for (int i = 0; i < n; i++) {
        if (out > 0 && r[out - 1].type == r[i].type && r[out - 1].addr + r[out - 1].size == r[i].addr)
            r[out - 1].size += r[i].size;
        else
            r[out++] = r[i];
    }
    return out;
}

int linux_e820_build(const struct e820_range *in, int n, struct e820_range *out, int max)
{
    int count = 0, err = 0;
    for (int i = 0; i < n && !err; i++) {
        uint64_t a = in[i].addr, e = in[i].addr + in[i].size;
        uint64_t ls = MAX(a, LINUX_LOW_RAM_END), le = MIN(e, MIB);
        if (in[i].type != E820_RAM || ls >= le) {
            err = push(out, &count, max, a, e - a, in[i].type);
            continue;
        }
        /* RAM split around the legacy area [LINUX_LOW_RAM_END, 1 MiB) */
        err = push(out, &count, max, a, ls - a, E820_RAM);
        if (!err)
            err = push(out, &count, max, ls, le - ls, E820_RESERVED);
        if (!err)
            err = push(out, &count, max, le, e - le, E820_RAM);
    }
    return err ? -ENOSPC : sort_merge(out, count);
}

/* ---- layout ---- */

static bool ram_covers(const struct e820_range *ram, int n, uint64_t addr, uint64_t size)
{
    for (int i = 0; i < n; i++)
        if (ram[i].type == E820_RAM && ram[i].addr <= addr && addr + size <= ram[i].addr + ram[i].size)
            return true;
    return false;
}

/* The initrd at the highest page boundary in RAM below limit and above floor. */
static int place_initrd(const struct e820_range *ram, int n, uint64_t size, uint64_t floor, uint64_t limit,
                        uint64_t *gpa)
{
    bool found = false;
    for (int i = 0; i < n; i++) {
        if (ram[i].type != E820_RAM)
            continue;
        uint64_t top = MIN(ram[i].addr + ram[i].size, limit);
        if (top < size)
            continue;
        uint64_t at = ALIGN_DOWN(top - size, PAGE);
        if (at < MAX(ram[i].addr, floor) || (found && at <= *gpa))
            continue;
        *gpa = at;
        found = true;
    }
    return found ? 0 : -ENOSPC;
}

int linux_plan_layout(const struct linux_image *img, const struct e820_range *ram, int nram,
                      uint64_t initrd_size, uint64_t cmdline_len, struct linux_plan *out)
{
    memset(out, 0, sizeof(*out));
    out->kernel_gpa = img->pref_address >= MIB ? img->pref_address : MIB;
    out->entry = out->kernel_gpa + ENTRY_64_OFFSET;
    uint64_t kernel_end = out->kernel_gpa + img->init_size;
    if (!ram_covers(ram, nram, out->kernel_gpa, img->init_size)) {
        ksnprintf(out->reason, sizeof(out->reason),
                  "the kernel needs RAM at 0x%llx-0x%llx (init_size): give the VM at least %llu MiB",
                  (unsigned long long)out->kernel_gpa, (unsigned long long)kernel_end,
                  (unsigned long long)((kernel_end + MIB - 1) / MIB));
        return -ENXIO;
    }
    if (!ram_covers(ram, nram, LINUX_ZERO_PAGE_GPA, LINUX_TABLES_END - LINUX_ZERO_PAGE_GPA) ||
        !ram_covers(ram, nram, LINUX_CMDLINE_GPA, LINUX_CMDLINE_MAX)) {
        strlcpy(out->reason, "boot_params, page tables and command line need RAM at 0x7000-0x21000",
                sizeof(out->reason));
        return -ENXIO;
    }
    uint64_t cmd_max = MIN((uint64_t)img->cmdline_size, (uint64_t)LINUX_CMDLINE_MAX - 1);
    if (cmdline_len > cmd_max) {
        ksnprintf(out->reason, sizeof(out->reason), "the command line has %llu bytes, this kernel takes %llu",
                  (unsigned long long)cmdline_len, (unsigned long long)cmd_max);
        return -E2BIG;
    }
    out->cmdline_len = cmdline_len;
    out->initrd_size = initrd_size;
    if (initrd_size && place_initrd(ram, nram, initrd_size, kernel_end, (uint64_t)img->initrd_addr_max + 1,
                                    &out->initrd_gpa) < 0) {
        ksnprintf(out->reason, sizeof(out->reason),
                  "the initrd (%llu KiB) does not fit in RAM above the kernel (0x%llx) and below 0x%llx",
                  (unsigned long long)(initrd_size >> 10), (unsigned long long)kernel_end,
                  (unsigned long long)img->initrd_addr_max + 1);
        return -ENOSPC;
    }
    return 0;
}

/* ---- boot_params, GDT, page tables ---- */

void linux_fill_boot_params(uint8_t *zp, const uint8_t *head, const struct linux_image *img,
                            const struct linux_plan *plan, const struct e820_range *e820, int n)
{
    memset(zp, 0, LINUX_ZERO_PAGE_SIZE);
    memcpy(zp + H_SETUP_SECTS, head + H_SETUP_SECTS, img->header_end - H_SETUP_SECTS);
    zp[H_TYPE_OF_LOADER] = TYPE_LOADER_UNKNOWN;
    wr(zp, H_CODE32_START, plan->kernel_gpa, 4);
    wr(zp, H_CMD_LINE_PTR, LINUX_CMDLINE_GPA, 4);
    wr(zp, H_RAMDISK_IMAGE, plan->initrd_gpa & 0xFFFFFFFFull, 4);
    wr(zp, H_RAMDISK_SIZE, plan->initrd_size & 0xFFFFFFFFull, 4);
    wr(zp, ZP_EXT_RAMDISK_IMAGE, plan->initrd_gpa >> 32, 4);
    wr(zp, ZP_EXT_RAMDISK_SIZE, plan->initrd_size >> 32, 4);
    wr(zp, ZP_EXT_CMD_LINE_PTR, 0, 4);
    wr(zp, H_HARDWARE_SUBARCH, 0, 4);          /* a normal PC */
    n = MIN(n, ZP_E820_MAX);
    zp[ZP_E820_ENTRIES] = (uint8_t)n;
    for (int i = 0; i < n; i++) {
        size_t off = ZP_E820_TABLE + (size_t)i * E820_ENTRY_SIZE;
        wr(zp, off, e820[i].addr, 8);
        wr(zp, off + 8, e820[i].size, 8);
        wr(zp, off + 16, e820[i].type, 4);
    }
}

void linux_boot_gdt(uint64_t gdt[LINUX_GDT_ENTRIES])
{
    /* SDM Vol. 3A 3.4.5: flat 4 GiB; code: L = 1, type execute/read; data: read/write */
    gdt[0] = 0;
    gdt[1] = 0;
    gdt[2] = 0x00AF9B000000FFFFull;   /* 0x10 __BOOT_CS */
    gdt[3] = 0x00CF93000000FFFFull;   /* 0x18 __BOOT_DS */
}

/* Guest paging-entry bits (SDM Vol. 3A 4.5, Tables 4-15 to 4-18). */
#define G_P 1ull
#define G_RW 2ull
#define G_PS 0x80ull

void linux_boot_table_page(int i, uint64_t page[512])
{
    memset(page, 0, 512 * sizeof(uint64_t));
    if (i == 0) {                    /* PML4[0] -> PDPT */
        page[0] = (LINUX_PML4_GPA + PAGE) | G_P | G_RW;
    } else if (i == 1) {             /* PDPT[0..3] -> the four PDs */
        for (int j = 0; j < 4; j++)
            page[j] = (LINUX_PML4_GPA + (uint64_t)(2 + j) * PAGE) | G_P | G_RW;
    } else if (i < LINUX_TABLE_PAGES) {   /* PD i-2: 1 GiB of 2 MiB pages */
        uint64_t base = (uint64_t)(i - 2) << 30;
        for (int j = 0; j < 512; j++)
            page[j] = (base + ((uint64_t)j << 21)) | G_P | G_RW | G_PS;
    }
}
