/*
 * A pair of Intel 8259A programmable interrupt controllers as wired in a PC
 * (8259A datasheet, Intel 231468): the master at ports 0x20/0x21 takes
 * IRQ 0-7, the slave at 0xA0/0xA1 takes IRQ 8-15 and cascades into the
 * master's IR2. Modelled: ICW1-4, OCW1 (mask), OCW2 (non-specific and
 * specific EOI, rotation, set priority), OCW3 (read IRR/ISR, poll, special
 * mask mode), edge and level triggering (ICW1.LTIM), auto-EOI, special
 * fully nested mode, the spurious IRQ7/IRQ15 vector. Not modelled: the
 * MCS-80/85 call mode and buffered mode (accepted and ignored).
 * Pure C; the caller serialises (vmx/platform.c). Functions are named after
 * the chip (i8259_) as pic_ is the host's own driver (arch/x86_64/pic.c).
 */
#pragma once

#include "types.h"

#define PIC_MASTER_CMD 0x20
#define PIC_MASTER_DATA 0x21
#define PIC_SLAVE_CMD 0xA0
#define PIC_SLAVE_DATA 0xA1
#define PIC_CASCADE_IRQ 2

struct i8259_chip {
    uint8_t irr, isr, imr;
    uint8_t lines;          /* current input levels (edge detection) */
    uint8_t vector_base;    /* ICW2 & 0xF8 */
    uint8_t lowest;         /* the lowest-priority IR (7 after init; rotation moves it) */
    uint8_t init_step;      /* 0 ready; 2, 3, 4: the ICW expected next */
    bool need_icw4, single, level, auto_eoi, rotate_on_aeoi, special_mask, sfnm;
    bool read_isr, poll;
    bool is_slave;
};

struct i8259 {
    struct i8259_chip chip[2];   /* 0 master, 1 slave */
};

/* Power-on state: both chips uninitialised, all masked off (IMR 0), vector
   base 0 (a guest must run ICW1-4 before interrupts mean anything). */
void i8259_init(struct i8259 *p);
/* Set input line irq (0-15) to level (true = high). An edge-triggered input
   latches a request on the rising edge; a level-triggered one follows the line. */
void i8259_set_irq(struct i8259 *p, unsigned irq, bool level);
/* The master's INT output: an unmasked request outranks everything in service. */
bool i8259_interrupt_pending(const struct i8259 *p);
/* The INTA cycle: the vector of the highest request, moving it from IRR to
   ISR (both chips for a cascaded one); the chip's IR7 vector when nothing
   is pending any more (a spurious interrupt, ISR unchanged). */
uint8_t i8259_acknowledge(struct i8259 *p);
/* Port access (0x20, 0x21, 0xA0, 0xA1). */
uint8_t i8259_read(struct i8259 *p, uint16_t port);
void i8259_write(struct i8259 *p, uint16_t port, uint8_t value);
/* io_bus handlers (dev = struct i8259). */
uint32_t i8259_io_read(void *dev, uint16_t port, unsigned size);
void i8259_io_write(void *dev, uint16_t port, unsigned size, uint32_t value);
