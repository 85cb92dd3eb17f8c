/*
 * The per-VM port-I/O bus (io_bus.h): a short table searched linearly (a
 * PC has about a dozen port ranges, so a scan of one cache line or two is
 * cheaper than any index). Pure C; the caller serialises.
 */
#include "errno.h"
#include "io_bus.h"
#include "kstring.h"

void io_bus_init(struct io_bus *b) { memset(b, 0, sizeof(*b)); }

int io_bus_add(struct io_bus *b, uint16_t first, uint16_t last, const char *name, void *dev, io_read_fn read,
               io_write_fn write)
{
    if (first > last)
        return -EINVAL;
    for (unsigned i = 0; i < b->count; i++)
        if (first <= b->ranges[i].last && b->ranges[i].first <= last)
            return -EEXIST;
    if (b->count == IO_BUS_MAX_RANGES)
        return -E2BIG;
    b->ranges[b->count++] = (struct io_range){first, last, name, dev, read, write, 0, 0};
    return 0;
}

struct io_range *io_bus_find(struct io_bus *b, uint16_t port)
{
    for (unsigned i = 0; i < b->count; i++)
        if (port >= b->ranges[i].first && port <= b->ranges[i].last)
            return &b->ranges[i];
    return NULL;
}

static uint32_t size_mask(unsigned size) { return size >= 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1; }

uint32_t io_bus_in(struct io_bus *b, uint16_t port, unsigned size)
{
    struct io_range *r = io_bus_find(b, port);
    if (!r) {
        b->unclaimed_reads++;
        return size_mask(size);
    }
    r->reads++;
    return (r->read ? r->read(r->dev, port, size) : 0xFFFFFFFFu) & size_mask(size);
}

void io_bus_out(struct io_bus *b, uint16_t port, unsigned size, uint32_t value)
{
    struct io_range *r = io_bus_find(b, port);
    if (!r) {
        b->unclaimed_writes++;
        return;
    }
    r->writes++;
    if (r->write)
        r->write(r->dev, port, size, value & size_mask(size));
}
