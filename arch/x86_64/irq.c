/*
 * IRQ registration and dispatch. irq_handle runs with interrupts off: the
 * line's handler first, then the EOI (so the PIC can raise the next
 * interrupt), then sched_preempt_point(), which may switch to another
 * thread; this interrupt's frame stays on the old thread's stack until the
 * thread runs again and returns through isr.asm.
 */
#include "irq.h"
#include "errno.h"
#include "idt.h"
#include "kprintf.h"
#include "pic.h"
#include "sched.h"
#include "x86.h"

static irq_handler handlers[IRQ_LINES];
static uint64_t counts[IRQ_LINES];
static uint64_t spurious;

int irq_register(unsigned irq, irq_handler handler)
{
    if (irq >= IRQ_LINES || handler == NULL)
        return -EINVAL;
    bool was = irq_save();
    int rc = -EBUSY;
    if (handlers[irq] == NULL) {
        handlers[irq] = handler;
        pic_unmask(irq);
        rc = 0;
    }
    irq_restore(was);
    return rc;
}

void irq_handle(struct trap_frame *f)
{
    unsigned irq = (unsigned)(f->vector - IRQ_VECTOR_BASE);
    if ((irq == IRQ_SPURIOUS_MASTER || irq == IRQ_SPURIOUS_SLAVE) && pic_is_spurious(irq)) {
        spurious++;                 /* no EOI for a spurious IRQ (8259A data sheet) */
        return;
    }
    counts[irq]++;
    if (handlers[irq])
        handlers[irq](f);
    pic_eoi(irq);
    sched_preempt_point();
}

uint64_t irq_count(unsigned irq) { return irq < IRQ_LINES ? counts[irq] : 0; }
uint64_t irq_spurious_count(void) { return spurious; }
