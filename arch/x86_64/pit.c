/*
 * The periodic timer: PIT (Intel 8254) channel 0 in mode 2 (rate
 * generator) at TIMER_HZ, on IRQ 0. The PIT input clock is 1.193182 MHz.
 * Command port 0x43: bits 7:6 channel, 5:4 access (3 = low then high byte),
 * 3:1 mode. The tick counter is only written by the IRQ handler
 * (interrupts off); 64-bit loads are atomic on x86_64.
 */
#include "timer.h"
#include "irq.h"
#include "panic.h"
#include "sched.h"
#include "x86.h"

#define PIT_INPUT_HZ 1193182u
#define PIT_CHANNEL0 0x40
#define PIT_COMMAND 0x43
#define PIT_CMD_CH0_LOHI_RATE 0x34     /* channel 0, lo/hi byte, mode 2 */
#define PIT_DIVISOR ((PIT_INPUT_HZ + TIMER_HZ / 2) / TIMER_HZ)
#define NS_PER_TICK (1000000000ull / TIMER_HZ)

_Static_assert(PIT_DIVISOR > 1 && PIT_DIVISOR <= 65535, "TIMER_HZ out of the PIT's range");

static volatile uint64_t ticks;

static void timer_irq(struct trap_frame *f)
{
    UNUSED(f);
    ticks++;
    sched_tick();
}

void timer_init(void)
{
    outb(PIT_COMMAND, PIT_CMD_CH0_LOHI_RATE);
    outb(PIT_CHANNEL0, (uint8_t)(PIT_DIVISOR & 0xFF));
    outb(PIT_CHANNEL0, (uint8_t)(PIT_DIVISOR >> 8));
    if (irq_register(IRQ_TIMER, timer_irq) != 0)
        panic("timer: IRQ 0 already taken");
}

uint64_t timer_ticks(void) { return ticks; }
uint64_t timer_ns(void) { return ticks * NS_PER_TICK; }
