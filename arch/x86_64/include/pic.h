/* The two cascaded 8259A interrupt controllers, remapped to vectors 32-47. */
#pragma once

#include "types.h"

/* Remap both PICs to IRQ_VECTOR_BASE and mask every line. */
void pic_init(void);
void pic_mask(unsigned irq);
void pic_unmask(unsigned irq);
/* Acknowledge irq (to the slave and the master for irq >= 8). */
void pic_eoi(unsigned irq);
/* For IRQ 7 and 15: true if the PIC did not really raise it (ISR bit clear).
   A spurious IRQ 15 still needs an EOI to the master, which this sends. */
bool pic_is_spurious(unsigned irq);
