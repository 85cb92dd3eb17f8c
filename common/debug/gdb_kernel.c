/*
 * The kernel as a GDB target: arms the stub from the command line, owns the
 * one protocol session on COM2, enters the stopped state from #BP/#DB (a
 * breakpoint, a step), from the COM2 interrupt (Ctrl-C, or a packet from a
 * newly attached gdb) or from gdb=wait, and answers the session's questions
 * about threads, registers and memory.
 *
 * The stopped state: interrupts off on the trapping thread's stack, the
 * whole kernel frozen (one CPU), COM2 polled. Nothing here takes a lock or
 * sleeps; thread lists are walked as they are, which is safe because
 * nothing can change them while we are stopped.
 */
#include "gdb.h"
#include "cmdline.h"
#include "errno.h"
#include "format.h"
#include "kprintf.h"
#include "kstring.h"
#include "process.h"
#include "serial_com2.h"
#include "thread_internal.h"
#include "x86.h"

#define MAX_SOURCES 4
#define MAX_MONITOR_CMDS 16
#define ANNOUNCE_MAX 512

static struct {
    bool armed;
    bool stopped;
    struct trap_frame *frame;        /* the stopped thread's registers */
    int thread;                      /* its gdb id */
    struct gdb_session session;
    const struct gdb_thread_source *sources[MAX_SOURCES];
    int nsources;
    const struct gdb_monitor_cmd *cmds[MAX_MONITOR_CMDS];
    int ncmds;
    char announce[ANNOUNCE_MAX];
} gdb;

bool gdb_armed(void) { return gdb.armed; }

void gdb_add_thread_source(const struct gdb_thread_source *src)
{
    if (gdb.nsources < MAX_SOURCES)
        gdb.sources[gdb.nsources++] = src;
}

void gdb_add_monitor_cmd(const struct gdb_monitor_cmd *cmd)
{
    if (gdb.ncmds < MAX_MONITOR_CMDS)
        gdb.cmds[gdb.ncmds++] = cmd;
}

void gdb_announce(const char *fmt, ...)
{
    va_list ap;
    size_t used = strlen(gdb.announce);
    va_start(ap, fmt);
    kvsnprintf(gdb.announce + used, sizeof(gdb.announce) - used, fmt, ap);
    va_end(ap);
}

void gdb_printf(struct gdb_session *s, const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    kvsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    gdb_session_console(s, line);
}

/* ---- host threads ---- */

static int gdb_id_of(const struct thread *t)
{
    if (!t || t->tid == 0)
        return GDB_IDLE_THREAD;
    return t->tid;
}

struct thread_search {
    int id;
    struct thread *found;
    int *ids;
    int n, max;
};

static void find_thread(struct thread *t, void *data)
{
    struct thread_search *q = data;
    if (t->state != THREAD_DEAD && gdb_id_of(t) == q->id)
        q->found = t;
}

static void collect_thread(struct thread *t, void *data)
{
    struct thread_search *q = data;
    if (t->state != THREAD_DEAD && q->n < q->max && gdb_id_of(t) != GDB_IDLE_THREAD)
        q->ids[q->n++] = gdb_id_of(t);
}

/* The live host thread with gdb id `id` (the idle thread is not on the list). */
static struct thread *host_thread(int id)
{
    if (id == gdb.thread)
        return thread_current();
    struct thread_search q = {.id = id};
    thread_for_each(find_thread, &q);
    return q.found;
}

static const struct gdb_thread_source *source_of(int tid)
{
    for (int i = 0; i < gdb.nsources; i++)
        if (gdb.sources[i]->owns(tid))
            return gdb.sources[i];
    return NULL;
}

static int t_threads(void *ctx, int *ids, int max)
{
    UNUSED(ctx);
    struct thread_search q = {.ids = ids, .max = max};
    if (max > 0 && gdb.thread == GDB_IDLE_THREAD)
        ids[q.n++] = GDB_IDLE_THREAD;   /* not on the thread list: only while it is the stopped one */
    thread_for_each(collect_thread, &q);
    for (int i = 0; i < gdb.nsources; i++)
        q.n += gdb.sources[i]->list(ids + q.n, max - q.n);
    return q.n;
}

static bool t_alive(void *ctx, int tid)
{
    UNUSED(ctx);
    if (source_of(tid))
        return true;
    return tid == gdb.thread || host_thread(tid) != NULL;
}

static const char *state_name(enum thread_state s)
{
    static const char *const names[] = {"runnable", "running", "blocked", "sleeping", "dead"};
    return (unsigned)s < ARRAY_SIZE(names) ? names[s] : "?";
}

