/*
 * wc [-l] [-w] [-c] [FILE...]: count the lines (newline characters), words
 * (runs of non-blank characters) and bytes of each FILE, or of stdin
 * without FILE, and print them POSIX style: "LINES WORDS BYTES [FILE]",
 * plus a "total" line for more than one file. -l, -w and -c choose which
 * counts to print. Exit status 1 when a file could not be read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct counts {
    unsigned long lines, words, bytes;
};

static int show_lines, show_words, show_bytes;

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

/* Count everything readable on fd into *c: 0, or -1 (errno) on a read error. */
static int count_fd(int fd, struct counts *c)
{
    char buf[512];
    int in_word = 0;
    ssize_t n;
    memset(c, 0, sizeof(*c));
    while ((n = read(fd, buf, sizeof(buf))) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] == '\n')
                c->lines++;
            if (is_space(buf[i]))
                in_word = 0;
            else if (!in_word) {
                in_word = 1;
                c->words++;
            }
        }
        c->bytes += (unsigned long)n;
    }
    return n < 0 ? -1 : 0;
}

static void print_counts(const struct counts *c, const char *name)
{
    const char *sep = "";
    if (show_lines) {
        printf("%lu", c->lines);
        sep = " ";
    }
    if (show_words) {
        printf("%s%lu", sep, c->words);
        sep = " ";
    }
    if (show_bytes)
        printf("%s%lu", sep, c->bytes);
    printf(name ? " %s\n" : "\n", name);
}

/* Take -l/-w/-c options; returns the index of the first file argument. */
static int parse_options(int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        for (const char *o = argv[i] + 1; *o; o++) {
            if (*o == 'l')
                show_lines = 1;
            else if (*o == 'w')
                show_words = 1;
            else if (*o == 'c')
                show_bytes = 1;
            else
                return -1;
        }
    }
    if (!show_lines && !show_words && !show_bytes)
        show_lines = show_words = show_bytes = 1;
    return i;
}

int main(int argc, char **argv)
{
    int first = parse_options(argc, argv);
    if (first < 0) {
        printf("usage: wc [-l] [-w] [-c] [FILE...]\n");
        return 2;
    }
    struct counts c, total = { 0, 0, 0 };
    if (first == argc) {
        if (count_fd(STDIN_FILENO, &c) < 0) {
            printf("wc: stdin: %s\n", strerror(errno));
            return 1;
        }
        print_counts(&c, NULL);
        return 0;
    }
    int status = 0;
    for (int i = first; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0 || count_fd(fd, &c) < 0) {
            printf("wc: %s: %s\n", argv[i], strerror(errno));
            status = 1;
        } else {
            print_counts(&c, argv[i]);
            total.lines += c.lines;
            total.words += c.words;
            total.bytes += c.bytes;
        }
        if (fd >= 0)
            close(fd);
    }
    if (argc - first > 1)
        print_counts(&total, "total");
    return status;
}
