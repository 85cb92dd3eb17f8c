/*
 * The reset and A20 controls of a PC: the Intel 8042 keyboard controller
 * (ports 0x60 data, 0x64 status/command; command set of the IBM PC/AT
 * Technical Reference, "Keyboard Controller") without a keyboard or mouse
 * attached, and system control port A (0x92, PS/2: bit 0 fast reset, bit 1
 * A20). Modelled 8042 commands: 0x20/0x60 read/write the command byte,
 * 0xA7/0xA8 and 0xAD/0xAE disable/enable the ports, 0xA9/0xAB interface
 * tests (0 = ok), 0xAA self-test (0x55), 0xC0 input port, 0xD0/0xD1 output
 * port (bit 0 = 0 resets), 0xD2/0xD3 echo into the output buffer, 0xD4
 * (dropped: no mouse), 0xDD/0xDF A20, 0xF0-0xFF pulse output lines (0xFE:
 * reset). Bytes for the (absent) keyboard are dropped; no IRQ1/IRQ12.
 * A reset request calls the caller's reset function (the VM stops with
 * "reset"). A20 is recorded only: guest memory never wraps at 1 MiB.
 * Pure C; the caller serialises.
 */
#pragma once

#include "types.h"

#define I8042_DATA 0x60
#define I8042_CMD 0x64
#define SYSCTL_A_PORT 0x92
#define I8042_OUTQ 4

struct i8042 {
    uint8_t cmd_byte;
    uint8_t out_port;        /* bit 0 reset line (1 = running), bit 1 A20 */
    uint8_t pending;         /* command that waits for its data byte, 0 = none */
    bool last_was_cmd;       /* status bit 3 */
    uint8_t outq[I8042_OUTQ];
    uint8_t outq_aux[I8042_OUTQ];   /* which bytes came from the aux port */
    unsigned outq_len;
    uint8_t port92;
    void (*reset)(void *ctx);
    void *ctx;
};

void i8042_init(struct i8042 *k, void (*reset)(void *ctx), void *ctx);
uint8_t i8042_read(struct i8042 *k, uint16_t port);
void i8042_write(struct i8042 *k, uint16_t port, uint8_t value);
/* A20 as last set through the 8042 output port or port 0x92. */
bool i8042_a20(const struct i8042 *k);
/* io_bus handlers (dev = struct i8042) for 0x60, 0x64 and 0x92. */
uint32_t i8042_io_read(void *dev, uint16_t port, unsigned size);
void i8042_io_write(void *dev, uint16_t port, unsigned size, uint32_t value);
