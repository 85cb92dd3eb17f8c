/* Scheduler entry points used by the interrupt code. */
#pragma once

#include "types.h"

/* Start scheduling: the boot code becomes the idle thread. Never returns. */
NORETURN void sched_start(void (*first)(void *), void *arg);
/* Called by the timer interrupt once per tick (interrupts off). */
void sched_tick(void);
/* Called at the end of every interrupt, after EOI, with interrupts off:
   switches threads if the current one's time slice is used up. */
void sched_preempt_point(void);
/* True once sched_start has run. */
bool sched_running(void);
