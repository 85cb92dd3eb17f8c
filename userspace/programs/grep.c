/*
 * grep [-v] [-c] [-n] [-i] TEXT [FILE...]: print the lines of each FILE
 * (or of stdin) that contain TEXT, a fixed string (no regular
 * expressions). -v prints the lines that do not, -c only their number,
 * -n puts the line number in front, -i ignores ASCII case. With several
 * files each line starts with "FILE:". Exit status 0 when a line was
 * selected, 1 when none was, 2 on an error (as POSIX grep).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define LINE_MAX 1024

struct options {
    int invert, count, number, ignore_case;
    const char *text;
    const char *prefix;          /* "FILE:" with several files, else NULL */
};

/* Whether line contains o->text (ASCII case folded with -i). */
static int line_matches(const struct options *o, const char *line)
{
    size_t n = strlen(o->text);
    for (const char *s = line; *s; s++) {
        size_t i = 0;
        while (i < n && s[i] &&
               (o->ignore_case ? tolower((unsigned char)s[i]) == tolower((unsigned char)o->text[i])
                               : s[i] == o->text[i]))
            i++;
        if (i == n)
            return 1;
    }
    return n == 0;
}

/* One selected line (without its newline), as the options say. */
static void print_line(const struct options *o, long number, const char *line)
{
    if (o->prefix)
        printf("%s:", o->prefix);
    if (o->number)
        printf("%ld:", number);
    printf("%s\n", line);
}

/* The line being collected and the counts of one file. */
struct scan {
    char line[LINE_MAX];
    size_t len;
    long number, selected;
};

/* The collected line is complete: select it or not, start the next. */
static void end_line(const struct options *o, struct scan *sc)
{
    sc->line[sc->len] = '\0';
    sc->number++;
    if (line_matches(o, sc->line) != o->invert) {
        sc->selected++;
        if (!o->count)
            print_line(o, sc->number, sc->line);
    }
    sc->len = 0;
}

/* Scan fd line by line; the number of selected lines, -1 on a read error.
   A line longer than LINE_MAX - 1 bytes is looked at in pieces. */
static long grep_fd(const struct options *o, int fd)
{
    static struct scan sc;
    char buf[512];
    ssize_t n;
    sc.len = 0;
    sc.number = sc.selected = 0;
    while ((n = read(fd, buf, sizeof(buf))) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] == '\n') {
                end_line(o, &sc);
                continue;
            }
            if (sc.len == sizeof(sc.line) - 1)
                end_line(o, &sc);
            sc.line[sc.len++] = buf[i];
        }
    }
    if (n < 0)
        return -1;
    if (sc.len > 0)
        end_line(o, &sc);      /* a last line without newline */
    return sc.selected;
}

/* Take the options; the index of TEXT, or -1 for a bad option. */
static int parse_options(int argc, char **argv, struct options *o)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        for (const char *f = argv[i] + 1; *f; f++) {
            if (*f == 'v')
                o->invert = 1;
            else if (*f == 'c')
                o->count = 1;
            else if (*f == 'n')
                o->number = 1;
            else if (*f == 'i')
                o->ignore_case = 1;
            else
                return -1;
        }
    }
    return i < argc ? i : -1;
}

int main(int argc, char **argv)
{
    struct options o = { 0 };
    int at = parse_options(argc, argv, &o);
    if (at < 0) {
        printf("usage: grep [-v] [-c] [-n] [-i] TEXT [FILE...]\n");
        return 2;
    }
    o.text = argv[at];
    int first = at + 1, status = 1;
    if (first == argc) {
        long r = grep_fd(&o, STDIN_FILENO);
        if (r >= 0 && o.count)
            printf("%ld\n", r);
        return r < 0 ? 2 : r > 0 ? 0 : 1;
    }
    for (int i = first; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY);
        o.prefix = argc - first > 1 ? argv[i] : NULL;
        long r = fd < 0 ? -1 : grep_fd(&o, fd);
        if (r < 0) {
            printf("grep: %s: %s\n", argv[i], strerror(errno));
            status = 2;
        } else {
            if (o.count && o.prefix)
                printf("%s:%ld\n", o.prefix, r);
            else if (o.count)
                printf("%ld\n", r);
            if (r > 0 && status == 1)
                status = 0;
        }
        if (fd >= 0)
            close(fd);
    }
    return status;
}
