/*
 * head [-n N] [FILE...]: the first N lines (default 10) of each FILE, or
 * of stdin without FILE. With several files each one is introduced by
 * "==> FILE <==". Stops reading as soon as N lines are out, so
 * `producer | head -n 1` ends early (the producer then sees EPIPE).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_LINES 10

/* Copy the first `lines` lines of fd to stdout: 0, or -1 on a read error. */
static int head_fd(int fd, long lines)
{
    char buf[512];
    ssize_t n = 0;
    while (lines > 0 && (n = read(fd, buf, sizeof(buf))) > 0) {
        ssize_t keep = 0;
        while (keep < n && lines > 0) {
            if (buf[keep++] == '\n')
                lines--;
        }
        fwrite(buf, 1, (size_t)keep, stdout);
    }
    fflush(stdout);
    return n < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
    long lines = DEFAULT_LINES;
    int first = 1;
    if (argc > 2 && strcmp(argv[1], "-n") == 0) {
        char *end;
        lines = strtol(argv[2], &end, 10);
        if (*end || lines < 0) {
            printf("head: bad line count: %s\n", argv[2]);
            return 2;
        }
        first = 3;
    }
    if (first == argc)
        return head_fd(STDIN_FILENO, lines) < 0;
    int status = 0;
    for (int i = first; i < argc; i++) {
        if (argc - first > 1)
            printf("%s==> %s <==\n", i > first ? "\n" : "", argv[i]);
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0 || head_fd(fd, lines) < 0) {
            printf("head: %s: %s\n", argv[i], strerror(errno));
            status = 1;
        }
        if (fd >= 0)
            close(fd);
    }
    return status;
}
