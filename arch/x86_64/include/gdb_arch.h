/*
 * The x86-64 half of the GDB stub (gdb_arch.c): the register file in the
 * layout of our target description, where registers come from (a trap
 * frame, a switched-out thread's saved context), software breakpoints
 * written through a writable alias of kernel text, DR0-3 hardware
 * breakpoints and watchpoints, and single steps with interrupts masked.
 * Runs in the stopped state: interrupts off, one CPU.
 */
#pragma once

#include "gdbstub.h"
#include "trapframe.h"

/* gdb's amd64 register numbers (the order of gdb's 64bit-core.xml). */
enum gdb_x86_reg {
    GDB_RAX, GDB_RBX, GDB_RCX, GDB_RDX, GDB_RSI, GDB_RDI, GDB_RBP, GDB_RSP,
    GDB_R8, GDB_R9, GDB_R10, GDB_R11, GDB_R12, GDB_R13, GDB_R14, GDB_R15,
    GDB_RIP, GDB_EFLAGS, GDB_CS, GDB_SS, GDB_DS, GDB_ES, GDB_FS, GDB_GS,
    GDB_ST0, GDB_FCTRL = GDB_ST0 + 8, GDB_FOP = GDB_FCTRL + 7,
    GDB_FS_BASE, GDB_GS_BASE, GDB_CR0, GDB_CR2, GDB_CR3, GDB_CR4, GDB_EFER,
    GDB_NUM_REGS
};
#define GDB_REGS_BYTES 332           /* all of them in the `g` packet */

/* The registers gdb can see, whatever they are read from. */
struct gdb_x86_regs {
    uint64_t gpr[16];                /* in gdb order: rax rbx rcx rdx rsi rdi rbp rsp r8..r15 */
    uint64_t rip, rflags;
    uint16_t seg[6];                 /* cs ss ds es fs gs */
    uint64_t fs_base, gs_base;
    uint64_t cr0, cr2, cr3, cr4, efer;
};

/* Serialise r in the `g` layout into buf (GDB_REGS_BYTES); returns the size. */
int gdb_x86_regs_pack(const struct gdb_x86_regs *r, uint8_t *buf, size_t cap);
/* Take a `G` image (shorter images update a prefix); -1 if len is bad. */
int gdb_x86_regs_unpack(struct gdb_x86_regs *r, const uint8_t *buf, size_t len);
/* One register: size in bytes (value in buf), or -1 for an unknown number. */
int gdb_x86_reg_get(const struct gdb_x86_regs *r, unsigned regno, uint8_t *buf, size_t cap);
int gdb_x86_reg_set(struct gdb_x86_regs *r, unsigned regno, const uint8_t *buf, size_t len);
/* The XML target description (one self-contained document). */
const char *gdb_x86_target_xml(size_t *len);

/* The interrupted code's registers from a trap frame (+ live CRs, segments). */
void gdb_x86_regs_from_frame(struct gdb_x86_regs *r, const struct trap_frame *f);
/* Write back what gdb may change into the frame (GPRs, rip, rflags). */
void gdb_x86_regs_to_frame(const struct gdb_x86_regs *r, struct trap_frame *f);
/* A switched-out thread: callee-saved registers on its stack at saved_rsp
   (context_switch.asm), rip = where it will return to; the rest are 0. */
void gdb_x86_regs_from_switch(struct gdb_x86_regs *r, uint64_t saved_rsp);

/* Kernel memory that may be unmapped: 0 or -EFAULT (exception-table copy). */
int gdb_x86_read_mem(uint64_t addr, void *buf, size_t n);
/* Writes into kernel text go through its writable alias in the direct map. */
int gdb_x86_write_mem(uint64_t addr, const void *buf, size_t n);

/* Z0-Z4 / z0-z4 (gdbstub.h conventions). */
int gdb_x86_insert_bp(enum gdb_bp_type type, uint64_t addr, uint64_t kind);
int gdb_x86_remove_bp(enum gdb_bp_type type, uint64_t addr, uint64_t kind);
/* Remove every breakpoint (detach); kernel text is as it was. */
void gdb_x86_remove_all(void);

/* A #BP or #DB in f: fill *stop and return true when it is the stub's
   (a breakpoint it set, a compiled-in gdb_breakpoint(), its step, DR0-3). */
bool gdb_x86_classify_trap(struct trap_frame *f, struct gdb_stop *stop);
/* Prepare f for the return from the stopped state: step sets TF with IF
   masked, both set RF so an instruction breakpoint at rip is not hit again. */
void gdb_x86_resume(struct trap_frame *f, bool step);

/* A breakpoint compiled into the code: stops here when the stub is armed
   (never without: an int3 nobody handles is a kernel exception). A macro,
   not a function, so gdb shows the stop in the caller's own line; an
   expression, so it fits into one (exit_break.h). */
#define gdb_breakpoint() ({ __asm__ volatile("int3" ::: "memory"); })
