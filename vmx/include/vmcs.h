/*
 * VMCS regions and whole-state transfer. The per-field accessors are in
 * vmx_ops.h (vmcs_read16/32/64/nat, vmcs_write*). VMX root operation;
 * the VMCS being accessed must be current (VMPTRLD).
 */
#pragma once

#include "types.h"
#include "vmx_state.h"

/* A new VMCS region with the revision id, VMCLEARed (launch state "clear");
   physical address, 0 when out of memory. */
uint64_t vmcs_alloc(void);
/* VMCLEAR and free. */
void vmcs_free(uint64_t phys);

/* Generic access by encoding (any width; for tables, dumps, tests). */
uint64_t vmcs_read_field(uint32_t field);
int vmcs_write_field(uint32_t field, uint64_t value);

/* VMREAD/VMWRITE that do not log: 0, or the VM-instruction error number
   (12 = unsupported field, 13 = read-only). For probing and tests. */
int vmcs_try_read(uint32_t field, uint64_t *val);
int vmcs_try_write(uint32_t field, uint64_t val);

/* Write every control, host and guest field of s into the current VMCS.
   0 or -EIO (the failing field is logged). */
int vmcs_write_state(const struct vmx_entry_state *s);
/* Read the same fields back from the current VMCS (what the CPU will check). */
void vmcs_read_state(struct vmx_entry_state *s);
/* Read only the guest part (for dumps after an exit). */
void vmcs_read_guest_state(struct vmx_guest_state *g);
