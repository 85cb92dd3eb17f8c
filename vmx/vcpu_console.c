/*
 * A vCPU's guest console: guest bytes become host console lines
 * "[vmN] text\n". Every byte is first kept for vm_get_console; '\r' is
 * dropped, any other control or non-ASCII byte shows as '?', so a guest can
 * neither move the cursor, clear the screen, start an escape sequence nor
 * begin a line of its own: every line it prints starts with its tag, and
 * nothing it prints can pass for a host message (the test harness ignores
 * markers on tagged lines, utils/emulator.py). A line ends at '\n' or after
 * VCPU_LINE_MAX - 1 characters and goes to the console ring whole
 * (console_try_write).
 *
 * The exit path never waits and does bounded work: it makes at most
 * EXIT_FEED_MAX guest bytes into lines. When the ring has no room for a
 * line, or there are more bytes than that (a write hypercall of 4096
 * newlines is 4096 lines), the rest stays in the vCPU (at most one exit's
 * output) and console_blocked makes the exit end in the run loop's slow
 * path, where vcpu_console_wait finishes the work with interrupts on and
 * sleeps until the console has room. So a guest printing faster than COM1
 * sends is slowed to COM1's pace without keeping the host's interrupts off,
 * and the time it waits counts against its time limit.
 *
 * Context: the vCPU's own thread; interrupts off except where noted.
 */
#include "console.h"
#include "kprintf.h"
#include "kstring.h"
#include "timer.h"
#include "vcpu.h"
#include "vcpu_console.h"
#include "vm_internal.h"
#include "vmx.h"
#include "x86.h"

#define WAIT_SLICE_MS 10   /* stop requests and the time limit are checked this often while waiting */
#define EXIT_FEED_MAX 256  /* guest bytes made into lines in the exit path; the rest in the slow path */

/* Start the line with the tag (made on first use: the VM id is known by then). */
static void start_line(struct vcpu *v)
{
    if (!v->tag_len)
        v->tag_len = (unsigned)ksnprintf(v->line, VCPU_TAG_MAX, "[vm%d] ", vm_id(v->vm));
    v->line_len = v->tag_len;
}

/* What a guest byte shows as: printable ASCII and tab as they are. */
static char printable(char c)
{
    return (c >= 0x20 && c < 0x7F) || c == '\t' ? c : '?';
}

/* Hand the finished line (ending in '\n') to the console; false when the
   ring has no room (the line is kept, line_ready set). */
static bool emit(struct vcpu *v)
{
    v->line_ready = !console_try_write(v->line, v->line_len);
    if (!v->line_ready)
        start_line(v);
    return !v->line_ready;
}

/* End the line and hand it to the console; false when it did not fit. */
static bool end_line(struct vcpu *v, unsigned len)
{
    v->line[len++] = '\n';
    v->line_len = len;
    return emit(v);
}

/* Take guest bytes into lines until a line does not fit the console;
   returns how many of the n bytes were taken. The line length lives in a
   local: stores into v->line would otherwise make the compiler reload
   v->line_len for every byte (char stores may alias it), and every
   instruction here is a cycle of the exit that prints. */
static size_t feed(struct vcpu *v, const char *s, size_t n)
{
    if (!v->tag_len)
        start_line(v);
    if (v->line_ready && !emit(v))
        return 0;
    unsigned len = v->line_len, full = v->tag_len + VCPU_LINE_MAX - 1;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\r')
            continue;
        if (c != '\n')
            v->line[len++] = printable(c);
        if (c == '\n' || len == full) {
            if (!end_line(v, len))
                return i + 1;
            len = v->line_len;
        }
    }
    v->line_len = len;
    return n;
}

/* Keep bytes the console could not take yet, behind what already waits. */
static void keep_waiting(struct vcpu *v, const char *s, size_t n)
{
    size_t room = VCPU_CONSOLE_WAITING - v->waiting_len;
    if (n > room) {                    /* more than one exit's worth: cannot happen, but never drop */
        console_write(v->waiting, v->waiting_len);
        v->waiting_len = 0;
        console_write(s, n);
        return;
    }
    memcpy(v->waiting + v->waiting_len, s, n);
    v->waiting_len += (unsigned)n;
}

void vcpu_console_write(struct vcpu *v, const char *s, size_t n)
{
    vm_console_capture(v->vm, s, n);
    size_t taken = v->waiting_len || v->line_ready ? 0 : feed(v, s, MIN(n, (size_t)EXIT_FEED_MAX));
    if (taken < n)
        keep_waiting(v, s + taken, n - taken);
    v->console_blocked = v->line_ready || v->waiting_len;
}

void vcpu_console_putc(struct vcpu *v, char c)
{
    vcpu_console_write(v, &c, 1);
}

/* Feed what waits; true when all of it (and the line) reached the console. */
static bool feed_waiting(struct vcpu *v)
{
    size_t taken = feed(v, v->waiting, v->waiting_len);
    memmove(v->waiting, v->waiting + taken, v->waiting_len - taken);
    v->waiting_len -= (unsigned)taken;
    return !v->line_ready && !v->waiting_len;
}

void vcpu_console_wait(struct vcpu *v)
{
    uint64_t t = rdtsc();
    sti();
    while (!feed_waiting(v) && !v->stop_request && !vcpu_time_is_up(v)) {
        console_wait_room(v->line_len, WAIT_SLICE_MS);
        uint64_t now = rdtsc();
        v->console_wait_cycles += now - t;
        t = now;
    }
    cli();
    v->console_wait_cycles += rdtsc() - t;
    v->console_blocked = v->line_ready || v->waiting_len;
}

void vcpu_console_flush(struct vcpu *v)
{
    bool irq_was_on = (read_rflags() & RFLAGS_IF) != 0;
    sti();                             /* the vCPU has left the guest: waiting is fine here */
    while (!feed_waiting(v))
        console_wait_room(v->line_len, WAIT_SLICE_MS);
    if (v->line_len > v->tag_len) {
        v->line[v->line_len++] = '\n';
        console_write(v->line, v->line_len);
        start_line(v);
    }
    v->console_blocked = false;
    if (!irq_was_on)
        cli();
}
