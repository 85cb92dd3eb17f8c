/*
 * The kernel's GDB stub (kgdb-like) on COM2: `gdb=com2` on the kernel
 * command line arms it, `gdb=wait` also stops in kmain until gdb attaches.
 * The protocol is gdbstub.h, the CPU part gdb_arch.h, the kernel glue
 * common/debug/gdb_kernel.c; subsystems add threads (vCPUs) and `monitor`
 * commands through the registration calls below. See docs/debugging.md.
 */
#pragma once

#include "gdb_arch.h"
#include "trapframe.h"

#define GDB_IDLE_THREAD 0xFFFF          /* gdb id of the idle thread (kernel tid 0) */

/* Read gdb= from the command line; arm the stub on COM2 if asked. */
void gdb_init(void);
/* True once gdb= armed the stub. */
bool gdb_armed(void);
/* From the #BP/#DB handler: true when the trap was the stub's (it stopped,
   gdb resumed it, f is ready to return to). */
bool gdb_trap(struct trap_frame *f);
/* Text gdb prints when the next stop is reported (e.g. why it stopped). */
void gdb_announce(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* Stop in the caller (a compiled-in breakpoint) if the stub is armed. */
void gdb_stop_here(void);

/* Extra gdb threads (the vCPUs), each id >= first_id. Called stopped. */
struct gdb_thread_source {
    int (*list)(int *ids, int max);
    bool (*owns)(int tid);
    void (*info)(int tid, char *buf, size_t n);
    int (*get_regs)(int tid, struct gdb_x86_regs *r);
    int (*set_regs)(int tid, const struct gdb_x86_regs *r);
    int (*read_mem)(int tid, uint64_t addr, void *buf, size_t n);
    int (*write_mem)(int tid, uint64_t addr, const void *buf, size_t n);
    /* gdb resumed the kernel after stopped_cycles TSC ticks (breakpoints may have changed) */
    void (*resumed)(uint64_t stopped_cycles);
    void (*detached)(void);              /* gdb left: drop what it set */
};
void gdb_add_thread_source(const struct gdb_thread_source *src);

/* A `monitor NAME ARGS` command; run stopped, output with gdb_session_console. */
struct gdb_monitor_cmd {
    const char *name;
    const char *usage;
    void (*run)(struct gdb_session *s, const char *args);
};
void gdb_add_monitor_cmd(const struct gdb_monitor_cmd *cmd);
/* printf into gdb's console (monitor output). */
void gdb_printf(struct gdb_session *s, const char *fmt, ...) PRINTF_LIKE(2, 3);
