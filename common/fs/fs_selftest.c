/*
 * selftest=fs: lists /, reads /README.txt, checks the error codes of the
 * VFS against fixed expectations, and writes, reads and removes files in
 * /tmp, checking that every page and heap byte comes back afterwards.
 * Runs from kmain before the scheduler starts.
 */
#include "vfs.h"
#include "ramfs.h"
#include "selftest.h"
#include "pmm.h"
#include "kheap.h"
#include "kstring.h"
#include "kprintf.h"
#include "errno.h"

#define CHECK(cond, ...)                                   \
    do {                                                   \
        if (!(cond)) {                                     \
            kprintf("fs selftest: FAIL: " __VA_ARGS__);    \
            kprintf(" (%s:%d)\n", __FILE__, __LINE__);     \
            return -1;                                     \
        }                                                  \
    } while (0)

/* Print the entries of / and check that README.txt and the mount point tmp are there. */
static int list_root(void)
{
    struct file *f;
    struct dirent d;
    bool readme = false, tmp = false;
    CHECK(vfs_open("/", O_RDONLY, &f) == 0, "open /");
    kprintf("fs selftest: ls /:");
    int r;
    while ((r = vfs_readdir(f, &d)) == 1) {
        kprintf(" %s%s", d.name, d.type == S_IFDIR ? "/" : "");
        readme |= strcmp(d.name, "README.txt") == 0 && d.type == S_IFREG;
        tmp |= strcmp(d.name, "tmp") == 0 && d.type == S_IFDIR;
    }
    kprintf("\n");
    vfs_close(f);
    CHECK(r == 0, "readdir / returned %d", r);
    CHECK(readme && tmp, "README.txt or tmp missing in /");
    return 0;
}

static int read_readme(void)
{
    static const char first[] = "Welcome to SWEB-VX";
    void *buf;
    size_t size;
    struct stat st;
    CHECK(vfs_read_all("/README.txt", &buf, &size) == 0, "read /README.txt");
    CHECK(vfs_stat("/README.txt", &st) == 0 && st.size == size, "stat size %lu", st.size);
    bool ok = size > sizeof(first) && memcmp(buf, first, sizeof(first) - 1) == 0;
    kfree(buf);
    CHECK(ok, "/README.txt does not start with \"%s\"", first);
    kprintf("fs selftest: /README.txt %lu bytes\n", (unsigned long)size);
    return 0;
}

static int open_error(const char *path, int flags)
{
    struct file *f;
    int r = vfs_open(path, flags, &f);
    if (r == 0)
        vfs_close(f);
    return r;
}

static int error_codes(void)
{
    static const char long_name[] =
        "/tmp/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    CHECK(open_error("/no/such/file", O_RDONLY) == -ENOENT, "missing file");
    CHECK(open_error("/README.txt/x", O_RDONLY) == -ENOTDIR, "file as directory");
    CHECK(open_error("/README.txt", O_WRONLY) == -EROFS, "write to /");
    CHECK(open_error("/new.txt", O_CREAT | O_WRONLY) == -EROFS, "create in /");
    CHECK(open_error("/", O_RDWR) == -EISDIR, "open / for writing");
    CHECK(open_error(long_name, O_CREAT | O_WRONLY) == -ENAMETOOLONG, "long name");
    CHECK(open_error("", O_RDONLY) == -ENOENT, "empty path");
    CHECK(vfs_mkdir("/tmp") == -EEXIST, "mkdir /tmp");
    CHECK(vfs_unlink("/tmp") == -EBUSY, "unlink /tmp");
    CHECK(vfs_unlink("/README.txt") == -EROFS, "unlink /README.txt");
    CHECK(vfs_mkdir("/tmp/a/b") == -ENOENT, "mkdir without parent");
    return 0;
}

/* Write n bytes of a pattern to path (created/truncated); 0 or a negative errno. */
static int write_pattern(const char *path, size_t n, int extra_flags)
{
    struct file *f;
    int err = vfs_open(path, O_WRONLY | O_CREAT | extra_flags, &f);
    if (err)
        return err;
    uint8_t chunk[256];     /* odd-sized writes cross page boundaries */
    for (size_t done = 0; done < n && !err;) {
        size_t len = MIN(n - done, (size_t)251);
        for (size_t i = 0; i < len; i++)
            chunk[i] = (uint8_t)((done + i) * 7 + 3);
        if (vfs_write(f, chunk, len) != (ssize_t)len)
            err = -EIO;
        done += len;
    }
    vfs_close(f);
    return err;
}

static int check_pattern(const void *buf, size_t n)
{
    const uint8_t *p = buf;
    for (size_t i = 0; i < n; i++)
        if (p[i] != (uint8_t)(i * 7 + 3))
            return -1;
    return 0;
}

