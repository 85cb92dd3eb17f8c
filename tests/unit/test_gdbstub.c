/* Unit tests for the GDB protocol's command level (common/debug/gdbstub*.c)
   against a fake target: every packet kind, malformed packets, and a
   stream of random packets that must never break the session. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "gdbstub.h"

/* ---- the fake target: 2 threads, 16 bytes of registers, 256 bytes of memory at 0x1000 */
static struct {
    uint8_t regs[16];
    uint8_t mem[256];
    int bp_type, bp_count;
    uint64_t bp_addr;
    bool detached;
    char monitor_cmd[300];
} T;

#define MEM_BASE 0x1000

static int f_read_regs(void *c, int tid, uint8_t *buf, size_t cap)
{
    if (tid != 1 && tid != 7)
        return -1;
    memcpy(buf, T.regs, 16);
    buf[0] = (uint8_t)tid;   /* register 0 tells the threads apart */
    return 16;
}
static int f_write_regs(void *c, int tid, const uint8_t *buf, size_t len)
{
    if (len != 16)
        return -1;
    memcpy(T.regs, buf, 16);
    return 0;
}
static int f_read_reg(void *c, int tid, unsigned regno, uint8_t *buf, size_t cap)
{
    if (regno >= 4)
        return -1;
    memcpy(buf, T.regs + 4 * regno, 4);
    return 4;
}
static int f_write_reg(void *c, int tid, unsigned regno, const uint8_t *buf, size_t len)
{
    if (regno >= 4 || len != 4)
        return -1;
    memcpy(T.regs + 4 * regno, buf, 4);
    return 0;
}
static int f_read_mem(void *c, int tid, uint64_t addr, void *buf, size_t n)
{
    if (addr < MEM_BASE || addr + n > MEM_BASE + sizeof(T.mem) || addr + n < addr)
        return -1;
    memcpy(buf, T.mem + (addr - MEM_BASE), n);
    return 0;
}
static int f_write_mem(void *c, int tid, uint64_t addr, const void *buf, size_t n)
{
    if (addr < MEM_BASE || addr + n > MEM_BASE + sizeof(T.mem) || addr + n < addr)
        return -1;
    memcpy(T.mem + (addr - MEM_BASE), buf, n);
    return 0;
}
static int f_insert_bp(void *c, enum gdb_bp_type type, uint64_t addr, uint64_t kind)
{
    if (type == GDB_BP_READ)
        return GDB_UNSUPPORTED;
    if (addr == 0)
        return -1;
    T.bp_type = (int)type;
    T.bp_addr = addr;
    T.bp_count++;
    return 0;
}
static int f_remove_bp(void *c, enum gdb_bp_type type, uint64_t addr, uint64_t kind)
{
    T.bp_count--;
    return 0;
}
static const char xml[] = "<target><architecture>i386:x86-64</architecture><!--$#}*--></target>";
static const char *f_features(void *c, const char *annex, size_t *len)
{
    if (strcmp(annex, "target.xml") != 0)
        return NULL;
    *len = sizeof(xml) - 1;
    return xml;
}
static int f_threads(void *c, int *ids, int max)
{
    ids[0] = 1;
    ids[1] = 7;
    return 2;
}
static bool f_alive(void *c, int tid) { return tid == 1 || tid == 7; }
static void f_info(void *c, int tid, char *buf, size_t n) { snprintf(buf, n, "thread %d", tid); }
static void f_monitor(void *c, struct gdb_session *s, const char *cmd)
{
    snprintf(T.monitor_cmd, sizeof(T.monitor_cmd), "%s", cmd);
    gdb_session_console(s, "hi\n");
}
static void f_detach(void *c) { T.detached = true; }

static const struct gdb_target_ops fake_ops = {
    f_read_regs, f_write_regs, f_read_reg, f_write_reg, f_read_mem, f_write_mem, f_insert_bp,
    f_remove_bp, f_features, f_threads, f_alive, f_info, f_monitor, f_detach,
};

/* ---- the wire: everything the session sent since the last take */
static char wire[16384];
static size_t wire_len;

static void f_send(void *io, const char *data, size_t n)
{
    assert_true(wire_len + n < sizeof(wire));
    memcpy(wire + wire_len, data, n);
    wire_len += n;
    wire[wire_len] = '\0';
}

static struct gdb_session S;

