/*
 * CMOS RAM and RTC (dev_cmos.h). Register meanings: MC146818A datasheet
 * ("Address Map", "Register A-D"); memory and CPU registers: the IBM PC/AT
 * Technical Reference CMOS map and the registers SeaBIOS reads
 * (src/hw/rtc.h: 0x34/0x35, 0x5B-0x5D, 0x5F). Pure C, called with the
 * platform lock held.
 */
#include "dev_cmos.h"
#include "kstring.h"

#define REG_SEC 0x00
#define REG_MIN 0x02
#define REG_HOUR 0x04
#define REG_WEEKDAY 0x06
#define REG_DAY 0x07
#define REG_MONTH 0x08
#define REG_YEAR 0x09
#define REG_A 0x0A
#define REG_B 0x0B
#define REG_C 0x0C
#define REG_D 0x0D
#define REG_SHUTDOWN 0x0F
#define REG_EQUIPMENT 0x14
#define REG_BASE_LO 0x15
#define REG_EXT_LO 0x17
#define REG_EXT2_LO 0x30
#define REG_CENTURY 0x32
#define REG_MEM16_LO 0x34
#define REG_MEM4G_LO 0x5B
#define REG_CPUS 0x5F
#define A_DEFAULT 0x26           /* 32.768 kHz time base, 1024 Hz rate */
#define B_24H 0x02
#define B_BINARY 0x04
#define B_PM 0x80                /* 12-hour mode: bit 7 of the hour = PM */
#define D_VRT 0x80
#define EQUIPMENT_FPU_MOUSE 0x06 /* bit 1 math coprocessor, bit 2 pointing device */
#define INDEX_NMI_MASK 0x80
#define SECONDS_PER_DAY 86400ull

/* Days since 1970-01-01 of y-m-d (the civil-from-days algorithm inverted:
   years start in March so the leap day is the last day of a year). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void cmos_date_from_epoch(uint64_t seconds, struct cmos_date *d)
{
    int64_t z = (int64_t)(seconds / SECONDS_PER_DAY) + 719468;
    uint64_t sod = seconds % SECONDS_PER_DAY;
    int64_t era = z / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    d->day = doy - (153 * mp + 2) / 5 + 1;
    d->month = mp < 10 ? mp + 3 : mp - 9;
    d->year = (unsigned)(yoe + era * 400 + (d->month <= 2));
    d->hour = (unsigned)(sod / 3600);
    d->minute = (unsigned)(sod / 60 % 60);
    d->second = (unsigned)(sod % 60);
    d->weekday = (unsigned)((seconds / SECONDS_PER_DAY + 4) % 7) + 1;   /* 1970-01-01 was a Thursday */
}

uint64_t cmos_epoch_from_date(const struct cmos_date *d)
{
    int64_t days = days_from_civil(d->year, d->month, d->day);
    return (uint64_t)days * SECONDS_PER_DAY + d->hour * 3600ull + d->minute * 60ull + d->second;
}

void cmos_init(struct cmos *c, uint64_t (*clock)(void *ctx), void *ctx)
{
    memset(c, 0, sizeof(*c));
    c->clock = clock;
    c->clock_ctx = ctx;
    c->ram[REG_A] = A_DEFAULT;
    c->ram[REG_B] = B_24H;
    c->ram[REG_D] = D_VRT;
    c->ram[REG_EQUIPMENT] = EQUIPMENT_FPU_MOUSE;
    c->ram[REG_BASE_LO] = 640 & 0xFF;
    c->ram[REG_BASE_LO + 1] = 640 >> 8;
}

static void put16(struct cmos *c, unsigned reg, uint64_t v)
{
    c->ram[reg] = (uint8_t)v;
    c->ram[reg + 1] = (uint8_t)(v >> 8);
}

void cmos_set_memory(struct cmos *c, uint64_t below_4g, uint64_t above_4g, unsigned cpus)
{
    uint64_t ext_kib = below_4g > (1ull << 20) ? (below_4g - (1ull << 20)) >> 10 : 0;
    uint64_t above16 = below_4g > (16ull << 20) ? (below_4g - (16ull << 20)) >> 16 : 0;
    put16(c, REG_EXT_LO, MIN(ext_kib, 0xFFFFull));
    put16(c, REG_EXT2_LO, MIN(ext_kib, 0xFFFFull));
    put16(c, REG_MEM16_LO, MIN(above16, 0xFFFFull));
    uint64_t high = above_4g >> 16;
    c->ram[REG_MEM4G_LO] = (uint8_t)high;
    c->ram[REG_MEM4G_LO + 1] = (uint8_t)(high >> 8);
    c->ram[REG_MEM4G_LO + 2] = (uint8_t)(high >> 16);
    c->ram[REG_CPUS] = (uint8_t)(cpus ? cpus - 1 : 0);
}

