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

/* v->launched: what the next vmx_enter does. A VMCS that is clear needs
   VMLAUNCH; a launched one VMRESUME. HOST_RSP (where the exit resumes the
   host's stack) is written by the entry itself, at the launch and whenever
   the caller may be on another stack frame than before: the run loop marks
   that with VCPU_RESUME_NEW_STACK each time it starts, so no entry ever
   uses a stale HOST_RSP and the hot path (VCPU_RESUME) pays nothing. */
#define VCPU_LAUNCH 0
#define VCPU_RESUME 1
#define VCPU_RESUME_NEW_STACK 2

/* Load the guest GPRs from v, enter as v->launched says, and on the VM exit
   store the guest GPRs back into v. Returns VMX_ENTER_*. */
int vmx_enter(struct vcpu *v);
/* HOST_RIP: where the CPU continues after a VM exit. Never call it. */
void vmx_exit_entry(void);
