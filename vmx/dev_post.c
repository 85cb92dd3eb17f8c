/* The POST code port 0x80 (dev_post.h). Pure C. */
#include "dev_post.h"

uint32_t post_io_read(void *dev, uint16_t port, unsigned size)
{
    UNUSED(port);
    UNUSED(size);
    return ((struct post_port *)dev)->last;
}

void post_io_write(void *dev, uint16_t port, unsigned size, uint32_t value)
{
    struct post_port *p = dev;
    UNUSED(port);
    UNUSED(size);
    p->last = (uint8_t)value;
    p->writes++;
}
