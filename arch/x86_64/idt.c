/*
 * IDT setup and the common C dispatcher of all interrupt stubs
 * (SDM Vol. 3A 6.10 IDT, 6.14.1 64-bit interrupt gates). idt_init runs once
 * at boot with interrupts off; trap_dispatch runs with interrupts off on the
 * stack of the interrupted thread (or an IST stack, see gdt.h).
 */
#include "idt.h"
#include "exceptions.h"
#include "gdt.h"
#include "irq.h"
#include "kprintf.h"

#define GATE_INTERRUPT 0xE      /* 64-bit interrupt gate: clears IF */
#define GATE_PRESENT 0x80

struct PACKED idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;                /* bits 2:0: IST slot, 0 = no stack switch */
    uint8_t type_attr;          /* P | DPL | 0 | type */
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
};
_Static_assert(sizeof(struct idt_gate) == 16, "64-bit IDT gate is 16 bytes (SDM Vol. 3A Figure 6-8)");

struct PACKED idt_pointer {
    uint16_t limit;
    uint64_t base;
};

extern const uint64_t isr_stub_table[IDT_STUBS];

static struct idt_gate idt[256] __attribute__((aligned(16)));

static void idt_set_gate(unsigned vector, uint64_t handler, uint8_t ist)
{
    idt[vector] = (struct idt_gate){
        .offset_low = (uint16_t)handler,
        .selector = SEL_KERNEL_CODE,
        .ist = ist,
        .type_attr = GATE_PRESENT | GATE_INTERRUPT,
        .offset_mid = (uint16_t)(handler >> 16),
        .offset_high = (uint32_t)(handler >> 32),
    };
}

/* Which IST stack a vector uses: the aborts that may hit a broken stack. */
static uint8_t idt_ist_for(unsigned vector)
{
    switch (vector) {
    case 2: return IST_NMI;
    case 8: return IST_DOUBLE_FAULT;
    case 18: return IST_MACHINE_CHECK;
    default: return 0;
    }
}

void idt_init(void)
{
    for (unsigned v = 0; v < IDT_STUBS; v++)
        idt_set_gate(v, isr_stub_table[v], idt_ist_for(v));
    struct idt_pointer idtr = {idt_limit(), (uint64_t)idt};
    __asm__ volatile("lidt %0" ::"m"(idtr));
}

uint64_t idt_base(void) { return (uint64_t)idt; }
uint16_t idt_limit(void) { return (uint16_t)(sizeof(idt) - 1); }

void trap_dispatch(struct trap_frame *f)
{
    if (f->vector < IDT_EXCEPTIONS)
        exception_handle(f);
    else if (f->vector < IDT_STUBS)
        irq_handle(f);
    else
        kprintf("trap: unexpected vector %lu ignored\n", f->vector);
}
