/*
 * Terminal emulation on a VGA text buffer (see vgaterm.h). The escape
 * parser is a three-state machine: NORMAL -> ESC on 0x1B, ESC -> CSI on
 * '[', CSI collects decimal parameters separated by ';' until a final
 * byte 0x40-0x7E executes the command. Pure logic, no hardware access.
 */
#include "vgaterm.h"

#define CSI_PARAM_MAX 9999

/* ANSI colour number (0 black, 1 red, ... 7 white) -> VGA palette index. */
static const uint8_t ansi_to_vga[8] = {0, 4, 2, 6, 1, 5, 3, 7};

static uint16_t blank(const struct vgaterm *t) { return (uint16_t)(' ' | (t->attr << 8)); }

static void fill(struct vgaterm *t, int from, int to)
{
    for (int i = from; i < to; i++)
        t->cells[i] = blank(t);
}

static void scroll_up(struct vgaterm *t)
{
    for (int i = 0; i < (VGA_ROWS - 1) * VGA_COLS; i++)
        t->cells[i] = t->cells[i + VGA_COLS];
    fill(t, (VGA_ROWS - 1) * VGA_COLS, VGA_ROWS * VGA_COLS);
}

static void newline(struct vgaterm *t)
{
    t->col = 0;
    if (++t->row == VGA_ROWS) {
        scroll_up(t);
        t->row = VGA_ROWS - 1;
    }
}

