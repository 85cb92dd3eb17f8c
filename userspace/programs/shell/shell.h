/*
 * The SWEB-VX shell (/bin/shell): shared declarations of its parts.
 *   shell.c     read-parse-run loop, command line parsing
 *   lineedit.c  raw-mode line editor: cursor keys, history, Tab completion
 *   builtins.c  help ls cat echo ps mem uptime clear shutdown
 *   jobs.c      running /bin programs in the foreground and background
 */
#pragma once

#include <stddef.h>

#define SHELL_PROMPT "sweb:/> "
#define SHELL_LINE_MAX 256
#define SHELL_ARGS_MAX 32

/* Read one edited line (without newline) into buf; its length, -1 on EOF. */
int lineedit_read(const char *prompt, char *buf, size_t size);
/* Remember a line for the up/down keys (empty and repeated lines are skipped). */
void lineedit_add_history(const char *line);

/* Run builtin argv[0] if there is one; 1 if it was a builtin, else 0. */
int builtin_run(int argc, char **argv);
/* Name of builtin number i, NULL after the last (for completion and help). */
const char *builtin_name(int i);

/* Start /bin/NAME (or a path) with argv; wait unless background. */
void job_run(char **argv, int background);
/* Report and reap background jobs that have ended. */
void job_reap_finished(void);
/* Whether the terminal is in raw mode (the line editor is active). */
extern int shell_raw_mode;
