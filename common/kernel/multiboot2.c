/*
 * Multiboot2 boot information: a pure parser over a byte buffer plus the
 * kernel glue that runs it once on GRUB's buffer (see multiboot2.h).
 * Context: mb2_init() runs at boot with interrupts off, before the page
 * allocator; the parsed result is read-only afterwards (no lock needed).
 */
#include "multiboot2.h"
#include "errno.h"
#include "kstring.h"
#include "panic.h"
#include "paging.h"

#define MB2_TAG_HEADER 8        /* u32 type + u32 size */
#define MB2_MMAP_MIN_ENTRY 24   /* u64 base, u64 len, u32 type, u32 reserved */
#define MB2_MAX_INFO_SIZE (1u << 20)   /* GRUB's buffer is a few KiB; more is garbage */

/* Unaligned-safe little-endian loads: a buffer from a test may sit anywhere. */
static uint32_t load_u32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

static uint64_t load_u64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

/* Return the NUL-terminated string at p if it ends within len bytes, else NULL. */
static const char *bounded_string(const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] == '\0')
            return (const char *)p;
    return NULL;
}

static int parse_cmdline(const uint8_t *payload, size_t len, struct mb2_info *out)
{
    const char *s = bounded_string(payload, len);
    if (!s)
        return -EINVAL;
    out->cmdline = s;
    return 0;
}

static int parse_module(const uint8_t *payload, size_t len, struct mb2_info *out)
{
    if (len < 8)
        return -EINVAL;
    uint64_t start = load_u32(payload);
    uint64_t end = load_u32(payload + 4);
    const char *s = bounded_string(payload + 8, len - 8);
    if (!s || end < start)
        return -EINVAL;
    if (out->module_count == MB2_MAX_MODULES) {
        out->dropped++;
        return 0;
    }
    struct mb2_module *m = &out->modules[out->module_count++];
    m->start = start;
    m->end = end;
    m->string = s;
    return 0;
}

static int parse_mmap(const uint8_t *payload, size_t len, struct mb2_info *out)
{
    if (len < 8)
        return -EINVAL;
    uint32_t entry_size = load_u32(payload);
    if (entry_size < MB2_MMAP_MIN_ENTRY || entry_size % 8 != 0)
        return -EINVAL;
    for (size_t off = 8; off + entry_size <= len; off += entry_size) {
        if (out->mmap_count == MB2_MAX_MMAP) {
            out->dropped++;
            continue;
        }
        struct mb2_mmap_entry *e = &out->mmap[out->mmap_count++];
        e->base = load_u64(payload + off);
        e->len = load_u64(payload + off + 8);
        e->type = load_u32(payload + off + 16);
    }
    return 0;
}

static int parse_meminfo(const uint8_t *payload, size_t len, struct mb2_info *out)
{
    if (len < 8)
        return -EINVAL;
    out->has_meminfo = true;
    out->mem_lower_kib = load_u32(payload);
    out->mem_upper_kib = load_u32(payload + 4);
    return 0;
}

/* Dispatch one tag by type; unknown types are skipped (spec 3.6.1). */
static int parse_tag(uint32_t type, const uint8_t *payload, size_t len, struct mb2_info *out)
{
    switch (type) {
    case MB2_TAG_CMDLINE:
        return parse_cmdline(payload, len, out);
    case MB2_TAG_MODULE:
        return parse_module(payload, len, out);
    case MB2_TAG_MMAP:
        return parse_mmap(payload, len, out);
    case MB2_TAG_BASIC_MEMINFO:
        return parse_meminfo(payload, len, out);
    default:
        return 0;
    }
}

int mb2_parse(const void *buf, size_t len, struct mb2_info *out)
{
    const uint8_t *b = buf;
    memset(out, 0, sizeof(*out));
    out->cmdline = "";
    if (!buf || len < MB2_TAG_HEADER)
        return -EINVAL;
    uint32_t total = load_u32(b);
    if (total < MB2_TAG_HEADER || total > len)
        return -EINVAL;
    out->total_size = total;

    size_t off = MB2_TAG_HEADER;   /* skip total_size and reserved */
    while (off + MB2_TAG_HEADER <= total) {
        uint32_t type = load_u32(b + off);
        uint32_t size = load_u32(b + off + 4);
        if (size < MB2_TAG_HEADER || size > total - off)
            return -EINVAL;
        if (type == MB2_TAG_END)
            return 0;
        int err = parse_tag(type, b + off + MB2_TAG_HEADER, size - MB2_TAG_HEADER, out);
        if (err)
            return err;
        off += ALIGN_UP((size_t)size, 8);
    }
    return -EINVAL;   /* no end tag inside total_size */
}

bool mb2_module_matches(const struct mb2_module *m, const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || strncmp(m->string, name, n) != 0)
        return false;
    return m->string[n] == '\0' || m->string[n] == ' ';
}

bool mb2_info_find_module(const struct mb2_info *info, const char *name, uint64_t *start,
                          uint64_t *end)
{
    for (size_t i = 0; i < info->module_count; i++) {
        const struct mb2_module *m = &info->modules[i];
        if (mb2_module_matches(m, name)) {
            *start = m->start;
            *end = m->end;
            return true;
        }
    }
    return false;
}

/* ---- kernel glue ---- */

static struct mb2_info boot_info;
static uint64_t info_phys_start, info_phys_end;

void mb2_init(uint64_t info_phys)
{
    if (info_phys == 0 || info_phys % 8 != 0)
        panic("multiboot2: bad boot information address 0x%lx", info_phys);
    const uint8_t *p = phys_to_virt(info_phys);
    uint32_t total = load_u32(p);
    if (total > MB2_MAX_INFO_SIZE)
        panic("multiboot2: implausible boot information size %u at 0x%lx", total, info_phys);
    int err = mb2_parse(p, total, &boot_info);
    if (err)
        panic("multiboot2: malformed boot information at 0x%lx (size %u)", info_phys, total);
    if (boot_info.mmap_count == 0)
        panic("multiboot2: the boot loader gave no memory map");
    info_phys_start = info_phys;
    info_phys_end = info_phys + total;
}

const struct mb2_info *mb2_boot_info(void) { return &boot_info; }

void mb2_info_range(uint64_t *start, uint64_t *end)
{
    *start = info_phys_start;
    *end = info_phys_end;
}

bool mb2_find_module(const char *name, uint64_t *start, uint64_t *end)
{
    return mb2_info_find_module(&boot_info, name, start, end);
}
