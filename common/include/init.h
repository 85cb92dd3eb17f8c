/* The first thread: starts the terminal and the user shell. */
#pragma once

#include "types.h"

/* Set up processes and start the scheduler; the first thread spawns the
   program named by `init=` (default /bin/shell). Never returns. */
NORETURN void init_start(void);
