/* Fatal kernel errors: print the reason, registers and a backtrace, halt. */
#pragma once

#include "types.h"

/* Print "*** KERNEL PANIC: reason", the caller's registers and a
   symbolized backtrace, then power off with POWER_EXIT_FAIL. Only for
   broken invariants, never for bad input. */
NORETURN void panic(const char *fmt, ...) PRINTF_LIKE(1, 2);

/* For fatal-error reporters (panic, kernel exception dumps): true for the
   first report; false if one is already running (the report itself
   failed), in which case the console is switched to its simplest mode and
   the caller should print one line and power off at once. */
bool panic_enter(void);

/* Kernel assertion: panics with the expression, file and line. */
#define kassert(cond)                                                            \
    do {                                                                         \
        if (!(cond))                                                             \
            panic("assertion failed: %s at %s:%d", #cond, __FILE__, __LINE__); \
    } while (0)
