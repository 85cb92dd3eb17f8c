/* The virtual PC's system calls (vmx/vm_platform_syscalls.c). */
#pragma once

/* Install them; called by vm_syscalls_init. */
void vm_platform_syscalls_init(void);
