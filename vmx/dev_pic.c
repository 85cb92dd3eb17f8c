/*
 * The 8259A pair (dev_pic.h). Section references are to the 8259A
 * datasheet (Intel 231468-003): "Initialization Command Words" (ICW1-4),
 * "Operation Command Words" (OCW1-3), "Interrupt Sequence" and "The
 * Special Fully Nest Mode". Pure C, called with the platform lock held.
 */
#include "dev_pic.h"
#include "kstring.h"

#define ICW1_IC4 0x01    /* ICW4 follows */
#define ICW1_SNGL 0x02   /* single chip: no ICW3 */
#define ICW1_LTIM 0x08   /* level-triggered inputs */
#define ICW1_INIT 0x10   /* with A0 = 0: this is ICW1 */
#define ICW4_AEOI 0x02
#define ICW4_SFNM 0x10
#define OCW3_SELECT 0x08 /* with A0 = 0 and bit 4 = 0: OCW3, else OCW2 */
#define OCW3_RIS 0x01
#define OCW3_RR 0x02
#define OCW3_POLL 0x04
#define OCW3_SMM 0x20
#define OCW3_ESMM 0x40
#define POLL_INT 0x80    /* poll word: an interrupt is pending (bits 2:0 = level) */

static void chip_reset(struct i8259_chip *c, bool slave)
{
    memset(c, 0, sizeof(*c));
    c->lowest = 7;
    c->is_slave = slave;
}

void i8259_init(struct i8259 *p)
{
    chip_reset(&p->chip[0], false);
    chip_reset(&p->chip[1], true);
}

/* Priority rank of level irq: 0 highest. IR (lowest + 1) & 7 ranks first. */
static unsigned rank(const struct i8259_chip *c, unsigned irq) { return (irq - c->lowest - 1) & 7; }

/* The highest-priority level set in bits, or -1. */
static int highest(const struct i8259_chip *c, uint8_t bits)
{
    for (unsigned r = 0; r < 8; r++) {
        unsigned irq = (c->lowest + 1 + r) & 7;
        if (bits & (1u << irq))
            return (int)irq;
    }
    return -1;
}

/* The level this chip would interrupt with now, or -1: the highest unmasked
   request that outranks the highest level in service. In special mask mode
   masked in-service levels do not block lower ones; in special fully
   nested mode the master lets its cascade input interrupt again. */
static int chip_request(const struct i8259_chip *c)
{
    // SOLUTION(V6-interrupts) BEGIN: highest unmasked IRR level; none if an in-service level (special mask mode: unmasked ones only; SFNM master: not the cascade) ranks at or above it
    // SOLUTION(V6-interrupts) STUB: (void)rank;
    // SOLUTION(V6-interrupts) STUB: return -1;
    int req = highest(c, c->irr & ~c->imr);
    if (req < 0)
        return -1;
    uint8_t blocking = c->special_mask ? (uint8_t)(c->isr & ~c->imr) : c->isr;
    if (c->sfnm && !c->is_slave)
        blocking &= (uint8_t)~(1u << PIC_CASCADE_IRQ);
    int svc = highest(c, blocking);
    if (svc >= 0 && rank(c, (unsigned)svc) <= rank(c, (unsigned)req))
        return -1;
    return req;
    // SOLUTION(V6-interrupts) END
}

static void chip_set_line(struct i8259_chip *c, unsigned irq, bool level)
{
    uint8_t bit = (uint8_t)(1u << irq);
    bool was = (c->lines & bit) != 0;
    if (level)
        c->lines |= bit;
    else
        c->lines &= (uint8_t)~bit;
    if (c->level) {
        if (level)
            c->irr |= bit;
        else
            c->irr &= (uint8_t)~bit;
    } else if (level && !was) {
        c->irr |= bit;   /* edge: latched until acknowledged */
    }
}

/* The slave's INT output drives the master's IR2. It is followed as a level
   whatever ICW1.LTIM says: the slave holds INT high while it has a request,
   and a second request right after an auto-EOI acknowledge has no edge. */
static void update_cascade(struct i8259 *p)
{
    uint8_t bit = 1u << PIC_CASCADE_IRQ;
    if (chip_request(&p->chip[1]) >= 0)
        p->chip[0].irr |= bit;
    else
        p->chip[0].irr &= (uint8_t)~bit;
}

void i8259_set_irq(struct i8259 *p, unsigned irq, bool level)
{
    if (irq >= 16)
        return;
    if (irq >= 8)
        chip_set_line(&p->chip[1], irq - 8, level);
    else
        chip_set_line(&p->chip[0], irq, level);
    update_cascade(p);
}

bool i8259_interrupt_pending(const struct i8259 *p) { return chip_request(&p->chip[0]) >= 0; }

/* INTA on one chip: level -> ISR (unless auto-EOI), out of IRR for an edge
   input (a level input's IRR follows its line). Returns the level or -1. */
static int chip_ack(struct i8259_chip *c)
{
    // SOLUTION(V6-interrupts) BEGIN: INTA: the requesting level leaves IRR (edge inputs) and enters ISR (or, with auto-EOI, may rotate priorities); return it or -1
    // SOLUTION(V6-interrupts) STUB: return -1;
    int irq = chip_request(c);
    if (irq < 0)
        return -1;
    uint8_t bit = (uint8_t)(1u << irq);
    if (!c->level)
        c->irr &= (uint8_t)~bit;
    if (c->auto_eoi) {
        if (c->rotate_on_aeoi)
            c->lowest = (uint8_t)irq;
    } else {
        c->isr |= bit;
    }
    return irq;
    // SOLUTION(V6-interrupts) END
}

