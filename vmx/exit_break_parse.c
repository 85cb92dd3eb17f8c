/*
 * The text form of VM-exit breakpoints (exit_break.h), shared by gdb's
 * `monitor vmexit break` and the shell's `vm break`. Pure code, unit-tested
 * on the host (tests/unit/test_exit_break.c).
 */
#include "exit_break.h"
#include "errno.h"
#include "format.h"
#include "kstring.h"
#include "vmx_arch.h"

static const char *const filter_names[] = {[EXIT_FILTER_PORT] = "port", [EXIT_FILTER_MSR] = "msr",
                                           [EXIT_FILTER_LEAF] = "leaf", [EXIT_FILTER_GPA] = "gpa"};

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

static bool same_word(const char *a, size_t n, const char *b)
{
    size_t i = 0;
    for (; i < n && b[i]; i++)
        if (lower(a[i]) != lower(b[i]))
            return false;
    return i == n && b[i] == '\0';
}

/* Decimal or 0x hex, the whole word; false otherwise. */
static bool parse_number(const char *s, size_t n, uint64_t *v)
{
    uint64_t x = 0;
    unsigned base = 10;
    if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        n -= 2;
    }
    if (n == 0 || n > 16)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = lower(s[i]);
        unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0') : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) : 99;
        if (d >= base)
            return false;
        x = x * base + d;
    }
    *v = x;
    return true;
}

static int parse_reason(const char *w, size_t n, uint32_t *reason)
{
    uint64_t num;
    if (same_word(w, n, "any")) {
        *reason = EXIT_BREAK_ANY;
        return 0;
    }
    if (parse_number(w, n, &num)) {
        if (num >= EXIT_REASON_MAX)
            return -EINVAL;
        *reason = (uint32_t)num;
        return 0;
    }
    for (uint32_t r = 0; r < EXIT_REASON_MAX; r++) {
        if (same_word(w, n, vmx_exit_reason_name(r))) {
            *reason = r;
            return 0;
        }
    }
    return -EINVAL;
}

/* The next blank-separated word of *p: its start and length (0 at the end). */
static size_t next_word(const char **p, const char **word)
{
    while (**p == ' ' || **p == '\t')
        (*p)++;
    *word = *p;
    while (**p && **p != ' ' && **p != '\t')
        (*p)++;
    return (size_t)(*p - *word);
}

static int fail(char *err, size_t size, const char *what, const char *w, size_t n)
{
    ksnprintf(err, size, "%s '%.*s'", what, (int)n, w);
    return -EINVAL;
}

/* One option after the reason: "vm N", "count K", "vm=N", "count=K", "port=N", ... */
static int parse_option(const char **p, const char *w, size_t n, struct exit_break_spec *b, char *err, size_t es)
{
    const char *eq = NULL;
    for (size_t i = 0; i < n && !eq; i++)
        if (w[i] == '=')
            eq = w + i;
    size_t key_len = eq ? (size_t)(eq - w) : n;
    const char *val = eq ? eq + 1 : NULL;
    size_t val_len = eq ? n - key_len - 1 : 0;
    if (!eq && (same_word(w, n, "vm") || same_word(w, n, "count")))
        val_len = next_word(p, &val);
    if (!val || !val_len)
        return fail(err, es, "expected vm N, count K or FILTER=VALUE at", w, n);
    uint64_t v;
    if (!parse_number(val, val_len, &v))
        return fail(err, es, "not a number:", val, val_len);
    if (same_word(w, key_len, "vm")) {
        if (v == 0 || v > 0x7FFFFFFF)
            return fail(err, es, "bad VM id", val, val_len);
        b->vm_id = (int)v;
    } else if (same_word(w, key_len, "count")) {
        if (v == 0 || v > 0xFFFFFFFF)
            return fail(err, es, "count must be 1 or more, not", val, val_len);
        b->count = (uint32_t)v;
    } else {
        for (unsigned f = EXIT_FILTER_PORT; f <= EXIT_FILTER_GPA; f++) {
            if (same_word(w, key_len, filter_names[f])) {
                if (b->filter != EXIT_FILTER_NONE)
                    return fail(err, es, "only one filter, not also", w, n);
                b->filter = (enum exit_break_filter)f;
                b->value = v;
                return 0;
            }
        }
        return fail(err, es, "unknown filter", w, key_len);
    }
    return 0;
}

int exit_break_parse(const char *text, struct exit_break_spec *out, char *err, size_t errsize)
{
    struct exit_break_spec b = {.count = 1};
    const char *p = text, *w;
    size_t n = next_word(&p, &w);
    if (n == 0)
        return fail(err, errsize, "missing exit reason (CPUID, IO_INSTRUCTION, ..., any)", "", 0);
    if (parse_reason(w, n, &b.reason) < 0)
        return fail(err, errsize, "unknown exit reason", w, n);
    while ((n = next_word(&p, &w)) != 0) {
        int rc = parse_option(&p, w, n, &b, err, errsize);
        if (rc < 0)
            return rc;
    }
    *out = b;
    return 0;
}

void exit_break_format(const struct exit_break_spec *b, char *buf, size_t size)
{
    int n = ksnprintf(buf, size, "%s", b->reason == EXIT_BREAK_ANY ? "any" : vmx_exit_reason_name(b->reason));
    if (b->vm_id && n >= 0 && (size_t)n < size)
        n += ksnprintf(buf + n, size - (size_t)n, " vm %d", b->vm_id);
    if (b->filter != EXIT_FILTER_NONE && n >= 0 && (size_t)n < size)
        n += ksnprintf(buf + n, size - (size_t)n, " %s=0x%lx", filter_names[b->filter], b->value);
    if (b->count > 1 && n >= 0 && (size_t)n < size)
        ksnprintf(buf + n, size - (size_t)n, " count %u", b->count);
}
