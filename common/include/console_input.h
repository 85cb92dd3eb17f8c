/* Console input: bytes from the PS/2 keyboard and COM1 land in one queue.
   Keys that are not bytes (arrows, Home, End, Delete) arrive as their
   VT100 escape sequences, so the shell sees the same from both. Enter
   arrives as '\n' ('\r' and "\r\n" are translated); Backspace on the
   keyboard is 0x7F like on most serial terminals; Ctrl-C is 0x03. */
#pragma once

#include "types.h"

/* Called from interrupt handlers. */
void console_input_push(char c);
/* Block until a byte is available. */
char console_getc(void);
/* Non-blocking; -1 when empty. */
int console_trygetc(void);
