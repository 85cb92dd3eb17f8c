/* The 0xE9/0x402 debug console (dev_debugport.h). Pure C. */
#include "dev_debugport.h"

void debugport_init(struct debugport *d, void (*print)(void *ctx, uint8_t byte), void *ctx)
{
    d->print = print;
    d->ctx = ctx;
}

uint32_t debugport_io_read(void *dev, uint16_t port, unsigned size)
{
    UNUSED(dev);
    UNUSED(port);
    UNUSED(size);
    return DEBUGPORT_READBACK;
}

void debugport_io_write(void *dev, uint16_t port, unsigned size, uint32_t value)
{
    struct debugport *d = dev;
    UNUSED(port);
    UNUSED(size);
    if (d->print)
        d->print(d->ctx, (uint8_t)value);
}
