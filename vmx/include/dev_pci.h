/*
 * PCI configuration mechanism #1 (PCI Local Bus Specification 3.0,
 * 3.2.2.3.2) with no device behind it: the 32-bit CONFIG_ADDRESS register
 * at 0xCF8 holds what the guest writes (bits 1:0 read as 0), and every read
 * of CONFIG_DATA (0xCFC-0xCFF, any width) returns all ones, which is what a
 * master abort gives and how software learns that no function is there
 * (vendor ID 0xFFFF). Byte and word accesses to 0xCF8-0xCFB are not
 * configuration cycles: reads give all ones, writes are dropped (so the
 * "configuration mechanism #2" probe finds nothing either).
 * Pure C; the caller serialises.
 */
#pragma once

#include "types.h"

#define PCI_CONFIG_ADDRESS 0xCF8
#define PCI_CONFIG_DATA 0xCFC

struct pci_host {
    uint32_t address;
};

/* io_bus handlers (dev = struct pci_host): 0xCF8-0xCFB and 0xCFC-0xCFF. */
uint32_t pci_addr_io_read(void *dev, uint16_t port, unsigned size);
void pci_addr_io_write(void *dev, uint16_t port, unsigned size, uint32_t value);
uint32_t pci_data_io_read(void *dev, uint16_t port, unsigned size);
void pci_data_io_write(void *dev, uint16_t port, unsigned size, uint32_t value);
