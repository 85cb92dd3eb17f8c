/* Unit tests for the 16550A (vmx/dev_uart.c): register map with DLAB,
   IIR priorities and clearing rules, FIFO trigger levels, loopback (data
   and modem lines), the IRQ line gated by OUT2 (PC16550D datasheet,
   Tables II and IV). */
#include "host_support.h"

#include "dev_uart.h"

static uint8_t sent[64];
static unsigned nsent;
static bool irq;
static unsigned irq_changes;

static void tx(void *ctx, uint8_t b) { (void)ctx; sent[nsent++ % 64] = b; }
static void set_irq(void *ctx, bool level) { (void)ctx; irq = level; irq_changes++; }

static void setup(struct uart *u)
{
    nsent = 0;
    irq = false;
    irq_changes = 0;
    uart_init(u, tx, set_irq, NULL);
}

static void transmit_and_divisor(void **state)
{
    (void)state;
    struct uart u;
    setup(&u);
    assert_int_equal(uart_read(&u, 5), 0x60);    /* LSR: THRE | TEMT, no data */
    uart_write(&u, 3, 0x83);                      /* DLAB, 8N1 */
    uart_write(&u, 0, 0x01);                      /* divisor 1 = 115200 */
    uart_write(&u, 1, 0x00);
    assert_int_equal(uart_read(&u, 0), 0x01);
    uart_write(&u, 3, 0x03);
    uart_write(&u, 0, 'h');
    uart_write(&u, 0, 'i');
    assert_int_equal(nsent, 2);
    assert_int_equal(sent[0], 'h');
    assert_int_equal(sent[1], 'i');
    assert_int_equal(u.divisor, 1);
    uart_write(&u, 7, 0xA5);
    assert_int_equal(uart_read(&u, 7), 0xA5);    /* scratch */
}

static void thre_interrupt_rules(void **state)
{
    (void)state;
    struct uart u;
    setup(&u);
    uart_write(&u, 4, 0x08);                      /* OUT2: the PC's IRQ gate */
    assert_int_equal(uart_read(&u, 2), 0x01);    /* nothing pending */
    uart_write(&u, 1, 0x02);                      /* ETBEI with THR empty */
    assert_true(irq);
    assert_int_equal(uart_read(&u, 2), 0x02);    /* THRE; the read clears it */
    assert_false(irq);
    assert_int_equal(uart_read(&u, 2), 0x01);
    uart_write(&u, 0, 'x');                       /* empties at once: THRE again */
    assert_true(irq);
    uart_write(&u, 4, 0x00);                      /* OUT2 off: line low, still pending */
    assert_false(irq);
    assert_int_equal(uart_read(&u, 2), 0x02);
}

static void receive_fifo_and_priorities(void **state)
{
    (void)state;
    struct uart u;
    setup(&u);
    uart_write(&u, 4, 0x08);
    uart_write(&u, 2, 0x81);                      /* FIFO on, trigger 8 */
    uart_write(&u, 1, 0x07);                      /* RDA, THRE, RLS */
    assert_int_equal(uart_read(&u, 2), 0xC2);    /* FIFO bits + THRE */
    for (int i = 0; i < 3; i++)
        assert_true(uart_receive(&u, (uint8_t)('a' + i)));
    assert_int_equal(uart_read(&u, 2), 0xCC);    /* below trigger: character timeout */
    for (int i = 3; i < 8; i++)
        uart_receive(&u, (uint8_t)('a' + i));
    assert_int_equal(uart_read(&u, 2), 0xC4);    /* at trigger: received data available */
    assert_int_equal(uart_read(&u, 5) & 0x01, 0x01);
    for (int i = 8; i < 16; i++)
        uart_receive(&u, (uint8_t)('a' + i));
    assert_false(uart_can_receive(&u));
    assert_false(uart_receive(&u, 'Z'));          /* overrun */
    assert_int_equal(uart_read(&u, 2), 0xC6);    /* line status outranks data */
    assert_int_equal(uart_read(&u, 5) & 0x03, 0x03);   /* OE | DR; the read clears OE */
    assert_int_equal(uart_read(&u, 5) & 0x02, 0x00);
    for (int i = 0; i < 16; i++)
        assert_int_equal(uart_read(&u, 0), 'a' + i);
    assert_int_equal(uart_read(&u, 5) & 0x01, 0x00);
    uart_write(&u, 2, 0x00);                      /* FIFO off: one byte holds */
    assert_true(uart_receive(&u, '1'));
    assert_false(uart_receive(&u, '2'));
    assert_int_equal(uart_read(&u, 2), 0x06);    /* overrun again, no FIFO bits */
}

static void loopback(void **state)
{
    (void)state;
    struct uart u;
    setup(&u);
    uart_write(&u, 4, 0x10);                      /* LOOP, all modem outputs off */
    assert_int_equal(uart_read(&u, 6) & 0xF0, 0x00);
    uart_write(&u, 4, 0x1F);                      /* LOOP + DTR RTS OUT1 OUT2 */
    assert_int_equal(uart_read(&u, 6), 0xF0 | 0x0B);   /* CTS DSR RI DCD + deltas (no TERI) */
    assert_int_equal(uart_read(&u, 6), 0xF0);          /* deltas cleared */
    uart_write(&u, 0, 0x42);
    assert_int_equal(nsent, 0);                   /* nothing leaves the chip */
    assert_int_equal(uart_read(&u, 5) & 0x01, 0x01);
    assert_int_equal(uart_read(&u, 0), 0x42);
    assert_false(uart_receive(&u, 'x'));          /* the serial input is cut off */
    uart_write(&u, 1, 0x02);
    assert_false(irq);                            /* no IRQ in loopback */
    uart_write(&u, 4, 0x0B);                      /* back to normal */
    assert_true(irq);
    assert_int_equal(uart_read(&u, 6) & 0xB0, 0xB0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(transmit_and_divisor), cmocka_unit_test(thre_interrupt_rules),
        cmocka_unit_test(receive_fifo_and_priorities), cmocka_unit_test(loopback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
