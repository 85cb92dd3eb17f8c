/*
 * guest_lib.c - buffered output and printf for C guests (see guest.h). The
 * printf engine and memset/memcpy are the kernel's and libc's, linked in
 * from common/util/format.c and kstring.c (guests/CMakeLists.txt).
 *
 * Context: guest code, single vCPU per buffer (the line buffer is global, so
 * a multi-vCPU C guest should print from one vCPU only).
 */
#include "guest.h"
#include "format.h"

#define LINE_MAX 128

static char line[LINE_MAX];
static size_t line_len;

/* Send the buffered bytes to the host with one HC_WRITE and empty the buffer. */
void guest_flush(void)
{
    if (line_len > 0)
        hc_write(line, line_len);
    line_len = 0;
}

/* Buffer one character; a newline or a full buffer flushes. */
void guest_putchar(char c)
{
    line[line_len++] = c;
    if (c == '\n' || line_len == LINE_MAX)
        guest_flush();
}

static void guest_sink(char c, void *ctx)
{
    (void)ctx;
    guest_putchar(c);
}

/* Formatting is the kernel's and libc's engine (common/util/format.c). */
int guest_vprintf(const char *fmt, va_list ap)
{
    return format_v(guest_sink, NULL, fmt, ap);
}

int guest_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int printed = guest_vprintf(fmt, ap);
    va_end(ap);
    return printed;
}
