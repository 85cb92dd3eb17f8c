/*
 * Kernel command line: a private copy of the boot loader's string, split
 * into `key=value` / `key` words (see cmdline.h). Pure code (no hardware),
 * so the host unit tests run it unchanged.
 * Context: cmdline_init() runs once at boot, single-threaded; afterwards
 * everything is read-only and callable from any context without a lock.
 * Input longer than CMDLINE_MAX - 1 characters is cut; a word cut in the
 * middle is dropped, so a truncated value is never mistaken for a real one.
 * Words beyond CMDLINE_MAX_WORDS are ignored.
 */
#include "cmdline.h"
#include "kstring.h"

struct cmdline_word {
    const char *key;
    const char *value;
};

static char raw_copy[CMDLINE_MAX];
static char split_buf[CMDLINE_MAX];
static struct cmdline_word words[CMDLINE_MAX_WORDS];
static size_t word_count;

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Copy raw into raw_copy, cut to fit; true when the cut split a word. */
static bool copy_raw(const char *raw)
{
    size_t i = 0;
    for (; raw[i] != '\0' && i < CMDLINE_MAX - 1; i++)
        raw_copy[i] = raw[i];
    raw_copy[i] = '\0';
    return raw[i] != '\0' && !is_space(raw[i]);
}

/* Record the word starting at w (already NUL-terminated in split_buf). */
static void add_word(char *w)
{
    if (word_count == CMDLINE_MAX_WORDS)
        return;
    char *eq = strchr(w, '=');
    if (eq == w)
        return;   /* "=value" has no key */
    if (eq) {
        *eq = '\0';
        words[word_count].value = eq + 1;
    } else {
        words[word_count].value = "";
    }
    words[word_count].key = w;
    word_count++;
}

void cmdline_init(const char *raw)
{
    word_count = 0;
    bool cut = copy_raw(raw ? raw : "");
    memcpy(split_buf, raw_copy, sizeof(split_buf));

    size_t len = strlen(split_buf);
    if (cut)   /* drop the word the cut went through */
        while (len > 0 && !is_space(split_buf[len - 1]))
            split_buf[--len] = '\0';

    size_t i = 0;
    while (i < len) {
        while (i < len && is_space(split_buf[i]))
            split_buf[i++] = '\0';
        if (i == len)
            break;
        char *w = &split_buf[i];
        while (i < len && !is_space(split_buf[i]))
            i++;
        split_buf[i] = '\0';   /* i <= len < CMDLINE_MAX */
        add_word(w);
        i++;
    }
}

const char *cmdline_get(const char *key)
{
    for (size_t i = word_count; i > 0; i--)   /* later words win */
        if (strcmp(words[i - 1].key, key) == 0)
            return words[i - 1].value;
    return NULL;
}

bool cmdline_has(const char *key) { return cmdline_get(key) != NULL; }

static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return 99;
}

uint64_t cmdline_get_u64(const char *key, uint64_t dflt)
{
    const char *s = cmdline_get(key);
    if (!s || *s == '\0')
        return dflt;
    uint64_t base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        if (*s == '\0')
            return dflt;
    }
    uint64_t v = 0;
    for (; *s; s++) {
        uint64_t d = (uint64_t)digit_value(*s);
        if (d >= base || v > (UINT64_MAX - d) / base)
            return dflt;   /* not a digit, or overflow */
        v = v * base + d;
    }
    return v;
}

const char *cmdline_raw(void) { return raw_copy; }
