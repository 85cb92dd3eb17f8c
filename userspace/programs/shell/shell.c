/*
 * The shell's main loop: show the prompt `sweb:/> `, read a line (edited in
 * raw terminal mode, see lineedit.c), split it into words, run a builtin or
 * a program from /bin. A trailing `&` runs the program in the background.
 * Finished background jobs are reported before every prompt.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "shell.h"

int shell_raw_mode;

/* Copy one word starting at *p into out (quotes group, backslash escapes). */
static char *next_word(char **p, char **out)
{
    char *s = *p;
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s == '\0')
        return NULL;
    char *word = *out, *w = *out;
    char quote = 0;
    for (; *s && (quote || (*s != ' ' && *s != '\t')); s++) {
        if (quote && *s == quote)
            quote = 0;
        else if (!quote && (*s == '"' || *s == '\''))
            quote = *s;
        else if (*s == '\\' && s[1])
            *w++ = *++s;
        else
            *w++ = *s;
    }
    *w++ = '\0';
    *out = w;
    *p = s;
    return word;
}

/* Split line into argv (storage: words); returns argc, sets *background. */
static int parse_line(char *line, char **argv, char *words, int *background)
{
    int argc = 0;
    char *p = line;
    char *word;
    *background = 0;
    while (argc < SHELL_ARGS_MAX - 1 && (word = next_word(&p, &words)))
        argv[argc++] = word;
    argv[argc] = NULL;
    if (argc > 0 && strcmp(argv[argc - 1], "&") == 0) {
        *background = 1;
        argv[--argc] = NULL;
    } else if (argc > 0) {
        size_t n = strlen(argv[argc - 1]);
        if (n > 1 && argv[argc - 1][n - 1] == '&') {
            *background = 1;
            argv[argc - 1][n - 1] = '\0';
        }
    }
    return argc;
}

static void run_line(char *line)
{
    char words[SHELL_LINE_MAX * 2];
    char *argv[SHELL_ARGS_MAX];
    int background;
    int argc = parse_line(line, argv, words, &background);
    if (argc == 0)
        return;
    if (!background && builtin_run(argc, argv))
        return;
    job_run(argv, background);
}

int main(void)
{
    char line[SHELL_LINE_MAX];
    shell_raw_mode = tty_ctl(TTY_SET_RAW, 1) == 0;
    for (;;) {
        job_reap_finished();
        int n = lineedit_read(SHELL_PROMPT, line, sizeof(line));
        if (n < 0) {
            sleep_ms(100);    /* no terminal input: do not spin */
            continue;
        }
        lineedit_add_history(line);
        run_line(line);
        fflush(stdout);
    }
}
