/*
 * The emulators' debug console ports: 0xE9 (Bochs "port E9 hack") and
 * 0x402 (QEMU's isa-debugcon as SeaBIOS uses it). A write prints the byte;
 * a read returns 0xE9, which is how SeaBIOS and Linux (earlyprintk, the
 * "debugcon" probe) detect the port. Pure C; the caller serialises.
 */
#pragma once

#include "types.h"

#define DEBUGPORT_E9 0xE9
#define DEBUGPORT_402 0x402
#define DEBUGPORT_READBACK 0xE9

struct debugport {
    void (*print)(void *ctx, uint8_t byte);
    void *ctx;
};

void debugport_init(struct debugport *d, void (*print)(void *ctx, uint8_t byte), void *ctx);
/* io_bus handlers (dev = struct debugport); one device serves both ports. */
uint32_t debugport_io_read(void *dev, uint16_t port, unsigned size);
void debugport_io_write(void *dev, uint16_t port, unsigned size, uint32_t value);
