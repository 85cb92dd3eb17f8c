/*
 * Parsing a command line into a pipeline (parse.h): a tokenizer that
 * tells operators from words, and one pass over the tokens that fills the
 * stages. No system calls and no allocation, so the host unit test
 * (tests/unit/test_shell_parse.c) compiles this file as it is.
 */
#include <string.h>
#include "parse.h"

enum token_kind { TOK_END, TOK_WORD, TOK_PIPE, TOK_IN, TOK_OUT, TOK_APPEND, TOK_BACKGROUND };

struct lexer {
    const char *s;        /* next character of the line */
    char *w, *w_end;      /* where the next word's characters go */
};

static int is_blank(char c) { return c == ' ' || c == '\t'; }
static int is_operator(char c) { return c == '|' || c == '<' || c == '>' || c == '&'; }

/* The operator at lx->s (consumed), or TOK_END when there is none. */
static enum token_kind lex_operator(struct lexer *lx)
{
    switch (*lx->s) {
    case '|': lx->s++; return TOK_PIPE;
    case '<': lx->s++; return TOK_IN;
    case '&': lx->s++; return TOK_BACKGROUND;
    case '>':
        lx->s++;
        if (*lx->s == '>') {
            lx->s++;
            return TOK_APPEND;
        }
        return TOK_OUT;
    default: return TOK_END;
    }
}

/* Copy one word into lx->w and point *word at it; -1 when the buffer is full. */
static int lex_word(struct lexer *lx, char **word)
{
    char quote = 0;
    *word = lx->w;
    for (; *lx->s && (quote || (!is_blank(*lx->s) && !is_operator(*lx->s))); lx->s++) {
        char c = *lx->s;
        if (quote && c == quote) {
            quote = 0;
            continue;
        }
        if (!quote && (c == '"' || c == '\'')) {
            quote = c;
            continue;
        }
        if (c == '\\' && lx->s[1])
            c = *++lx->s;
        if (lx->w + 1 >= lx->w_end)
            return -1;
        *lx->w++ = c;
    }
    *lx->w++ = '\0';
    return 0;
}

/* The next token; its word in *word for TOK_WORD. -1 when words is full. */
static int next_token(struct lexer *lx, char **word)
{
    while (is_blank(*lx->s))
        lx->s++;
    if (*lx->s == '\0')
        return TOK_END;
    enum token_kind op = lex_operator(lx);
    if (op != TOK_END)
        return op;
    return lex_word(lx, word) < 0 ? -1 : TOK_WORD;
}

static const char *operator_text(int tok)
{
    switch (tok) {
    case TOK_PIPE: return "syntax error near '|'";
    case TOK_IN: return "missing file name after '<'";
    case TOK_OUT: return "missing file name after '>'";
    case TOK_APPEND: return "missing file name after '>>'";
    case TOK_BACKGROUND: return "'&' must end the line";
    default: return "syntax error";
    }
}

/* Add a word to the stage: -1 when it has too many. */
static int stage_add_word(struct stage *st, char *word)
{
    if (st->argc >= PARSE_ARGS_MAX - 1)
        return -1;
    st->argv[st->argc++] = word;
    st->argv[st->argc] = NULL;
    return 0;
}

int shell_parse(const char *line, char *words, size_t words_size, struct pipeline *pl,
                const char **error)
{
    struct lexer lx = { line, words, words + words_size };
    memset(pl, 0, sizeof(*pl));
    struct stage *st = &pl->stages[0];
    int tok;
    char *word = NULL;
    *error = NULL;
    while ((tok = next_token(&lx, &word)) != TOK_END) {
        if (tok < 0 || pl->background) {
            *error = tok < 0 ? "line too long" : operator_text(TOK_BACKGROUND);
            return -1;
        }
        if (tok == TOK_WORD) {
            if (stage_add_word(st, word) < 0) {
                *error = "too many arguments";
                return -1;
            }
        } else if (tok == TOK_PIPE) {
            if (st->argc == 0) {
                *error = operator_text(TOK_PIPE);
                return -1;
            }
            if (st == &pl->stages[PARSE_STAGES_MAX - 1]) {
                *error = "too many commands in one pipeline";
                return -1;
            }
            st++;
        } else if (tok == TOK_BACKGROUND) {
            pl->background = 1;
        } else {
            if (next_token(&lx, &word) != TOK_WORD) {
                *error = operator_text(tok);
                return -1;
            }
            if (tok == TOK_IN) {
                st->in = word;
            } else {
                st->out = word;
                st->append = tok == TOK_APPEND;
            }
        }
    }
    pl->nstages = (int)(st - pl->stages) + 1;
    if (st->argc == 0) {
        if (pl->nstages == 1 && !st->in && !st->out && !pl->background) {
            pl->nstages = 0;      /* an empty line */
            return 0;
        }
        *error = pl->nstages > 1 ? operator_text(TOK_PIPE) : "missing command";
        return -1;
    }
    return 0;
}
