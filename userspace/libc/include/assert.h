/* assert(cond): on failure print the condition and where, then abort(). */
#pragma once

_Noreturn void __assert_fail(const char *expr, const char *file, int line,
                             const char *func);

#define assert(cond) \
    ((cond) ? (void)0 : __assert_fail(#cond, __FILE__, __LINE__, __func__))
