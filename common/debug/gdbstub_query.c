/*
 * The query packets of the GDB remote protocol (q..., Q..., v...; gdb
 * manual E.6 "General Query Packets", E.4 "vCont"): features, the target
 * description, threads, monitor commands, vCont. Pure code, part of the
 * session (gdbstub.c); in the kernel it runs stopped, interrupts off.
 */
#include "gdbstub_internal.h"
#include "kstring.h"

/* pkt starts with word, followed by end or one of the characters in next. */
static bool is_cmd(const char *pkt, size_t len, const char *word, const char *next)
{
    size_t n = strlen(word);
    if (len < n || memcmp(pkt, word, n) != 0)
        return false;
    return len == n || strchr(next, pkt[n]) != NULL;
}

bool gdb_parse_thread_id(const char **p, const char *end, int *tid)
{
    uint64_t v;
    if (end - *p >= 2 && (*p)[0] == '-' && (*p)[1] == '1') {
        *p += 2;
        *tid = -1;
        return true;
    }
    if (!gdb_parse_hex(p, end, &v) || v > 0x7FFFFFFF)
        return false;
    *tid = (int)v;
    return true;
}

static void q_supported(struct gdb_reply *r)
{
    gdb_reply_str(r, "PacketSize=");
    gdb_reply_hex_u64(r, GDB_PACKET_MAX);
    gdb_reply_str(r, ";qXfer:features:read+;vContSupported+;QStartNoAckMode+;swbreak+;hwbreak+");
}

/* qXfer:features:read:ANNEX:OFFSET,LENGTH -> "m" + part or "l" + last part. */
static void q_xfer_features(struct gdb_session *s, const char *p, const char *end, struct gdb_reply *r)
{
    char annex[64];
    size_t n = 0;
    while (p < end && *p != ':' && n + 1 < sizeof(annex))
        annex[n++] = *p++;
    annex[n] = '\0';
    uint64_t off, want;
    if (p >= end || *p++ != ':' || !gdb_parse_addr_len(&p, end, &off, &want) || p != end) {
        gdb_reply_error(r, GDB_E_SYNTAX);
        return;
    }
    size_t doc_len;
    const char *doc = s->ops->features(s->ctx, annex, &doc_len);
    if (!doc) {
        gdb_reply_error(r, GDB_E_SYNTAX);
        return;
    }
    if (off >= doc_len) {
        gdb_reply_char(r, 'l');
        return;
    }
    /* escaping may double a byte: take at most half the room */
    size_t take = (size_t)MIN(MIN(want, (uint64_t)(doc_len - off)), (uint64_t)(r->cap - 1) / 2);
    gdb_reply_char(r, off + take == doc_len ? 'l' : 'm');
    gdb_reply_escaped(r, doc + off, take);
}

/* qfThreadInfo takes a snapshot; qsThreadInfo continues it, "l" at the end. */
static void q_thread_info(struct gdb_session *s, bool first, struct gdb_reply *r)
{
    if (first) {
        s->nthreads = s->ops->threads(s->ctx, s->thread_ids, GDB_MAX_THREADS);
        s->thread_cursor = 0;
    }
    if (s->thread_cursor >= s->nthreads) {
        gdb_reply_char(r, 'l');
        return;
    }
    gdb_reply_char(r, 'm');
    for (int i = 0; s->thread_cursor < s->nthreads && i < 32; i++, s->thread_cursor++) {
        if (i)
            gdb_reply_char(r, ',');
        gdb_reply_hex_u64(r, (uint64_t)s->thread_ids[s->thread_cursor]);
    }
}

static void q_thread_extra(struct gdb_session *s, const char *p, const char *end, struct gdb_reply *r)
{
    int tid;
    char text[GDB_THREAD_INFO_MAX];
    if (!gdb_parse_thread_id(&p, end, &tid) || p != end || tid <= 0) {
        gdb_reply_error(r, GDB_E_SYNTAX);
        return;
    }
    if (!s->ops->thread_alive(s->ctx, tid)) {
        gdb_reply_error(r, GDB_E_THREAD);
        return;
    }
    text[0] = '\0';
    s->ops->thread_info(s->ctx, tid, text, sizeof(text));
    text[sizeof(text) - 1] = '\0';
    gdb_reply_hex(r, text, strlen(text));
}

