/* PCI configuration space with no device (dev_pci.h). Pure C. */
#include "dev_pci.h"

#define ADDRESS_WRITABLE 0x80FFFFFCu   /* enable, bus, device, function, register; 30:24 and 1:0 reserved */

uint32_t pci_addr_io_read(void *dev, uint16_t port, unsigned size)
{
    if (port == PCI_CONFIG_ADDRESS && size == 4)
        return ((struct pci_host *)dev)->address;
    return 0xFFFFFFFFu;
}

void pci_addr_io_write(void *dev, uint16_t port, unsigned size, uint32_t value)
{
    if (port == PCI_CONFIG_ADDRESS && size == 4)
        ((struct pci_host *)dev)->address = value & ADDRESS_WRITABLE;
}

uint32_t pci_data_io_read(void *dev, uint16_t port, unsigned size)
{
    UNUSED(dev);
    UNUSED(port);
    UNUSED(size);
    return 0xFFFFFFFFu;   /* master abort: no function at that address */
}

void pci_data_io_write(void *dev, uint16_t port, unsigned size, uint32_t value)
{
    UNUSED(dev);
    UNUSED(port);
    UNUSED(size);
    UNUSED(value);
}
