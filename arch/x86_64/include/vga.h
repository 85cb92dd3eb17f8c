/* The VGA text-mode console (80x25 at physical 0xB8000), see vgaterm.h. */
#pragma once

#include "types.h"

/* Clear the screen and take it over; output before this goes to COM1 only. */
void vga_init(void);
/* Write n bytes through the terminal emulation; moves the cursor once. */
void vga_write(const char *s, size_t n);
bool vga_ready(void);
