/*
 * Host stand-ins for panic() and kprintf() (see host_support.h), linked
 * into every unit test so kernel sources build unchanged on the host.
 */
#include "host_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kprintf.h"
#include "panic.h"

jmp_buf *host_panic_jump;
char host_panic_message[HOST_PANIC_MESSAGE_SIZE];
char host_console[HOST_CONSOLE_SIZE];
static size_t host_console_len;

void host_console_clear(void)
{
    host_console_len = 0;
    host_console[0] = '\0';
}

/* Append text to host_console, dropping the oldest bytes when full. */
static void host_console_append(const char *text)
{
    size_t n = strlen(text);
    if (n >= HOST_CONSOLE_SIZE)
        text += n - (HOST_CONSOLE_SIZE - 1), n = HOST_CONSOLE_SIZE - 1;
    if (host_console_len + n >= HOST_CONSOLE_SIZE) {
        size_t drop = host_console_len + n - (HOST_CONSOLE_SIZE - 1);
        memmove(host_console, host_console + drop, host_console_len - drop);
        host_console_len -= drop;
    }
    memcpy(host_console + host_console_len, text, n);
    host_console_len += n;
    host_console[host_console_len] = '\0';
}

int kvprintf(const char *fmt, va_list ap)
{
    char line[1024];
    int n = vsnprintf(line, sizeof line, fmt, ap);
    fputs(line, stdout);
    host_console_append(line);
    return n;
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvprintf(fmt, ap);
    va_end(ap);
    return n;
}

bool panic_enter(void)
{
    return true;
}

NORETURN void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(host_panic_message, sizeof host_panic_message, fmt, ap);
    va_end(ap);
    if (host_panic_jump)
        longjmp(*host_panic_jump, 1);
    fail_msg("unexpected panic: %s", host_panic_message);
    abort();   /* fail_msg returns only outside a running test */
}
