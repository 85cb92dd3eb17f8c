/*
 * The 8254 (dev_pit.h). References are to the 8254 datasheet (Intel
 * 231164-005): "Control Word Format", "Read-Back Command", "Mode
 * Definitions" and Figure 20 "Gate Pin Operations Summary". A channel's
 * state is "ticks counted since the count was loaded" (done + the running
 * stretch); value and OUT are functions of that and the mode, so nothing
 * runs between accesses. Pure C, called with the platform lock held.
 */
#include "dev_pit.h"
#include "kstring.h"

#define CW_SC(v) (((v) >> 6) & 3)
#define CW_RW(v) (((v) >> 4) & 3)
#define CW_MODE(v) (((v) >> 1) & 7)
#define RB_NO_COUNT 0x20      /* read-back: bit 5 = 0 latches the counts */
#define RB_NO_STATUS 0x10     /* read-back: bit 4 = 0 latches the status */
#define SYSCTL_GATE2 0x01
#define SYSCTL_WRITABLE 0x0F  /* gate 2, speaker data, parity/IOCHK enables */
#define SYSCTL_REFRESH 0x10   /* toggles every 15.085 us */
#define SYSCTL_OUT2 0x20
#define REFRESH_TICKS 18      /* 15.085 us at PIT_HZ */

static uint64_t now_of(const struct pit *p) { return p->clock(p->clock_ctx); }

void pit_init(struct pit *p, uint64_t (*clock)(void *ctx), void *ctx)
{
    memset(p, 0, sizeof(*p));
    p->clock = clock;
    p->clock_ctx = ctx;
    for (int i = 0; i < 3; i++)
        p->ch[i].gate = i != 2;   /* GATE0/1 are tied high; GATE2 is port 0x61 bit 0 (reset 0) */
}

static uint64_t counted(const struct pit_channel *c, uint64_t now)
{
    return c->done + (c->running ? now - c->start : 0);
}

/* Does this mode count while GATE is low? Modes 0, 2, 3, 4 stop (Figure 20);
   modes 1 and 5 count on once triggered. */
static bool gate_stops(unsigned mode) { return mode != 1 && mode != 5; }

/* (Re)compute running after a load, trigger or GATE change. */
static void set_running(struct pit_channel *c, uint64_t now)
{
    bool run = c->loaded && (c->gate || !gate_stops(c->mode)) && (c->triggered || gate_stops(c->mode));
    if (run && !c->running)
        c->start = now;
    if (!run && c->running)
        c->done += now - c->start;
    c->running = run;
}

static uint16_t to_bcd(uint32_t v)
{
    return (uint16_t)((v % 10) | ((v / 10 % 10) << 4) | ((v / 100 % 10) << 8) | ((v / 1000 % 10) << 12));
}

static uint32_t from_bcd(uint16_t v)
{
    return (v & 0xF) + ((v >> 4) & 0xF) * 10 + ((v >> 8) & 0xF) * 100 + ((v >> 12) & 0xF) * 1000;
}

/* The value in binary, 0..period (0 means the full count in the register). */
static uint32_t value_at(const struct pit_channel *c, uint64_t e)
{
    uint32_t n = c->period, wrap = c->bcd ? 10000 : 65536;
    switch (c->mode) {
    case 2:
        return n - (uint32_t)(e % n);
    case 3: {   /* decrements by 2; each half period restarts at n (n - 1 when odd) */
        uint32_t first = (n + 1) / 2, p = (uint32_t)(e % n);
        uint32_t q = p < first ? p : p - first;
        return (n & ~1u) - 2 * q;
    }
    default:    /* 0, 1, 4, 5: count down and wrap after the terminal count */
        return (uint32_t)((n + wrap - e % wrap) % wrap);
    }
}

uint16_t pit_count(const struct pit *p, unsigned ch, uint64_t now)
{
    const struct pit_channel *c = &p->ch[ch];
    if (!c->loaded)
        return 0;
    uint32_t v = value_at(c, counted(c, now)) % (c->bcd ? 10000 : 65536);
    return c->bcd ? to_bcd(v) : (uint16_t)v;
}

