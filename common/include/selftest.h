/*
 * In-kernel self tests, selected with `selftest=NAME` on the kernel command
 * line. Each file registers its tests with SELFTEST(); the table is collected
 * by the linker (section .selftests), so no central list needs editing.
 * A test prints its own result lines; the runner powers off afterwards with
 * the status the test returned (0 = pass).
 */
#pragma once

#include "types.h"

struct selftest {
    const char *name;
    int (*run)(void);      /* 0 on success */
};

#define SELFTEST(tname, fn)                                                  \
    static const struct selftest selftest_##fn                              \
        __attribute__((used, section(".selftests"), aligned(16))) = {tname, fn}

/* A test case's first failure, for its "FAILED (why)" line: selftest_fail
   records the message and returns -1, so `return selftest_fail(...)` ends a
   case; the message may name the previous one (selftest_failure()). */
int selftest_fail(const char *fmt, ...) PRINTF_LIKE(1, 2);
const char *selftest_failure(void);
void selftest_failure_clear(void);

#define SELFTEST_CHECK(cond, ...)              \
    do {                                       \
        if (!(cond))                           \
            return selftest_fail(__VA_ARGS__); \
    } while (0)

/* Run the test named by `selftest=` if there is one; returns if there is none. */
void selftest_run_from_cmdline(void);
