/* The line being edited, shared by lineedit.c and completion.c. */
#pragma once

#include <stddef.h>

struct line {
    char *buf;
    size_t size;      /* capacity incl. NUL */
    size_t len;
    size_t cursor;    /* 0..len */
    const char *prompt;
};

/* Insert n bytes at the cursor and show them. */
void line_insert(struct line *l, const char *s, size_t n);
/* Print prompt and line again on a fresh row, cursor where it was. */
void line_reprint(struct line *l);
/* Tab: complete the word before the cursor (program name or path). */
void complete_word(struct line *l);
/* Unbuffered terminal output. */
void out(const char *s, size_t n);
void out_str(const char *s);
