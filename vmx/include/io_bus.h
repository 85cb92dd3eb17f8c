/*
 * The port-I/O bus of one VM: a table of port ranges, each claimed by one
 * device with a name (shown by `vmstat -d`) and a read and a write
 * function. A port no device claims behaves like an empty ISA bus: reads
 * return all ones, writes are dropped. Pure C (no VMX, no locks): the
 * caller serialises accesses (vmx/platform.c); host unit-tested.
 */
#pragma once

#include "types.h"

#define IO_BUS_MAX_RANGES 24

/* A device's port handlers. size is 1, 2 or 4 bytes; port is the first port
   of the access (inside the range); a read returns the value in the low
   size bytes (the bus masks the rest). */
typedef uint32_t (*io_read_fn)(void *dev, uint16_t port, unsigned size);
typedef void (*io_write_fn)(void *dev, uint16_t port, unsigned size, uint32_t value);

struct io_range {
    uint16_t first, last;   /* inclusive */
    const char *name;
    void *dev;
    io_read_fn read;        /* NULL: reads give all ones */
    io_write_fn write;      /* NULL: writes are dropped */
    uint64_t reads, writes; /* accesses over the VM's whole run */
};

struct io_bus {
    unsigned count;
    struct io_range ranges[IO_BUS_MAX_RANGES];
    uint64_t unclaimed_reads, unclaimed_writes;
};

void io_bus_init(struct io_bus *b);
/* Claim [first, last] for dev: 0, -EINVAL (first > last), -EEXIST (overlaps a
   claimed range), -E2BIG (table full). name must outlive the bus. */
int io_bus_add(struct io_bus *b, uint16_t first, uint16_t last, const char *name, void *dev, io_read_fn read,
               io_write_fn write);
/* The range that claims port, or NULL. */
struct io_range *io_bus_find(struct io_bus *b, uint16_t port);
/* One IN/OUT of size bytes at port through the bus (and its counters). */
uint32_t io_bus_in(struct io_bus *b, uint16_t port, unsigned size);
void io_bus_out(struct io_bus *b, uint16_t port, unsigned size, uint32_t value);
