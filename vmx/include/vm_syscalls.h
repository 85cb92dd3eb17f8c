/* The VM system calls (vmx/vm_syscalls.c; ABI in uapi/vm_abi.h, docs/vm-api.md). */
#pragma once

/* Install the VM syscalls into the syscall table (boot, once). */
void vm_syscalls_init(void);
/* Install the firmware/Linux loader syscalls (vmx/vm_boot_syscalls.c); called by vm_syscalls_init. */
void vm_boot_syscalls_init(void);
/* vm_break, vm_continue, vm_paused (vm_break_syscalls.c). */
void vm_break_syscalls_init(void);
