/* Loading ELF64 executables into a new process (elf.h has the validation). */
#pragma once

#include "types.h"

struct process;

/* Validate file (len bytes) and map its segments into p. On success *entry
   is the entry point and *image_end the first page after the highest
   segment. Negative errno as elf_validate, or -ENOMEM; on failure the
   caller tears p down (p->segments records what was mapped). */
int elf_load(struct process *p, const void *file, size_t len, uint64_t *entry, uint64_t *image_end);
