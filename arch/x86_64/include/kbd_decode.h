/*
 * Scancode set 1 (what the 8042 delivers with translation on) to bytes.
 * Letters honour Shift and Caps Lock, Ctrl+letter gives 0x01-0x1A
 * (Ctrl-C = 0x03), Backspace gives 0x7F, Enter '\r' (like a serial
 * terminal), and the extended keys give VT100 sequences: arrows ESC[A/B/C/D,
 * Home ESC[H, End ESC[F, Delete ESC[3~. Pure logic (host unit tests).
 */
#pragma once

#include "types.h"

#define KBD_MAX_OUTPUT 4   /* longest output of one scancode: ESC [ 3 ~ */

struct kbd_state {
    bool shift_left, shift_right, ctrl, caps_lock;
    bool extended;         /* an 0xE0 prefix came before */
};

/* Feed one scancode byte; writes 0..KBD_MAX_OUTPUT bytes to out and
   returns their number. */
int kbd_decode(struct kbd_state *s, uint8_t scancode, char *out);
