/*
 * Kernel stacks: KSTACK_PAGES pages mapped in a dedicated kernel region,
 * each below an unmapped guard page, so running off the bottom of a stack
 * faults (a double fault on the IST stack reports it) instead of silently
 * overwriting the neighbour. Safe with interrupts on or off.
 */
#pragma once

#include "types.h"

/* Lowest address of a fresh zeroed stack (its top is base + KSTACK_SIZE); 0 when out of memory. */
uint64_t kstack_alloc(void);
/* Unmap and free the stack at base. */
void kstack_free(uint64_t base);
