/* PS/2 keyboard on IRQ 1: decoded bytes go to console_input_push. */
#pragma once

/* Flush the controller, make sure IRQ 1 and scancode translation are on,
   register the IRQ handler. */
void keyboard_init(void);
