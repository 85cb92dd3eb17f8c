/*
 * VM-exit breakpoints: "stop at the next CPUID exit of vm 2" for gdb
 * (`monitor vmexit break`, sweb-vmexit) and for the shell (`vm break`, which
 * pauses the vCPU instead of the kernel). exit_dispatch checks one flag,
 * exit_break_armed, which is false while none is set: one predictable
 * branch on the exit path. Setting one also turns the CPUID fast path off,
 * so every exit goes through exit_dispatch.
 *
 * The table is changed by the stopped GDB stub or by a system call with
 * interrupts off, and read by vCPU threads in exit_dispatch (interrupts off,
 * one CPU), so no lock is needed.
 */
#pragma once

#include "gdb_arch.h"
#include "types.h"

struct vcpu;

#define EXIT_BREAK_ANY 0xFFFFu          /* reason: every exit */
#define EXIT_BREAK_MAX 8
#define EXIT_BREAK_TEXT 96

enum exit_break_filter { EXIT_FILTER_NONE, EXIT_FILTER_PORT, EXIT_FILTER_MSR, EXIT_FILTER_LEAF, EXIT_FILTER_GPA };
enum exit_break_owner { EXIT_BREAK_GDB, EXIT_BREAK_SHELL };

struct exit_break_spec {
    uint32_t reason;                    /* basic exit reason or EXIT_BREAK_ANY */
    int vm_id;                          /* 0: any VM */
    enum exit_break_filter filter;
    uint64_t value;                     /* the filter's port, MSR, leaf or GPA (page) */
    uint32_t count;                     /* stop at the count-th match (1 = the next) */
};

/* Parse "REASON [vm N] [count K] [port=N|msr=N|leaf=N|gpa=N]" (REASON a name
   as vmstat prints it, any case, a number, or "any"; numbers decimal or 0x).
   0, or -EINVAL with a message in err. Pure (exit_break_parse.c). */
int exit_break_parse(const char *text, struct exit_break_spec *out, char *err, size_t errsize);
/* "CPUID vm 1 leaf=0x1" for listings. */
void exit_break_format(const struct exit_break_spec *b, char *buf, size_t size);

/* True while any breakpoint is set. */
extern bool exit_break_armed;

/* Add one (one-shot: removed when it hits); -ENOSPC when the table is full. */
int exit_break_add(const struct exit_break_spec *b, enum exit_break_owner owner);
/* Remove the owner's breakpoints for vm_id (0: all of them); returns how many. */
int exit_break_clear(enum exit_break_owner owner, int vm_id);
/* Fill up to max entries of the table; returns how many. */
int exit_break_list(struct exit_break_spec *out, enum exit_break_owner *owners, int max);
/* Recompute exit_break_armed and the fast path after a change. */
void exit_break_rearm(void);

/* exit_dispatch, when armed: true when gdb should stop here; a shell
   breakpoint pauses v inside (until vm continue) and returns false. */
bool exit_break_hit(struct vcpu *v);
/* v was stopped in gdb for cycles TSC ticks: not the guest's time, so its
   time limit moves on by as much. */
void exit_break_stopped(struct vcpu *v, uint64_t cycles);
/* The check on the exit path: one predictable branch while nothing is set;
   on a hit for gdb a compiled-in int3 stops the kernel right here. An
   expression, so exit_dispatch can put it on the handler call's line. */
#define EXIT_BREAK_POINT(v) \
    ((void)(__builtin_expect(exit_break_armed, 0) && exit_break_hit(v) && (gdb_breakpoint(), 1)))
/* vm continue: resume v if it is paused. */
void exit_break_resume(struct vcpu *v);

/* One line about v's current exit: "CPUID leaf 0x1", "IO_INSTRUCTION out
   port 0xe9 size 1", ... (reads the VMCS: v's must be current). */
void exit_describe(struct vcpu *v, char *buf, size_t size);
