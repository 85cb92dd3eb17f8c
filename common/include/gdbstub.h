/*
 * GDB Remote Serial Protocol, the command level: one session object per
 * debug port that turns received packets into calls on a target (the
 * registers, memory, breakpoints and threads of whatever is being
 * debugged) and sends the replies. Pure code: the kernel's target is
 * common/debug/gdb_kernel.c + arch/x86_64/gdb_arch.c + vmx/gdb_vmx.c, the
 * unit tests (tests/unit/test_gdbstub.c) use a fake one. Runs wherever the
 * caller runs; in the kernel that is the stopped state (interrupts off).
 *
 * Packets understood (gdb manual, E.4 "Packets", E.5 "Stop Reply Packets",
 * E.6 "General Query Packets"): ? g G p P m M X c s vCont? vCont Z0-Z4 z0-z4
 * D k H T qSupported qXfer:features:read qfThreadInfo qsThreadInfo qC
 * qThreadExtraInfo qAttached qRcmd QStartNoAckMode; anything else gets the
 * empty reply ("not supported"), as the protocol asks.
 */
#pragma once

#include "gdb_packet.h"

#define GDB_SIGINT 2                 /* Ctrl-C (gdb's signal numbers, E.5) */
#define GDB_SIGTRAP 5                /* breakpoint, step */
#define GDB_MAX_THREADS 128          /* reported by qfThreadInfo */
#define GDB_THREAD_INFO_MAX 96       /* qThreadExtraInfo text */
#define GDB_MONITOR_MAX 256          /* qRcmd command text */

/* Error codes in `Enn` replies (the protocol leaves the values to the stub). */
enum gdb_error { GDB_E_SYNTAX = 1, GDB_E_THREAD = 2, GDB_E_MEMORY = 3, GDB_E_REGISTER = 4, GDB_E_BREAKPOINT = 5 };

/* Why the target stopped, for the `T` stop reply. */
enum gdb_stop_kind { GDB_STOP_SIGNAL, GDB_STOP_SWBREAK, GDB_STOP_HWBREAK, GDB_STOP_WATCH, GDB_STOP_RWATCH,
                     GDB_STOP_AWATCH };
struct gdb_stop {
    int signal;                      /* GDB_SIGTRAP or GDB_SIGINT */
    int thread;                      /* gdb thread id (> 0) of the stopped thread */
    enum gdb_stop_kind kind;
    uint64_t data_addr;              /* watchpoints: the address watched */
};

/* What the caller does after a packet. */
enum gdb_resume { GDB_STAY, GDB_CONTINUE, GDB_STEP, GDB_DETACH };

/* Breakpoint types of Z/z packets (E.4 "z type,addr,kind"). */
enum gdb_bp_type { GDB_BP_SOFTWARE, GDB_BP_HARDWARE, GDB_BP_WRITE, GDB_BP_READ, GDB_BP_ACCESS };

struct gdb_session;

/*
 * What the session needs from the debugged system. Every function returns
 * 0 (or a byte count) on success and a negative value on failure, which
 * becomes an `Enn` reply; insert_bp/remove_bp return GDB_UNSUPPORTED for a
 * type they do not offer (the empty reply, so gdb falls back).
 * Registers are in the order and sizes of the target description.
 */
#define GDB_UNSUPPORTED (-1000)
struct gdb_target_ops {
    int (*read_regs)(void *ctx, int tid, uint8_t *buf, size_t cap);
    int (*write_regs)(void *ctx, int tid, const uint8_t *buf, size_t len);
    int (*read_reg)(void *ctx, int tid, unsigned regno, uint8_t *buf, size_t cap);
    int (*write_reg)(void *ctx, int tid, unsigned regno, const uint8_t *buf, size_t len);
    int (*read_mem)(void *ctx, int tid, uint64_t addr, void *buf, size_t n);
    int (*write_mem)(void *ctx, int tid, uint64_t addr, const void *buf, size_t n);
    int (*insert_bp)(void *ctx, enum gdb_bp_type type, uint64_t addr, uint64_t kind);
    int (*remove_bp)(void *ctx, enum gdb_bp_type type, uint64_t addr, uint64_t kind);
    /* The target description document named annex (NULL when there is none). */
    const char *(*features)(void *ctx, const char *annex, size_t *len);
    /* Up to max thread ids into ids; returns how many. */
    int (*threads)(void *ctx, int *ids, int max);
    bool (*thread_alive)(void *ctx, int tid);
    void (*thread_info)(void *ctx, int tid, char *buf, size_t n);
    /* A `monitor` command; output goes through gdb_session_console(). */
    void (*monitor)(void *ctx, struct gdb_session *s, const char *cmd);
    /* gdb detached or killed: remove every breakpoint. */
    void (*detach)(void *ctx);
};

/* Raw output to the debug port. */
typedef void (*gdb_send_fn)(void *io, const char *data, size_t n);

struct gdb_session {
    const struct gdb_target_ops *ops;
    void *ctx;
    gdb_send_fn send;
    void *io;
    bool no_ack;                     /* QStartNoAckMode accepted */
    bool attached;                   /* a packet came since the last detach */
    bool wants_stop_reply;           /* gdb resumed us and waits for a stop reply */
    int g_thread;                    /* Hg: thread for g/G/p/P/m/M/X (0 = the stopped one) */
    struct gdb_stop stop;            /* the current stop */
    int thread_ids[GDB_MAX_THREADS]; /* snapshot for qfThreadInfo/qsThreadInfo */
    int nthreads, thread_cursor;
    struct gdb_rx rx;
    size_t last_len;                 /* last framed packet, resent on `-` */
    char last[GDB_PACKET_MAX + 4];
    char reply[GDB_PACKET_MAX];
    uint8_t scratch[GDB_PACKET_MAX];
};

void gdb_session_init(struct gdb_session *s, const struct gdb_target_ops *ops, void *ctx, gdb_send_fn send,
                      void *io);
/* The target stopped: remember why; sends the stop reply at once when gdb
   waits for one (it resumed us), else gdb asks with `?`. */
void gdb_session_stopped(struct gdb_session *s, const struct gdb_stop *stop);
/* Feed one received byte while stopped; returns what to do next. */
enum gdb_resume gdb_session_feed(struct gdb_session *s, uint8_t byte);
/* Handle one complete packet payload (feed calls this). */
enum gdb_resume gdb_session_packet(struct gdb_session *s, const char *pkt, size_t len);
/* The thread gdb selected for registers and memory (Hg), else the stopped one. */
int gdb_session_thread(const struct gdb_session *s);
/* Send text to gdb's console as `O` packets (monitor output, notices). */
void gdb_session_console(struct gdb_session *s, const char *text);
/* Frame and send a payload, remembering it for a resend. */
void gdb_session_send(struct gdb_session *s, const char *payload, size_t n);
