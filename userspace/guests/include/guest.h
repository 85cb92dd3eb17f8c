/*
 * guest.h - the runtime for freestanding C guests (64-bit long mode).
 *
 * Context: the code runs inside a VM, not under SWEB: no syscalls, no libc.
 * The `vm` loader starts an ELF64 guest in long mode with identity-mapped
 * paging (virtual address = guest-physical address) built by the kernel,
 * interrupts off, and RBX = vCPU index. start.asm sets up a stack and calls
 * guest_main(vcpu_index); its return value becomes the VM's exit code.
 * The only way out is a hypercall (VMCALL, ABI in uapi/hypercall.h):
 * RAX = number, RBX/RCX/RDX = arguments, result in RAX.
 * Build flags (guests/CMakeLists.txt) forbid SSE, so use integer math.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include "hypercall.h"

/* VMCALL with up to three arguments; returns RAX (negative errno on error). */
static inline int64_t hypercall(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3)
{
    uint64_t ret;
    __asm__ volatile("vmcall"
                     : "=a"(ret)
                     : "a"(nr), "b"(a1), "c"(a2), "d"(a3)
                     : "memory");
    return (int64_t)ret;
}

/* Print len bytes at buf on the host console (lines prefixed "[vmN] "). */
static inline int64_t hc_write(const void *buf, size_t len)
{
    return hypercall(HC_WRITE, (uint64_t)(uintptr_t)buf, len, 0);
}

/* Stop the whole VM with "exit code K". Does not return. */
static inline __attribute__((noreturn)) void hc_exit(uint64_t code)
{
    hypercall(HC_EXIT, code, 0, 0);
    for (;;)
        __asm__ volatile("hlt");
}

/* Nanoseconds since the host booted. */
static inline uint64_t hc_clock_ns(void)
{
    return (uint64_t)hypercall(HC_CLOCK, 0, 0, 0);
}

/* The guest's entry point, called by start.asm with the vCPU index. */
int guest_main(uint64_t vcpu_index);

/*
 * printf for guests (guest_lib.c) with the conversions of SWEB's one printf
 * engine, common/include/format.h (no floating point). Output is buffered
 * and flushed with one HC_WRITE per line (or when the buffer fills).
 */
int guest_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int guest_vprintf(const char *fmt, va_list ap);
void guest_putchar(char c);
void guest_flush(void);

/* The compiler may emit calls to these even in freestanding code
   (common/util/kstring.c, linked into every C guest). */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
