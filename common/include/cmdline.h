/*
 * The kernel command line from the boot loader, split into words. A word is
 * `key=value` or a bare `key` (whose value is ""). Later words win.
 */
#pragma once

#include "types.h"

#define CMDLINE_MAX 512
#define CMDLINE_MAX_WORDS 32

void cmdline_init(const char *raw);
/* Value of key, "" for a bare key, NULL when absent. */
const char *cmdline_get(const char *key);
bool cmdline_has(const char *key);
/* Numeric value of key (decimal or 0x hex), or dflt when absent or malformed. */
uint64_t cmdline_get_u64(const char *key, uint64_t dflt);
const char *cmdline_raw(void);
