/*
 * Backtraces by walking the frame-pointer chain (the kernel is built with
 * -fno-omit-frame-pointer): at every frame, [rbp] holds the caller's rbp
 * and [rbp + 8] the return address into the caller.
 */
#pragma once

#include "types.h"

#define BACKTRACE_MAX_DEPTH 32
/* Largest distance between two consecutive frames we believe. */
#define BACKTRACE_MAX_FRAME_SPAN (1024 * 1024)

/* Reads one quadword; false when addr must not or cannot be read. */
typedef bool (*backtrace_reader)(uint64_t addr, uint64_t *value);

/* Collect out[0] = rip, then the return address of each frame of the rbp
   chain. Stops at rbp 0, a misaligned or non-increasing rbp, a jump larger
   than BACKTRACE_MAX_FRAME_SPAN, an unreadable word, a zero return address,
   or after max entries. Returns the number of entries written. */
size_t backtrace_collect(uint64_t rip, uint64_t rbp, backtrace_reader read,
                         uint64_t *out, size_t max);

/* Print "backtrace:" and one line per frame: "  #N 0x... name+0xoff",
   starting at rip (where execution stopped) and following rbp. */
void backtrace_print(uint64_t rip, uint64_t rbp);
/* The same, starting at a return address ret (e.g. panic()'s caller). */
void backtrace_print_from_call(uint64_t ret, uint64_t rbp);
/* The same for an interrupted context (exception dumps): also finds the
   caller of a leaf function that runs without a frame of its own. */
void backtrace_print_trap(uint64_t rip, uint64_t rsp, uint64_t rbp);
