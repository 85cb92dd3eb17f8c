/* open() and its flags (O_* values from uapi/abi.h). */
#pragma once

#include <unistd.h>
