/* Fatal kernel errors: print the reason, registers and a backtrace, halt. */
#pragma once

#include "types.h"

NORETURN void panic(const char *fmt, ...) PRINTF_LIKE(1, 2);

/* Kernel assertion: panics with the expression, file and line. */
#define kassert(cond)                                                            \
    do {                                                                         \
        if (!(cond))                                                             \
            panic("assertion failed: %s at %s:%d", #cond, __FILE__, __LINE__); \
    } while (0)
