/*
 * Failed VM entries (entry_failure.c): decoded, checked in software against
 * SDM 26.2/26.3, and the vCPU stopped with the broken rule as its reason.
 * vCPU thread, interrupts off, the vCPU's VMCS current.
 */
#pragma once

#include "exit.h"

/* Read the VMCS back and run the software entry check on it; print every
   broken rule, copy the first into first (if not NULL). Returns how many
   rules are broken. */
int entry_failure_check_vmcs(struct vcpu *v, char *first, size_t size);
/* VMLAUNCH/VMRESUME itself failed with rc (VMX_ENTER_FAIL_*): stop v. */
void entry_failure_instruction(struct vcpu *v, int rc);
/* Exit reason with bit 31: the entry failed on guest state or MSR loading
   (SDM 26.7); stops v. */
enum exit_action exit_entry_failed(struct vcpu *v);
