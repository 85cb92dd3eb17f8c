/* Unit tests for the 8254 (vmx/dev_pit.c) on a fake clock. Expected counts
   follow the 8254 datasheet's mode definitions: mode 0 counts N down and
   raises OUT at the terminal count, mode 2 reloads every N clocks with a
   one-clock low pulse, mode 3 is a square wave of period N; counter latch,
   read-back (0xD2 etc.), LSB/MSB access and GATE2/OUT2 through port 0x61. */
#include "host_support.h"

#include "dev_pit.h"

static uint64_t fake_now;
static uint64_t fake_clock(void *ctx) { (void)ctx; return fake_now; }

static void setup(struct pit *p)
{
    fake_now = 1000;
    pit_init(p, fake_clock, NULL);
}

static uint16_t read16(struct pit *p, uint16_t port)
{
    uint8_t lo = pit_read(p, port);
    return (uint16_t)(lo | (pit_read(p, port) << 8));
}

static void mode2_rate_generator_irq_edges(void **state)
{
    (void)state;
    struct pit p;
    setup(&p);
    pit_write(&p, 0x43, 0x34);          /* ch0, LSB+MSB, mode 2 */
    pit_write(&p, 0x40, 11932 & 0xFF);  /* 100 Hz */
    pit_write(&p, 0x40, 11932 >> 8);
    assert_int_equal(pit_ticks_to_edge(&p, 0, fake_now), 11932);
    fake_now += 11931;
    assert_false(pit_out(&p, 0, fake_now));            /* the one-clock low pulse at count 1 */
    assert_int_equal(pit_new_edges(&p, 0, fake_now), 0);
    fake_now += 1;
    assert_true(pit_out(&p, 0, fake_now));
    assert_int_equal(pit_new_edges(&p, 0, fake_now), 1);
    fake_now += 11932 * 3 + 5;                         /* looked late: three more periods */
    assert_int_equal(pit_new_edges(&p, 0, fake_now), 3);
    assert_int_equal(pit_new_edges(&p, 0, fake_now), 0);
    assert_int_equal(pit_ticks_to_edge(&p, 0, fake_now), 11932 - 5);
    pit_write(&p, 0x43, 0x00);                         /* counter latch, ch0 */
    fake_now += 100;                                   /* the latch holds */
    assert_int_equal(read16(&p, 0x40), 11932 - 5);
    assert_int_equal(read16(&p, 0x40), 11932 - 105);   /* live again */
}

static void mode0_one_shot(void **state)
{
    (void)state;
    struct pit p;
    setup(&p);
    pit_write(&p, 0x43, 0x30);          /* ch0, LSB+MSB, mode 0 */
    assert_false(pit_out(&p, 0, fake_now));   /* OUT low after the control word */
    pit_write(&p, 0x40, 0x00);
    fake_now += 50;                     /* the first byte stops the count: nothing runs */
    pit_write(&p, 0x40, 0x10);          /* N = 0x1000 */
    fake_now += 0x0FFF;
    assert_false(pit_out(&p, 0, fake_now));
    assert_int_equal(pit_count(&p, 0, fake_now), 1);
    fake_now += 1;
    assert_true(pit_out(&p, 0, fake_now));
    assert_int_equal(pit_new_edges(&p, 0, fake_now), 1);
    fake_now += 0x20000;
    assert_int_equal(pit_new_edges(&p, 0, fake_now), 0);   /* one shot only */
    assert_int_equal(pit_ticks_to_edge(&p, 0, fake_now), PIT_NEVER);
    assert_true(pit_out(&p, 0, fake_now));
    assert_int_equal(pit_count(&p, 0, fake_now), 0);        /* 0x1000 - 0x21000 ticks, mod 2^16 */
    assert_int_equal(pit_count(&p, 0, fake_now + 5), 0xFFFB); /* keeps wrapping */
}

static void mode3_square_wave(void **state)
{
    (void)state;
    struct pit p;
    setup(&p);
    pit_write(&p, 0x43, 0x36);          /* ch0, LSB+MSB, mode 3 */
    pit_write(&p, 0x40, 100);
    pit_write(&p, 0x40, 0);
    assert_true(pit_out(&p, 0, fake_now));
    assert_int_equal(pit_count(&p, 0, fake_now + 10), 80);   /* counts by two */
    assert_true(pit_out(&p, 0, fake_now + 49));
    assert_false(pit_out(&p, 0, fake_now + 50));
    assert_int_equal(pit_count(&p, 0, fake_now + 60), 80);   /* second half restarts at N */
    assert_true(pit_out(&p, 0, fake_now + 100));
    assert_int_equal(pit_new_edges(&p, 0, fake_now + 250), 2);
}

