/* Unit tests for PS/2 scancode set 1 decoding (arch/x86_64/kbd_decode.c).
   Expected bytes come from the scancode tables of the IBM PC/AT keyboard. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "kbd_decode.h"

static struct kbd_state kb;

/* Feed a list of scancodes (terminated by 0) and return all output bytes. */
static const char *feed(const uint8_t *codes)
{
    static char out[64];
    size_t n = 0;
    for (; *codes; codes++) {
        char tmp[KBD_MAX_OUTPUT];
        int k = kbd_decode(&kb, *codes, tmp);
        assert_true(k >= 0 && k <= KBD_MAX_OUTPUT);
        memcpy(out + n, tmp, (size_t)k);
        n += (size_t)k;
    }
    out[n] = '\0';
    return out;
}

static int setup(void **state)
{
    (void)state;
    memset(&kb, 0, sizeof(kb));
    return 0;
}

static void test_letters_digits_and_releases(void **state)
{
    (void)state;
    /* h e l l o with releases, then 1, space, Enter */
    const uint8_t codes[] = {0x23, 0xA3, 0x12, 0x92, 0x26, 0xA6, 0x26, 0xA6, 0x18, 0x98,
                             0x02, 0x82, 0x39, 0xB9, 0x1C, 0x9C, 0};
    assert_string_equal(feed(codes), "hello1 \r");
}

static void test_shift_and_caps_lock(void **state)
{
    (void)state;
    const uint8_t shifted[] = {0x2A, 0x1E, 0x02, 0xAA, 0x1E, 0};       /* LShift a 1, release, a */
    assert_string_equal(feed(shifted), "A!a");
    const uint8_t caps[] = {0x3A, 0xBA, 0x1E, 0x02, 0x36, 0x1E, 0xB6, 0}; /* Caps a 1, RShift a */
    assert_string_equal(feed(caps), "A1a");
}

static void test_ctrl_letters(void **state)
{
    (void)state;
    const uint8_t ctrl_c[] = {0x1D, 0x2E, 0xAE, 0x9D, 0x2E, 0};          /* Ctrl-C, then c */
    const char *out = feed(ctrl_c);
    assert_int_equal(out[0], 0x03);
    assert_int_equal(out[1], 'c');
    const uint8_t right_ctrl_d[] = {0xE0, 0x1D, 0x20, 0xE0, 0x9D, 0};    /* right Ctrl-D */
    assert_int_equal(feed(right_ctrl_d)[0], 0x04);
}

static void test_extended_keys_give_vt100_sequences(void **state)
{
    (void)state;
    const uint8_t keys[] = {0xE0, 0x48, 0xE0, 0xC8, 0xE0, 0x50, 0xE0, 0x4D, 0xE0, 0x4B,
                            0xE0, 0x47, 0xE0, 0x4F, 0xE0, 0x53, 0};
    assert_string_equal(feed(keys), "\x1b[A\x1b[B\x1b[C\x1b[D\x1b[H\x1b[F\x1b[3~");
}

static void test_backspace_tab_escape(void **state)
{
    (void)state;
    const uint8_t keys[] = {0x0E, 0x0F, 0x01, 0};
    assert_string_equal(feed(keys), "\x7f\t\x1b");
}

static void test_fake_shift_and_unknown_codes_produce_nothing(void **state)
{
    (void)state;
    /* E0 2A (fake shift around Print Screen), F1 (0x3B), E0 5B (Windows key) */
    const uint8_t keys[] = {0xE0, 0x2A, 0x3B, 0xBB, 0xE0, 0x5B, 0x1E, 0};
    assert_string_equal(feed(keys), "a");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_letters_digits_and_releases, setup),
        cmocka_unit_test_setup(test_shift_and_caps_lock, setup),
        cmocka_unit_test_setup(test_ctrl_letters, setup),
        cmocka_unit_test_setup(test_extended_keys_give_vt100_sequences, setup),
        cmocka_unit_test_setup(test_backspace_tab_escape, setup),
        cmocka_unit_test_setup(test_fake_shift_and_unknown_codes_produce_nothing, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
