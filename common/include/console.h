/* The kernel console: output fans out to every sink (COM1, VGA), at once
   during boot and asynchronously through a ring once threads run
   (console.c says how). */
#pragma once

#include "types.h"

/* COM1 and VGA ready for output (no interrupts needed). */
void console_init(void);
void console_putc(char c);
/* Write n bytes; waits for room when the ring is full (sleeps if
   interrupts are on, else moves bytes out itself). Keeps the bytes of one
   call together and in order with every other call. */
void console_write(const char *s, size_t n);
/* All n bytes into the ring if they fit now (true), else nothing (false);
   never waits. For output made where waiting is not allowed (VM exits). */
bool console_try_write(const char *s, size_t n);
/* Sleep until n bytes fit or ms milliseconds passed; true if they fit.
   Thread context, interrupts on. */
bool console_wait_room(size_t n, uint64_t ms);
/* From now on asynchronous: COM1 by its transmit interrupt, VGA by a
   console thread (sched_start calls this once threads exist). */
void console_start_async(void);
/* Write out everything still queued, polled, and stay synchronous: for a
   panic, an exception report and power-off. Any context. */
void console_sync(void);
/* From now on COM1 only: used when a crash report itself faults. */
void console_emergency(void);
