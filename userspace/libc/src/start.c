/*
 * Process start and end: __libc_start (called by crt0 with argc/argv) runs
 * main and passes its result to exit(); exit runs the atexit handlers in
 * reverse order, flushes stdio and ends the process with SYS_EXIT.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define ATEXIT_MAX 32

int main(int argc, char **argv);
_Noreturn void __libc_start(int argc, char **argv);
void __stdio_flush_all(void);

static void (*atexit_handlers[ATEXIT_MAX])(void);
static int atexit_count;

_Noreturn void __libc_start(int argc, char **argv)
{
    exit(main(argc, argv));
}

int atexit(void (*fn)(void))
{
    if (atexit_count == ATEXIT_MAX)
        return -1;
    atexit_handlers[atexit_count++] = fn;
    return 0;
}

_Noreturn void exit(int status)
{
    while (atexit_count > 0)
        atexit_handlers[--atexit_count]();
    __stdio_flush_all();
    _exit(status);
}

_Noreturn void abort(void)
{
    __stdio_flush_all();
    dprintf(2, "abort\n");
    _exit(134);
}

_Noreturn void __assert_fail(const char *expr, const char *file, int line,
                             const char *func)
{
    __stdio_flush_all();
    dprintf(2, "assertion failed: %s (%s:%d, %s)\n", expr, file, line, func);
    abort();
}
