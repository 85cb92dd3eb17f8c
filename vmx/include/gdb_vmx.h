/*
 * The hypervisor's part of the GDB stub (gdb_vmx.c, gdb_vmx_monitor.c):
 * vCPUs as gdb threads with guest registers and memory, and the monitor
 * commands `vmexit`, `vmcs`, `vcpu`. Everything here runs in the stopped
 * state (interrupts off, nothing else runs).
 */
#pragma once

#include "types.h"

struct vcpu;
struct thread;

/* Register the vCPU threads and the monitor commands with the stub (boot). */
void gdb_vmx_register(void);
void gdb_vmx_monitor_register(void);

/* The vCPU behind a gdb thread id, the vCPU a kernel thread runs, the first
   vCPU there is (NULL: none). */
struct vcpu *gdb_vmx_vcpu_of_tid(int tid);
struct vcpu *gdb_vmx_vcpu_of_thread(const struct thread *t);
struct vcpu *gdb_vmx_any_vcpu(void);
/* Make v's VMCS current; returns the one that was, for gdb_vmx_leave. */
uint64_t gdb_vmx_enter(struct vcpu *v);
void gdb_vmx_leave(struct vcpu *v, uint64_t saved);
