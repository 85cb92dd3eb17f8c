/*
 * Console output to COM1 and the VGA text console.
 *
 * Until the scheduler starts (and again from a panic or power-off on; for
 * good with `console=sync` on the command line), output is written at once: COM1 polled, VGA drawn, interrupts off for
 * the call. From sched_start on it is asynchronous: console_write copies
 * the bytes into one ring (console_ring.c) and returns; COM1 takes them
 * from its transmit interrupt (serial.c) and a console thread draws them on
 * VGA, each reader at its own pace, in the order written. One call's bytes
 * stay together. A writer that finds the ring full waits for room: a thread
 * with interrupts on sleeps; with interrupts off (interrupt handlers,
 * kprintf, the VM-exit path) it moves bytes out itself, the old polled way,
 * until its bytes fit. console_try_write never waits (guest output: its
 * caller waits outside the exit path). In emergency mode (a fault while
 * reporting a fault) only COM1 is used, polled: it needs no memory mapping.
 *
 * Locking: `lock` (interrupt-safe) guards the ring and the waiters; the
 * transmit interrupt takes it too (nobody holding it can be interrupted).
 */
#include "console.h"
#include "cmdline.h"
#include "console_ring.h"
#include "kstring.h"
#include "sched.h"
#include "serial.h"
#include "spinlock.h"
#include "thread.h"
#include "vga.h"
#include "waitqueue.h"
#include "x86.h"

#define VGA_CHUNK 256          /* bytes drawn per turn with interrupts off */
#define DRAIN_CHUNK 64         /* bytes moved per turn when a writer drains itself */

static struct console_ring ring;
static struct spinlock lock = SPINLOCK_INIT("console");
static struct waitqueue room_wq = WAITQUEUE_INIT;   /* writers waiting for space */
static struct waitqueue vga_wq = WAITQUEUE_INIT;    /* the VGA thread, idle */
static bool async;                                   /* output goes through the ring */
static bool emergency;

void console_init(void)
{
    serial_init();
    vga_init();
    console_ring_init(&ring);
}

/* Write n bytes now: COM1 polled and (vga) the VGA console. */
static void write_now(const char *s, size_t n, bool vga)
{
    for (size_t i = 0; i < n; i++)
        serial_putc(s[i]);
    if (vga)
        vga_write(s, n);
}

/* Move up to max pending bytes of reader to its device now (polled COM1,
   VGA drawn); lock held, or interrupts off with the ring left to us.
   Returns how many. */
static size_t move_now(enum console_reader reader, size_t max)
{
    const char *p;
    size_t n = MIN(console_ring_peek(&ring, reader, &p), max);
    if (reader == CONSOLE_READER_SERIAL)
        for (size_t i = 0; i < n; i++)
            serial_putc(p[i]);
    else if (!emergency)
        vga_write(p, n);
    console_ring_consume(&ring, reader, n);
    return n;
}

/* A writer that may not sleep makes room itself: one turn of the reader
   furthest behind; lock held. */
static void drain_turn(void)
{
    if (console_ring_pending(&ring, CONSOLE_READER_SERIAL) >= console_ring_pending(&ring, CONSOLE_READER_VGA))
        move_now(CONSOLE_READER_SERIAL, DRAIN_CHUNK);
    else
        move_now(CONSOLE_READER_VGA, VGA_CHUNK);
}

/* New bytes are in the ring: start COM1's transmit interrupt, wake the
   VGA thread; lock held. */
static void kick(void)
{
    serial_tx_kick();
    if (vga_wq.head)
        waitqueue_wake_one(&vga_wq);
}

/* Readers took bytes: writers waiting for room may go on; lock held. */
static void room_made(void)
{
    if (room_wq.head)
        waitqueue_wake_all(&room_wq);
}

/* COM1's transmit source (serial.c, from its interrupt). */
static size_t serial_source(char *buf, size_t max)
{
    spin_lock(&lock);
    size_t got = 0;
    while (got < max) {
        const char *p;
        size_t n = MIN(console_ring_peek(&ring, CONSOLE_READER_SERIAL, &p), max - got);
        if (n == 0)
            break;
        for (size_t i = 0; i < n; i++)
            buf[got + i] = p[i];
        console_ring_consume(&ring, CONSOLE_READER_SERIAL, n);
        got += n;
    }
    if (got)
        room_made();
    spin_unlock(&lock);
    return got;
}

/* The console thread: draws what VGA has not shown yet, a chunk per turn. */
static void vga_thread(void *arg)
{
    UNUSED(arg);
    spin_lock(&lock);
    for (;;) {
        if (!move_now(CONSOLE_READER_VGA, VGA_CHUNK)) {
            waitqueue_wait(&vga_wq, &lock);
            continue;
        }
        room_made();
        spin_unlock(&lock);   /* let interrupts and other threads in between chunks */
        spin_lock(&lock);
    }
}

void console_start_async(void)
{
    const char *mode = cmdline_get("console");
    if (mode && strcmp(mode, "sync") == 0)
        return;                        /* console=sync: every line out before the call returns */
    struct thread *t = thread_create("console", vga_thread, NULL);
    if (!t)
        return;                        /* stays synchronous: slower, nothing lost */
    thread_detach(t);
    serial_set_tx_source(serial_source);
    async = true;
}

void console_sync(void)
{
    bool irq = irq_save();
    if (async) {
        async = false;
        serial_tx_stop();
        while (move_now(CONSOLE_READER_SERIAL, CONSOLE_RING_SIZE))
            ;
        while (move_now(CONSOLE_READER_VGA, CONSOLE_RING_SIZE))
            ;
    }
    irq_restore(irq);
}

void console_emergency(void)
{
    emergency = true;
    async = false;
}

void console_write(const char *s, size_t n)
{
    if (!async) {
        bool irq = irq_save();
        write_now(s, n, !emergency);
        irq_restore(irq);
        return;
    }
    bool may_sleep = (read_rflags() & RFLAGS_IF) != 0;
    spin_lock(&lock);
    while (n && async) {
        size_t part = MIN(n, (size_t)CONSOLE_RING_SIZE / 4);   /* a longer write goes in parts */
        if (!console_ring_put(&ring, s, part)) {
            if (may_sleep)
                waitqueue_wait(&room_wq, &lock);
            else
                drain_turn();
            continue;
        }
        kick();
        s += part;
        n -= part;
    }
    spin_unlock(&lock);
    if (n)                             /* a panic switched to synchronous output meanwhile */
        write_now(s, n, !emergency);
}

bool console_try_write(const char *s, size_t n)
{
    if (!async) {
        console_write(s, n);
        return true;
    }
    spin_lock(&lock);
    bool ok = console_ring_put(&ring, s, n);
    if (ok)
        kick();
    spin_unlock(&lock);
    return ok;
}

bool console_wait_room(size_t n, uint64_t ms)
{
    spin_lock(&lock);
    if (async && console_ring_space(&ring) < n)
        waitqueue_wait_timeout(&room_wq, &lock, ms);
    bool room = !async || console_ring_space(&ring) >= n;
    spin_unlock(&lock);
    return room;
}

void console_putc(char c)
{
    console_write(&c, 1);
}
