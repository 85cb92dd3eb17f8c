/*
 * Formatted and buffered I/O on file descriptors. stdout is line buffered
 * (flushed at '\n', when full, and by exit()); stderr is unbuffered.
 * printf conversions: %d %i %u %x %X %o %p %s %c %% with flags - 0 + space #,
 * width and precision (also '*'), length hh h l ll z j t. No floating point.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)
#define BUFSIZ 256

typedef struct FILE FILE;
extern FILE *stdin;
extern FILE *stdout;
extern FILE *stderr;

#define PRINTF_FMT(f, a) __attribute__((format(printf, f, a)))

int printf(const char *fmt, ...) PRINTF_FMT(1, 2);
int vprintf(const char *fmt, va_list ap);
int fprintf(FILE *f, const char *fmt, ...) PRINTF_FMT(2, 3);
int vfprintf(FILE *f, const char *fmt, va_list ap);
int dprintf(int fd, const char *fmt, ...) PRINTF_FMT(2, 3);
int vdprintf(int fd, const char *fmt, va_list ap);
int sprintf(char *buf, const char *fmt, ...) PRINTF_FMT(2, 3);
int snprintf(char *buf, size_t size, const char *fmt, ...) PRINTF_FMT(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

int putchar(int c);
int puts(const char *s);
int fputc(int c, FILE *f);
int fputs(const char *s, FILE *f);
size_t fwrite(const void *buf, size_t size, size_t count, FILE *f);
int fflush(FILE *f);
int fileno(FILE *f);

int getchar(void);
int fgetc(FILE *f);
/* Read a line (with its '\n') of at most size-1 bytes; NULL at end/error. */
char *fgets(char *buf, int size, FILE *f);
void perror(const char *what);
