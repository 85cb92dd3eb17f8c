/*
 * The world switch (vmx/entry.asm). Interrupts must be off; the vCPU's VMCS
 * must be current and fully set up.
 */
#pragma once

#include "types.h"

struct vcpu;

#define VMX_ENTER_EXITED 0        /* the guest ran and a VM exit happened */
#define VMX_ENTER_FAIL_INVALID 1  /* VMLAUNCH/VMRESUME: VMfailInvalid (CF) */
#define VMX_ENTER_FAIL_VALID 2    /* VMfailValid (ZF): see VM_INSTRUCTION_ERROR */

/* Load the guest GPRs from v, VMLAUNCH (v->launched == 0) or VMRESUME, and on
   the VM exit store the guest GPRs and CR2 back into v. Returns VMX_ENTER_*. */
int vmx_enter(struct vcpu *v);
/* HOST_RIP: where the CPU continues after a VM exit. Never call it. */
void vmx_exit_entry(void);