static void readback_status_and_count(void **state)
{
    (void)state;
    struct pit p;
    setup(&p);
    pit_write(&p, 0x43, 0x34);
    pit_write(&p, 0x40, 0x00);
    pit_write(&p, 0x40, 0x00);          /* N = 65536 */
    fake_now += 0x234;
    pit_write(&p, 0x43, 0xD2);          /* read-back: latch count of ch0 (no status) */
    fake_now += 7;
    assert_int_equal(read16(&p, 0x40), 0x10000 - 0x234);
    pit_write(&p, 0x43, 0xE2);          /* read-back: latch status of ch0 only */
    /* OUT high, count loaded, rw 3, mode 2, binary */
    assert_int_equal(pit_read(&p, 0x40), 0x80 | 0x30 | 0x04);
    pit_write(&p, 0x43, 0xC2);          /* both: status first, then the count */
    assert_int_equal(pit_read(&p, 0x40), 0xB4);
    assert_int_equal(read16(&p, 0x40), 0x10000 - 0x234 - 7);
    pit_write(&p, 0x43, 0x70);          /* ch1 mode 0, no count yet: null count set, OUT low */
    pit_write(&p, 0x43, 0xE4);
    assert_int_equal(pit_read(&p, 0x41), 0x30);
}

static void lsb_msb_only_and_bcd(void **state)
{
    (void)state;
    struct pit p;
    setup(&p);
    pit_write(&p, 0x43, 0x14);          /* ch0, LSB only, mode 2 */
    pit_write(&p, 0x40, 200);
    fake_now += 50;
    assert_int_equal(pit_read(&p, 0x40), 150);
    assert_int_equal(pit_read(&p, 0x40), 150);   /* LSB every time */
    pit_write(&p, 0x43, 0x24);          /* MSB only */
    pit_write(&p, 0x40, 0x02);          /* N = 0x200 */
    fake_now += 0x10;
    assert_int_equal(pit_read(&p, 0x40), 0x01);   /* 0x1F0 >> 8 */
    pit_write(&p, 0x43, 0x35);          /* LSB+MSB, mode 2, BCD */
    pit_write(&p, 0x40, 0x00);
    pit_write(&p, 0x40, 0x10);          /* 1000 decimal */
    fake_now += 1;
    assert_int_equal(read16(&p, 0x40), 0x0999);
    assert_int_equal(pit_ticks_to_edge(&p, 0, fake_now), 999);
}

static void channel2_gate_and_port61(void **state)
{
    (void)state;
    struct pit p;
    setup(&p);
    assert_int_equal(pit_read(&p, 0x61) & 0x21, 0x00);   /* gate off; OUT2 low */
    pit_write(&p, 0x43, 0xB0);          /* ch2, LSB+MSB, mode 0 (TSC calibration) */
    pit_write(&p, 0x42, 0xFF);
    pit_write(&p, 0x42, 0xFF);          /* N = 0xFFFF */
    fake_now += 0x20000;
    assert_int_equal(pit_count(&p, 2, fake_now), 0xFFFF);   /* GATE low: no counting */
    pit_write(&p, 0x61, 0x01);          /* gate on, speaker off */
    assert_int_equal(pit_read(&p, 0x61) & 0x23, 0x01);
    fake_now += 0xFFFE;
    assert_int_equal(pit_read(&p, 0x61) & 0x20, 0x00);
    fake_now += 1;
    assert_int_equal(pit_read(&p, 0x61) & 0x20, 0x20);   /* OUT2 at the terminal count */
    /* mode 2 on channel 2: a GATE rising edge restarts the period */
    pit_write(&p, 0x43, 0xB4);
    pit_write(&p, 0x42, 100);
    pit_write(&p, 0x42, 0);
    fake_now += 30;
    pit_write(&p, 0x61, 0x00);
    fake_now += 1000;
    assert_true(pit_out(&p, 2, fake_now));               /* GATE low forces OUT high */
    assert_int_equal(pit_count(&p, 2, fake_now), 70);    /* and holds the count */
    pit_write(&p, 0x61, 0x01);
    assert_int_equal(pit_count(&p, 2, fake_now), 100);
    assert_int_equal(pit_ticks_to_edge(&p, 2, fake_now), 100);
}

static void refresh_bit_toggles(void **state)
{
    (void)state;
    struct pit p;
    setup(&p);
    fake_now = 0;
    uint8_t a = pit_read(&p, 0x61) & 0x10;
    fake_now = 18;
    uint8_t b = pit_read(&p, 0x61) & 0x10;
    assert_int_not_equal(a, b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mode2_rate_generator_irq_edges), cmocka_unit_test(mode0_one_shot),
        cmocka_unit_test(mode3_square_wave),              cmocka_unit_test(readback_status_and_count),
        cmocka_unit_test(lsb_msb_only_and_bcd),           cmocka_unit_test(channel2_gate_and_port61),
        cmocka_unit_test(refresh_bit_toggles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
