/*
 * ls [-l] [PATH...]: list directories (one name per line, directories with a
 * trailing '/'); -l adds the type and size. A file argument lists itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int long_format;

static void print_entry(const char *name, uint32_t type, uint64_t size)
{
    const char *suffix = type == S_IFDIR ? "/" : "";
    if (long_format) {
        char kind = type == S_IFDIR ? 'd' : type == S_IFCHR ? 'c' : type == S_IFIFO ? 'p' : '-';
        printf("%c %10llu %s%s\n", kind, (unsigned long long)size, name, suffix);
    } else {
        printf("%s%s\n", name, suffix);
    }
}

static int list_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
        return 1;
    }
    if (st.type != S_IFDIR) {
        print_entry(path, st.type, st.size);
        return 0;
    }
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
        return 1;
    }
    struct dirent d;
    int r;
    while ((r = readdir(fd, &d)) > 0)
        print_entry(d.name, d.type, d.size);
    if (r < 0)
        fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
    close(fd);
    return r < 0;
}

int main(int argc, char **argv)
{
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "-l") == 0) {
        long_format = 1;
        first = 2;
    }
    if (first >= argc)
        return list_path("/");
    int status = 0;
    for (int i = first; i < argc; i++) {
        if (argc - first > 1)
            printf("%s:\n", argv[i]);
        status |= list_path(argv[i]);
    }
    return status;
}
