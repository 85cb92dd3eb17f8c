/*
 * The command level of the GDB remote protocol (gdbstub.h): the session's
 * receive loop, stop replies and the packets that touch registers, memory,
 * breakpoints and execution. Queries (q..., v...) are in gdbstub_query.c.
 * Pure code; in the kernel it runs in the stopped state, interrupts off.
 * A malformed packet gets an `Enn` reply and the session goes on.
 */
#include "gdbstub.h"
#include "gdbstub_internal.h"
#include "kstring.h"

void gdb_session_init(struct gdb_session *s, const struct gdb_target_ops *ops, void *ctx, gdb_send_fn send,
                      void *io)
{
    s->ops = ops;
    s->ctx = ctx;
    s->send = send;
    s->io = io;
    s->no_ack = false;
    s->attached = false;
    s->wants_stop_reply = false;
    s->g_thread = 0;
    s->nthreads = s->thread_cursor = 0;
    s->last_len = 0;
    s->stop = (struct gdb_stop){.signal = GDB_SIGTRAP, .thread = 1};
    gdb_rx_reset(&s->rx);
}

void gdb_session_send(struct gdb_session *s, const char *payload, size_t n)
{
    s->last_len = gdb_frame(s->last, sizeof(s->last), payload, n);
    if (s->last_len)
        s->send(s->io, s->last, s->last_len);
}

static void send_reply(struct gdb_session *s, const struct gdb_reply *r)
{
    if (r->overflow) {
        struct gdb_reply e;
        char buf[4];
        gdb_reply_init(&e, buf, sizeof(buf));
        gdb_reply_error(&e, GDB_E_SYNTAX);
        gdb_session_send(s, e.buf, e.len);
        return;
    }
    gdb_session_send(s, r->buf, r->len);
}

void gdb_session_console(struct gdb_session *s, const char *text)
{
    /* O packets carry hex text; keep each well inside PacketSize. */
    enum { CHUNK = 512 };
    char buf[2 * CHUNK + 1];
    while (*text) {
        struct gdb_reply r;
        gdb_reply_init(&r, buf, sizeof(buf));
        gdb_reply_char(&r, 'O');
        size_t n = 0;
        while (text[n] && n < CHUNK)
            n++;
        gdb_reply_hex(&r, text, n);
        gdb_session_send(s, r.buf, r.len);
        text += n;
    }
}

/* `T05thread:ID;` plus the reason gdb needs to tell breakpoints apart. */
static void build_stop_reply(const struct gdb_stop *st, struct gdb_reply *r)
{
    static const char *const watch[] = {[GDB_STOP_WATCH] = "watch", [GDB_STOP_RWATCH] = "rwatch",
                                        [GDB_STOP_AWATCH] = "awatch"};
    gdb_reply_char(r, 'T');
    gdb_reply_char(r, gdb_hex_digit((unsigned)st->signal >> 4));
    gdb_reply_char(r, gdb_hex_digit((unsigned)st->signal));
    if (st->kind >= GDB_STOP_WATCH) {
        gdb_reply_str(r, watch[st->kind]);
        gdb_reply_char(r, ':');
        gdb_reply_hex_u64(r, st->data_addr);
        gdb_reply_char(r, ';');
    } else if (st->kind == GDB_STOP_SWBREAK) {
        gdb_reply_str(r, "swbreak:;");
    } else if (st->kind == GDB_STOP_HWBREAK) {
        gdb_reply_str(r, "hwbreak:;");
    }
    gdb_reply_str(r, "thread:");
    gdb_reply_hex_u64(r, (uint64_t)st->thread);
    gdb_reply_char(r, ';');
}

static void send_stop_reply(struct gdb_session *s)
{
    struct gdb_reply r;
    gdb_reply_init(&r, s->reply, sizeof(s->reply));
    build_stop_reply(&s->stop, &r);
    send_reply(s, &r);
}

void gdb_session_stopped(struct gdb_session *s, const struct gdb_stop *stop)
{
    s->stop = *stop;
    s->g_thread = 0;
    if (s->wants_stop_reply) {
        s->wants_stop_reply = false;
        send_stop_reply(s);
    }
}

enum gdb_resume gdb_session_feed(struct gdb_session *s, uint8_t byte)
{
    switch (gdb_rx_feed(&s->rx, byte)) {
    case GDB_RX_PACKET:
        if (!s->no_ack)
            s->send(s->io, "+", 1);
        return gdb_session_packet(s, s->rx.buf, s->rx.len);
    case GDB_RX_BAD:
        if (!s->no_ack)
            s->send(s->io, "-", 1);
        return GDB_STAY;
    case GDB_RX_NAK:
        if (!s->no_ack && s->last_len)
            s->send(s->io, s->last, s->last_len);
        return GDB_STAY;
    default:
        return GDB_STAY;             /* acks, Ctrl-C while stopped, noise */
    }
}

