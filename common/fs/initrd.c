/*
 * Boot archive parser and accessors (initrd.h). Everything read from the
 * archive is bounds-checked in initrd_parse(); a bad archive is rejected
 * with a reason, it never makes the kernel read outside the buffer.
 * Fields are copied out with memcpy, so the buffer needs no alignment.
 * Pure code, compiled into the kernel and into tests/unit/test_initrd.c.
 */
#include "initrd.h"
#include "kstring.h"
#include "path.h"
#include "errno.h"
#include "abi.h"

static struct initrd_entry entry_at(const struct initrd *rd, uint32_t i)
{
    struct initrd_entry e;
    memcpy(&e, rd->base + sizeof(struct initrd_header) + (uint64_t)i * sizeof(e), sizeof(e));
    return e;
}

/* True when [off, off + len) lies inside [0, size), without overflow. */
static bool range_ok(uint64_t off, uint64_t len, uint64_t size)
{
    return off <= size && len <= size - off;
}

static int reject(struct initrd *rd, const char *why)
{
    rd->error = why;
    return -EINVAL;
}

/* True when the len bytes at p form a canonical path other than "/". */
static bool canonical_path(const char *p, uint64_t len)
{
    if (len < 2 || len >= PATH_MAX || p[0] != '/')
        return false;
    uint64_t start = 1;
    for (uint64_t i = 1; i <= len; i++) {
        if (i < len && p[i] == '\0')
            return false;
        if (i == len || p[i] == '/') {
            if (!path_valid_name(p + start, i - start))
                return false;
            start = i + 1;
        }
    }
    return true;
}

/* Length of the parent directory part of a canonical path ("/a/b" -> 2, "/a" -> 0). */
static uint64_t parent_len(const char *p, uint64_t len)
{
    while (len > 0 && p[len - 1] != '/')
        len--;
    return len > 0 ? len - 1 : 0;
}

/* Node whose path is the len bytes at p among the first n entries (len 0 = root); -ENOENT if none. */
static int find_among(const struct initrd *rd, uint32_t n, const char *p, uint64_t len)
{
    if (len == 0)
        return INITRD_ROOT;
    for (uint32_t i = 0; i < n; i++) {
        struct initrd_entry e = entry_at(rd, i);
        if (e.path_len == len && memcmp(rd->base + e.path_offset, p, len) == 0)
            return (int)i + 1;
    }
    return -ENOENT;
}

/* Check entry i, assuming entries 0..i-1 were checked already. */
static int check_entry(struct initrd *rd, uint32_t i)
{
    struct initrd_entry e = entry_at(rd, i);
    if (e.type != INITRD_TYPE_FILE && e.type != INITRD_TYPE_DIR)
        return reject(rd, "entry of unknown type");
    if (e.path_len >= PATH_MAX)
        return reject(rd, "path too long");
    if (!range_ok(e.path_offset, (uint64_t)e.path_len + 1, rd->size))
        return reject(rd, "path beyond end of archive");
    const char *p = (const char *)rd->base + e.path_offset;
    if (p[e.path_len] != '\0')
        return reject(rd, "path not NUL-terminated");
    if (!canonical_path(p, e.path_len))
        return reject(rd, "path not canonical");
    if (e.type == INITRD_TYPE_DIR && (e.size != 0 || e.data_offset != 0))
        return reject(rd, "directory with data");
    if (e.type == INITRD_TYPE_FILE && !range_ok(e.data_offset, e.size, rd->size))
        return reject(rd, "file data beyond end of archive");
    if (find_among(rd, i, p, e.path_len) >= 0)
        return reject(rd, "duplicate path");
    uint64_t plen = parent_len(p, e.path_len);
    int parent = find_among(rd, i, p, plen);
    if (parent < 0 || (parent != INITRD_ROOT && entry_at(rd, (uint32_t)parent - 1).type != INITRD_TYPE_DIR))
        return reject(rd, "parent directory missing or not before its child");
    if (e.type == INITRD_TYPE_FILE) {
        rd->files++;
        rd->file_bytes += e.size;
    }
    return 0;
}

int initrd_parse(struct initrd *rd, const void *buf, uint64_t len)
{
    struct initrd_header h;
    memset(rd, 0, sizeof(*rd));
    if (!buf || len < sizeof(h))
        return reject(rd, "shorter than the header");
    memcpy(&h, buf, sizeof(h));
    if (memcmp(h.magic, INITRD_MAGIC, INITRD_MAGIC_LEN) != 0)
        return reject(rd, "bad magic");
    if (h.version != INITRD_VERSION)
        return reject(rd, "unsupported version");
    if (h.total_size > len || h.total_size < sizeof(h))
        return reject(rd, "size field does not match the module size");
    if (h.count > INITRD_MAX_ENTRIES)
        return reject(rd, "too many entries");
    if (!range_ok(sizeof(h), (uint64_t)h.count * sizeof(struct initrd_entry), h.total_size))
        return reject(rd, "entry table beyond end of archive");
    rd->base = buf;
    rd->size = h.total_size;
    rd->count = h.count;
    for (uint32_t i = 0; i < h.count; i++) {
        int err = check_entry(rd, i);
        if (err) {
            const char *why = rd->error;
            memset(rd, 0, sizeof(*rd));
            rd->error = why;
            return err;
        }
    }
    return 0;
}

int initrd_lookup(const struct initrd *rd, const char *path)
{
    if (path[0] != '/')
        return -ENOENT;
    uint64_t len = strnlen(path, PATH_MAX);
    if (len == 1)
        return INITRD_ROOT;
    return find_among(rd, rd->count, path, len);
}

uint32_t initrd_node_type(const struct initrd *rd, int node)
{
    return node == INITRD_ROOT ? INITRD_TYPE_DIR : entry_at(rd, (uint32_t)node - 1).type;
}

uint64_t initrd_node_size(const struct initrd *rd, int node)
{
    return node == INITRD_ROOT ? 0 : entry_at(rd, (uint32_t)node - 1).size;
}

const uint8_t *initrd_node_data(const struct initrd *rd, int node)
{
    return node == INITRD_ROOT ? NULL : rd->base + entry_at(rd, (uint32_t)node - 1).data_offset;
}

const char *initrd_node_path(const struct initrd *rd, int node)
{
    return node == INITRD_ROOT ? "/" : (const char *)rd->base + entry_at(rd, (uint32_t)node - 1).path_offset;
}

const char *initrd_node_name(const struct initrd *rd, int node, size_t *len)
{
    if (node == INITRD_ROOT) {
        *len = 0;
        return "";
    }
    struct initrd_entry e = entry_at(rd, (uint32_t)node - 1);
    const char *p = (const char *)rd->base + e.path_offset;
    uint64_t plen = parent_len(p, e.path_len);
    *len = e.path_len - plen - 1;
    return p + plen + 1;
}

int initrd_next_child(const struct initrd *rd, int dir, int after)
{
    const char *dpath = initrd_node_path(rd, dir);
    uint64_t dlen = (dir == INITRD_ROOT) ? 0 : strlen(dpath);
    for (uint32_t i = (after < 0 ? 0 : (uint32_t)after); i < rd->count; i++) {
        struct initrd_entry e = entry_at(rd, i);
        const char *p = (const char *)rd->base + e.path_offset;
        if (parent_len(p, e.path_len) == dlen && memcmp(p, dpath, dlen) == 0)
            return (int)i + 1;
    }
    return -ENOENT;
}
