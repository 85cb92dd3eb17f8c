/*
 * Buffered streams over file descriptors: stdin (read buffer), stdout (line
 * buffered) and stderr (unbuffered). Each stream has a small lock so lines
 * printed by different threads do not interleave inside one printf.
 * exit() calls __stdio_flush_all() so buffered output is never lost.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "format.h"

struct FILE {
    int fd;
    int line_buffered;    /* flush at '\n' */
    int unbuffered;       /* flush after every call */
    size_t len;           /* bytes in buf (output) */
    size_t pos;           /* next byte to hand out (input) */
    int eof;
    pthread_mutex_t lock;
    char buf[BUFSIZ];
};

static FILE stdin_file = { .fd = 0 };
static FILE stdout_file = { .fd = 1, .line_buffered = 1 };
static FILE stderr_file = { .fd = 2, .unbuffered = 1 };
FILE *stdin = &stdin_file;
FILE *stdout = &stdout_file;
FILE *stderr = &stderr_file;

/* Write all n bytes to fd (retrying short writes); 0 or -1. */
static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int flush_locked(FILE *f)
{
    int r = write_all(f->fd, f->buf, f->len);
    f->len = 0;
    return r;
}

/* Append one byte to f's buffer, flushing as the buffering mode says. */
static void put_locked(FILE *f, char c)
{
    f->buf[f->len++] = c;
    if (f->len == sizeof(f->buf) || (f->line_buffered && c == '\n'))
        flush_locked(f);
}

static void stream_sink(char c, void *ctx)
{
    put_locked(ctx, c);
}

int fflush(FILE *f)
{
    if (!f)
        return fflush(stdout) | fflush(stderr);
    pthread_mutex_lock(&f->lock);
    int r = flush_locked(f);
    pthread_mutex_unlock(&f->lock);
    return r ? EOF : 0;
}

void __stdio_flush_all(void);
void __stdio_flush_all(void)
{
    fflush(stdout);
    fflush(stderr);
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
    pthread_mutex_lock(&f->lock);
    int n = format_v(stream_sink, f, fmt, ap);
    if (f->unbuffered)
        flush_locked(f);
    pthread_mutex_unlock(&f->lock);
    return n;
}

int fprintf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vfprintf(f, fmt, ap);
    va_end(ap);
    return n;
}

int vprintf(const char *fmt, va_list ap)
{
    return vfprintf(stdout, fmt, ap);
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vfprintf(stdout, fmt, ap);
    va_end(ap);
    return n;
}

/* dprintf formats into a stack buffer and writes it in one go. */
struct fd_sink {
    int fd;
    size_t len;
    char buf[128];
};

static void fd_sink_put(char c, void *ctx)
{
    struct fd_sink *s = ctx;
    s->buf[s->len++] = c;
    if (s->len == sizeof(s->buf)) {
        write_all(s->fd, s->buf, s->len);
        s->len = 0;
    }
}

int vdprintf(int fd, const char *fmt, va_list ap)
{
    struct fd_sink s = { .fd = fd };
    int n = format_v(fd_sink_put, &s, fmt, ap);
    write_all(fd, s.buf, s.len);
    return n;
}

int dprintf(int fd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vdprintf(fd, fmt, ap);
    va_end(ap);
    return n;
}

size_t fwrite(const void *buf, size_t size, size_t count, FILE *f)
{
    const char *p = buf;
    size_t n = size * count;
    pthread_mutex_lock(&f->lock);
    for (size_t i = 0; i < n; i++)
        put_locked(f, p[i]);
    if (f->unbuffered)
        flush_locked(f);
    pthread_mutex_unlock(&f->lock);
    return size ? n / size : 0;
}

int fputc(int c, FILE *f)
{
    char ch = (char)c;
    return fwrite(&ch, 1, 1, f) == 1 ? (unsigned char)c : EOF;
}

int fputs(const char *s, FILE *f)
{
    size_t n = strlen(s);
    return fwrite(s, 1, n, f) == n ? 0 : EOF;
}

int putchar(int c)
{
    return fputc(c, stdout);
}

int puts(const char *s)
{
    if (fputs(s, stdout) == EOF)
        return EOF;
    return putchar('\n') == EOF ? EOF : 0;
}

int fileno(FILE *f)
{
    return f->fd;
}

/* Refill f's input buffer; 0 on data, EOF at end of input or error. */
static int refill_locked(FILE *f)
{
    if (f == stdin)
        fflush(stdout);    /* show a prompt before waiting for input */
    ssize_t n = read(f->fd, f->buf, sizeof(f->buf));
    if (n <= 0) {
        f->eof = 1;
        return EOF;
    }
    f->pos = 0;
    f->len = (size_t)n;
    return 0;
}

static int getc_locked(FILE *f)
{
    if (f->pos >= f->len && refill_locked(f) == EOF)
        return EOF;
    return (unsigned char)f->buf[f->pos++];
}

int fgetc(FILE *f)
{
    pthread_mutex_lock(&f->lock);
    int c = getc_locked(f);
    pthread_mutex_unlock(&f->lock);
    return c;
}

int getchar(void)
{
    return fgetc(stdin);
}

char *fgets(char *buf, int size, FILE *f)
{
    if (size <= 0)
        return NULL;
    int n = 0;
    pthread_mutex_lock(&f->lock);
    while (n < size - 1) {
        int c = getc_locked(f);
        if (c == EOF)
            break;
        buf[n++] = (char)c;
        if (c == '\n')
            break;
    }
    pthread_mutex_unlock(&f->lock);
    buf[n] = '\0';
    return n ? buf : NULL;
}

void perror(const char *what)
{
    if (what && *what)
        fprintf(stderr, "%s: %s\n", what, strerror(errno));
    else
        fprintf(stderr, "%s\n", strerror(errno));
}
