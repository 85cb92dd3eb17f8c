/*
 * The SWEB-VX shell (/bin/shell): shared declarations of its parts.
 *   shell.c     read-parse-run loop, the prompt with the working directory
 *   parse.c     command line -> pipeline of stages with redirections
 *   lineedit.c  raw-mode line editor: cursor keys, history, Tab completion
 *   builtins.c  help cd pwd ls cat echo ps mem uptime clear shutdown
 *   jobs.c      running pipelines (fork, pipe, dup2, exec) in the foreground
 *               and background
 */
#pragma once

#include <stddef.h>

#include "parse.h"

#define SHELL_PROMPT_FORMAT "sweb:%s> "   /* %s: the working directory */
#define SHELL_LINE_MAX 256
#define SHELL_ARGS_MAX PARSE_ARGS_MAX

/* Read one edited line (without newline) into buf; its length, -1 on EOF. */
int lineedit_read(const char *prompt, char *buf, size_t size);
/* Remember a line for the up/down keys (empty and repeated lines are skipped). */
void lineedit_add_history(const char *line);

/* Run builtin argv[0] if there is one: 1 with its exit status in *status,
   or 0 when argv[0] is no builtin (or one that leaves these arguments to
   the /bin program of the same name). */
int builtin_run(int argc, char **argv, int *status);
/* Whether name is a builtin command. */
int builtin_name_known(const char *name);
/* Name of builtin number i, NULL after the last (for completion and help). */
const char *builtin_name(int i);

/* Run a parsed pipeline: a lone builtin in the shell itself (with its
   redirections applied around it), anything else in child processes, one
   per stage, connected by pipes; wait unless it runs in the background. */
void job_run(struct pipeline *pl);
/* Report and reap background jobs that have ended. */
void job_reap_finished(void);
/* Whether the terminal is in raw mode (the line editor is active). */
extern int shell_raw_mode;
