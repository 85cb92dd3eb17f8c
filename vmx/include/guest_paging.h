/*
 * Walking the guest's own page tables (guest_paging.c), for handlers that
 * emulate a guest memory access. vCPU thread, interrupts off.
 */
#pragma once

#include "types.h"

struct vcpu;

/* What the emulated access is (the rights it needs, SDM Vol. 3A 4.6). */
#define GUEST_ACCESS_WRITE 1u   /* a write (INS); else a read */
#define GUEST_ACCESS_USER 2u    /* at CPL 3 */
#define GUEST_ACCESS_PEEK 4u    /* a look from outside (a debugger): no rights, no A/D flags */

/* #PF error code bits (SDM Vol. 3A 4.7). */
#define PF_ERR_PRESENT 1u       /* 1: a protection violation; 0: not present */
#define PF_ERR_WRITE 2u
#define PF_ERR_USER 4u

/* Guest linear -> guest physical for the current guest paging mode (none,
   32-bit, PAE, 4-level) for an access of kind `access`: 0 (the walk set
   the accessed, and for a write the dirty, flags); -EFAULT if the CPU
   would raise #PF (not present, or the rights forbid it), with the error
   code in *pf_error (may be NULL); -ENXIO if a table entry lies in
   guest-physical memory the guest may not read, with *gpa = that entry's
   GPA. */
int vcpu_access_to_gpa(struct vcpu *v, uint64_t linear, unsigned access, uint64_t *gpa, uint32_t *pf_error);
/* The same for a look from outside the guest (gdb): presence only, the
   guest's tables stay untouched; -EFAULT when not present. */
int vcpu_linear_to_gpa(struct vcpu *v, uint64_t linear, uint64_t *gpa);
