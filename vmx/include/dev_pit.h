/*
 * An Intel 8254 programmable interval timer as wired in a PC (8254
 * datasheet, Intel 231164): channel 0's OUT drives IRQ0, channel 1 is the
 * (unused) refresh timer, channel 2's GATE and OUT are bits 0 and 5 of
 * system control port B (0x61), which also holds the speaker enable and
 * the refresh toggle (bit 4). Ports 0x40-0x42 counters, 0x43 control word.
 * Modelled: modes 0-5 (6 and 7 alias 2 and 3), LSB/MSB/both access, binary
 * and BCD counting, counter latch, read-back with status, GATE (level and
 * edge rules per mode). A new count takes effect at once in every mode
 * (the 8254 waits for the end of the period in modes 2 and 3).
 *
 * Time is the PIT's input clock (PIT_HZ ticks per second) read from a
 * caller-supplied clock on every access, so the counters run in whatever
 * time base the caller gives (guest-visible time, vmx/platform.c; a fake
 * clock in the unit tests). Pure C; the caller serialises.
 */
#pragma once

#include "types.h"

#define PIT_HZ 1193182u          /* input clock: 14.31818 MHz / 12 */
#define PIT_PORT_FIRST 0x40
#define PIT_PORT_CONTROL 0x43
#define PIT_PORT_SYSCTL_B 0x61
#define PIT_NEVER UINT64_MAX

struct pit_channel {
    uint8_t mode, rw, bcd;
    uint32_t period;          /* loaded count, 1..65536 (10000 in BCD) */
    bool loaded;              /* a count was written since the control word */
    bool gate;
    bool triggered;           /* modes 1 and 5: a GATE rising edge started the count */
    bool running;             /* counting now */
    uint64_t start;           /* clock when counting (re)started */
    uint64_t done;            /* ticks counted before start (GATE pauses in modes 0, 4) */
    uint64_t edges_reported;  /* OUT rising edges pit_new_edges() returned since the load */
    bool null_count;          /* a count was written but not loaded yet (status bit 6) */
    bool write_msb;           /* rw 3: the next count byte written is the MSB */
    uint8_t write_lsb;
    bool read_msb;            /* rw 3: the next byte read is the MSB */
    bool count_latched, status_latched;
    uint16_t latch;
    uint8_t status;
};

struct pit {
    struct pit_channel ch[3];
    uint8_t sysctl_b;                 /* port 0x61 bits 0-3 as written */
    uint64_t (*clock)(void *ctx);     /* now, in PIT_HZ ticks */
    void *clock_ctx;
};

void pit_init(struct pit *p, uint64_t (*clock)(void *ctx), void *ctx);
/* Ports 0x40-0x43 and 0x61. */
uint8_t pit_read(struct pit *p, uint16_t port);
void pit_write(struct pit *p, uint16_t port, uint8_t value);
/* Channel ch's OUT at clock now. */
bool pit_out(const struct pit *p, unsigned ch, uint64_t now);
/* Rising edges of channel ch's OUT up to now that no earlier call returned
   (IRQ0 edges for channel 0; several when the caller looked late). */
uint64_t pit_new_edges(struct pit *p, unsigned ch, uint64_t now);
/* Clock ticks from now to channel ch's next OUT rising edge, PIT_NEVER if
   none will come without a new count or GATE change. */
uint64_t pit_ticks_to_edge(const struct pit *p, unsigned ch, uint64_t now);
/* The counter's current value (what a latch would read). */
uint16_t pit_count(const struct pit *p, unsigned ch, uint64_t now);
/* io_bus handlers (dev = struct pit). */
uint32_t pit_io_read(void *dev, uint16_t port, unsigned size);
void pit_io_write(void *dev, uint16_t port, unsigned size, uint32_t value);
