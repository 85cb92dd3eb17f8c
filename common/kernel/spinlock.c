/*
 * Interrupt-saving spinlock. On one CPU, holding it means interrupts are
 * off, so nothing else can run; the atomic exchange keeps the discipline
 * right for several CPUs. A lock that stays taken for ~a second on one CPU
 * can only be a recursive acquire or a missing unlock: that panics.
 */
#include "panic.h"
#include "spinlock.h"
#include "x86.h"

#define SPIN_LIMIT 200000000ull

static inline uint32_t xchg32(volatile uint32_t *p, uint32_t v)
{
    __asm__ volatile("xchgl %0, %1" : "+r"(v), "+m"(*p) : : "memory");
    return v;
}

void spin_lock(struct spinlock *l)
{
    bool irq = irq_save();
    uint64_t spins = 0;
    while (xchg32(&l->locked, 1)) {
        cpu_relax();
        if (++spins == SPIN_LIMIT)
            panic("spinlock %s: still taken (recursive lock or missing unlock?)", l->name ? l->name : "?");
    }
    l->irq_was_on = irq;
}

void spin_unlock(struct spinlock *l)
{
    if (!l->locked)
        panic("spinlock %s: unlock of a lock that is not held", l->name ? l->name : "?");
    bool irq = l->irq_was_on;
    xchg32(&l->locked, 0);
    irq_restore(irq);
}
