/*
 * Line editor for the shell in raw terminal mode: the kernel hands us every
 * byte as typed and echoes nothing, so we echo and move the cursor
 * ourselves. Cursor movement uses only '\b', printable characters and
 * spaces, which both the serial terminal and the VGA console understand.
 * Keys: printable = insert; Backspace/^H; Delete (ESC[3~) / ^D; Left/Right
 * (ESC[D ESC[C); Home (ESC[H ESC[1~ ESC[7~ ESC OH ^A); End (ESC[F ESC[4~
 * ESC[8~ ESC OF ^E); Up/Down (ESC[A ESC[B) = history; Tab = completion;
 * ^U clears, ^K cuts to the end, ^C abandons the line, ^L clears the screen.
 * Enter is '\r' or '\n'; "\r\n" counts once.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "lineedit.h"
#include "shell.h"

#define HISTORY_MAX 32

enum key {
    KEY_NONE = 0x100, KEY_LEFT, KEY_RIGHT, KEY_UP, KEY_DOWN, KEY_HOME,
    KEY_END, KEY_DELETE, KEY_EOF
};

enum { LINE_ENTER = 1, LINE_CANCEL = 2 };

static char history[HISTORY_MAX][SHELL_LINE_MAX];
static int history_count;          /* entries used (oldest first) */
static int last_enter_was_cr;

void out(const char *s, size_t n)
{
    fflush(stdout);
    write(STDOUT_FILENO, s, n);
}

void out_str(const char *s)
{
    out(s, strlen(s));
}

static void out_repeat(char c, size_t n)
{
    char chunk[32];
    memset(chunk, c, sizeof(chunk));
    while (n > 0) {
        size_t k = n < sizeof(chunk) ? n : sizeof(chunk);
        out(chunk, k);
        n -= k;
    }
}

/* One byte from the terminal; KEY_EOF when input is gone. */
static int read_byte(void)
{
    unsigned char c;
    for (int tries = 0; tries < 50; tries++) {
        ssize_t n = read(STDIN_FILENO, &c, 1);
        if (n == 1)
            return c;
        sleep_ms(20);     /* nothing to read: back off, do not spin */
    }
    return KEY_EOF;
}

/* Decode the rest of an escape sequence (after ESC). */
static int read_escape(void)
{
    int c = read_byte();
    if (c != '[' && c != 'O')
        return KEY_NONE;
    int num = 0;
    for (;;) {
        c = read_byte();
        if (c >= '0' && c <= '9')
            num = num * 10 + (c - '0');
        else
            break;
    }
    switch (c) {
    case 'A': return KEY_UP;
    case 'B': return KEY_DOWN;
    case 'C': return KEY_RIGHT;
    case 'D': return KEY_LEFT;
    case 'H': return KEY_HOME;
    case 'F': return KEY_END;
    case '~':
        if (num == 1 || num == 7) return KEY_HOME;
        if (num == 4 || num == 8) return KEY_END;
        if (num == 3) return KEY_DELETE;
        return KEY_NONE;
    default: return KEY_NONE;
    }
}

static int read_key(void)
{
    int c = read_byte();
    return c == 0x1b ? read_escape() : c;
}

/* Redraw from the cursor to the end, blank `extra` old cells, come back. */
static void redraw_tail(struct line *l, size_t extra)
{
    size_t tail = l->len - l->cursor;
    out(l->buf + l->cursor, tail);
    out_repeat(' ', extra);
    out_repeat('\b', tail + extra);
}

static void move_left(struct line *l, size_t n)
{
    out_repeat('\b', n);
    l->cursor -= n;
}

static void move_right(struct line *l, size_t n)
{
    out(l->buf + l->cursor, n);
    l->cursor += n;
}

void line_insert(struct line *l, const char *s, size_t n)
{
    if (l->len + n >= l->size)
        n = l->size - 1 - l->len;
    memmove(l->buf + l->cursor + n, l->buf + l->cursor, l->len - l->cursor);
    memcpy(l->buf + l->cursor, s, n);
    l->len += n;
    out(l->buf + l->cursor, n);
    l->cursor += n;
    redraw_tail(l, 0);
}

/* Remove the character under the cursor (Delete). */
static void delete_at_cursor(struct line *l)
{
    if (l->cursor == l->len)
        return;
    memmove(l->buf + l->cursor, l->buf + l->cursor + 1, l->len - l->cursor - 1);
    l->len--;
    redraw_tail(l, 1);
}

static void backspace(struct line *l)
{
    if (l->cursor == 0)
        return;
    move_left(l, 1);
    delete_at_cursor(l);
}

