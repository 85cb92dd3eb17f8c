/*
 * Scancode set 1 decoding (see kbd_decode.h). A make code is the key
 * number, its break code the same with bit 7 set; 0xE0 prefixes the
 * extended keys (arrows, Home, End, Delete, right Ctrl, keypad Enter).
 */
#include "kbd_decode.h"

#define SC_RELEASE 0x80
#define SC_EXTENDED 0xE0
#define SC_CTRL 0x1D
#define SC_SHIFT_LEFT 0x2A
#define SC_SHIFT_RIGHT 0x36
#define SC_CAPS_LOCK 0x3A
#define SC_ENTER 0x1C

/* US layout, indexed by make code; 0 = no character. */
static const char plain[0x3A] = {
    0, 0x1B, '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=', 0x7F, '\t',
    'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']', '\r', 0, 'a', 's',
    'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0, '\\', 'z', 'x', 'c', 'v',
    'b', 'n', 'm', ',', '.', '/', 0, '*', 0, ' ',
};
static const char shifted[0x3A] = {
    0, 0x1B, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+', 0x7F, '\t',
    'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\r', 0, 'A', 'S',
    'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0, '|', 'Z', 'X', 'C', 'V',
    'B', 'N', 'M', '<', '>', '?', 0, '*', 0, ' ',
};

static int emit_string(const char *s, char *out)
{
    int n = 0;
    while (s[n]) {
        out[n] = s[n];
        n++;
    }
    return n;
}

/* Extended keys (after 0xE0): VT100 sequences, keypad Enter and '/'. */
static int decode_extended(uint8_t code, char *out)
{
    switch (code) {
    case 0x48: return emit_string("\x1b[A", out);   /* up */
    case 0x50: return emit_string("\x1b[B", out);   /* down */
    case 0x4D: return emit_string("\x1b[C", out);   /* right */
    case 0x4B: return emit_string("\x1b[D", out);   /* left */
    case 0x47: return emit_string("\x1b[H", out);   /* home */
    case 0x4F: return emit_string("\x1b[F", out);   /* end */
    case 0x53: return emit_string("\x1b[3~", out);  /* delete */
    case SC_ENTER: out[0] = '\r'; return 1;          /* keypad enter */
    case 0x35: out[0] = '/'; return 1;               /* keypad slash */
    default: return 0;
    }
}

static bool is_letter(char c) { return c >= 'a' && c <= 'z'; }

static int decode_plain(const struct kbd_state *s, uint8_t code, char *out)
{
    if (code >= sizeof(plain) || plain[code] == 0)
        return 0;
    char c = plain[code];
    bool shift = s->shift_left || s->shift_right;
    if (is_letter(c)) {
        if (s->ctrl) {
            out[0] = (char)(c - 'a' + 1);            /* Ctrl-A = 0x01 ... Ctrl-C = 0x03 */
            return 1;
        }
        if (shift != s->caps_lock)
            c = shifted[code];
    } else if (shift) {
        c = shifted[code];
    }
    out[0] = c;
    return 1;
}

/* Track modifier keys; true if code was one (press or release). */
static bool update_modifiers(struct kbd_state *s, uint8_t code, bool release, bool extended)
{
    switch (code) {
    case SC_CTRL: s->ctrl = !release; return true;  /* left, or right with 0xE0 */
    case SC_SHIFT_LEFT: if (!extended) s->shift_left = !release; return true;
    case SC_SHIFT_RIGHT: s->shift_right = !release; return true;
    case SC_CAPS_LOCK: if (!release) s->caps_lock = !s->caps_lock; return true;
    default: return false;
    }
}

int kbd_decode(struct kbd_state *s, uint8_t scancode, char *out)
{
    if (scancode == SC_EXTENDED) {
        s->extended = true;
        return 0;
    }
    bool extended = s->extended;
    s->extended = false;
    bool release = (scancode & SC_RELEASE) != 0;
    uint8_t code = scancode & (uint8_t)~SC_RELEASE;
    if (update_modifiers(s, code, release, extended) || release)
        return 0;
    return extended ? decode_extended(code, out) : decode_plain(s, code, out);
}
