/*
 * Hypercall ABI between guests and the SWEB-VX hypervisor (VMCALL).
 * RAX = number; RBX, RCX, RDX = arguments; result in RAX (negative errno on
 * failure, e.g. -ENOSYS for an unknown number). Shared by vmx/ and
 * userspace/guests/, so it must stay plain C with no kernel includes.
 */
#pragma once

#define HC_EXIT 0    /* exit(code): stop the VM, reason "exit code K" */
#define HC_WRITE 1   /* write(gpa, len): print guest bytes on the console -> len */
#define HC_CLOCK 2   /* clock(): nanoseconds since host boot */

/* CPUID leaf 0x40000000 returns this signature in EBX, ECX, EDX. */
#define HV_SIGNATURE "SWEBVXSWEBVX"
