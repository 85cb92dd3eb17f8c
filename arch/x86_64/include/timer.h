/* The periodic timer (PIT channel 0 at TIMER_HZ). */
#pragma once

#include "types.h"

#define TIMER_HZ 100

void timer_init(void);
uint64_t timer_ticks(void);
/* Nanoseconds since the timer started (tick resolution). */
uint64_t timer_ns(void);
