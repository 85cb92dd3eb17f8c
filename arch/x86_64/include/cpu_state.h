/*
 * Per-thread CPU state the scheduler switches besides the general
 * registers: the kernel stack for ring 3 -> ring 0 transitions (TSS rsp0 and
 * the syscall entry's stack) and the FPU/SSE registers of user code.
 * Interrupts off for all of these.
 */
#pragma once

#include "types.h"

/* Enable FXSAVE/SSE for user code (CR0.MP, CR4.OSFXSR/OSXMMEXCPT) and
   capture the initial FPU image new threads start with. */
void cpu_fpu_init(void);
/* The 512-byte FXSAVE image a new thread starts with. */
void cpu_fpu_init_image(uint8_t *img);
static inline void cpu_fpu_save(uint8_t *img) { __asm__ volatile("fxsave64 (%0)" ::"r"(img) : "memory"); }
static inline void cpu_fpu_restore(const uint8_t *img) { __asm__ volatile("fxrstor64 (%0)" ::"r"(img) : "memory"); }

/* Use top as the stack for entries from ring 3 (interrupts and syscall). */
void cpu_set_kernel_stack(uint64_t top);
