/* Unit tests for the 8259A pair (vmx/dev_pic.c). Expected vectors and
   register values follow the 8259A datasheet: ICW1-4 sequence, priority
   resolution (IR0 highest after init), EOI forms, rotation, auto-EOI, the
   cascade through the master's IR2 and the IR7 spurious vector. */
#include "host_support.h"

#include "dev_pic.h"

/* Program both chips as Linux does: vector bases 0x30 and 0x38. */
static void init_pair(struct i8259 *p, uint8_t icw4)
{
    i8259_init(p);
    i8259_write(p, 0x20, 0x11);   /* ICW1: edge, cascade, ICW4 needed */
    i8259_write(p, 0x21, 0x30);   /* ICW2 */
    i8259_write(p, 0x21, 0x04);   /* ICW3: slave on IR2 */
    i8259_write(p, 0x21, icw4);   /* ICW4 */
    i8259_write(p, 0xA0, 0x11);
    i8259_write(p, 0xA1, 0x38);
    i8259_write(p, 0xA1, 0x02);
    i8259_write(p, 0xA1, icw4);
}

static void pulse(struct i8259 *p, unsigned irq)
{
    i8259_set_irq(p, irq, true);
    i8259_set_irq(p, irq, false);
}

static void init_sequence_and_masks(void **state)
{
    (void)state;
    struct i8259 p;
    init_pair(&p, 0x01);
    assert_int_equal(i8259_read(&p, 0x21), 0x00);   /* ICW1 clears the IMR */
    i8259_write(&p, 0x21, 0xFB);                    /* OCW1: only IR2 open */
    assert_int_equal(i8259_read(&p, 0x21), 0xFB);
    pulse(&p, 0);
    assert_false(i8259_interrupt_pending(&p));      /* IR0 masked */
    i8259_write(&p, 0x20, 0x0A);                    /* OCW3: read IRR */
    assert_int_equal(i8259_read(&p, 0x20), 0x01);   /* the request is latched in the IRR anyway */
    i8259_write(&p, 0x21, 0xFA);                    /* unmask IR0 */
    assert_true(i8259_interrupt_pending(&p));
    assert_int_equal(i8259_acknowledge(&p), 0x30);
    i8259_write(&p, 0x20, 0x0B);                    /* OCW3: read ISR */
    assert_int_equal(i8259_read(&p, 0x20), 0x01);
    i8259_write(&p, 0x20, 0x20);                    /* non-specific EOI */
    assert_int_equal(i8259_read(&p, 0x20), 0x00);
}

static void fixed_priority_and_nesting(void **state)
{
    (void)state;
    struct i8259 p;
    init_pair(&p, 0x01);
    pulse(&p, 4);
    assert_int_equal(i8259_acknowledge(&p), 0x34);
    pulse(&p, 6);
    assert_false(i8259_interrupt_pending(&p));      /* IR6 ranks below IR4 in service */
    pulse(&p, 1);
    assert_true(i8259_interrupt_pending(&p));       /* IR1 outranks it: nests */
    assert_int_equal(i8259_acknowledge(&p), 0x31);
    i8259_write(&p, 0x20, 0x20);                    /* EOI ends IR1, the highest in service */
    i8259_write(&p, 0x20, 0x0B);
    assert_int_equal(i8259_read(&p, 0x20), 0x10);
    i8259_write(&p, 0x20, 0x64);                    /* specific EOI for IR4 */
    assert_int_equal(i8259_read(&p, 0x20), 0x00);
    assert_int_equal(i8259_acknowledge(&p), 0x36);
}

static void edge_needs_new_rising_edge(void **state)
{
    (void)state;
    struct i8259 p;
    init_pair(&p, 0x01);
    i8259_set_irq(&p, 3, true);
    assert_int_equal(i8259_acknowledge(&p), 0x33);
    i8259_write(&p, 0x20, 0x20);
    i8259_set_irq(&p, 3, true);                     /* still high: no new edge */
    assert_false(i8259_interrupt_pending(&p));
    pulse(&p, 3);
    i8259_set_irq(&p, 3, true);
    assert_true(i8259_interrupt_pending(&p));
}

static void level_triggered_follows_line(void **state)
{
    (void)state;
    struct i8259 p;
    i8259_init(&p);
    i8259_write(&p, 0x20, 0x1B);                    /* ICW1: level, single, ICW4 */
    i8259_write(&p, 0x21, 0x08);
    i8259_write(&p, 0x21, 0x01);
    i8259_set_irq(&p, 5, true);
    assert_int_equal(i8259_acknowledge(&p), 0x0D);
    i8259_write(&p, 0x20, 0x20);
    assert_true(i8259_interrupt_pending(&p));       /* line still high: asks again */
    i8259_set_irq(&p, 5, false);
    assert_false(i8259_interrupt_pending(&p));
}