static void t_info(void *ctx, int tid, char *buf, size_t n)
{
    UNUSED(ctx);
    const struct gdb_thread_source *src = source_of(tid);
    if (src) {
        src->info(tid, buf, n);
        return;
    }
    struct thread *t = host_thread(tid);
    if (!t) {
        ksnprintf(buf, n, "(gone)");
        return;
    }
    ksnprintf(buf, n, "%s (%s%s), %s", t->name, t->process ? "process " : "kernel",
              t->process ? t->process->name : "", tid == gdb.thread ? "stopped here" : state_name(t->state));
}

/* ---- registers and memory ---- */

static int host_regs(int tid, struct gdb_x86_regs *r)
{
    if (tid == gdb.thread) {
        gdb_x86_regs_from_frame(r, gdb.frame);
        return 0;
    }
    struct thread *t = host_thread(tid);
    if (!t || t->state == THREAD_RUNNING)
        return -ESRCH;               /* the idle thread before it ever switched */
    gdb_x86_regs_from_switch(r, t->saved_rsp);
    return 0;
}

static int get_regs(int tid, struct gdb_x86_regs *r)
{
    const struct gdb_thread_source *src = source_of(tid);
    return src ? src->get_regs(tid, r) : host_regs(tid, r);
}

/* Only the stopped thread's frame and the sources' threads can be written. */
static int set_regs(int tid, const struct gdb_x86_regs *r)
{
    const struct gdb_thread_source *src = source_of(tid);
    if (src)
        return src->set_regs(tid, r);
    if (tid != gdb.thread)
        return -EPERM;
    gdb_x86_regs_to_frame(r, gdb.frame);
    return 0;
}

static int t_read_regs(void *ctx, int tid, uint8_t *buf, size_t cap)
{
    UNUSED(ctx);
    struct gdb_x86_regs r;
    if (get_regs(tid, &r) < 0)
        return -1;
    return gdb_x86_regs_pack(&r, buf, cap);
}

static int t_write_regs(void *ctx, int tid, const uint8_t *buf, size_t len)
{
    UNUSED(ctx);
    struct gdb_x86_regs r;
    if (get_regs(tid, &r) < 0 || gdb_x86_regs_unpack(&r, buf, len) < 0)
        return -1;
    return set_regs(tid, &r);
}

static int t_read_reg(void *ctx, int tid, unsigned regno, uint8_t *buf, size_t cap)
{
    UNUSED(ctx);
    struct gdb_x86_regs r;
    if (get_regs(tid, &r) < 0)
        return -1;
    return gdb_x86_reg_get(&r, regno, buf, cap);
}

static int t_write_reg(void *ctx, int tid, unsigned regno, const uint8_t *buf, size_t len)
{
    UNUSED(ctx);
    struct gdb_x86_regs r;
    if (get_regs(tid, &r) < 0 || gdb_x86_reg_set(&r, regno, buf, len) < 0)
        return -1;
    return set_regs(tid, &r);
}

static int t_read_mem(void *ctx, int tid, uint64_t addr, void *buf, size_t n)
{
    UNUSED(ctx);
    const struct gdb_thread_source *src = source_of(tid);
    return src ? src->read_mem(tid, addr, buf, n) : gdb_x86_read_mem(addr, buf, n);
}

static int t_write_mem(void *ctx, int tid, uint64_t addr, const void *buf, size_t n)
{
    UNUSED(ctx);
    const struct gdb_thread_source *src = source_of(tid);
    return src ? src->write_mem(tid, addr, buf, n) : gdb_x86_write_mem(addr, buf, n);
}

/* ---- the rest of the target ---- */

static int t_insert_bp(void *ctx, enum gdb_bp_type type, uint64_t addr, uint64_t kind)
{
    UNUSED(ctx);
    return gdb_x86_insert_bp(type, addr, kind);
}

static int t_remove_bp(void *ctx, enum gdb_bp_type type, uint64_t addr, uint64_t kind)
{
    UNUSED(ctx);
    return gdb_x86_remove_bp(type, addr, kind);
}

static const char *t_features(void *ctx, const char *annex, size_t *len)
{
    UNUSED(ctx);
    return strcmp(annex, "target.xml") == 0 ? gdb_x86_target_xml(len) : NULL;
}

static void monitor_help(struct gdb_session *s)
{
    gdb_session_console(s, "SWEB-VX monitor commands:\n");
    for (int i = 0; i < gdb.ncmds; i++)
        gdb_printf(s, "  monitor %s\n", gdb.cmds[i]->usage);
}

