/*
 * The shell's main loop: show the prompt `sweb:CWD> ` (`sweb:/> ` at
 * first), read a line (edited in raw terminal mode, see lineedit.c), parse
 * it into a pipeline (parse.c) and run it (jobs.c): builtins, programs
 * from /bin, `a | b | c`, `< file`, `> file`, `>> file`, and a trailing `&`
 * for the background. Finished background jobs are reported before every
 * prompt.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "shell.h"

int shell_raw_mode;

static void run_line(const char *line)
{
    char words[SHELL_LINE_MAX * 2];
    static struct pipeline pl;
    const char *error;
    if (shell_parse(line, words, sizeof(words), &pl, &error) < 0) {
        printf("shell: %s\n", error);
        return;
    }
    if (pl.nstages > 0)
        job_run(&pl);
}

/* "sweb:CWD> " into buf. */
static void make_prompt(char *buf, size_t size)
{
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof(cwd)))
        strlcpy(cwd, "?", sizeof(cwd));
    snprintf(buf, size, SHELL_PROMPT_FORMAT, cwd);
}

int main(void)
{
    char line[SHELL_LINE_MAX];
    char prompt[PATH_MAX + 16];
    shell_raw_mode = tty_ctl(TTY_SET_RAW, 1) == 0;
    for (;;) {
        job_reap_finished();
        make_prompt(prompt, sizeof(prompt));
        int n = lineedit_read(prompt, line, sizeof(line));
        if (n < 0) {
            sleep_ms(100);    /* no terminal input: do not spin */
            continue;
        }
        lineedit_add_history(line);
        run_line(line);
        fflush(stdout);
    }
}
