/*
 * Building the records the VM syscalls return (uapi/vm_abi.h) from the VMX
 * core's state (vm.h, vmx_stats.h): status, statistics with the exit
 * breakdowns, and the merged exit trace of all vCPUs.
 * Context: thread, vm_handles lock held. Nothing here allocates.
 */
#pragma once

#include "types.h"
#include "uapi/vm_abi.h"

struct vm_handle;

/* The status of the live VM of h. */
void vm_record_status(const struct vm_handle *h, struct vm_status *out);
/* Statistics of the live VM of h, or of every VM since boot (h NULL). */
void vm_record_stats(const struct vm_handle *h, struct vm_stats *out);
/* The last up to max exits of all vCPUs of h's VM, oldest first, into the
   records the syscall returns; scratch holds max core entries. Returns how
   many. */
struct vmx_trace_entry;
size_t vm_record_trace(const struct vm_handle *h, struct vmx_trace_entry *scratch,
                       struct vm_trace_entry *out, size_t max);