static void t_monitor(void *ctx, struct gdb_session *s, const char *cmd)
{
    UNUSED(ctx);
    while (*cmd == ' ')
        cmd++;
    for (int i = 0; i < gdb.ncmds; i++) {
        size_t n = strlen(gdb.cmds[i]->name);
        if (strncmp(cmd, gdb.cmds[i]->name, n) == 0 && (cmd[n] == '\0' || cmd[n] == ' ')) {
            gdb.cmds[i]->run(s, cmd + n + (cmd[n] == ' '));
            return;
        }
    }
    if (*cmd && strcmp(cmd, "help") != 0)
        gdb_printf(s, "unknown monitor command '%s'\n", cmd);
    monitor_help(s);
}

static void t_detach(void *ctx)
{
    UNUSED(ctx);
    gdb_x86_remove_all();
    for (int i = 0; i < gdb.nsources; i++)
        if (gdb.sources[i]->detached)
            gdb.sources[i]->detached();
}

static const struct gdb_target_ops kernel_target = {
    t_read_regs, t_write_regs, t_read_reg, t_write_reg, t_read_mem, t_write_mem, t_insert_bp,
    t_remove_bp, t_features, t_threads, t_alive, t_info, t_monitor, t_detach,
};

static void com2_send(void *io, const char *data, size_t n)
{
    UNUSED(io);
    com2_write(data, n);
}

/* ---- the stopped state ---- */

/* Serve gdb until it resumes us; first feeds `pending` bytes (a packet start
   that arrived by interrupt). Returns how to go on. */
static enum gdb_resume serve(const uint8_t *pending, size_t npending)
{
    for (size_t i = 0; i < npending; i++) {
        enum gdb_resume how = gdb_session_feed(&gdb.session, pending[i]);
        if (how != GDB_STAY)
            return how;
    }
    for (;;) {
        int c = com2_poll();
        if (c < 0) {
            cpu_relax();
            continue;
        }
        enum gdb_resume how = gdb_session_feed(&gdb.session, (uint8_t)c);
        if (how != GDB_STAY)
            return how;
    }
}

static void enter_stopped(struct trap_frame *f, struct gdb_stop *stop, const uint8_t *pending, size_t npending)
{
    if (gdb.stopped)
        return;                      /* a trap inside the stub itself: ignore, never recurse */
    gdb.stopped = true;
    gdb.frame = f;
    gdb.thread = gdb_id_of(thread_current());
    stop->thread = gdb.thread;
    if (gdb.announce[0] && gdb.session.wants_stop_reply) {
        gdb_session_console(&gdb.session, gdb.announce);
        gdb.announce[0] = '\0';
    }
    uint64_t t_stop = rdtsc();
    gdb_session_stopped(&gdb.session, stop);
    enum gdb_resume how = serve(pending, npending);
    gdb_x86_resume(f, how == GDB_STEP);
    for (int i = 0; i < gdb.nsources; i++)
        if (gdb.sources[i]->resumed)
            gdb.sources[i]->resumed(rdtsc() - t_stop);
    gdb.stopped = false;
}

bool gdb_trap(struct trap_frame *f)
{
    struct gdb_stop stop;
    if (!gdb.armed || !gdb_x86_classify_trap(f, &stop))
        return false;
    enter_stopped(f, &stop, NULL, 0);
    return true;
}

/* COM2 byte while running: Ctrl-C stops; so does a packet (gdb attached
   again after a detach); acks and noise are dropped. */
static void com2_byte(uint8_t byte, void *frame)
{
    struct gdb_stop stop = {.signal = byte == GDB_CHAR_INTERRUPT ? GDB_SIGINT : GDB_SIGTRAP};
    if (byte == GDB_CHAR_INTERRUPT)
        enter_stopped(frame, &stop, NULL, 0);
    else if (byte == '$')
        enter_stopped(frame, &stop, &byte, 1);
}

void gdb_stop_here(void)
{
    if (gdb.armed)
        gdb_breakpoint();
}

void gdb_init(void)
{
    const char *mode = cmdline_get("gdb");
    if (!mode)
        return;
    bool wait = strcmp(mode, "wait") == 0;
    if (!wait && strcmp(mode, "com2") != 0) {
        kprintf("gdb: unknown mode gdb=%s (use gdb=com2 or gdb=wait); stub off\n", mode);
        return;
    }
    uint8_t early[16];
    size_t nearly = com2_init(early, sizeof(early));
    gdb_session_init(&gdb.session, &kernel_target, NULL, com2_send, NULL);
    if (com2_enable_receive(com2_byte) < 0) {
        kprintf("gdb: IRQ 3 is taken; stub off\n");
        return;
    }
    gdb.armed = true;
    kprintf("gdb: stub on COM2 (0x2F8, IRQ 3)%s\n", wait ? ", waiting for gdb to attach" : "");
    for (size_t i = 0; i < nearly; i++)
        gdb_session_feed(&gdb.session, early[i]);   /* a packet gdb began before we listened */
    if (wait)
        gdb_breakpoint();            /* gdb's first view: kmain, right here */
}