static bool binary_mode(const struct cmos *c) { return (c->ram[REG_B] & B_BINARY) != 0; }
static uint8_t encode(const struct cmos *c, unsigned v) { return binary_mode(c) ? (uint8_t)v : (uint8_t)((v / 10) << 4 | v % 10); }
static unsigned decode(const struct cmos *c, uint8_t v) { return binary_mode(c) ? v : (v >> 4) * 10 + (v & 0xF); }

static void guest_date(const struct cmos *c, struct cmos_date *d)
{
    cmos_date_from_epoch((uint64_t)((int64_t)c->clock(c->clock_ctx) + c->offset), d);
}

static uint8_t encode_hour(const struct cmos *c, unsigned h)
{
    if (c->ram[REG_B] & B_24H)
        return encode(c, h);
    unsigned h12 = h % 12 ? h % 12 : 12;
    return (uint8_t)(encode(c, h12) | (h >= 12 ? B_PM : 0));
}

static unsigned decode_hour(const struct cmos *c, uint8_t v)
{
    if (c->ram[REG_B] & B_24H)
        return decode(c, v);
    unsigned h = decode(c, v & 0x7F) % 12;
    return (v & B_PM) ? h + 12 : h;
}

static uint8_t read_clock(const struct cmos *c, unsigned reg)
{
    struct cmos_date d;
    guest_date(c, &d);
    switch (reg) {
    case REG_SEC: return encode(c, d.second);
    case REG_MIN: return encode(c, d.minute);
    case REG_HOUR: return encode_hour(c, d.hour);
    case REG_WEEKDAY: return encode(c, d.weekday);
    case REG_DAY: return encode(c, d.day);
    case REG_MONTH: return encode(c, d.month);
    case REG_YEAR: return encode(c, d.year % 100);
    default: return encode(c, d.year / 100);   /* century */
    }
}

/* The guest sets one field of the clock: keep the others, move the offset. */
static void write_clock(struct cmos *c, unsigned reg, uint8_t v)
{
    struct cmos_date d;
    guest_date(c, &d);
    unsigned x = reg == REG_HOUR ? decode_hour(c, v) : decode(c, v);
    switch (reg) {
    case REG_SEC: d.second = x % 60; break;
    case REG_MIN: d.minute = x % 60; break;
    case REG_HOUR: d.hour = x % 24; break;
    case REG_DAY: d.day = x ? x : 1; break;
    case REG_MONTH: d.month = x >= 1 && x <= 12 ? x : 1; break;
    case REG_YEAR: d.year = d.year / 100 * 100 + x % 100; break;
    default: d.year = x * 100 + d.year % 100; break;   /* century */
    }
    if (d.year < 1970)
        d.year = 1970;
    c->offset = (int64_t)cmos_epoch_from_date(&d) - (int64_t)c->clock(c->clock_ctx);
}

static bool is_clock(unsigned reg)
{
    return reg == REG_SEC || reg == REG_MIN || reg == REG_HOUR || reg == REG_WEEKDAY || reg == REG_DAY ||
           reg == REG_MONTH || reg == REG_YEAR || reg == REG_CENTURY;
}

uint8_t cmos_read(struct cmos *c, uint16_t port)
{
    if (port == CMOS_PORT_INDEX)
        return 0xFF;   /* the index register is write-only */
    unsigned reg = c->index;
    if (is_clock(reg))
        return read_clock(c, reg);
    uint8_t v = c->ram[reg];
    if (reg == REG_C)
        c->ram[REG_C] = 0;   /* reading C clears the interrupt flags */
    return v;
}

void cmos_write(struct cmos *c, uint16_t port, uint8_t v)
{
    if (port == CMOS_PORT_INDEX) {
        c->index = v & 0x7F;
        c->nmi_masked = (v & INDEX_NMI_MASK) != 0;
        return;
    }
    unsigned reg = c->index;
    if (is_clock(reg) && reg != REG_WEEKDAY)
        write_clock(c, reg, v);
    else if (reg == REG_A)
        c->ram[REG_A] = v & 0x7F;   /* UIP (bit 7) is read-only */
    else if (reg != REG_C && reg != REG_D && reg != REG_WEEKDAY)
        c->ram[reg] = v;            /* C and D are read-only; the weekday follows the date */
}

uint32_t cmos_io_read(void *dev, uint16_t port, unsigned size)
{
    UNUSED(size);
    return cmos_read(dev, port);
}

void cmos_io_write(void *dev, uint16_t port, unsigned size, uint32_t value)
{
    UNUSED(size);
    cmos_write(dev, port, (uint8_t)value);
}