/* Remove everything from the cursor to the end (^K). */
static void cut_to_end(struct line *l)
{
    size_t cut = l->len - l->cursor;
    l->len = l->cursor;
    out_repeat(' ', cut);
    out_repeat('\b', cut);
}

/* Replace the whole line with text (history recall, ^U). */
static void replace_line(struct line *l, const char *text)
{
    size_t old_len = l->len;
    move_left(l, l->cursor);
    l->len = strlcpy(l->buf, text, l->size);
    if (l->len >= l->size)
        l->len = l->size - 1;
    out(l->buf, l->len);
    l->cursor = l->len;
    if (old_len > l->len) {
        out_repeat(' ', old_len - l->len);
        out_repeat('\b', old_len - l->len);
    }
}

/* Redisplay prompt and line on a fresh row (after a listing, ^L). */
void line_reprint(struct line *l)
{
    out_str(l->prompt);
    out(l->buf, l->len);
    out_repeat('\b', l->len - l->cursor);
}

/* Up/down: step through history; index history_count = the line being typed. */
static void history_step(struct line *l, int *index, int delta, char *draft)
{
    int next = *index + delta;
    if (next < 0 || next > history_count)
        return;
    if (*index == history_count) {
        l->buf[l->len] = '\0';
        strlcpy(draft, l->buf, SHELL_LINE_MAX);
    }
    *index = next;
    replace_line(l, next == history_count ? draft : history[next]);
}

void lineedit_add_history(const char *line)
{
    if (line[0] == '\0')
        return;
    if (history_count > 0 && strcmp(history[history_count - 1], line) == 0)
        return;
    if (history_count == HISTORY_MAX) {
        memmove(history[0], history[1], sizeof(history[0]) * (HISTORY_MAX - 1));
        history_count--;
    }
    strlcpy(history[history_count++], line, SHELL_LINE_MAX);
}

/* Handle one editing key; LINE_ENTER / LINE_CANCEL end the line, 0 goes on. */
static int handle_key(struct line *l, int key, int *hist, char *draft)
{
    switch (key) {
    case '\r': case '\n': return LINE_ENTER;
    case 0x7f: case '\b': backspace(l); break;
    case KEY_DELETE: case 0x04: delete_at_cursor(l); break;
    case KEY_LEFT: case 0x02: if (l->cursor > 0) move_left(l, 1); break;
    case KEY_RIGHT: case 0x06: if (l->cursor < l->len) move_right(l, 1); break;
    case KEY_HOME: case 0x01: move_left(l, l->cursor); break;
    case KEY_END: case 0x05: move_right(l, l->len - l->cursor); break;
    case KEY_UP: history_step(l, hist, -1, draft); break;
    case KEY_DOWN: history_step(l, hist, +1, draft); break;
    case '\t': complete_word(l); break;
    case 0x15: replace_line(l, ""); break;
    case 0x0b: cut_to_end(l); break;
    case 0x0c: out_str("\033[2J\033[H"); line_reprint(l); break;
    case 0x03: out_str("^C\n"); l->len = l->cursor = 0; return LINE_CANCEL;
    default:
        if (key >= 0x20 && key < 0x7f) {
            char c = (char)key;
            line_insert(l, &c, 1);
        }
        break;
    }
    return 0;
}

/* Cooked-mode fallback: the kernel edits and echoes; we just read a line. */
static int read_cooked(const char *prompt, char *buf, size_t size)
{
    printf("%s", prompt);
    fflush(stdout);
    while (!fgets(buf, (int)size, stdin))
        sleep_ms(100);
    buf[strcspn(buf, "\r\n")] = '\0';
    return (int)strlen(buf);
}

int lineedit_read(const char *prompt, char *buf, size_t size)
{
    if (!shell_raw_mode)
        return read_cooked(prompt, buf, size);
    struct line l = { buf, size, 0, 0, prompt };
    char draft[SHELL_LINE_MAX] = "";
    int hist = history_count;
    out_str(prompt);
    for (;;) {
        int key = read_key();
        if (key == KEY_EOF)
            continue;
        if (key == '\n' && last_enter_was_cr) {
            last_enter_was_cr = 0;   /* second half of "\r\n" */
            continue;
        }
        last_enter_was_cr = key == '\r';
        int done = handle_key(&l, key, &hist, draft);
        if (done == LINE_ENTER)
            out_str("\n");
        if (done)
            break;
    }
    buf[l.len] = '\0';
    return (int)l.len;
}
