/*
 * trap64.h - exceptions for 64-bit C guests: an IDT with a stub for each of
 * the 32 exception vectors, a handler per vector in C, and a way to run one
 * instruction that may fault (the handler then resumes at a fixup label).
 *
 * Context: inside a VM in long mode (guest.h). Include it in exactly one
 * C file of a guest (it defines the stubs and the table). The IDT uses the
 * code selector 0x08 of the GDT the `vm` loader builds.
 */
#pragma once

#include "guest.h"

/* What a stub saved: vector, error code (0 if the CPU pushes none), then
   the CPU's interrupt frame (SDM Vol. 3A 6.14.2). */
struct trap_frame64 {
    uint64_t vector, error, rip, cs, rflags, rsp, ss;
};

typedef void (*trap_handler64)(struct trap_frame64 *f);

/* A handler per vector; NULL: report the exception and stop the VM. */
static trap_handler64 trap_handlers[32];

/* trap_expect(): where a faulting instruction resumes, and what it raised. */
static volatile uint64_t trap_fixup;
static volatile uint64_t trap_vector = ~0ull, trap_error;

__attribute__((used)) void trap64_dispatch(struct trap_frame64 *f)
{
    if (f->vector < 32 && trap_handlers[f->vector]) {
        trap_handlers[f->vector](f);
        return;
    }
    if (trap_fixup) {   /* an instruction run with trap_expect() faulted */
        trap_vector = f->vector;
        trap_error = f->error;
        f->rip = trap_fixup;
        trap_fixup = 0;
        return;
    }
    guest_printf("unexpected exception %lu error 0x%lx at rip 0x%lx\n", f->vector, f->error, f->rip);
    hc_exit(0xE0 + f->vector);
}

/* The stubs: 16 bytes each, so stub n is at trap64_stubs + 16 n. Vectors
   8, 10-14, 17, 21, 29 and 30 get an error code from the CPU; the others
   push 0 in its place (SDM Vol. 3A Table 6-1). */
__asm__(".pushsection .text\n"
        ".macro TRAP64_STUB n\n"
        "  .balign 16\n"
        "  .if (\\n == 8) || (\\n >= 10 && \\n <= 14) || (\\n == 17) || (\\n == 21) || (\\n == 29) || (\\n == 30)\n"
        "  .else\n"
        "    pushq $0\n"
        "  .endif\n"
        "  pushq $\\n\n"
        "  jmp trap64_common\n"
        ".endm\n"
        ".balign 16\n"
        "trap64_stubs:\n"
        ".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
        "  TRAP64_STUB \\n\n"
        ".endr\n"
        "trap64_common:\n"
        "  push %rax; push %rcx; push %rdx; push %rsi; push %rdi\n"
        "  push %r8; push %r9; push %r10; push %r11\n"
        "  lea 72(%rsp), %rdi\n"          /* the trap_frame64: vector, error, CPU frame */
        "  call trap64_dispatch\n"
        "  pop %r11; pop %r10; pop %r9; pop %r8\n"
        "  pop %rdi; pop %rsi; pop %rdx; pop %rcx; pop %rax\n"
        "  add $16, %rsp\n"               /* vector and error code */
        "  iretq\n"
        ".popsection\n");
extern char trap64_stubs[];

/* 64-bit interrupt gates (SDM Vol. 3A 6.14.1), present, DPL 0. */
static uint64_t trap_idt[64] __attribute__((aligned(16)));

static inline void trap64_install(void)
{
    for (int n = 0; n < 32; n++) {
        uint64_t a = (uint64_t)(uintptr_t)(trap64_stubs + 16 * n);
        trap_idt[2 * n] = (a & 0xFFFF) | (0x08ull << 16) | (0x8Eull << 40) | ((a >> 16) & 0xFFFF) << 48;
        trap_idt[2 * n + 1] = a >> 32;
    }
    struct __attribute__((packed)) {
        uint16_t limit;
        uint64_t base;
    } idtr = {sizeof(trap_idt) - 1, (uint64_t)(uintptr_t)trap_idt};
    __asm__ volatile("lidt %0" ::"m"(idtr));
}

/* Around one instruction that may fault: TRAP_TRY "insn" TRAP_END in an
   __asm__ that clobbers "r11" and "memory". If it faults, the handler
   resumes after it with trap_vector/trap_error set; trap_result() says
   which vector (-1: it completed). */
#define TRAP_TRY "movq $-1, trap_vector(%%rip)\n\tlea 1f(%%rip), %%r11\n\tmov %%r11, trap_fixup(%%rip)\n\t"
#define TRAP_END "\n\t1:\n\tmovq $0, trap_fixup(%%rip)"
static inline int trap_result(void) { return (int)(int64_t)trap_vector; }
