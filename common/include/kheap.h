/*
 * Kernel heap: any size, 16-byte aligned. Every block carries a header with
 * a magic value and a trailing guard; kfree of a block twice, or of a block
 * whose header or guard was overwritten, panics with a clear message.
 */
#pragma once

#include "types.h"

void *kmalloc(size_t size);          /* NULL when memory is exhausted */
void *kzalloc(size_t size);
void *krealloc(void *p, size_t size);
void kfree(void *p);                 /* kfree(NULL) is a no-op */
size_t kheap_used_bytes(void);
