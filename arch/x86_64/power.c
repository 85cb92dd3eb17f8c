/*
 * Power-off for emulators. QEMU's isa-debug-exit device (iobase 0xf4,
 * width 1) exits QEMU with status (value << 1) | 1. Bochs exits when the
 * string "Shutdown" is written byte by byte to port 0x8900. On real hardware
 * (or an emulator with neither) we fall through and halt forever.
 */
#include "console.h"
#include "power.h"
#include "kprintf.h"
#include "serial.h"
#include "x86.h"

#define QEMU_DEBUG_EXIT_PORT 0xF4
#define BOCHS_SHUTDOWN_PORT 0x8900

NORETURN void power_off(uint8_t status)
{
    console_sync();   /* everything queued goes out before the last line */
    kprintf("power off (status %u)\n", status);
    cli();
    serial_flush();   /* the emulator exits at once: let the last line out */
    outb(QEMU_DEBUG_EXIT_PORT, status);
    for (const char *s = "Shutdown"; *s; s++)
        outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*s);
    for (;;)
        hlt();
}
