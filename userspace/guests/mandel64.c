/*
 * mandel64.elf - ASCII Mandelbrot set in a 64-bit C guest.
 *
 * Fixed-point arithmetic (FRAC fraction bits in an int64_t) instead of
 * floating point: the guests are built without SSE and the hypervisor does
 * not enable it for them. The picture is deterministic, so the system test
 * compares it byte for byte.
 *
 * Run: vm run /guests/mandel64.elf
 * Output: ROWS lines of up to COLS characters (no trailing blanks), then "vmN stopped: exit code 0".
 * Exits: ROWS + 1 VMCALL (one write per line, one exit).
 */
#include "guest.h"

#define FRAC 16                      /* fixed point: value * 2^16 */
#define ONE ((int64_t)1 << FRAC)
#define COLS 64
#define ROWS 24
#define MAX_ITER 40

/* Fixed-point product of two values. */
static int64_t fmul(int64_t a, int64_t b)
{
    return (a * b) / ONE;
}

/* Number of iterations before z = z^2 + c leaves the radius-2 circle. */
static int escape_time(int64_t cr, int64_t ci)
{
    int64_t zr = 0, zi = 0;
    for (int i = 0; i < MAX_ITER; i++) {
        int64_t zr2 = fmul(zr, zr), zi2 = fmul(zi, zi);
        if (zr2 + zi2 > 4 * ONE)
            return i;
        zi = 2 * fmul(zr, zi) + ci;
        zr = zr2 - zi2 + cr;
    }
    return MAX_ITER;
}

/* Character for an escape time: darker = slower escape, '@' = inside. */
static char shade(int iterations)
{
    static const char ramp[] = " .:-=+*#%";
    if (iterations >= MAX_ITER)
        return '@';
    return ramp[iterations * (int)(sizeof(ramp) - 1) / MAX_ITER];
}

/* Compute one row of the picture; print it without trailing blanks. */
static void draw_row(int64_t ci)
{
    /* the view's real part: -2.0 .. 0.5 */
    const int64_t re_min = -2 * ONE, re_span = ONE * 5 / 2;
    char row[COLS];
    int end = 0;                     /* one past the last non-blank */
    for (int col = 0; col < COLS; col++) {
        int64_t cr = re_min + re_span * col / (COLS - 1);
        row[col] = shade(escape_time(cr, ci));
        if (row[col] != ' ')
            end = col + 1;
    }
    for (int col = 0; col < end; col++)
        guest_putchar(row[col]);
    guest_putchar('\n');
}

int guest_main(uint64_t vcpu_index)
{
    /* the view's imaginary part: -1.1 .. 1.1 */
    const int64_t im_min = -ONE * 11 / 10, im_span = ONE * 22 / 10;
    for (int row = 0; row < ROWS; row++)
        draw_row(im_min + im_span * row / (ROWS - 1));
    (void)vcpu_index;
    return 0;
}
