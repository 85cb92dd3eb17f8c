/*
 * mkinitrd: pack files and directory trees into a SWEB-VX boot archive
 * (format: common/include/initrd.h, docs/architecture.md "Boot archive").
 * A host tool, built with the host compiler by cmake/image.cmake.
 *
 *   mkinitrd -o OUT [-f SRC DEST]... [-d SRCDIR DESTDIR]...
 *
 * -f puts the file SRC at the absolute archive path DEST; -d puts every
 * file below SRCDIR under DESTDIR. Entries are sorted by path, so the same
 * inputs give the same archive. Parent directories are created as needed. Names the
 * kernel would refuse (too long, "." or "..") are errors here already.
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "initrd.h"

#define ARCHIVE_PATH_MAX 256    /* PATH_MAX of uapi/abi.h */
#define ARCHIVE_NAME_MAX 64     /* NAME_MAX of uapi/abi.h */

struct item {
    char path[ARCHIVE_PATH_MAX];
    char *src;                  /* NULL for directories */
    uint32_t type;
    uint64_t size;
    uint64_t path_offset, data_offset;
};

static struct item *items;
static size_t item_count, item_cap;

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "mkinitrd: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static struct item *find_item(const char *path)
{
    for (size_t i = 0; i < item_count; i++)
        if (strcmp(items[i].path, path) == 0)
            return &items[i];
    return NULL;
}

/* Check that path is canonical: "/a/b", no empty, "." or ".." parts, short names. */
static void check_path(const char *path)
{
    size_t len = strlen(path);
    if (len < 2 || len >= ARCHIVE_PATH_MAX || path[0] != '/')
        die("bad archive path \"%s\" (absolute, 2..%d bytes)", path, ARCHIVE_PATH_MAX - 1);
    const char *p = path + 1;
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (n == 0 || n >= ARCHIVE_NAME_MAX || (n == 1 && p[0] == '.') ||
            (n == 2 && p[0] == '.' && p[1] == '.'))
            die("bad name in archive path \"%s\" (1..%d bytes, not . or ..)", path,
                ARCHIVE_NAME_MAX - 1);
        p += n + (slash ? 1 : 0);
        if (slash && !*p)
            die("trailing slash in \"%s\"", path);
    }
}

static struct item *new_item(const char *path, uint32_t type)
{
    if (item_count == INITRD_MAX_ENTRIES)
        die("more than %d entries", INITRD_MAX_ENTRIES);
    if (item_count == item_cap) {
        item_cap = item_cap ? item_cap * 2 : 64;
        items = realloc(items, item_cap * sizeof(*items));
        if (!items)
            die("out of memory");
    }
    struct item *it = &items[item_count++];
    memset(it, 0, sizeof(*it));
    snprintf(it->path, sizeof(it->path), "%s", path);
    it->type = type;
    return it;
}

/* Add directory path and its parents (each once, parents first). */
static void add_dir(const char *path)
{
    if (strcmp(path, "/") == 0)
        return;
    check_path(path);
    struct item *old = find_item(path);
    if (old) {
        if (old->type != INITRD_TYPE_DIR)
            die("\"%s\" is both a file and a directory", path);
        return;
    }
    char parent[ARCHIVE_PATH_MAX];
    snprintf(parent, sizeof(parent), "%s", path);
    char *slash = strrchr(parent, '/');
    *(slash == parent ? slash + 1 : slash) = '\0';
    add_dir(parent);
    new_item(path, INITRD_TYPE_DIR);
}

static void add_file(const char *src, const char *dest)
{
    struct stat st;
    check_path(dest);
    if (stat(src, &st) != 0)
        die("%s: %s", src, strerror(errno));
    if (!S_ISREG(st.st_mode))
        die("%s: not a regular file", src);
    if (find_item(dest))
        die("\"%s\" added twice (second from %s)", dest, src);
    char parent[ARCHIVE_PATH_MAX];
    snprintf(parent, sizeof(parent), "%s", dest);
    char *slash = strrchr(parent, '/');
    *(slash == parent ? slash + 1 : slash) = '\0';
    add_dir(parent);
    struct item *it = new_item(dest, INITRD_TYPE_FILE);
    it->src = strdup(src);
    it->size = (uint64_t)st.st_size;
}

