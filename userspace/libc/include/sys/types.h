/* Basic system types of the SWEB-VX userspace. */
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef long ssize_t;
typedef int pid_t;
typedef int64_t off_t;
