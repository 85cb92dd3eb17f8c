/* Unit tests for the port-I/O bus (vmx/io_bus.c) and the small PC devices
   on it: debug ports (reads 0xE9), 8042 (self-test 0x55, command byte,
   output port, reset by 0xFE / 0xD1 / port 0x92), POST port, PCI
   configuration mechanism #1 with no device (all ones). */
#include "host_support.h"

#include "dev_debugport.h"
#include "dev_i8042.h"
#include "dev_pci.h"
#include "dev_post.h"
#include "errno.h"
#include "io_bus.h"

static uint8_t printed[16];
static unsigned nprinted, resets;
static void print(void *ctx, uint8_t b) { (void)ctx; printed[nprinted++ % 16] = b; }
static void reset(void *ctx) { (void)ctx; resets++; }

static uint32_t echo_read(void *dev, uint16_t port, unsigned size) { (void)dev; (void)size; return 0xAB00u | (port & 0xFF); }

static void ranges_and_unclaimed(void **state)
{
    (void)state;
    static struct io_bus b;
    io_bus_init(&b);
    assert_int_equal(io_bus_add(&b, 0x40, 0x43, "pit", NULL, echo_read, NULL), 0);
    assert_int_equal(io_bus_add(&b, 0x43, 0x44, "x", NULL, NULL, NULL), -EEXIST);
    assert_int_equal(io_bus_add(&b, 0x3F, 0x40, "x", NULL, NULL, NULL), -EEXIST);
    assert_int_equal(io_bus_add(&b, 0x50, 0x4F, "x", NULL, NULL, NULL), -EINVAL);
    assert_int_equal(io_bus_in(&b, 0x41, 1), 0x41);           /* masked to one byte */
    assert_int_equal(io_bus_in(&b, 0x42, 2), 0xAB42);
    assert_int_equal(io_bus_in(&b, 0x100, 1), 0xFF);          /* empty bus */
    assert_int_equal(io_bus_in(&b, 0x100, 2), 0xFFFF);
    assert_int_equal(io_bus_in(&b, 0x100, 4), 0xFFFFFFFF);
    io_bus_out(&b, 0x100, 1, 0);
    assert_int_equal(b.unclaimed_reads, 3);
    assert_int_equal(b.unclaimed_writes, 1);
    assert_string_equal(io_bus_find(&b, 0x43)->name, "pit");
    assert_int_equal(io_bus_find(&b, 0x40)->reads, 2);
    for (unsigned i = 1; i < IO_BUS_MAX_RANGES; i++)
        assert_int_equal(io_bus_add(&b, (uint16_t)(0x1000 + i), (uint16_t)(0x1000 + i), "x", NULL, NULL, NULL), 0);
    assert_int_equal(io_bus_add(&b, 0x2000, 0x2000, "x", NULL, NULL, NULL), -E2BIG);
}

static void debug_ports(void **state)
{
    (void)state;
    struct debugport d;
    nprinted = 0;
    debugport_init(&d, print, NULL);
    assert_int_equal(debugport_io_read(&d, 0x402, 1), 0xE9);
    debugport_io_write(&d, 0x402, 1, 'S');
    debugport_io_write(&d, 0xE9, 1, 'B');
    assert_int_equal(nprinted, 2);
    assert_int_equal(printed[0], 'S');
    assert_int_equal(printed[1], 'B');
}

static void i8042_commands(void **state)
{
    (void)state;
    struct i8042 k;
    resets = 0;
    i8042_init(&k, reset, NULL);
    assert_int_equal(i8042_read(&k, 0x64) & 0x01, 0);   /* output buffer empty */
    i8042_write(&k, 0x64, 0xAA);
    assert_int_equal(i8042_read(&k, 0x64) & 0x0D, 0x0D); /* OBF, system flag, last write a command */
    assert_int_equal(i8042_read(&k, 0x60), 0x55);
    i8042_write(&k, 0x64, 0x60);
    i8042_write(&k, 0x60, 0x74);
    assert_int_equal(i8042_read(&k, 0x64) & 0x08, 0);   /* last write was data */
    i8042_write(&k, 0x64, 0x20);
    assert_int_equal(i8042_read(&k, 0x60), 0x74);
    i8042_write(&k, 0x64, 0xD3);                         /* aux loopback */
    i8042_write(&k, 0x60, 0x5A);
    assert_int_equal(i8042_read(&k, 0x64) & 0x21, 0x21);
    assert_int_equal(i8042_read(&k, 0x60), 0x5A);
    i8042_write(&k, 0x64, 0xDD);
    i8042_write(&k, 0x92, 0x00);
    assert_false(i8042_a20(&k));
    i8042_write(&k, 0x64, 0xD1);
    i8042_write(&k, 0x60, 0x03);                         /* A20 on, reset line high */
    assert_true(i8042_a20(&k));
    assert_int_equal(resets, 0);
    i8042_write(&k, 0x64, 0xFE);                         /* pulse reset */
    assert_int_equal(resets, 1);
    i8042_write(&k, 0x64, 0xFF);                         /* pulse nothing */
    assert_int_equal(resets, 1);
    i8042_write(&k, 0x64, 0xD1);
    i8042_write(&k, 0x60, 0x02);                         /* output port bit 0 = 0 */
    assert_int_equal(resets, 2);
    i8042_write(&k, 0x92, 0x03);                         /* fast reset */
    assert_int_equal(resets, 3);
    assert_int_equal(i8042_read(&k, 0x92), 0x02);
}

static void post_and_pci(void **state)
{
    (void)state;
    struct post_port p = {0, 0};
    post_io_write(&p, 0x80, 1, 0x3C);
    assert_int_equal(post_io_read(&p, 0x80, 1), 0x3C);
    struct pci_host h = {0};
    pci_addr_io_write(&h, 0xCF8, 4, 0x80000003u);
    assert_int_equal(pci_addr_io_read(&h, 0xCF8, 4), 0x80000000u);   /* bits 1:0 read 0 */
    pci_addr_io_write(&h, 0xCF8, 1, 0x00);                            /* not a config cycle */
    assert_int_equal(pci_addr_io_read(&h, 0xCF8, 4), 0x80000000u);
    assert_int_equal(pci_addr_io_read(&h, 0xCF8, 1) & 0xFF, 0xFF);
    assert_int_equal(pci_data_io_read(&h, 0xCFC, 4), 0xFFFFFFFFu);    /* vendor 0xFFFF: no device */
    assert_int_equal(pci_data_io_read(&h, 0xCFE, 2) & 0xFFFF, 0xFFFF);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ranges_and_unclaimed), cmocka_unit_test(debug_ports),
        cmocka_unit_test(i8042_commands), cmocka_unit_test(post_and_pci),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
