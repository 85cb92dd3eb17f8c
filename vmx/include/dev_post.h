/*
 * The POST diagnostic port 0x80: firmware writes its progress codes there
 * (and Linux writes it as an I/O delay). The last code is kept for
 * `vm info`; a read returns it. Pure C; the caller serialises.
 */
#pragma once

#include "types.h"

#define POST_PORT 0x80

struct post_port {
    uint8_t last;
    uint64_t writes;
};

uint32_t post_io_read(void *dev, uint16_t port, unsigned size);
void post_io_write(void *dev, uint16_t port, unsigned size, uint32_t value);
