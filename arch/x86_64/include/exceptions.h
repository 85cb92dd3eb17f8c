/*
 * CPU exceptions (vectors 0-31, SDM Vol. 3A 6.3.1 Table 6-1).
 */
#pragma once

#include "trapframe.h"

#define EXC_DIVIDE_ERROR 0
#define EXC_DEBUG 1
#define EXC_NMI 2
#define EXC_BREAKPOINT 3
#define EXC_INVALID_OPCODE 6
#define EXC_DOUBLE_FAULT 8
#define EXC_GENERAL_PROTECTION 13
#define EXC_PAGE_FAULT 14
#define EXC_MACHINE_CHECK 18

/* Page-fault error code bits (SDM Vol. 3A 4.7 Figure 4-12). */
#define PF_PRESENT (1u << 0)       /* 0: page not present, 1: protection violation */
#define PF_WRITE (1u << 1)
#define PF_USER (1u << 2)
#define PF_RESERVED (1u << 3)      /* a reserved bit was set in a paging entry */
#define PF_FETCH (1u << 4)         /* instruction fetch */
#define PF_PKEY (1u << 5)
#define PF_SHADOW_STACK (1u << 6)

/* "#PF page fault" style name for any vector; "(not an exception)" past 31. */
const char *exception_name(unsigned vector);
/* Whether the CPU pushes an error code for this vector. */
bool exception_has_error_code(unsigned vector);
/* Human-readable decoding of an error code into buf (always NUL-terminated),
   e.g. "not-present write kernel" for #PF or "GDT selector 0x28" for #GP. */
void exception_describe_error(unsigned vector, uint64_t code, char *buf, size_t size);

/* Called by trap_dispatch for vectors 0-31 (interrupts off). Returns only
   if the fault was handled (user-access fixup, user process killed). */
void exception_handle(struct trap_frame *f);