static void cascade_vectors(void **state)
{
    (void)state;
    struct i8259 p;
    init_pair(&p, 0x01);
    pulse(&p, 12);
    assert_true(i8259_interrupt_pending(&p));
    assert_int_equal(i8259_acknowledge(&p), 0x3C);
    i8259_write(&p, 0x20, 0x0B);
    assert_int_equal(i8259_read(&p, 0x20), 0x04);   /* master: IR2 in service */
    i8259_write(&p, 0xA0, 0x0B);
    assert_int_equal(i8259_read(&p, 0xA0), 0x10);   /* slave: IR4 in service */
    pulse(&p, 0);
    assert_int_equal(i8259_acknowledge(&p), 0x30);  /* IR0 outranks the cascade */
    i8259_write(&p, 0x20, 0x20);                    /* EOI IR0 */
    pulse(&p, 9);
    assert_false(i8259_interrupt_pending(&p));      /* master IR2 still in service (no SFNM) */
    i8259_write(&p, 0xA0, 0x20);
    i8259_write(&p, 0x20, 0x20);
    assert_true(i8259_interrupt_pending(&p));
    assert_int_equal(i8259_acknowledge(&p), 0x39);
    i8259_write(&p, 0xA1, 0xFF);                    /* slave all masked */
    i8259_write(&p, 0xA0, 0x20);
    i8259_write(&p, 0x20, 0x20);
    pulse(&p, 10);
    assert_false(i8259_interrupt_pending(&p));
}

static void auto_eoi_and_rotation(void **state)
{
    (void)state;
    struct i8259 p;
    init_pair(&p, 0x03);                          /* ICW4: 8086, AEOI */
    pulse(&p, 1);
    assert_int_equal(i8259_acknowledge(&p), 0x31);
    i8259_write(&p, 0x20, 0x0B);
    assert_int_equal(i8259_read(&p, 0x20), 0x00);   /* nothing stays in service */

    init_pair(&p, 0x01);
    i8259_write(&p, 0x20, 0xC3);                    /* set priority: IR3 lowest, IR4 highest */
    pulse(&p, 0);
    pulse(&p, 5);
    assert_int_equal(i8259_acknowledge(&p), 0x35);
    i8259_write(&p, 0x20, 0xA0);                    /* rotate on non-specific EOI: IR5 lowest */
    pulse(&p, 5);
    assert_int_equal(i8259_acknowledge(&p), 0x30);  /* now IR0 (rank 2) beats IR5 (rank 7) */
}

static void spurious_and_poll(void **state)
{
    (void)state;
    struct i8259 p;
    init_pair(&p, 0x01);
    assert_int_equal(i8259_acknowledge(&p), 0x37);  /* nothing pending: IR7 vector */
    i8259_write(&p, 0x20, 0x0B);
    assert_int_equal(i8259_read(&p, 0x20), 0x00);   /* and nothing in service */
    pulse(&p, 6);
    i8259_write(&p, 0x20, 0x0C);                    /* OCW3 poll */
    assert_int_equal(i8259_read(&p, 0x20), 0x86);   /* I = 1, level 6 */
    i8259_write(&p, 0x20, 0x0B);
    assert_int_equal(i8259_read(&p, 0x20), 0x40);
}

static void special_mask_mode(void **state)
{
    (void)state;
    struct i8259 p;
    init_pair(&p, 0x01);
    pulse(&p, 1);
    assert_int_equal(i8259_acknowledge(&p), 0x31);
    i8259_write(&p, 0x21, 0x02);                    /* mask IR1 (in service) */
    i8259_write(&p, 0x20, 0x68);                    /* OCW3: set special mask mode */
    pulse(&p, 5);
    assert_true(i8259_interrupt_pending(&p));       /* a lower level gets through */
    i8259_write(&p, 0x20, 0x48);                    /* reset special mask mode */
    assert_false(i8259_interrupt_pending(&p));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(init_sequence_and_masks), cmocka_unit_test(fixed_priority_and_nesting),
        cmocka_unit_test(edge_needs_new_rising_edge), cmocka_unit_test(level_triggered_follows_line),
        cmocka_unit_test(cascade_vectors), cmocka_unit_test(auto_eoi_and_rotation),
        cmocka_unit_test(spurious_and_poll), cmocka_unit_test(special_mask_mode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