int gdb_session_thread(const struct gdb_session *s)
{
    return s->g_thread > 0 ? s->g_thread : s->stop.thread;
}

/* "ADDR,LEN" at *p: both hex; false for anything else. */
bool gdb_parse_addr_len(const char **p, const char *end, uint64_t *addr, uint64_t *len)
{
    if (!gdb_parse_hex(p, end, addr) || *p >= end || **p != ',')
        return false;
    (*p)++;
    return gdb_parse_hex(p, end, len);
}

static void cmd_read_regs(struct gdb_session *s, struct gdb_reply *r)
{
    int n = s->ops->read_regs(s->ctx, gdb_session_thread(s), s->scratch, sizeof(s->scratch) / 2);
    if (n < 0)
        gdb_reply_error(r, GDB_E_THREAD);
    else
        gdb_reply_hex(r, s->scratch, (size_t)n);
}

static void cmd_write_regs(struct gdb_session *s, const char *arg, size_t len, struct gdb_reply *r)
{
    int n = gdb_hex_decode(s->scratch, sizeof(s->scratch), arg, len);
    if (n < 0)
        gdb_reply_error(r, GDB_E_SYNTAX);
    else if (s->ops->write_regs(s->ctx, gdb_session_thread(s), s->scratch, (size_t)n) < 0)
        gdb_reply_error(r, GDB_E_REGISTER);
    else
        gdb_reply_str(r, "OK");
}

/* p n: one register. */
static void cmd_read_reg(struct gdb_session *s, const char *p, const char *end, struct gdb_reply *r)
{
    uint64_t regno;
    if (!gdb_parse_hex(&p, end, &regno) || p != end || regno > 0xFFFF) {
        gdb_reply_error(r, GDB_E_SYNTAX);
        return;
    }
    int n = s->ops->read_reg(s->ctx, gdb_session_thread(s), (unsigned)regno, s->scratch, 64);
    if (n < 0)
        gdb_reply_error(r, GDB_E_REGISTER);
    else
        gdb_reply_hex(r, s->scratch, (size_t)n);
}

/* P n=value. */
static void cmd_write_reg(struct gdb_session *s, const char *p, const char *end, struct gdb_reply *r)
{
    uint64_t regno;
    if (!gdb_parse_hex(&p, end, &regno) || p >= end || *p != '=' || regno > 0xFFFF) {
        gdb_reply_error(r, GDB_E_SYNTAX);
        return;
    }
    p++;
    int n = gdb_hex_decode(s->scratch, 64, p, (size_t)(end - p));
    if (n <= 0)
        gdb_reply_error(r, GDB_E_SYNTAX);
    else if (s->ops->write_reg(s->ctx, gdb_session_thread(s), (unsigned)regno, s->scratch, (size_t)n) < 0)
        gdb_reply_error(r, GDB_E_REGISTER);
    else
        gdb_reply_str(r, "OK");
}

/* m addr,len: a short read is allowed; a read that fails at once is an error. */
static void cmd_read_mem(struct gdb_session *s, const char *p, const char *end, struct gdb_reply *r)
{
    uint64_t addr, len;
    if (!gdb_parse_addr_len(&p, end, &addr, &len) || p != end) {
        gdb_reply_error(r, GDB_E_SYNTAX);
        return;
    }
    len = MIN(len, (uint64_t)(r->cap / 2));
    if (s->ops->read_mem(s->ctx, gdb_session_thread(s), addr, s->scratch, (size_t)len) < 0)
        gdb_reply_error(r, GDB_E_MEMORY);
    else
        gdb_reply_hex(r, s->scratch, (size_t)len);
}

/* M addr,len:hex and X addr,len:binary. */
static void cmd_write_mem(struct gdb_session *s, bool binary, const char *p, const char *end, struct gdb_reply *r)
{
    uint64_t addr, len;
    if (!gdb_parse_addr_len(&p, end, &addr, &len) || p >= end || *p != ':' || len > sizeof(s->scratch)) {
        gdb_reply_error(r, GDB_E_SYNTAX);
        return;
    }
    p++;
    int n = binary ? gdb_unescape(s->scratch, sizeof(s->scratch), p, (size_t)(end - p))
                   : gdb_hex_decode(s->scratch, sizeof(s->scratch), p, (size_t)(end - p));
    if (n < 0 || (uint64_t)n != len)
        gdb_reply_error(r, GDB_E_SYNTAX);
    else if (len && s->ops->write_mem(s->ctx, gdb_session_thread(s), addr, s->scratch, (size_t)len) < 0)
        gdb_reply_error(r, GDB_E_MEMORY);
    else
        gdb_reply_str(r, "OK");
}