static int setup(void **state)
{
    memset(&T, 0, sizeof(T));
    for (int i = 0; i < 16; i++)
        T.regs[i] = (uint8_t)(0x10 + i);
    for (int i = 0; i < 256; i++)
        T.mem[i] = (uint8_t)i;
    wire_len = 0;
    wire[0] = '\0';
    gdb_session_init(&S, &fake_ops, NULL, f_send, NULL);
    struct gdb_stop st = {.signal = GDB_SIGTRAP, .thread = 1, .kind = GDB_STOP_SIGNAL};
    gdb_session_stopped(&S, &st);
    return 0;
}

/* Send payload as a framed packet (as gdb does: no run-length codes); return
   what the session does. */
static enum gdb_resume send_packet(const char *payload)
{
    char frame[GDB_PACKET_MAX + 8];
    size_t len = strlen(payload);
    assert_true(len + 4 < sizeof(frame));
    frame[0] = '$';
    memcpy(frame + 1, payload, len);
    snprintf(frame + 1 + len, 4, "#%02x", gdb_checksum(payload, len));
    size_t n = len + 4;
    wire_len = 0;
    wire[0] = '\0';
    enum gdb_resume how = GDB_STAY;
    for (size_t i = 0; i < n; i++) {
        enum gdb_resume h = gdb_session_feed(&S, (uint8_t)frame[i]);
        if (h != GDB_STAY)
            how = h;
    }
    return how;
}

/* The payload of the last framed reply on the wire: checksum verified over
   what was sent, run-length codes expanded as gdb does. */
static const char *reply(void)
{
    static char out[4 * GDB_PACKET_MAX + 1];
    char *start = strrchr(wire, '$');
    assert_non_null(start);
    char *hash = strchr(start, '#');
    assert_non_null(hash);
    size_t n = (size_t)(hash - start - 1), o = 0;
    unsigned sum;
    assert_int_equal(sscanf(hash + 1, "%2x", &sum), 1);
    assert_int_equal(sum, gdb_checksum(start + 1, n));
    for (size_t i = 0; i < n; i++) {
        char c = start[1 + i];
        if (c == '*' && o > 0 && i + 1 < n) {
            for (int k = 0; k < start[2 + i] - 29; k++, o++)
                out[o] = out[o - 1];
            i++;
        } else {
            out[o++] = c;
        }
    }
    out[o] = '\0';
    return out;
}

static void test_ack_and_qsupported(void **state)
{
    send_packet("qSupported:multiprocess+;swbreak+;xmlRegisters=i386");
    assert_int_equal(wire[0], '+');
    assert_string_equal(reply(), "PacketSize=1000;qXfer:features:read+;vContSupported+;QStartNoAckMode+;"
                                 "swbreak+;hwbreak+");
}

static void test_no_ack_mode(void **state)
{
    send_packet("QStartNoAckMode");
    assert_string_equal(reply(), "OK");
    send_packet("?");
    assert_int_equal(wire[0], '$');   /* no '+' any more */
    assert_string_equal(reply(), "T05thread:1;");
}

static void test_bad_checksum_naks_and_resend(void **state)
{
    wire_len = 0;
    const char *bad = "$g#00";
    for (const char *p = bad; *p; p++)
        assert_int_equal(gdb_session_feed(&S, (uint8_t)*p), GDB_STAY);
    assert_string_equal(wire, "-");
    send_packet("?");
    wire_len = 0;
    gdb_session_feed(&S, '-');          /* gdb did not get it: resend */
    assert_string_equal(reply(), "T05thread:1;");
}

static void test_registers(void **state)
{
    send_packet("g");
    assert_string_equal(reply(), "011112131415161718191a1b1c1d1e1f");
    send_packet("p2");
    assert_string_equal(reply(), "18191a1b");
    send_packet("P1=deadbeef");
    assert_string_equal(reply(), "OK");
    assert_memory_equal(T.regs + 4, "\xde\xad\xbe\xef", 4);
    send_packet("P9=00000000");
    assert_string_equal(reply(), "E04");
    send_packet("P1=xyz");
    assert_string_equal(reply(), "E01");
    send_packet("Pzz");
    assert_string_equal(reply(), "E01");
    send_packet("G00112233445566778899aabbccddeeff");
    assert_string_equal(reply(), "OK");
    assert_int_equal(T.regs[15], 0xff);
    send_packet("G0011");               /* wrong size: the target refuses */
    assert_string_equal(reply(), "E04");
    send_packet("G0g");
    assert_string_equal(reply(), "E01");
}