/* Mode 0 and 1: OUT low until the terminal count, then high; 4 and 5: OUT high
   with a one-clock low pulse at the terminal count; 2: a one-clock low pulse
   before each reload; 3: high for the first half of each period. */
bool pit_out(const struct pit *p, unsigned ch, uint64_t now)
{
    const struct pit_channel *c = &p->ch[ch];
    if (!c->loaded)
        return c->mode != 0;   /* after the control word: low in mode 0, high otherwise */
    uint64_t e = counted(c, now), n = c->period;
    switch (c->mode) {
    case 0:
        return e >= n;
    case 1:
        return !c->triggered || e >= n;
    case 2:
        return !c->running || e % n != n - 1;
    case 3:
        return !c->running || e % n < (n + 1) / 2;
    default:   /* 4, 5 */
        return e != n;
    }
}

/* OUT rising edges in the first e ticks after the load. */
static uint64_t edges_until(const struct pit_channel *c, uint64_t e)
{
    // SOLUTION(V6-interrupts) BEGIN: modes 2 and 3: one rising edge per period; 0 and 1: one at the terminal count; 4 and 5: one a clock after it (datasheet "Mode Definitions")
    // SOLUTION(V6-interrupts) STUB: return 0;
    uint64_t n = c->period;
    switch (c->mode) {
    case 2:
    case 3:
        return e / n;
    case 0:
    case 1:
        return e >= n;
    default:
        return e >= n + 1;
    }
    // SOLUTION(V6-interrupts) END
}

uint64_t pit_new_edges(struct pit *p, unsigned ch, uint64_t now)
{
    struct pit_channel *c = &p->ch[ch];
    if (!c->loaded || (c->mode == 1 || c->mode == 5 ? !c->triggered : false))
        return 0;
    uint64_t total = edges_until(c, counted(c, now));
    uint64_t fresh = total - c->edges_reported;
    c->edges_reported = total;
    return fresh;
}

uint64_t pit_ticks_to_edge(const struct pit *p, unsigned ch, uint64_t now)
{
    const struct pit_channel *c = &p->ch[ch];
    if (!c->running)
        return PIT_NEVER;
    uint64_t e = counted(c, now), n = c->period;
    switch (c->mode) {
    case 2:
    case 3:
        return n - e % n;
    case 0:
    case 1:
        return e < n ? n - e : PIT_NEVER;
    default:
        return e < n + 1 ? n + 1 - e : PIT_NEVER;
    }
}

/* Start counting the value just written (the count register is loaded). */
static void load(struct pit_channel *c, uint16_t raw, uint64_t now)
{
    uint32_t v = c->bcd ? from_bcd(raw) : raw;
    c->period = v ? v : (c->bcd ? 10000 : 65536);
    c->loaded = true;
    c->null_count = false;
    c->running = false;
    c->done = 0;
    c->edges_reported = 0;
    c->triggered = false;
    set_running(c, now);
}

static void write_count(struct pit_channel *c, uint8_t v, uint64_t now)
{
    c->null_count = true;
    switch (c->rw) {
    case 1:
        load(c, v, now);
        break;
    case 2:
        load(c, (uint16_t)(v << 8), now);
        break;
    default:
        if (!c->write_msb) {
            c->write_lsb = v;
            c->write_msb = true;
            if (c->mode == 0) {   /* mode 0: writing the first byte stops the count */
                c->loaded = false;
                c->running = false;
            }
        } else {
            c->write_msb = false;
            load(c, (uint16_t)(c->write_lsb | (v << 8)), now);
        }
    }
}

static void latch_count(struct pit_channel *c, uint64_t now)
{
    if (c->count_latched)
        return;   /* a second latch before the read is ignored */
    c->latch = c->loaded ? (uint16_t)(c->bcd ? to_bcd(value_at(c, counted(c, now)) % 10000)
                                             : value_at(c, counted(c, now)) & 0xFFFF)
                         : 0;
    c->count_latched = true;
    c->read_msb = false;
}

