/*
 * Walking the guest's own page tables (guest_paging.c), for handlers that
 * emulate a guest memory access. vCPU thread, interrupts off.
 */
#pragma once

#include "types.h"

struct vcpu;

/* Guest linear -> guest physical for the current guest paging mode (none,
   32-bit, PAE, 4-level): 0; -EFAULT if the guest's page tables do not map
   linear (not present); -ENXIO if a table entry lies in guest-physical
   memory the guest may not read, with *gpa = that entry's GPA
   (guest_paging.c). */
int vcpu_linear_to_gpa(struct vcpu *v, uint64_t linear, uint64_t *gpa);
