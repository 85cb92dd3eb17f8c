/*
 * 8259A programmable interrupt controllers (Intel 8259A data sheet):
 * master at ports 0x20/0x21, slave at 0xA0/0xA1 on the master's IRQ 2.
 * Initialization words: ICW1 0x11 (edge, cascade, ICW4 follows), ICW2 the
 * vector base, ICW3 the cascade wiring, ICW4 0x01 (8086 mode). OCW3 0x0B
 * selects the in-service register for reading. Interrupts off for all.
 */
#include "pic.h"
#include "idt.h"
#include "x86.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xA0
#define PIC2_DATA 0xA1
#define ICW1_INIT_ICW4 0x11
#define ICW4_8086 0x01
#define OCW2_EOI 0x20
#define OCW3_READ_ISR 0x0B
#define CASCADE_IRQ 2

void pic_init(void)
{
    outb(PIC1_CMD, ICW1_INIT_ICW4);
    io_wait();
    outb(PIC2_CMD, ICW1_INIT_ICW4);
    io_wait();
    outb(PIC1_DATA, IRQ_VECTOR_BASE);        /* ICW2: master vectors 32-39 */
    io_wait();
    outb(PIC2_DATA, IRQ_VECTOR_BASE + 8);    /* ICW2: slave vectors 40-47 */
    io_wait();
    outb(PIC1_DATA, 1 << CASCADE_IRQ);       /* ICW3: slave on IRQ 2 */
    io_wait();
    outb(PIC2_DATA, CASCADE_IRQ);            /* ICW3: slave identity */
    io_wait();
    outb(PIC1_DATA, ICW4_8086);
    io_wait();
    outb(PIC2_DATA, ICW4_8086);
    io_wait();
    outb(PIC1_DATA, 0xFF);                   /* everything masked until registered */
    outb(PIC2_DATA, 0xFF);
}

static uint16_t pic_data_port(unsigned irq) { return irq < 8 ? PIC1_DATA : PIC2_DATA; }

void pic_mask(unsigned irq)
{
    uint16_t port = pic_data_port(irq);
    outb(port, (uint8_t)(inb(port) | (1u << (irq & 7))));
}

void pic_unmask(unsigned irq)
{
    uint16_t port = pic_data_port(irq);
    outb(port, (uint8_t)(inb(port) & ~(1u << (irq & 7))));
    if (irq >= 8)
        pic_unmask(CASCADE_IRQ);             /* the slave's line on the master */
}

void pic_eoi(unsigned irq)
{
    if (irq >= 8)
        outb(PIC2_CMD, OCW2_EOI);
    outb(PIC1_CMD, OCW2_EOI);
}

static uint8_t pic_read_isr(uint16_t cmd_port)
{
    outb(cmd_port, OCW3_READ_ISR);
    return inb(cmd_port);
}

bool pic_is_spurious(unsigned irq)
{
    if (irq == 7)
        return !(pic_read_isr(PIC1_CMD) & 0x80);
    if (irq == 15 && !(pic_read_isr(PIC2_CMD) & 0x80)) {
        outb(PIC1_CMD, OCW2_EOI);            /* the master did see IRQ 2 */
        return true;
    }
    return false;
}