static void latch_status(struct pit *p, unsigned ch, uint64_t now)
{
    struct pit_channel *c = &p->ch[ch];
    if (c->status_latched)
        return;
    c->status = (uint8_t)((pit_out(p, ch, now) << 7) | (c->null_count << 6) | (c->rw << 4) | (c->mode << 1) |
                          c->bcd);
    c->status_latched = true;
}

static void write_control(struct pit *p, uint8_t v, uint64_t now)
{
    unsigned sc = CW_SC(v);
    if (sc == 3) {   /* read-back */
        for (unsigned ch = 0; ch < 3; ch++) {
            if (!(v & (2u << ch)))
                continue;
            if (!(v & RB_NO_STATUS))
                latch_status(p, ch, now);
            if (!(v & RB_NO_COUNT))
                latch_count(&p->ch[ch], now);
        }
        return;
    }
    struct pit_channel *c = &p->ch[sc];
    if (CW_RW(v) == 0) {
        latch_count(c, now);
        return;
    }
    bool gate = c->gate;
    memset(c, 0, sizeof(*c));
    c->gate = gate;
    c->rw = CW_RW(v);
    c->mode = CW_MODE(v) >= 6 ? CW_MODE(v) - 4 : CW_MODE(v);
    c->bcd = v & 1;
}

/* Read one byte of the latched or live count, per the access mode. */
static uint8_t read_counter(struct pit *p, unsigned ch, uint64_t now)
{
    struct pit_channel *c = &p->ch[ch];
    if (c->status_latched) {
        c->status_latched = false;
        return c->status;
    }
    uint16_t v = c->count_latched ? c->latch : pit_count(p, ch, now);
    bool msb;
    if (c->rw == 3) {
        msb = c->read_msb;
        c->read_msb = !c->read_msb;
        if (msb)
            c->count_latched = false;
    } else {
        msb = c->rw == 2;
        c->count_latched = false;
    }
    return (uint8_t)(msb ? v >> 8 : v);
}

static void set_gate2(struct pit *p, bool level, uint64_t now)
{
    struct pit_channel *c = &p->ch[2];
    bool rising = level && !c->gate;
    c->gate = level;
    if (rising && c->loaded && c->mode != 0 && c->mode != 4) {   /* 1, 2, 3, 5: a rising edge restarts */
        c->running = false;
        c->done = 0;
        c->edges_reported = 0;
        c->triggered = true;
    }
    set_running(c, now);
}

uint8_t pit_read(struct pit *p, uint16_t port)
{
    uint64_t now = now_of(p);
    if (port == PIT_PORT_SYSCTL_B)
        return (uint8_t)((p->sysctl_b & SYSCTL_WRITABLE) | (((now / REFRESH_TICKS) & 1) ? SYSCTL_REFRESH : 0) |
                         (pit_out(p, 2, now) ? SYSCTL_OUT2 : 0));
    if (port >= PIT_PORT_FIRST && port < PIT_PORT_CONTROL)
        return read_counter(p, port - PIT_PORT_FIRST, now);
    return 0xFF;   /* the control word register cannot be read */
}

void pit_write(struct pit *p, uint16_t port, uint8_t v)
{
    uint64_t now = now_of(p);
    if (port == PIT_PORT_SYSCTL_B) {
        p->sysctl_b = v & SYSCTL_WRITABLE;
        set_gate2(p, (v & SYSCTL_GATE2) != 0, now);
    } else if (port == PIT_PORT_CONTROL) {
        write_control(p, v, now);
    } else if (port >= PIT_PORT_FIRST && port < PIT_PORT_CONTROL) {
        write_count(&p->ch[port - PIT_PORT_FIRST], v, now);
    }
}

uint32_t pit_io_read(void *dev, uint16_t port, unsigned size)
{
    UNUSED(size);
    return pit_read(dev, port);
}

void pit_io_write(void *dev, uint16_t port, unsigned size, uint32_t value)
{
    UNUSED(size);
    pit_write(dev, port, (uint8_t)value);
}
