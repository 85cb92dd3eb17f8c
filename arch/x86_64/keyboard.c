/*
 * PS/2 keyboard through the 8042 controller: data port 0x60, status/command
 * port 0x64 (status bit 0: output buffer full, bit 1: input buffer full).
 * Controller configuration byte (commands 0x20 read / 0x60 write): bit 0
 * enables IRQ 1, bit 6 translates to scancode set 1. The IRQ handler runs
 * with interrupts off and drains every byte the controller holds.
 */
#include "keyboard.h"
#include "console_input.h"
#include "irq.h"
#include "kbd_decode.h"
#include "panic.h"
#include "x86.h"

#define KBD_DATA 0x60
#define KBD_STATUS 0x64
#define KBD_COMMAND 0x64
#define STATUS_OUTPUT_FULL 0x01
#define STATUS_INPUT_FULL 0x02
#define STATUS_FROM_MOUSE 0x20
#define CMD_READ_CONFIG 0x20
#define CMD_WRITE_CONFIG 0x60
#define CONFIG_IRQ1 0x01
#define CONFIG_TRANSLATE 0x40
#define CONTROLLER_SPINS 100000

static struct kbd_state state;

/* Wait until the controller can take a byte; false on timeout (no 8042). */
static bool wait_input_empty(void)
{
    for (int i = 0; i < CONTROLLER_SPINS; i++)
        if (!(inb(KBD_STATUS) & STATUS_INPUT_FULL))
            return true;
    return false;
}

static bool wait_output_full(void)
{
    for (int i = 0; i < CONTROLLER_SPINS; i++)
        if (inb(KBD_STATUS) & STATUS_OUTPUT_FULL)
            return true;
    return false;
}

static void flush_output(void)
{
    for (int i = 0; i < 32 && (inb(KBD_STATUS) & STATUS_OUTPUT_FULL); i++)
        inb(KBD_DATA);
}

/* Turn on IRQ 1 and set-1 translation in the configuration byte. */
static void enable_irq_and_translation(void)
{
    if (!wait_input_empty())
        return;
    outb(KBD_COMMAND, CMD_READ_CONFIG);
    if (!wait_output_full())
        return;
    uint8_t config = inb(KBD_DATA) | CONFIG_IRQ1 | CONFIG_TRANSLATE;
    if (!wait_input_empty())
        return;
    outb(KBD_COMMAND, CMD_WRITE_CONFIG);
    if (!wait_input_empty())
        return;
    outb(KBD_DATA, config);
}

static void keyboard_irq(struct trap_frame *f)
{
    UNUSED(f);
    uint8_t status;
    while ((status = inb(KBD_STATUS)) & STATUS_OUTPUT_FULL) {
        uint8_t code = inb(KBD_DATA);
        if (status & STATUS_FROM_MOUSE)
            continue;
        char out[KBD_MAX_OUTPUT];
        int n = kbd_decode(&state, code, out);
        for (int i = 0; i < n; i++)
            console_input_push(out[i]);
    }
}

void keyboard_init(void)
{
    flush_output();
    enable_irq_and_translation();
    flush_output();
    if (irq_register(IRQ_KEYBOARD, keyboard_irq) != 0)
        panic("keyboard: IRQ 1 already taken");
}
