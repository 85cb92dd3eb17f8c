/*
 * Tab completion for the line editor. The word before the cursor is
 * completed as a command (builtins and the programs in /bin) when it is the
 * first word of the line or of a pipeline stage (after '|') and has no '/',
 * otherwise as a path (relative ones in the working directory). One match: complete it
 * (plus ' ' or '/'); several: extend to their common prefix, or list them
 * when that adds nothing.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "lineedit.h"
#include "shell.h"

#define MATCH_MAX 64

struct matches {
    char name[MATCH_MAX][NAME_MAX];
    int is_dir[MATCH_MAX];
    int count;
};

static void add_match(struct matches *m, const char *name, int is_dir)
{
    for (int i = 0; i < m->count; i++) {
        if (strcmp(m->name[i], name) == 0)
            return;    /* a builtin that is also in /bin */
    }
    if (m->count == MATCH_MAX)
        return;
    strlcpy(m->name[m->count], name, NAME_MAX);
    m->is_dir[m->count++] = is_dir;
}

/* Add the entries of dir starting with prefix (n bytes). */
static void match_dir(struct matches *m, const char *dir, const char *prefix, size_t n)
{
    int fd = open(dir, O_RDONLY);
    if (fd < 0)
        return;
    struct dirent d;
    while (readdir(fd, &d) > 0) {
        if (strncmp(d.name, prefix, n) == 0)
            add_match(m, d.name, d.type == S_IFDIR);
    }
    close(fd);
}

static void match_commands(struct matches *m, const char *prefix, size_t n)
{
    const char *name;
    for (int i = 0; (name = builtin_name(i)); i++) {
        if (strncmp(name, prefix, n) == 0)
            add_match(m, name, 0);
    }
    match_dir(m, "/bin", prefix, n);
}

/* Length of the prefix all matches share. */
static size_t common_prefix(const struct matches *m)
{
    size_t n = strlen(m->name[0]);
    for (int i = 1; i < m->count; i++) {
        size_t k = 0;
        while (k < n && m->name[i][k] == m->name[0][k])
            k++;
        n = k;
    }
    return n;
}

static void list_matches(struct line *l, const struct matches *m)
{
    out_str("\n");
    for (int i = 0; i < m->count; i++) {
        out_str(m->name[i]);
        out_str(m->is_dir[i] ? "/  " : "  ");
    }
    out_str("\n");
    line_reprint(l);
}

/* Whether the word starting at start is in command position: only blanks
   between it and the start of the line or a '|'. */
static int in_command_position(const char *buf, size_t start)
{
    while (start > 0 && buf[start - 1] == ' ')
        start--;
    return start == 0 || buf[start - 1] == '|';
}

void complete_word(struct line *l)
{
    size_t start = l->cursor;
    while (start > 0 && l->buf[start - 1] != ' ')
        start--;
    char word[SHELL_LINE_MAX];
    size_t wlen = l->cursor - start;
    memcpy(word, l->buf + start, wlen);
    word[wlen] = '\0';
    int first_word = in_command_position(l->buf, start);

    static struct matches m;   /* 4 KiB: keep it off the stack */
    m.count = 0;
    char *slash = strrchr(word, '/');
    const char *prefix = slash ? slash + 1 : word;
    size_t plen = strlen(prefix);
    if (first_word && !slash) {
        match_commands(&m, prefix, plen);
    } else {
        char dir[SHELL_LINE_MAX] = ".";
        if (slash == word)
            strlcpy(dir, "/", sizeof(dir));
        else if (slash)
            snprintf(dir, sizeof(dir), "%.*s", (int)(slash - word), word);
        match_dir(&m, dir, prefix, plen);
    }
    if (m.count == 0)
        return;
    size_t common = common_prefix(&m);
    if (common > plen)
        line_insert(l, m.name[0] + plen, common - plen);
    if (m.count == 1)
        line_insert(l, m.is_dir[0] ? "/" : " ", 1);
    else if (common == plen)
        list_matches(l, &m);
}
