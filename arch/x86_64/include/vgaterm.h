/*
 * A small terminal on an 80x25 VGA text buffer: printing with wrap and
 * scroll, \n \r \b \t, and the VT100/ANSI sequences a shell uses
 * (ESC[nA/B/C/D, ESC[r;cH, ESC[nJ, ESC[nK, ESC[nP, ESC[n@, ESC[...m).
 * Unknown sequences are consumed and ignored. Pure logic on a cell array
 * (character | attribute << 8), so the host unit tests can run it; vga.c
 * points it at the real text buffer and moves the hardware cursor.
 * Not locked: the console serializes callers.
 */
#pragma once

#include "types.h"

#define VGA_COLS 80
#define VGA_ROWS 25
#define VGA_ATTR_DEFAULT 0x07    /* light grey on black */
#define VGATERM_MAX_PARAMS 4

enum vgaterm_state { VT_NORMAL, VT_ESC, VT_CSI };

struct vgaterm {
    uint16_t *cells;             /* VGA_ROWS * VGA_COLS */
    int row, col;                /* col == VGA_COLS: wrap pending */
    uint8_t attr;
    enum vgaterm_state state;
    bool csi_private;            /* ESC[? ... : accepted and ignored */
    int params[VGATERM_MAX_PARAMS];
    int nparams;
    uint32_t utf8_cp;            /* code point being decoded */
    int utf8_left;               /* continuation bytes still expected */
};

/* Attach t to cells, clear them, cursor home. */
void vgaterm_init(struct vgaterm *t, uint16_t *cells);
void vgaterm_putc(struct vgaterm *t, char c);
/* Where the hardware cursor belongs (column clamped to the screen). */
int vgaterm_cursor_offset(const struct vgaterm *t);
