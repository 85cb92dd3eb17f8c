/*
 * The whole-run breakdowns behind `vmstat -d` (vmx/vm_detail_stats.c):
 * accesses per device and per port from the VM's bus, CPUID exits per leaf
 * and MSR exits per index summed over its vCPUs. Any thread; takes the
 * platform lock.
 */
#pragma once

#include "uapi/vm_abi.h"

struct vm;

/* Fill out's devices, io_* and post_code fields and its I/O port, CPUID
   and MSR top lists (most frequent first), and clear breakdown_from_trace. */
void vm_detail_stats(struct vm *vm, struct vm_stats *out);
/* The POST code fields of vm_info. */
void vm_detail_post(struct vm *vm, struct vm_status *out);
