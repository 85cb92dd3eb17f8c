/*
 * Host replacements for the kernel services that kernel sources under test
 * call: panic() and kprintf(). Include after <cmocka.h>'s prerequisites
 * (stdarg.h, stddef.h, stdint.h, setjmp.h) or let this header pull them in.
 *
 *   expect_panic(kfree(p));      // fails the test unless kfree(p) panics
 *   assert_non_null(strstr(host_panic_message, "double free"));
 *
 * A panic() outside expect_panic() fails the running test with the message.
 * kprintf() output goes to stdout and into host_console (the last
 * HOST_CONSOLE_SIZE - 1 bytes); host_console_clear() empties it.
 */
#pragma once

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define HOST_PANIC_MESSAGE_SIZE 512
#define HOST_CONSOLE_SIZE 8192

extern jmp_buf *host_panic_jump;
extern char host_panic_message[HOST_PANIC_MESSAGE_SIZE];
extern char host_console[HOST_CONSOLE_SIZE];

void host_console_clear(void);

#define expect_panic(stmt)                                                   \
    do {                                                                     \
        jmp_buf host_jb_;                                                    \
        host_panic_message[0] = '\0';                                        \
        host_panic_jump = &host_jb_;                                         \
        if (setjmp(host_jb_) == 0) {                                         \
            stmt;                                                            \
            host_panic_jump = NULL;                                          \
            fail_msg("expected a panic from: %s", #stmt);                    \
        }                                                                    \
        host_panic_jump = NULL;                                              \
    } while (0)