/* qRcmd,HEX: decode the command, run it, answer OK (output went as O packets). */
static void q_rcmd(struct gdb_session *s, const char *p, const char *end, struct gdb_reply *r)
{
    char cmd[GDB_MONITOR_MAX + 1];
    int n = gdb_hex_decode(cmd, GDB_MONITOR_MAX, p, (size_t)(end - p));
    if (n < 0) {
        gdb_reply_error(r, GDB_E_SYNTAX);
        return;
    }
    cmd[n] = '\0';
    if (strlen(cmd) != (size_t)n) {  /* a NUL inside: not a command */
        gdb_reply_error(r, GDB_E_SYNTAX);
        return;
    }
    s->ops->monitor(s->ctx, s, cmd);
    gdb_reply_str(r, "OK");
}

void gdb_query(struct gdb_session *s, const char *pkt, size_t len, struct gdb_reply *r)
{
    const char *end = pkt + len;
    if (is_cmd(pkt, len, "qSupported", ":")) {
        q_supported(r);
    } else if (len > 20 && memcmp(pkt, "qXfer:features:read:", 20) == 0) {
        q_xfer_features(s, pkt + 20, end, r);
    } else if (is_cmd(pkt, len, "qfThreadInfo", "")) {
        q_thread_info(s, true, r);
    } else if (is_cmd(pkt, len, "qsThreadInfo", "")) {
        q_thread_info(s, false, r);
    } else if (is_cmd(pkt, len, "qC", "")) {
        gdb_reply_str(r, "QC");
        gdb_reply_hex_u64(r, (uint64_t)s->stop.thread);
    } else if (is_cmd(pkt, len, "qThreadExtraInfo", ",")) {
        q_thread_extra(s, pkt + 17, end, r);
    } else if (is_cmd(pkt, len, "qAttached", ":")) {
        gdb_reply_char(r, '1');      /* we were there first: detach, never kill */
    } else if (is_cmd(pkt, len, "qRcmd", ",")) {
        q_rcmd(s, pkt + 6, end, r);
    } else if (is_cmd(pkt, len, "QStartNoAckMode", "")) {
        gdb_reply_str(r, "OK");
        s->no_ack = true;            /* the OK itself is still acked by gdb */
    }
    /* anything else: the empty reply */
}

/* vCont;action[:thread]...: step when any action steps (all-stop: only the
   stopped thread can execute), else continue. */
static enum gdb_resume v_cont(const char *p, const char *end, struct gdb_reply *r)
{
    enum gdb_resume how = GDB_STAY;
    while (p < end) {
        if (*p++ != ';' || p >= end)
            break;
        char action = *p++;
        if (action == 'C' || action == 'S') {
            uint64_t sig;
            if (!gdb_parse_hex(&p, end, &sig))
                break;
        } else if (action != 'c' && action != 's') {
            break;
        }
        if (p < end && *p == ':') {
            int tid;
            p++;
            if (!gdb_parse_thread_id(&p, end, &tid))
                break;
        }
        if (action == 's' || action == 'S')
            how = GDB_STEP;
        else if (how == GDB_STAY)
            how = GDB_CONTINUE;
        if (p == end)
            return how;
    }
    gdb_reply_error(r, GDB_E_SYNTAX);
    return GDB_STAY;
}

enum gdb_resume gdb_vpacket(struct gdb_session *s, const char *pkt, size_t len, struct gdb_reply *r)
{
    UNUSED(s);
    if (is_cmd(pkt, len, "vCont?", "")) {
        gdb_reply_str(r, "vCont;c;C;s;S");
        return GDB_STAY;
    }
    if (is_cmd(pkt, len, "vCont", ";"))
        return v_cont(pkt + 5, pkt + len, r);
    return GDB_STAY;                 /* vMustReplyEmpty and the rest: empty */
}