/* Z type,addr,kind / z type,addr,kind. */
static void cmd_breakpoint(struct gdb_session *s, bool insert, const char *p, const char *end, struct gdb_reply *r)
{
    uint64_t type, addr, kind;
    if (!gdb_parse_hex(&p, end, &type) || type > GDB_BP_ACCESS || p >= end || *p++ != ',' ||
        !gdb_parse_addr_len(&p, end, &addr, &kind) || (p != end && *p != ';')) {
        gdb_reply_error(r, GDB_E_SYNTAX);
        return;
    }
    int rc = insert ? s->ops->insert_bp(s->ctx, (enum gdb_bp_type)type, addr, kind)
                    : s->ops->remove_bp(s->ctx, (enum gdb_bp_type)type, addr, kind);
    if (rc == GDB_UNSUPPORTED)
        return;                      /* empty reply: gdb uses another way */
    if (rc < 0)
        gdb_reply_error(r, GDB_E_BREAKPOINT);
    else
        gdb_reply_str(r, "OK");
}

/* H op thread: select the thread for later g/m (Hg) or resumption (Hc). */
static void cmd_set_thread(struct gdb_session *s, const char *p, const char *end, struct gdb_reply *r)
{
    if (p >= end || (*p != 'g' && *p != 'c')) {
        gdb_reply_error(r, GDB_E_SYNTAX);
        return;
    }
    char op = *p++;
    int tid;
    if (!gdb_parse_thread_id(&p, end, &tid) || p != end) {
        gdb_reply_error(r, GDB_E_SYNTAX);
        return;
    }
    if (tid > 0 && !s->ops->thread_alive(s->ctx, tid)) {
        gdb_reply_error(r, GDB_E_THREAD);
        return;
    }
    if (op == 'g')
        s->g_thread = tid > 0 ? tid : 0;
    gdb_reply_str(r, "OK");          /* Hc: all-stop, only the stopped thread runs anyway */
}

/* T thread: alive? */
static void cmd_thread_alive(struct gdb_session *s, const char *p, const char *end, struct gdb_reply *r)
{
    int tid;
    if (!gdb_parse_thread_id(&p, end, &tid) || p != end || tid <= 0)
        gdb_reply_error(r, GDB_E_SYNTAX);
    else if (s->ops->thread_alive(s->ctx, tid))
        gdb_reply_str(r, "OK");
    else
        gdb_reply_error(r, GDB_E_THREAD);
}

static enum gdb_resume resume(struct gdb_session *s, enum gdb_resume how)
{
    s->wants_stop_reply = true;
    return how;
}

static enum gdb_resume detach(struct gdb_session *s, bool reply)
{
    s->ops->detach(s->ctx);
    if (reply)
        gdb_session_send(s, "OK", 2);
    s->no_ack = false;               /* the next gdb starts in ack mode */
    s->attached = false;
    s->wants_stop_reply = false;
    return GDB_DETACH;
}

enum gdb_resume gdb_session_packet(struct gdb_session *s, const char *pkt, size_t len)
{
    struct gdb_reply r;
    const char *end = pkt + len;
    gdb_reply_init(&r, s->reply, sizeof(s->reply));
    s->attached = true;
    if (len == 0) {
        send_reply(s, &r);
        return GDB_STAY;
    }
    const char *arg = pkt + 1;
    switch (pkt[0]) {
    case '?': build_stop_reply(&s->stop, &r); break;
    case 'g': cmd_read_regs(s, &r); break;
    case 'G': cmd_write_regs(s, arg, (size_t)(end - arg), &r); break;
    case 'p': cmd_read_reg(s, arg, end, &r); break;
    case 'P': cmd_write_reg(s, arg, end, &r); break;
    case 'm': cmd_read_mem(s, arg, end, &r); break;
    case 'M': cmd_write_mem(s, false, arg, end, &r); break;
    case 'X': cmd_write_mem(s, true, arg, end, &r); break;
    case 'Z': cmd_breakpoint(s, true, arg, end, &r); break;
    case 'z': cmd_breakpoint(s, false, arg, end, &r); break;
    case 'H': cmd_set_thread(s, arg, end, &r); break;
    case 'T': cmd_thread_alive(s, arg, end, &r); break;
    case 'c': return resume(s, GDB_CONTINUE);   /* "c addr" is not used by gdb; the address is ignored */
    case 's': return resume(s, GDB_STEP);
    case 'C': return resume(s, GDB_CONTINUE);   /* no signals to deliver in a kernel */
    case 'S': return resume(s, GDB_STEP);
    case 'D': return detach(s, true);
    case 'k': return detach(s, false);
    case 'q':
    case 'Q': gdb_query(s, pkt, len, &r); break;
    case 'v': {
        if (len >= 5 && memcmp(pkt, "vKill", 5) == 0)
            return detach(s, true);
        enum gdb_resume how = gdb_vpacket(s, pkt, len, &r);
        if (how != GDB_STAY)
            return resume(s, how);
        break;
    }
    default: break;                  /* empty reply: not supported */
    }
    send_reply(s, &r);
    return GDB_STAY;
}
