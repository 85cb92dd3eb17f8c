/*
 * Console input queue: the keyboard and COM1 interrupt handlers push bytes,
 * readers take them in order. A ring buffer under a spinlock (which also
 * keeps interrupts off); readers block on a wait queue. Line endings are
 * normalized like a terminal's ICRNL: '\r' becomes '\n', and the '\n' of a
 * "\r\n" pair is dropped, so Enter on either input reads as one '\n'.
 * When the buffer is full, new bytes are dropped.
 */
#include "console_input.h"
#include "spinlock.h"
#include "waitqueue.h"

#define INPUT_BUFFER_SIZE 1024     /* a power of two */

static char buffer[INPUT_BUFFER_SIZE];
static uint32_t head, tail;        /* free-running; head - tail = bytes queued */
static bool last_was_cr;
static struct spinlock lock = SPINLOCK_INIT("console_input");
static struct waitqueue readers = WAITQUEUE_INIT;

void console_input_push(char c)
{
    spin_lock(&lock);
    bool drop = c == '\n' && last_was_cr;
    last_was_cr = c == '\r';
    if (c == '\r')
        c = '\n';
    if (!drop && head - tail < INPUT_BUFFER_SIZE) {
        buffer[head++ % INPUT_BUFFER_SIZE] = c;
        waitqueue_wake_one(&readers);
    }
    spin_unlock(&lock);
}

/* Take one byte; lock held, buffer not empty. */
static char pop_locked(void)
{
    return buffer[tail++ % INPUT_BUFFER_SIZE];
}

char console_getc(void)
{
    spin_lock(&lock);
    while (head == tail)
        waitqueue_wait(&readers, &lock);
    char c = pop_locked();
    spin_unlock(&lock);
    return c;
}

int console_trygetc(void)
{
    spin_lock(&lock);
    int c = head == tail ? -1 : (unsigned char)pop_locked();
    spin_unlock(&lock);
    return c;
}
