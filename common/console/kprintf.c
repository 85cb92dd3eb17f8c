/*
 * kprintf: format.c's formatter writing to the console. A whole call runs
 * with interrupts off so that lines from different threads and interrupt
 * handlers never interleave (one CPU; output is fast in every emulator).
 * Characters are batched so VGA moves its cursor once per batch.
 */
#include "kprintf.h"
#include "console.h"
#include "x86.h"

#define KPRINTF_BATCH 64

struct batch {
    char buf[KPRINTF_BATCH];
    size_t len;
};

static void batch_flush(struct batch *b)
{
    console_write(b->buf, b->len);
    b->len = 0;
}

static void batch_sink(char c, void *ctx)
{
    struct batch *b = ctx;
    b->buf[b->len++] = c;
    if (b->len == KPRINTF_BATCH)
        batch_flush(b);
}

int kvprintf(const char *fmt, va_list ap)
{
    struct batch b = {.len = 0};
    bool irq = irq_save();
    int n = format_v(batch_sink, &b, fmt, ap);
    batch_flush(&b);
    irq_restore(irq);
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
