/* Leaving the emulator with an exit status, for tests and `shutdown`. */
#pragma once

#include "types.h"

/* Exit status conventions used by the test harness. */
#define POWER_EXIT_OK 0x10     /* QEMU exits with (0x10 << 1) | 1 = 33 */
#define POWER_EXIT_FAIL 0x11   /* QEMU exits with 35 */

NORETURN void power_off(uint8_t status);