static void test_memory_read_error_then_next_works(void **state)
{
    send_packet("m1010,4");
    assert_string_equal(reply(), "10111213");
    send_packet("m0,4");
    assert_string_equal(reply(), "E03");
    send_packet("mffffffffffffffff,10");
    assert_string_equal(reply(), "E03");
    send_packet("m1010");
    assert_string_equal(reply(), "E01");
    send_packet("m1010,4junk");
    assert_string_equal(reply(), "E01");
    send_packet("m1000,1");
    assert_string_equal(reply(), "00");
}

static void test_memory_writes(void **state)
{
    send_packet("M1000,2:abcd");
    assert_string_equal(reply(), "OK");
    assert_int_equal(T.mem[0], 0xab);
    assert_int_equal(T.mem[1], 0xcd);
    send_packet("M1000,3:abcd");        /* length does not match the data */
    assert_string_equal(reply(), "E01");
    send_packet("M0,1:00");
    assert_string_equal(reply(), "E03");
    /* X with an escaped '#' (0x23 -> '}' 0x03) */
    char x[] = "X1004,2:}\x03z";
    send_packet(x);
    assert_string_equal(reply(), "OK");
    assert_int_equal(T.mem[4], '#');
    assert_int_equal(T.mem[5], 'z');
    send_packet("X1004,0:");            /* gdb's probe for X support */
    assert_string_equal(reply(), "OK");
}

static void test_breakpoints(void **state)
{
    send_packet("Z0,ffffffff80101234,1");
    assert_string_equal(reply(), "OK");
    assert_int_equal(T.bp_type, GDB_BP_SOFTWARE);
    assert_true(T.bp_addr == 0xffffffff80101234ull);
    send_packet("Z2,1000,8");
    assert_string_equal(reply(), "OK");
    assert_int_equal(T.bp_type, GDB_BP_WRITE);
    send_packet("Z3,1000,8");           /* unsupported: empty reply */
    assert_string_equal(reply(), "");
    send_packet("Z1,0,1");
    assert_string_equal(reply(), "E05");
    send_packet("Z9,1000,1");
    assert_string_equal(reply(), "E01");
    send_packet("z0,ffffffff80101234,1");
    assert_string_equal(reply(), "OK");
    assert_int_equal(T.bp_count, 1);
}

static void test_threads(void **state)
{
    send_packet("qfThreadInfo");
    assert_string_equal(reply(), "m1,7");
    send_packet("qsThreadInfo");
    assert_string_equal(reply(), "l");
    send_packet("qC");
    assert_string_equal(reply(), "QC1");
    send_packet("Hg7");
    assert_string_equal(reply(), "OK");
    send_packet("g");
    assert_memory_equal(reply(), "07", 2);
    send_packet("Hg5");
    assert_string_equal(reply(), "E02");
    send_packet("Hg0");
    assert_string_equal(reply(), "OK");
    send_packet("g");
    assert_memory_equal(reply(), "01", 2);
    send_packet("Hc-1");
    assert_string_equal(reply(), "OK");
    send_packet("T7");
    assert_string_equal(reply(), "OK");
    send_packet("T8");
    assert_string_equal(reply(), "E02");
    send_packet("qThreadExtraInfo,7");
    assert_string_equal(reply(), "7468726561642037");   /* "thread 7" */
}

static void test_target_xml_in_pieces(void **state)
{
    char doc[256] = "";
    size_t got = 0;
    for (int i = 0; i < 20; i++) {
        char q[64];
        snprintf(q, sizeof(q), "qXfer:features:read:target.xml:%zx,10", got);
        send_packet(q);
        const char *r = reply();
        assert_true(r[0] == 'm' || r[0] == 'l');
        uint8_t part[64];
        int n = gdb_unescape(part, sizeof(part), r + 1, strlen(r + 1));
        assert_true(n >= 0);
        memcpy(doc + got, part, (size_t)n);
        got += (size_t)n;
        if (r[0] == 'l')
            break;
    }
    assert_int_equal(got, strlen(xml));
    assert_memory_equal(doc, xml, got);
    send_packet("qXfer:features:read:other.xml:0,10");
    assert_string_equal(reply(), "E01");
    send_packet("qXfer:features:read:target.xml:zz");
    assert_string_equal(reply(), "E01");
}

