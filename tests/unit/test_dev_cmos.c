/* Unit tests for the CMOS/RTC (vmx/dev_cmos.c). Dates are checked against
   known epoch values (1970-01-01 Thursday; 2000-02-29 = 951782400;
   2026-12-04 01:30:00 UTC = 1796347800, a Friday); memory registers
   against the PC/AT and SeaBIOS layout. */
#include "host_support.h"

#include "dev_cmos.h"

static uint64_t fake_seconds;
static uint64_t fake_clock(void *ctx) { (void)ctx; return fake_seconds; }

static uint8_t rd(struct cmos *c, uint8_t reg)
{
    cmos_write(c, 0x70, reg);
    return cmos_read(c, 0x71);
}

static void wr(struct cmos *c, uint8_t reg, uint8_t v)
{
    cmos_write(c, 0x70, reg);
    cmos_write(c, 0x71, v);
}

static void calendar(void **state)
{
    (void)state;
    struct cmos_date d;
    cmos_date_from_epoch(0, &d);
    assert_int_equal(d.year, 1970);
    assert_int_equal(d.month, 1);
    assert_int_equal(d.day, 1);
    assert_int_equal(d.weekday, 5);   /* Thursday, with 1 = Sunday */
    cmos_date_from_epoch(951782400, &d);
    assert_int_equal(d.year, 2000);
    assert_int_equal(d.month, 2);
    assert_int_equal(d.day, 29);
    cmos_date_from_epoch(1796347800, &d);
    assert_int_equal(d.year, 2026);
    assert_int_equal(d.month, 12);
    assert_int_equal(d.day, 4);
    assert_int_equal(d.hour, 1);
    assert_int_equal(d.minute, 30);
    assert_int_equal(d.weekday, 6);
    assert_int_equal(cmos_epoch_from_date(&d), 1796347800);
}

static void clock_registers_bcd_and_binary(void **state)
{
    (void)state;
    struct cmos c;
    fake_seconds = 1796347800 + 59;   /* 2026-12-04 01:30:59 */
    cmos_init(&c, fake_clock, NULL);
    assert_int_equal(rd(&c, 0x00), 0x59);
    assert_int_equal(rd(&c, 0x02), 0x30);
    assert_int_equal(rd(&c, 0x04), 0x01);
    assert_int_equal(rd(&c, 0x06), 0x06);
    assert_int_equal(rd(&c, 0x07), 0x04);
    assert_int_equal(rd(&c, 0x08), 0x12);
    assert_int_equal(rd(&c, 0x09), 0x26);
    assert_int_equal(rd(&c, 0x32), 0x20);
    wr(&c, 0x0B, 0x06);               /* binary, 24 h */
    assert_int_equal(rd(&c, 0x00), 59);
    assert_int_equal(rd(&c, 0x09), 26);
    wr(&c, 0x0B, 0x00);               /* BCD, 12 h: 13:xx reads 0x81 (PM | 1) */
    fake_seconds += 12 * 3600;
    assert_int_equal(rd(&c, 0x04), 0x81);
}

static void setting_the_clock_keeps_running(void **state)
{
    (void)state;
    struct cmos c;
    fake_seconds = 1796347800;
    cmos_init(&c, fake_clock, NULL);
    wr(&c, 0x09, 0x99);               /* year 2099 */
    assert_int_equal(rd(&c, 0x09), 0x99);
    assert_int_equal(rd(&c, 0x08), 0x12);
    fake_seconds += 61;
    assert_int_equal(rd(&c, 0x02), 0x31);
    assert_int_equal(rd(&c, 0x00), 0x01);
}

static void status_registers(void **state)
{
    (void)state;
    struct cmos c;
    fake_seconds = 0;
    cmos_init(&c, fake_clock, NULL);
    assert_int_equal(rd(&c, 0x0A), 0x26);   /* UIP clear, divider 010, rate 0110 */
    assert_int_equal(rd(&c, 0x0B), 0x02);
    assert_int_equal(rd(&c, 0x0D), 0x80);   /* VRT */
    wr(&c, 0x0D, 0x00);
    assert_int_equal(rd(&c, 0x0D), 0x80);   /* read-only */
    assert_int_equal(rd(&c, 0x0F), 0x00);   /* shutdown status: cold boot */
    wr(&c, 0x0A, 0xA6);
    assert_int_equal(rd(&c, 0x0A), 0x26);   /* UIP not writable */
    cmos_write(&c, 0x70, 0x8F);             /* NMI masked, register 0x0F */
    assert_true(c.nmi_masked);
    cmos_write(&c, 0x71, 0x0A);
    assert_int_equal(rd(&c, 0x0F), 0x0A);
    assert_false(c.nmi_masked);
    wr(&c, 0x40, 0x5A);                     /* plain RAM */
    assert_int_equal(rd(&c, 0x40), 0x5A);
}

static void memory_and_cpus(void **state)
{
    (void)state;
    struct cmos c;
    fake_seconds = 0;
    cmos_init(&c, fake_clock, NULL);
    cmos_set_memory(&c, 32ull << 20, 0, 2);      /* 32 MiB, 2 CPUs */
    assert_int_equal(rd(&c, 0x15) | rd(&c, 0x16) << 8, 640);
    assert_int_equal(rd(&c, 0x17) | rd(&c, 0x18) << 8, 31 * 1024);
    assert_int_equal(rd(&c, 0x30) | rd(&c, 0x31) << 8, 31 * 1024);
    assert_int_equal(rd(&c, 0x34) | rd(&c, 0x35) << 8, 256);      /* 16 MiB in 64 KiB blocks */
    assert_int_equal(rd(&c, 0x5F), 1);
    assert_int_equal(rd(&c, 0x14), 0x06);
    cmos_set_memory(&c, 3ull << 30, 2ull << 30, 1);   /* 3 GiB low, 2 GiB high */
    assert_int_equal(rd(&c, 0x17) | rd(&c, 0x18) << 8, 0xFFFF);   /* capped */
    assert_int_equal(rd(&c, 0x34) | rd(&c, 0x35) << 8, ((3ull << 30) - (16 << 20)) >> 16);
    assert_int_equal(rd(&c, 0x5B) | rd(&c, 0x5C) << 8 | rd(&c, 0x5D) << 16, (2ull << 30) >> 16);
    assert_int_equal(rd(&c, 0x5F), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(calendar), cmocka_unit_test(clock_registers_bcd_and_binary),
        cmocka_unit_test(setting_the_clock_keeps_running), cmocka_unit_test(status_registers),
        cmocka_unit_test(memory_and_cpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
