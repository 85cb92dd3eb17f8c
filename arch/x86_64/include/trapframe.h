/*
 * The register image an interrupt, exception or IRQ stub leaves on the
 * kernel stack (arch/x86_64/isr.asm builds it). Lowest address first: the
 * general registers the stub pushed, then vector and error code (0 when the
 * CPU pushes none), then what the CPU pushed (SDM Vol. 3A 6.14.2).
 */
#pragma once

#include "types.h"

struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector;
    uint64_t error_code;
    uint64_t rip, cs, rflags, rsp, ss;
};
_Static_assert(sizeof(struct trap_frame) == 22 * 8, "trap_frame layout is shared with isr.asm");

static inline bool trap_from_user(const struct trap_frame *f) { return (f->cs & 3) == 3; }

/* Print all registers of f, three per line. */
void trap_frame_print(const struct trap_frame *f);
