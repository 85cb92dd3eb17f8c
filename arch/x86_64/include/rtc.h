/* The host's own CMOS real-time clock (MC146818A at ports 0x70/0x71). */
#pragma once

#include "types.h"

struct rtc_time {
    unsigned year, month, day, hour, minute, second;
};

/* Read the host clock once (waits out an update in progress, BCD or binary,
   12 or 24 hours as status B says). Interrupts off or on. */
void rtc_read(struct rtc_time *t);
