/*
 * The boot archive ("initrd"): the file tree the build packs (utils/mkinitrd.c)
 * and GRUB loads as the Multiboot2 module named "initrd". The format is
 * documented in docs/architecture.md, section "Boot archive".
 *
 * The archive is used in place: nothing is copied. initrd_parse() checks
 * every field once (a malformed archive is rejected, never trusted); the
 * accessors afterwards rely on that. Pure code: no locks, no allocation,
 * also compiled into the host unit tests.
 *
 * Layout (all integers little endian):
 *   header   32 bytes  struct initrd_header
 *   entries  count * 32 bytes  struct initrd_entry, parents before children
 *   strings  NUL-terminated canonical paths ("/bin/shell")
 *   data     file contents, each at a 16-byte aligned offset
 */
#pragma once

#include "types.h"

#define INITRD_MAGIC "SWEBARC1"         /* 8 bytes, no NUL stored */
#define INITRD_MAGIC_LEN 8
#define INITRD_VERSION 1
#define INITRD_MAX_ENTRIES 4096
#define INITRD_DATA_ALIGN 16

#define INITRD_TYPE_FILE 1
#define INITRD_TYPE_DIR 2

struct initrd_header {
    char magic[INITRD_MAGIC_LEN];
    uint32_t version;
    uint32_t count;         /* number of entries */
    uint64_t total_size;    /* bytes of the whole archive */
    uint64_t reserved;      /* 0 */
};
_Static_assert(sizeof(struct initrd_header) == 32, "initrd header layout");

struct initrd_entry {
    uint32_t type;          /* INITRD_TYPE_* */
    uint32_t path_len;      /* bytes, without the NUL */
    uint64_t path_offset;   /* from the archive start */
    uint64_t data_offset;   /* from the archive start; 0 for directories */
    uint64_t size;          /* file bytes; 0 for directories */
};
_Static_assert(sizeof(struct initrd_entry) == 32, "initrd entry layout");

/* A parsed archive. Node 0 is the root directory, node i+1 is entry i. */
struct initrd {
    const uint8_t *base;
    uint64_t size;          /* header.total_size */
    uint32_t count;         /* entries (nodes - 1) */
    uint32_t files;         /* regular files */
    uint64_t file_bytes;    /* sum of file sizes */
    const char *error;      /* why initrd_parse() failed, NULL if it did not */
};

#define INITRD_ROOT 0

/*
 * Validate the archive at buf (len readable bytes) and describe it in rd.
 * Returns 0, or -EINVAL with rd->error naming the first problem: short
 * buffer, bad magic or version, too many entries, a path that is not
 * canonical or not NUL-terminated, data or a path beyond the end, an
 * unknown type, a duplicate path, or an entry whose parent directory does
 * not come before it.
 */
int initrd_parse(struct initrd *rd, const void *buf, uint64_t len);

/* Node of the canonical absolute path, or -ENOENT. */
int initrd_lookup(const struct initrd *rd, const char *path);
/* INITRD_TYPE_* of a node. */
uint32_t initrd_node_type(const struct initrd *rd, int node);
uint64_t initrd_node_size(const struct initrd *rd, int node);
const uint8_t *initrd_node_data(const struct initrd *rd, int node);
/* Last path component of a node (not NUL-terminated: *len bytes); "" for the root. */
const char *initrd_node_name(const struct initrd *rd, int node, size_t *len);
/* Full canonical path of a node (NUL-terminated, inside the archive). */
const char *initrd_node_path(const struct initrd *rd, int node);
/* The first child of dir with a node number greater than after, or -ENOENT. */
int initrd_next_child(const struct initrd *rd, int dir, int after);

/* Kernel only (common/fs/initrd_fs.c): mount the parsed archive rd (which
   must stay alive) read-only at the canonical path at. */
int initrd_fs_mount(const char *at, struct initrd *rd);
