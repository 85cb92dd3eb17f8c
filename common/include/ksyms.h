/*
 * The kernel's own symbol table, generated from the first link of the
 * kernel (utils/gen_ksyms.sh) and linked into the final image, so that
 * backtraces carry function names without any help from the boot loader.
 */
#pragma once

#include "types.h"

struct ksym {
    uint64_t addr;    /* start of the function */
    const char *name;
};

/* Sorted by address; ksyms_count entries. */
extern const struct ksym ksyms_table[];
extern const uint64_t ksyms_count;

/* Name of the function containing addr (NULL if none) and the offset into it. */
const char *ksym_lookup(uint64_t addr, uint64_t *offset);
