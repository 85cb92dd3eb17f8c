/*
 * VGA text console: the terminal logic is vgaterm.c; this file owns the
 * hardware, the text buffer at physical 0xB8000 (reached through the direct
 * map) and the CRT controller's cursor registers (index port 0x3D4, data
 * port 0x3D5; 0x0A/0x0B cursor shape, 0x0E/0x0F cursor location).
 * Callers serialize (console.c disables interrupts around output).
 */
#include "vga.h"
#include "paging.h"
#include "vgaterm.h"
#include "x86.h"

#define VGA_TEXT_PHYS 0xB8000
#define CRTC_INDEX 0x3D4
#define CRTC_DATA 0x3D5
#define CRTC_CURSOR_START 0x0A
#define CRTC_CURSOR_END 0x0B
#define CRTC_CURSOR_HIGH 0x0E
#define CRTC_CURSOR_LOW 0x0F

static struct vgaterm term;
static bool ready;

static void crtc_write(uint8_t index, uint8_t value)
{
    outb(CRTC_INDEX, index);
    outb(CRTC_DATA, value);
}

static void vga_move_cursor(void)
{
    uint16_t pos = (uint16_t)vgaterm_cursor_offset(&term);
    crtc_write(CRTC_CURSOR_HIGH, (uint8_t)(pos >> 8));
    crtc_write(CRTC_CURSOR_LOW, (uint8_t)pos);
}

void vga_init(void)
{
    vgaterm_init(&term, phys_to_virt(VGA_TEXT_PHYS));
    crtc_write(CRTC_CURSOR_START, 14);   /* underline cursor: scan lines 14..15, enabled */
    crtc_write(CRTC_CURSOR_END, 15);
    vga_move_cursor();
    ready = true;
}

bool vga_ready(void) { return ready; }

void vga_write(const char *s, size_t n)
{
    if (!ready)
        return;
    for (size_t i = 0; i < n; i++)
        vgaterm_putc(&term, s[i]);
    vga_move_cursor();
}
