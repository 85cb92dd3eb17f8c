/*
 * Ring 3: the `syscall` MSRs and entering user code (arch/x86_64).
 */
#pragma once

#include "trapframe.h"

/* Program EFER.SCE, STAR, LSTAR, FMASK and the GS bases. Boot, interrupts off. */
void usermode_init(void);
/* Build a user-mode frame: rip, rsp, first argument (rdi), second (rsi). */
void usermode_frame_init(struct trap_frame *f, uint64_t rip, uint64_t rsp, uint64_t arg0, uint64_t arg1);
/* Jump to ring 3 with the registers of f (interrupts off). Never returns. */
NORETURN void usermode_enter(struct trap_frame *f);

/* Marker in trap_frame.vector for frames built by the syscall entry. */
#define SYSCALL_VECTOR 0x100