uint8_t i8259_acknowledge(struct i8259 *p)
{
    struct i8259_chip *m = &p->chip[0], *s = &p->chip[1];
    int irq = chip_ack(m);
    uint8_t vector;
    if (irq < 0) {
        vector = (uint8_t)(m->vector_base | 7);   /* spurious IRQ7 */
    } else if (irq == PIC_CASCADE_IRQ && !m->single) {
        int sirq = chip_ack(s);
        vector = (uint8_t)(s->vector_base | (sirq < 0 ? 7 : sirq));   /* spurious IRQ15 */
    } else {
        vector = (uint8_t)(m->vector_base | irq);
    }
    update_cascade(p);
    return vector;
}

/* OCW2 (A0 = 0, bits 4:3 = 00): bits 7:5 are R, SL, EOI. */
static void write_ocw2(struct i8259_chip *c, uint8_t v)
{
    unsigned level = v & 7;
    switch (v >> 5) {
    case 1:   /* non-specific EOI */
    case 5: { /* rotate on non-specific EOI */
        int irq = highest(c, c->isr);
        if (irq >= 0) {
            c->isr &= (uint8_t)~(1u << irq);
            if (v >> 5 == 5)
                c->lowest = (uint8_t)irq;
        }
        break;
    }
    case 3:   /* specific EOI */
        c->isr &= (uint8_t)~(1u << level);
        break;
    case 7:   /* rotate on specific EOI */
        c->isr &= (uint8_t)~(1u << level);
        c->lowest = (uint8_t)level;
        break;
    case 6:   /* set priority: level becomes the lowest */
        c->lowest = (uint8_t)level;
        break;
    case 4:
        c->rotate_on_aeoi = true;
        break;
    case 0:
        c->rotate_on_aeoi = false;
        break;
    default:  /* 2: no operation */
        break;
    }
}

static void write_ocw3(struct i8259_chip *c, uint8_t v)
{
    if (v & OCW3_ESMM)
        c->special_mask = (v & OCW3_SMM) != 0;
    if (v & OCW3_RR)
        c->read_isr = (v & OCW3_RIS) != 0;
    c->poll = (v & OCW3_POLL) != 0;
}

/* ICW1 starts the initialisation sequence. */
static void write_icw1(struct i8259_chip *c, uint8_t v)
{
    c->need_icw4 = (v & ICW1_IC4) != 0;
    c->single = (v & ICW1_SNGL) != 0;
    c->level = (v & ICW1_LTIM) != 0;
    c->imr = 0;
    c->isr = 0;
    c->irr = c->level ? c->lines : 0;   /* the edge-sense latch is reset */
    c->lowest = 7;
    c->special_mask = false;
    c->read_isr = false;
    c->poll = false;
    c->auto_eoi = c->rotate_on_aeoi = c->sfnm = false;   /* ICW4 functions default to 0 */
    c->init_step = 2;
}

/* A data-port write during initialisation: ICW2, ICW3, ICW4 in turn. */
static void write_icw(struct i8259_chip *c, uint8_t v)
{
    if (c->init_step == 2) {
        c->vector_base = v & 0xF8;   /* 8086 mode: T7-T3 */
        c->init_step = c->single ? (c->need_icw4 ? 4 : 0) : 3;
    } else if (c->init_step == 3) {
        c->init_step = c->need_icw4 ? 4 : 0;   /* the cascade wiring is fixed in a PC */
    } else {
        c->auto_eoi = (v & ICW4_AEOI) != 0;
        c->sfnm = (v & ICW4_SFNM) != 0;
        c->init_step = 0;
    }
}

static struct i8259_chip *chip_of(struct i8259 *p, uint16_t port) { return &p->chip[(port & 0x80) ? 1 : 0]; }

/* Poll command: the next read acknowledges like INTA and returns a poll word. */
static uint8_t read_poll(struct i8259 *p, struct i8259_chip *c)
{
    c->poll = false;
    int irq = chip_ack(c);
    if (irq < 0)
        return 0;
    if (c->is_slave)
        update_cascade(p);
    return (uint8_t)(POLL_INT | irq);
}

uint8_t i8259_read(struct i8259 *p, uint16_t port)
{
    struct i8259_chip *c = chip_of(p, port);
    if (c->poll)
        return read_poll(p, c);
    if (port & 1)
        return c->imr;
    return c->read_isr ? c->isr : c->irr;
}

void i8259_write(struct i8259 *p, uint16_t port, uint8_t v)
{
    struct i8259_chip *c = chip_of(p, port);
    if (!(port & 1)) {
        if (v & ICW1_INIT)
            write_icw1(c, v);
        else if (v & OCW3_SELECT)
            write_ocw3(c, v);
        else
            write_ocw2(c, v);
    } else if (c->init_step) {
        write_icw(c, v);
    } else {
        c->imr = v;   /* OCW1 */
    }
    update_cascade(p);
}

uint32_t i8259_io_read(void *dev, uint16_t port, unsigned size)
{
    UNUSED(size);
    return i8259_read(dev, port);
}

void i8259_io_write(void *dev, uint16_t port, unsigned size, uint32_t value)
{
    UNUSED(size);
    i8259_write(dev, port, (uint8_t)value);
}
