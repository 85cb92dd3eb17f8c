/*
 * Access to user memory from system calls. User addresses are plain
 * uint64_t so they cannot be dereferenced by accident. Every function checks
 * that the whole range lies below USER_SPACE_END without wrapping around,
 * and recovers from page faults (unmapped or read-only pages): a bad
 * pointer gives -EFAULT, never a kernel crash. Thread context; the current
 * process's address space must be loaded (it is during a syscall).
 */
#pragma once

#include "types.h"

/* True when [addr, addr + n) is a user range (n == 0 is always fine). */
bool user_range_ok(uint64_t addr, size_t n);
/* Copy n bytes; 0 or -EFAULT. */
int copy_from_user(void *dst, uint64_t usrc, size_t n);
int copy_to_user(uint64_t udst, const void *src, size_t n);
/* Copy a NUL-terminated string into dst (size bytes, NUL included).
   Returns its length, -EFAULT, or -ENAMETOOLONG when it does not fit. */
int64_t strncpy_from_user(char *dst, uint64_t usrc, size_t size);
