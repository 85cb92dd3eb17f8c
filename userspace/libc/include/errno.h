/* errno: the error number of the last failed libc call (values: uapi/errno.h). */
#pragma once

#include_next <errno.h>   /* the shared numbers in common/include/uapi */

extern int errno;

/* Symbolic name of an error number, e.g. "EFAULT" (NULL when unknown). */
const char *errno_name(int err);
