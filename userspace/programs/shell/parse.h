/*
 * The shell's command-line grammar, pure string logic (host unit-tested):
 *
 *   line     := stage ('|' stage)* ['&']
 *   stage    := (word | '<' word | '>' word | '>>' word)+
 *   word     := characters other than blanks and | < > &; "..." and '...'
 *               group, backslash takes the next character literally
 *
 * '<' gives a stage's stdin a file, '>' its stdout (created or truncated),
 * '>>' appends. A trailing '&' runs the whole line in the background.
 */
#pragma once

#include <stddef.h>

#define PARSE_ARGS_MAX 32     /* argv entries per stage, NULL included */
#define PARSE_STAGES_MAX 8

struct stage {
    int argc;
    char *argv[PARSE_ARGS_MAX];   /* NULL-terminated */
    const char *in;               /* '<' file, or NULL */
    const char *out;              /* '>' or '>>' file, or NULL */
    int append;                   /* out was given with '>>' */
};

struct pipeline {
    int nstages;                  /* 0: an empty line */
    struct stage stages[PARSE_STAGES_MAX];
    int background;
};

/* Parse line into *pl; the words are stored in words (words_size bytes,
   twice the line's length is always enough). 0, or -1 with *error set to
   a message such as "syntax error near '|'". */
int shell_parse(const char *line, char *words, size_t words_size, struct pipeline *pl,
                const char **error);
