/*
 * The PC's CMOS RAM and real-time clock, a Motorola MC146818A (datasheet
 * MC146818A/D) behind ports 0x70 (index; bit 7 masks NMI) and 0x71 (data),
 * with the IBM PC/AT register map firmware expects:
 *   0x00-0x09 clock (BCD or binary, 12/24 h as status B says), read from a
 *             caller-supplied clock (seconds since 1970, UTC); writes to the
 *             time registers set an offset the guest then keeps seeing
 *   0x0A-0x0D status A-D (A: divider 010, rate 0110; B: 24 h BCD; C: read
 *             clears; D: VRT, the battery is good); no update-in-progress and
 *             no periodic/alarm interrupts (IRQ8) are generated
 *   0x0F shutdown status 0 (a cold boot), 0x14 equipment (FPU, PS/2 mouse),
 *   0x15-0x16 base memory KiB (640), 0x17-0x18 = 0x30-0x31 extended KiB
 *   above 1 MiB (at most 0xFFFF), 0x32 century (BCD), 0x34-0x35 64 KiB
 *   blocks above 16 MiB below 4 GiB, 0x5B-0x5D 64 KiB blocks above 4 GiB,
 *   0x5F CPU count - 1 (SeaBIOS, QEMU's layout); the rest plain RAM.
 * Pure C; the caller serialises.
 */
#pragma once

#include "types.h"

#define CMOS_PORT_INDEX 0x70
#define CMOS_PORT_DATA 0x71
#define CMOS_SIZE 128

struct cmos_date {
    unsigned year, month, day, hour, minute, second, weekday;   /* month 1-12, weekday 1 = Sunday */
};

struct cmos {
    uint8_t ram[CMOS_SIZE];
    uint8_t index;
    bool nmi_masked;
    int64_t offset;                  /* guest clock - host clock, seconds */
    uint64_t (*clock)(void *ctx);    /* seconds since 1970-01-01 00:00 UTC */
    void *clock_ctx;
};

void cmos_init(struct cmos *c, uint64_t (*clock)(void *ctx), void *ctx);
/* Fill the memory-size registers for ram_bytes of RAM from guest-physical 0
   (below_4g of it under 4 GiB) and the CPU count. */
void cmos_set_memory(struct cmos *c, uint64_t below_4g, uint64_t above_4g, unsigned cpus);
uint8_t cmos_read(struct cmos *c, uint16_t port);
void cmos_write(struct cmos *c, uint16_t port, uint8_t value);
/* Calendar conversion (proleptic Gregorian, UTC). */
void cmos_date_from_epoch(uint64_t seconds, struct cmos_date *d);
uint64_t cmos_epoch_from_date(const struct cmos_date *d);
/* io_bus handlers (dev = struct cmos). */
uint32_t cmos_io_read(void *dev, uint16_t port, unsigned size);
void cmos_io_write(void *dev, uint16_t port, unsigned size, uint32_t value);