static void test_resume_packets(void **state)
{
    assert_int_equal(send_packet("vCont?"), GDB_STAY);
    assert_string_equal(reply(), "vCont;c;C;s;S");
    assert_int_equal(send_packet("vCont;s:1;c"), GDB_STEP);
    assert_int_equal(send_packet("vCont;c"), GDB_CONTINUE);
    assert_int_equal(send_packet("vCont;C05:-1"), GDB_CONTINUE);
    assert_int_equal(send_packet("vCont;q"), GDB_STAY);
    assert_string_equal(reply(), "E01");
    assert_int_equal(send_packet("vCont;"), GDB_STAY);
    assert_string_equal(reply(), "E01");
    assert_int_equal(send_packet("c"), GDB_CONTINUE);
    assert_int_equal(send_packet("s"), GDB_STEP);
    /* after a resume the next stop is reported at once */
    wire_len = 0;
    struct gdb_stop st = {.signal = GDB_SIGTRAP, .thread = 7, .kind = GDB_STOP_SWBREAK};
    gdb_session_stopped(&S, &st);
    assert_string_equal(reply(), "T05swbreak:;thread:7;");
    wire_len = 0;
    st = (struct gdb_stop){.signal = GDB_SIGTRAP, .thread = 1, .kind = GDB_STOP_WATCH, .data_addr = 0x1008};
    gdb_session_stopped(&S, &st);
    assert_int_equal(wire_len, 0);      /* nobody asked: wait for '?' */
    send_packet("?");
    assert_string_equal(reply(), "T05watch:1008;thread:1;");
}

static void test_monitor_and_detach(void **state)
{
    send_packet("qRcmd,766d6373");     /* "vmcs" */
    assert_string_equal(T.monitor_cmd, "vmcs");
    assert_non_null(strstr(wire, "$O68690a#"));   /* "hi\n" as an O packet */
    assert_string_equal(reply(), "OK");
    send_packet("qRcmd,7");
    assert_string_equal(reply(), "E01");
    send_packet("qRcmd,6100");          /* a NUL inside */
    assert_string_equal(reply(), "E01");
    assert_int_equal(send_packet("D"), GDB_DETACH);
    assert_string_equal(reply(), "OK");
    assert_true(T.detached);
    T.detached = false;
    assert_int_equal(send_packet("vKill;1"), GDB_DETACH);
    assert_true(T.detached);
}

static void test_unknown_and_empty(void **state)
{
    send_packet("qTStatus");
    assert_string_equal(reply(), "");
    send_packet("vMustReplyEmpty");
    assert_string_equal(reply(), "");
    send_packet("!");
    assert_string_equal(reply(), "");
    send_packet("qAttached:1");
    assert_string_equal(reply(), "1");
}

static void test_random_packets_keep_session_alive(void **state)
{
    static const char alphabet[] = "gGpPmMXZzHTqQvcsD?0123456789abcdef,:;=-}#$xyz";
    uint32_t x = 777;
    for (int i = 0; i < 20000; i++) {
        char pkt[40];
        x = x * 1103515245u + 12345u;
        int n = (int)(x >> 16) % 39;
        for (int k = 0; k < n; k++) {
            x = x * 1103515245u + 12345u;
            pkt[k] = alphabet[(x >> 16) % (sizeof(alphabet) - 1)];
            if (pkt[k] == '$' || pkt[k] == '#')
                pkt[k] = 'q';
        }
        pkt[n] = '\0';
        if (pkt[0] == 'D' || pkt[0] == 'k' || (n >= 5 && memcmp(pkt, "vKill", 5) == 0))
            continue;
        send_packet(pkt);
    }
    send_packet("m1001,2");
    assert_string_equal(reply(), "0102");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_ack_and_qsupported, setup),
        cmocka_unit_test_setup(test_no_ack_mode, setup),
        cmocka_unit_test_setup(test_bad_checksum_naks_and_resend, setup),
        cmocka_unit_test_setup(test_registers, setup),
        cmocka_unit_test_setup(test_memory_read_error_then_next_works, setup),
        cmocka_unit_test_setup(test_memory_writes, setup),
        cmocka_unit_test_setup(test_breakpoints, setup),
        cmocka_unit_test_setup(test_threads, setup),
        cmocka_unit_test_setup(test_target_xml_in_pieces, setup),
        cmocka_unit_test_setup(test_resume_packets, setup),
        cmocka_unit_test_setup(test_monitor_and_detach, setup),
        cmocka_unit_test_setup(test_unknown_and_empty, setup),
        cmocka_unit_test_setup(test_random_packets_keep_session_alive, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
