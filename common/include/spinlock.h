/* Interrupt-safe spinlock: disables interrupts while held (one CPU, but
   written for several so the discipline is right from the start). */
#pragma once

#include "types.h"

struct spinlock {
    volatile uint32_t locked;
    bool irq_was_on;
    const char *name;
};

#define SPINLOCK_INIT(n) {0, false, n}

void spin_lock(struct spinlock *l);
void spin_unlock(struct spinlock *l);