static int clamp(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

void vgaterm_init(struct vgaterm *t, uint16_t *cells)
{
    *t = (struct vgaterm){.cells = cells, .attr = VGA_ATTR_DEFAULT, .state = VT_NORMAL};
    fill(t, 0, VGA_ROWS * VGA_COLS);
}

int vgaterm_cursor_offset(const struct vgaterm *t)
{
    return t->row * VGA_COLS + clamp(t->col, 0, VGA_COLS - 1);
}

/* First parameter, with `def` for a missing or zero one (VT100 counts). */
static int param_count(const struct vgaterm *t, int i, int def)
{
    return (i < t->nparams && t->params[i] > 0) ? t->params[i] : def;
}

static void erase_display(struct vgaterm *t, int mode)
{
    int cur = t->row * VGA_COLS + clamp(t->col, 0, VGA_COLS - 1);
    if (mode == 0)
        fill(t, cur, VGA_ROWS * VGA_COLS);
    else if (mode == 1)
        fill(t, 0, cur + 1);
    else if (mode == 2 || mode == 3)
        fill(t, 0, VGA_ROWS * VGA_COLS);
}

static void erase_line(struct vgaterm *t, int mode)
{
    int start = t->row * VGA_COLS, col = clamp(t->col, 0, VGA_COLS - 1);
    if (mode == 0)
        fill(t, start + col, start + VGA_COLS);
    else if (mode == 1)
        fill(t, start, start + col + 1);
    else if (mode == 2)
        fill(t, start, start + VGA_COLS);
}

/* ESC[nP: delete n characters at the cursor, the rest of the line moves left. */
static void delete_chars(struct vgaterm *t, int n)
{
    int col = clamp(t->col, 0, VGA_COLS - 1), start = t->row * VGA_COLS;
    n = clamp(n, 1, VGA_COLS - col);
    for (int c = col; c + n < VGA_COLS; c++)
        t->cells[start + c] = t->cells[start + c + n];
    fill(t, start + VGA_COLS - n, start + VGA_COLS);
}

/* ESC[n@: insert n blanks at the cursor, the rest of the line moves right. */
static void insert_chars(struct vgaterm *t, int n)
{
    int col = clamp(t->col, 0, VGA_COLS - 1), start = t->row * VGA_COLS;
    n = clamp(n, 1, VGA_COLS - col);
    for (int c = VGA_COLS - 1; c >= col + n; c--)
        t->cells[start + c] = t->cells[start + c - n];
    fill(t, start + col, start + col + n);
}

static void select_graphic_rendition(struct vgaterm *t)
{
    if (t->nparams == 0)
        t->attr = VGA_ATTR_DEFAULT;
    for (int i = 0; i < t->nparams; i++) {
        int p = t->params[i];
        if (p == 0)
            t->attr = VGA_ATTR_DEFAULT;
        else if (p == 1)
            t->attr |= 0x08;                                    /* bright foreground */
        else if (p >= 30 && p <= 37)
            t->attr = (uint8_t)((t->attr & 0xF8) | ansi_to_vga[p - 30]);
        else if (p == 39)
            t->attr = (uint8_t)((t->attr & 0xF8) | (VGA_ATTR_DEFAULT & 0x07));
        else if (p >= 40 && p <= 47)
            t->attr = (uint8_t)((t->attr & 0x0F) | (ansi_to_vga[p - 40] << 4));
        else if (p == 49)
            t->attr &= 0x0F;
    }
}

static void csi_execute(struct vgaterm *t, char final)
{
    if (t->csi_private)
        return;                     /* e.g. ESC[?25l: cursor visibility, ignored */
    int n = param_count(t, 0, 1);
    int col = clamp(t->col, 0, VGA_COLS - 1);
    switch (final) {
    case 'A': t->row = clamp(t->row - n, 0, VGA_ROWS - 1); t->col = col; break;
    case 'B': t->row = clamp(t->row + n, 0, VGA_ROWS - 1); t->col = col; break;
    case 'C': t->col = clamp(col + n, 0, VGA_COLS - 1); break;
    case 'D': t->col = clamp(col - n, 0, VGA_COLS - 1); break;
    case 'H':
    case 'f':
        t->row = clamp(param_count(t, 0, 1) - 1, 0, VGA_ROWS - 1);
        t->col = clamp(param_count(t, 1, 1) - 1, 0, VGA_COLS - 1);
        break;
    case 'J': erase_display(t, t->nparams ? t->params[0] : 0); break;
    case 'K': erase_line(t, t->nparams ? t->params[0] : 0); break;
    case 'P': delete_chars(t, n); break;
    case '@': insert_chars(t, n); break;
    case 'm': select_graphic_rendition(t); break;
    default: break;                 /* unknown command: ignored */
    }
}

/* One byte inside ESC[ ... */
static void csi_byte(struct vgaterm *t, char c)
{
    if (c >= '0' && c <= '9') {
        if (t->nparams == 0)
            t->nparams = 1;
        int *p = &t->params[t->nparams - 1];
        *p = *p * 10 + (c - '0');
        if (*p > CSI_PARAM_MAX)
            *p = CSI_PARAM_MAX;
    } else if (c == ';') {
        if (t->nparams == 0)
            t->nparams = 1;         /* ";5H": the empty first parameter is 0 */
        if (t->nparams < VGATERM_MAX_PARAMS)
            t->params[t->nparams++] = 0;
    } else if (c == '?' || c == '>' || c == '=') {
        t->csi_private = true;
    } else if (c >= 0x40 && c <= 0x7E) {
        csi_execute(t, c);
        t->state = VT_NORMAL;
    } else if (c >= 0x20 && c <= 0x2F) {
        /* intermediate bytes: keep collecting, the command is ignored later */
        t->csi_private = true;
    } else {
        t->state = VT_NORMAL;       /* control character: abandon the sequence */
    }
}

static void put_printable(struct vgaterm *t, char c)
{
    if (t->col >= VGA_COLS)
        newline(t);                 /* the pending wrap happens now */
    t->cells[t->row * VGA_COLS + t->col] = (uint16_t)((uint8_t)c | (t->attr << 8));
    t->col++;
}

static void control_char(struct vgaterm *t, char c)
{
    switch (c) {
    case '\n': newline(t); break;
    case '\r': t->col = 0; break;
    case '\b':
        t->col = clamp(t->col, 0, VGA_COLS - 1);
        if (t->col > 0)
            t->col--;
        break;
    case '\t':
        if (t->col >= VGA_COLS)
            newline(t);
        t->col = MIN((t->col + 8) & ~7, VGA_COLS - 1);
        break;
    case 0x1B: t->state = VT_ESC; break;
    default: break;                 /* bell and other controls: nothing to show */
    }
}

/* The VGA font is code page 437, not Unicode: show the punctuation our
   own messages use (dashes, quotes) as ASCII and anything else as '?'. */
static char utf8_to_ascii(uint32_t cp)
{
    switch (cp) {
    case 0x2013: case 0x2014: case 0x2212: return '-';
    case 0x2018: case 0x2019: return '\'';
    case 0x201C: case 0x201D: return '"';
    case 0x2192: return '>';
    default: return '?';
    }
}

/* Feed one byte >= 0x80; returns the character to show, or 0 while a
   sequence is incomplete. */
static char utf8_byte(struct vgaterm *t, uint8_t b)
{
    if ((b & 0xC0) == 0x80) {
        if (t->utf8_left == 0)
            return '?';             /* stray continuation byte */
        t->utf8_cp = (t->utf8_cp << 6) | (b & 0x3F);
        return --t->utf8_left ? 0 : utf8_to_ascii(t->utf8_cp);
    }
    int extra = (b & 0xE0) == 0xC0 ? 1 : (b & 0xF0) == 0xE0 ? 2 : (b & 0xF8) == 0xF0 ? 3 : 0;
    if (!extra)
        return '?';
    t->utf8_left = extra;
    t->utf8_cp = b & (0x3F >> extra);
    return 0;
}

void vgaterm_putc(struct vgaterm *t, char c)
{
    switch (t->state) {
    case VT_ESC:
        if (c == '[') {
            t->state = VT_CSI;
            t->nparams = 0;
            t->csi_private = false;
            for (int i = 0; i < VGATERM_MAX_PARAMS; i++)
                t->params[i] = 0;
        } else {
            t->state = VT_NORMAL;   /* two-byte sequences (ESC c, ESC 7, ...) ignored */
        }
        return;
    case VT_CSI:
        csi_byte(t, c);
        return;
    case VT_NORMAL:
        break;
    }
    if ((uint8_t)c >= 0x80) {
        char shown = utf8_byte(t, (uint8_t)c);
        if (shown)
            put_printable(t, shown);
        return;
    }
    t->utf8_left = 0;
    if ((uint8_t)c < 0x20 || c == 0x7F)
        control_char(t, c);
    else
        put_printable(t, c);
}