static int tmp_files(void)
{
    const size_t n = 3 * 4096 + 100;
    uint64_t free0 = pmm_free_pages();
    void *buf;
    size_t size;
    struct stat st;
    CHECK(vfs_mkdir("/tmp/d") == 0, "mkdir /tmp/d");
    CHECK(write_pattern("/tmp/d/f", n, O_TRUNC) == 0, "write /tmp/d/f");
    CHECK(free0 - pmm_free_pages() >= 4, "4 data pages expected, %lu used",
          free0 - pmm_free_pages());
    CHECK(vfs_read_all("/tmp/d/f", &buf, &size) == 0, "read back");
    int bad = size != n || check_pattern(buf, n);
    kfree(buf);
    CHECK(!bad, "read back %lu bytes, content %s", (unsigned long)size, bad ? "differs" : "ok");
    CHECK(write_pattern("/tmp/d/f", 10, O_APPEND) == 0, "append");
    CHECK(vfs_stat("/tmp/d/f", &st) == 0 && st.size == n + 10, "size after append %lu", st.size);
    CHECK(vfs_unlink("/tmp/d") == -ENOTEMPTY, "unlink non-empty dir");
    CHECK(write_pattern("/tmp/d/f", 0, O_TRUNC) == 0, "truncate");
    CHECK(vfs_stat("/tmp/d/f", &st) == 0 && st.size == 0, "size after truncate %lu", st.size);
    CHECK(vfs_unlink("/tmp/d/f") == 0 && vfs_unlink("/tmp/d") == 0, "unlink");
    CHECK(vfs_stat("/tmp/d", &st) == -ENOENT, "stat after unlink");
    return 0;
}

/* A write far behind the end leaves a hole that reads as zeros and costs no
   pages; a write beyond the size limit fails with -EFBIG. */
static int tmp_sparse(void)
{
    struct file *f;
    uint8_t b[8] = {1, 1, 1, 1, 1, 1, 1, 1};
    uint64_t free0 = pmm_free_pages();
    CHECK(vfs_open("/tmp/sparse", O_RDWR | O_CREAT, &f) == 0, "create /tmp/sparse");
    CHECK(vfs_seek(f, 1 << 20, SEEK_SET) == 1 << 20, "seek to 1 MiB");
    CHECK(vfs_write(f, "x", 1) == 1, "write at 1 MiB");
    CHECK(free0 - pmm_free_pages() <= 2, "hole took %lu pages", free0 - pmm_free_pages());
    CHECK(vfs_seek(f, 4096 * 5 + 3, SEEK_SET) == 4096 * 5 + 3, "seek into the hole");
    CHECK(vfs_read(f, b, sizeof(b)) == sizeof(b), "read the hole");
    for (size_t i = 0; i < sizeof(b); i++)
        CHECK(b[i] == 0, "hole byte %lu is %u", (unsigned long)i, b[i]);
    CHECK(vfs_seek(f, 0, SEEK_END) == (1 << 20) + 1, "size 1 MiB + 1");
    CHECK(vfs_seek(f, -1, SEEK_SET) == -EINVAL, "negative seek");
    CHECK(vfs_seek(f, 0, 7) == -EINVAL, "bad whence");
    CHECK(vfs_seek(f, (int64_t)RAMFS_MAX_FILE_SIZE, SEEK_SET) >= 0, "seek to the limit");
    CHECK(vfs_write(f, "x", 1) == -EFBIG, "write beyond the limit");
    vfs_close(f);
    CHECK(vfs_unlink("/tmp/sparse") == 0, "unlink /tmp/sparse");
    return 0;
}

/* Many files, one kept open across its unlink: everything must come back. */
static int tmp_churn(void)
{
    char name[32] = "/tmp/file00";
    for (int i = 0; i < 40; i++) {
        name[9] = (char)('0' + i / 10);
        name[10] = (char)('0' + i % 10);
        CHECK(write_pattern(name, 5000, O_TRUNC) == 0, "create %s", name);
    }
    struct file *f;
    CHECK(vfs_open("/tmp/file07", O_RDONLY, &f) == 0, "open file07");
    for (int i = 0; i < 40; i++) {
        name[9] = (char)('0' + i / 10);
        name[10] = (char)('0' + i % 10);
        CHECK(vfs_unlink(name) == 0, "unlink %s", name);
    }
    uint8_t b[16];
    CHECK(vfs_read(f, b, sizeof(b)) == sizeof(b) && check_pattern(b, sizeof(b)) == 0,
          "read an unlinked open file");
    vfs_close(f);
    return 0;
}

static int fs_selftest(void)
{
    if (list_root() || read_readme() || error_codes())
        return -1;
    /* first round warms up the heap (it keeps pages it grew by) */
    if (tmp_files() || tmp_churn() || tmp_sparse())
        return -1;
    uint64_t free0 = pmm_free_pages();
    size_t heap0 = kheap_used_bytes();
    if (tmp_files() || tmp_churn() || tmp_sparse())
        return -1;
    kprintf("fs selftest: free pages %lu -> %lu, heap bytes %lu -> %lu\n",
            free0, pmm_free_pages(), (unsigned long)heap0, (unsigned long)kheap_used_bytes());
    CHECK(pmm_free_pages() == free0 && kheap_used_bytes() == heap0, "memory not returned");
    kprintf("fs selftest: ok\n");
    return 0;
}
SELFTEST("fs", fs_selftest);
