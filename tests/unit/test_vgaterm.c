/* Unit tests for the VGA text terminal (arch/x86_64/vgaterm.c): printing,
   wrap, scroll, control characters and the VT100 sequences the shell uses. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "vgaterm.h"

static uint16_t cells[VGA_ROWS * VGA_COLS];
static struct vgaterm term;

static void put(const char *s)
{
    while (*s)
        vgaterm_putc(&term, *s++);
}

/* The characters of one row, trailing blanks removed. */
static const char *row_text(int row)
{
    static char buf[VGA_COLS + 1];
    int n = 0;
    for (int c = 0; c < VGA_COLS; c++)
        buf[n++] = (char)(cells[row * VGA_COLS + c] & 0xFF);
    while (n > 0 && buf[n - 1] == ' ')
        n--;
    buf[n] = '\0';
    return buf;
}

static int setup(void **state)
{
    (void)state;
    memset(cells, 0xAB, sizeof(cells));
    vgaterm_init(&term, cells);
    return 0;
}

static void test_init_clears_with_default_attribute(void **state)
{
    (void)state;
    assert_int_equal(cells[0], 0x0720);
    assert_int_equal(cells[VGA_ROWS * VGA_COLS - 1], 0x0720);
    assert_int_equal(vgaterm_cursor_offset(&term), 0);
}

static void test_text_newline_carriage_return_backspace(void **state)
{
    (void)state;
    put("hello\nworld\rW\b\bX");
    /* \r back to col 0, 'W' overwrites 'w', two backspaces stop at col 0,
       'X' overwrites 'W' */
    assert_string_equal(row_text(0), "hello");
    assert_string_equal(row_text(1), "Xorld");
    assert_int_equal(vgaterm_cursor_offset(&term), VGA_COLS + 1);
}

static void test_tab_stops(void **state)
{
    (void)state;
    put("a\tb");
    assert_int_equal(cells[8] & 0xFF, 'b');
}

static void test_wrap_is_deferred_until_next_character(void **state)
{
    (void)state;
    for (int i = 0; i < VGA_COLS; i++)
        vgaterm_putc(&term, (char)('0' + i % 10));
    assert_int_equal(term.row, 0);               /* a full line does not move on yet */
    assert_int_equal(vgaterm_cursor_offset(&term), VGA_COLS - 1);
    put("\n");
    assert_int_equal(term.row, 1);                /* so "80 chars + \n" is one line */
    put("x");
    assert_string_equal(row_text(1), "x");
    for (int i = 0; i < VGA_COLS; i++)
        vgaterm_putc(&term, 'y');
    assert_int_equal(term.row, 2);                /* 1 + 79 on row 1, 1 more wraps */
    assert_int_equal(cells[2 * VGA_COLS] & 0xFF, 'y');
}

static void test_scroll_moves_lines_up(void **state)
{
    (void)state;
    for (int i = 0; i < VGA_ROWS; i++) {
        vgaterm_putc(&term, (char)('A' + i));
        put("\n");
    }
    /* 25 lines and a final newline: 'A' scrolled off, 'B' on top, last row blank */
    assert_string_equal(row_text(0), "B");
    assert_string_equal(row_text(VGA_ROWS - 2), "Y");
    assert_string_equal(row_text(VGA_ROWS - 1), "");
    assert_int_equal(term.row, VGA_ROWS - 1);
}

static void test_clear_screen_and_home(void **state)
{
    (void)state;
    put("junk\nmore junk");
    put("\x1b[2J\x1b[H");
    assert_string_equal(row_text(0), "");
    assert_string_equal(row_text(1), "");
    assert_int_equal(vgaterm_cursor_offset(&term), 0);
    put("\x1b[3;5Hz");
    assert_int_equal(cells[2 * VGA_COLS + 4] & 0xFF, 'z');
}

static void test_cursor_left_right_and_erase_to_end_of_line(void **state)
{
    (void)state;
    put("abcdef");
    put("\x1b[3D");                   /* cursor onto 'd' */
    assert_int_equal(vgaterm_cursor_offset(&term), 3);
    put("\x1b[K");
    assert_string_equal(row_text(0), "abc");
    put("\x1b[C\x1b[2CX");             /* default count 1, then 2 */
    assert_int_equal(cells[6] & 0xFF, 'X');
    put("\x1b[99D");                  /* clamped at column 0 */
    assert_int_equal(vgaterm_cursor_offset(&term), 0);
}

static void test_delete_and_insert_characters(void **state)
{
    (void)state;
    put("abcdef\r\x1b[C\x1b[2P");      /* delete "bc" */
    assert_string_equal(row_text(0), "adef");
    put("\x1b[1@");                   /* insert one blank before "def" */
    assert_string_equal(row_text(0), "a def");
}

static void test_colours(void **state)
{
    (void)state;
    put("\x1b[31;44mr\x1b[0mn");
    assert_int_equal(cells[0], (uint16_t)('r' | (0x14 << 8)));   /* red (4) on blue (1) */
    assert_int_equal(cells[1], (uint16_t)('n' | (0x07 << 8)));
}

static void test_utf8_punctuation_shown_as_ascii(void **state)
{
    (void)state;
    put("a \xE2\x80\x94 b \xC3\xA9 \x80" "c");   /* em dash, e-acute, stray continuation */
    assert_string_equal(row_text(0), "a - b ? ?c");
}

static void test_unknown_and_private_sequences_are_ignored(void **state)
{
    (void)state;
    put("a\x1b[?25lb\x1b[5zc\x1b" "7d\x1b[1;2;3;4;5;6;7Se");
    assert_string_equal(row_text(0), "abcde");
    put("\x1b[12\nf");                 /* a control character abandons the sequence */
    assert_int_equal(term.state, VT_NORMAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_init_clears_with_default_attribute, setup),
        cmocka_unit_test_setup(test_text_newline_carriage_return_backspace, setup),
        cmocka_unit_test_setup(test_tab_stops, setup),
        cmocka_unit_test_setup(test_wrap_is_deferred_until_next_character, setup),
        cmocka_unit_test_setup(test_scroll_moves_lines_up, setup),
        cmocka_unit_test_setup(test_clear_screen_and_home, setup),
        cmocka_unit_test_setup(test_cursor_left_right_and_erase_to_end_of_line, setup),
        cmocka_unit_test_setup(test_delete_and_insert_characters, setup),
        cmocka_unit_test_setup(test_colours, setup),
        cmocka_unit_test_setup(test_utf8_punctuation_shown_as_ascii, setup),
        cmocka_unit_test_setup(test_unknown_and_private_sequences_are_ignored, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