static void join(char *out, size_t size, const char *a, const char *b)
{
    int n = snprintf(out, size, "%s%s%s", a, strcmp(a, "/") == 0 ? "" : "/", b);
    if (n < 0 || (size_t)n >= size)
        die("path too long: %s/%s", a, b);
}

/* Add every file and directory below src under dest, sorted by name. */
static void add_tree(const char *src, const char *dest)
{
    struct dirent **names;
    int n = scandir(src, &names, NULL, alphasort);
    if (n < 0)
        die("%s: %s", src, strerror(errno));
    add_dir(dest);
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        char s[4096], d[ARCHIVE_PATH_MAX + 64];
        struct stat st;
        if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0) {
            join(s, sizeof(s), src, name);
            join(d, sizeof(d), dest, name);
            if (stat(s, &st) != 0)
                die("%s: %s", s, strerror(errno));
            if (S_ISDIR(st.st_mode))
                add_tree(s, d);
            else if (S_ISREG(st.st_mode))
                add_file(s, d);
        }
        free(names[i]);
    }
    free(names);
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const struct item *)a)->path, ((const struct item *)b)->path);
}

/* Give every path and file its offset; returns the archive size. Entries are
   sorted by path: listings come out in name order, and a directory (a
   prefix of its children's paths) always comes before its children. */
static uint64_t layout(void)
{
    qsort(items, item_count, sizeof(*items), by_path);
    uint64_t off = sizeof(struct initrd_header) + item_count * sizeof(struct initrd_entry);
    for (size_t i = 0; i < item_count; i++) {
        items[i].path_offset = off;
        off += strlen(items[i].path) + 1;
    }
    for (size_t i = 0; i < item_count; i++) {
        if (items[i].type != INITRD_TYPE_FILE)
            continue;
        off = (off + INITRD_DATA_ALIGN - 1) & ~(uint64_t)(INITRD_DATA_ALIGN - 1);
        items[i].data_offset = off;
        off += items[i].size;
    }
    return off;
}

/* Build the whole archive in memory. */
static uint8_t *build(uint64_t *size_out)
{
    uint64_t size = layout();
    uint8_t *a = calloc(1, size);
    if (!a)
        die("out of memory (%llu bytes)", (unsigned long long)size);
    memcpy(a, INITRD_MAGIC, INITRD_MAGIC_LEN);
    put32(a + 8, INITRD_VERSION);
    put32(a + 12, (uint32_t)item_count);
    put64(a + 16, size);
    for (size_t i = 0; i < item_count; i++) {
        struct item *it = &items[i];
        uint8_t *e = a + sizeof(struct initrd_header) + i * sizeof(struct initrd_entry);
        put32(e, it->type);
        put32(e + 4, (uint32_t)strlen(it->path));
        put64(e + 8, it->path_offset);
        put64(e + 16, it->data_offset);
        put64(e + 24, it->size);
        memcpy(a + it->path_offset, it->path, strlen(it->path) + 1);
        if (it->type != INITRD_TYPE_FILE)
            continue;
        FILE *in = fopen(it->src, "rb");
        if (!in || fread(a + it->data_offset, 1, it->size, in) != it->size)
            die("%s: cannot read %llu bytes", it->src, (unsigned long long)it->size);
        fclose(in);
    }
    *size_out = size;
    return a;
}

static void usage(void)
{
    die("usage: mkinitrd -o OUT [-f SRC DEST]... [-d SRCDIR DESTDIR]...");
}

int main(int argc, char **argv)
{
    const char *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (strcmp(argv[i], "-f") == 0 && i + 2 < argc) {
            add_file(argv[i + 1], argv[i + 2]);
            i += 2;
        } else if (strcmp(argv[i], "-d") == 0 && i + 2 < argc) {
            add_tree(argv[i + 1], argv[i + 2]);
            i += 2;
        } else {
            usage();
        }
    }
    if (!out)
        usage();
    uint64_t size;
    uint8_t *a = build(&size);
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp", out);
    FILE *f = fopen(tmp, "wb");
    if (!f || fwrite(a, 1, size, f) != size || fclose(f) != 0 || rename(tmp, out) != 0)
        die("%s: cannot write: %s", out, strerror(errno));
    free(a);
    return 0;
}
