/*
 * The terminal (tty.h). One input thread takes bytes from the console
 * input queue and runs the line discipline; completed input waits in a ring
 * buffer for readers. tty_lock (a spinlock) guards the buffers and modes;
 * echo output happens outside it.
 */
#include "console.h"
#include "console_input.h"
#include "errno.h"
#include "kprintf.h"
#include "panic.h"
#include "process.h"
#include "syscall_nr.h"
#include "thread_internal.h"
#include "tty.h"
#include "vfs.h"

#define TTY_RING 1024
#define TTY_LINE_MAX 256
#define CTRL(c) ((c) & 0x1F)
#define DEL 0x7F
#define ESC 0x1B

static struct spinlock tty_lock = SPINLOCK_INIT("tty");
static struct waitqueue readers = WAITQUEUE_INIT;
static char ring[TTY_RING];
static size_t ring_head, ring_count;     /* bytes ready for read() */
static char line[TTY_LINE_MAX];          /* cooked mode: the line being edited */
static size_t line_len;
static bool raw_mode;
static bool eof_pending;                 /* Ctrl-D on an empty line */
static int foreground_pid;
static int esc_state;                    /* cooked: skipping an escape sequence */
static struct file *tty_file;

/* Append bytes to the ready ring (tty_lock held); drops what does not fit. */
static void ring_put(const char *s, size_t n)
{
    for (size_t i = 0; i < n && ring_count < TTY_RING; i++) {
        ring[(ring_head + ring_count) % TTY_RING] = s[i];
        ring_count++;
    }
}

static char ring_get(void)
{
    char c = ring[ring_head];
    ring_head = (ring_head + 1) % TTY_RING;
    ring_count--;
    return c;
}

/* Hand the edited line (plus terminator) to readers. tty_lock held. */
static void line_commit(bool newline)
{
    ring_put(line, line_len);
    if (newline)
        ring_put("\n", 1);
    else if (line_len == 0)
        eof_pending = true;
    line_len = 0;
    waitqueue_wake_all(&readers);
}

/* Skip VT100 escape sequences (arrow keys) in cooked mode: ESC [ ... final. */
static bool cooked_skip_escape(char c)
{
    if (c == ESC) {
        esc_state = 1;
        return true;
    }
    if (esc_state == 1) {
        esc_state = (c == '[' || c == 'O') ? 2 : 0;
        return true;
    }
    if (esc_state == 2) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '~')
            esc_state = 0;
        return true;
    }
    return false;
}

/* Cooked-mode editing of one byte; returns what to echo. tty_lock held. */
static const char *cooked_input(char c, char *echo_buf)
{
    if (cooked_skip_escape(c))
        return "";
    if (c == '\r' || c == '\n') {
        line_commit(true);
        return "\n";
    }
    if (c == DEL || c == '\b') {
        if (line_len == 0)
            return "";
        line_len--;
        return "\b \b";
    }
    if (c == CTRL('D')) {
        line_commit(false);
        return "";
    }
    if (c == CTRL('U')) {
        line_len = 0;
        return "^U\n";
    }
    if ((c < 0x20 && c != '\t') || line_len >= TTY_LINE_MAX - 1)
        return "";
    line[line_len++] = c;
    echo_buf[0] = c;
    echo_buf[1] = '\0';
    return echo_buf;
}

/* Ctrl-C: kill the foreground process if there is one. Thread context. */
static bool ctrl_c_kills_foreground(void)
{
    spin_lock(&tty_lock);
    int fg = foreground_pid;
    spin_unlock(&tty_lock);
    if (fg <= 0 || process_kill(fg, EXIT_STATUS_KILLED) != 0)
        return false;
    console_write("^C\n", 3);
    return true;
}

void tty_input(char c)
{
    if (c == CTRL('C') && ctrl_c_kills_foreground())
        return;
    char echo_buf[2];
    const char *echo = "";
    spin_lock(&tty_lock);
    if (raw_mode) {
        ring_put(&c, 1);
        waitqueue_wake_all(&readers);
    } else if (c == CTRL('C')) {
        line_len = 0;
        echo = "^C\n";
        line_commit(true);
    } else {
        echo = cooked_input(c, echo_buf);
    }
    spin_unlock(&tty_lock);
    for (; *echo; echo++)
        console_putc(*echo);
}

static void tty_input_thread(void *unused)
{
    UNUSED(unused);
    for (;;)
        tty_input(console_getc());
}

/* read(): block until input is ready; cooked mode returns at most a line. */
static ssize_t tty_read(struct file *f, void *buf, size_t n)
{
    UNUSED(f);
    char *out = buf;
    spin_lock(&tty_lock);
    while (ring_count == 0 && !eof_pending) {
        if (!waitqueue_wait_killable(&readers, &tty_lock)) {
            spin_unlock(&tty_lock);
            return -EINTR;
        }
    }
    size_t i = 0;
    while (i < n && ring_count > 0) {
        char c = ring_get();
        out[i++] = c;
        if (!raw_mode && c == '\n')
            break;
    }
    if (i == 0)
        eof_pending = false;   /* report end of input once */
    spin_unlock(&tty_lock);
    return (ssize_t)i;
}

static ssize_t tty_write(struct file *f, const void *buf, size_t n)
{
    UNUSED(f);
    console_write(buf, n);
    return (ssize_t)n;
}

static int tty_stat(struct file *f, struct stat *st)
{
    UNUSED(f);
    st->type = S_IFCHR;
    st->reserved = 0;
    st->size = 0;
    return 0;
}

static const struct file_ops tty_ops = {
    .read = tty_read,
    .write = tty_write,
    .stat = tty_stat,
};

int64_t tty_ioctl(struct file *f, int cmd, uint64_t arg)
{
    if (!f || f->ops != &tty_ops)
        return -ENOTTY;
    int64_t r = 0;
    spin_lock(&tty_lock);
    switch (cmd) {
    case TTY_SET_RAW:
        raw_mode = arg != 0;
        line_len = 0;
        break;
    case TTY_GET_RAW:
        r = raw_mode;
        break;
    case TTY_SET_FOREGROUND:
        if (arg > 0x7FFFFFFF)
            r = -EINVAL;
        else
            foreground_pid = (int)arg;
        break;
    default:
        r = -EINVAL;
    }
    spin_unlock(&tty_lock);
    return r;
}

struct file *tty_open(void) { return tty_file ? vfs_file_ref(tty_file) : NULL; }

void tty_init(void)
{
    tty_file = vfs_file_create(&tty_ops, NULL, O_RDWR, S_IFCHR);
    if (!tty_file)
        panic("tty: out of memory");
    struct thread *t = thread_create("tty", tty_input_thread, NULL);
    if (!t)
        panic("tty: cannot start the input thread");
    thread_detach(t);
}
