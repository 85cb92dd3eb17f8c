/* cat FILE...: copy each file (or stdin without arguments) to stdout. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Copy fd to stdout until end of file; 0 or -errno. */
static int copy_fd(int fd)
{
    char buf[512];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n == 0)
            return 0;
        if (n < 0)
            return -errno;
        if (write(STDOUT_FILENO, buf, (size_t)n) != n)
            return -errno;
    }
}

static int cat_file(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "cat: %s: %s\n", path, strerror(errno));
        return 1;
    }
    int err = copy_fd(fd);
    close(fd);
    if (err) {
        fprintf(stderr, "cat: %s: %s\n", path, strerror(-err));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return copy_fd(STDIN_FILENO) ? 1 : 0;
    int status = 0;
    for (int i = 1; i < argc; i++)
        status |= cat_file(argv[i]);
    return status;
}
