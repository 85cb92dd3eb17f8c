/* Unit tests for the XCR0 rules XSETBV enforces (vmx/xcr0.c). The values
   are written out by hand from SDM Vol. 1 13.3 and the #GP conditions of
   XSETBV (SDM Vol. 2C); "supported" masks are CPUID.(EAX=0DH,ECX=0)
   EDX:EAX of a CPU with x87/SSE/AVX/AVX-512/PKRU (0x2e7), of one with only
   x87/SSE/AVX (0x7), and of one with MPX and AMX too. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "xcr0_rules.h"

#define SKX 0x2e7ull                     /* x87 SSE AVX opmask ZMM_Hi256 Hi16_ZMM PKRU */
#define AVX_ONLY 0x7ull
#define ALL 0x602ffull                   /* + MPX (3, 4) + AMX (17, 18) */

static void valid_values(void **state)
{
    (void)state;
    assert_true(xcr0_valid(0x1, SKX));   /* x87 only: the reset value */
    assert_true(xcr0_valid(0x3, SKX));   /* x87 SSE */
    assert_true(xcr0_valid(0x7, SKX));   /* + AVX */
    assert_true(xcr0_valid(0xe7, SKX));  /* + the three AVX-512 components */
    assert_true(xcr0_valid(0x2e7, SKX)); /* + PKRU */
    assert_true(xcr0_valid(0x201, SKX)); /* PKRU needs nothing else */
    assert_true(xcr0_valid(0x1b, ALL));  /* x87 SSE + both MPX bits */
    assert_true(xcr0_valid(0x60003, ALL)); /* x87 SSE + both AMX bits */
}

static void invalid_values(void **state)
{
    (void)state;
    assert_false(xcr0_valid(0x0, SKX));  /* bit 0 must be 1 */
    assert_false(xcr0_valid(0x6, SKX));  /* SSE AVX without x87 */
    assert_false(xcr0_valid(0x5, SKX));  /* AVX without SSE */
    assert_false(xcr0_valid(0x27, SKX)); /* one AVX-512 bit of three */
    assert_false(xcr0_valid(0x67, SKX)); /* two of three */
    assert_false(xcr0_valid(0xe3, SKX)); /* AVX-512 without AVX */
    assert_false(xcr0_valid(0xe7, AVX_ONLY));        /* not supported */
    assert_false(xcr0_valid(0x201, AVX_ONLY));
    assert_false(xcr0_valid(0x8000000000000001ull, SKX)); /* bit 63 reserved */
    assert_false(xcr0_valid(0x4000000000000003ull, ~0ull & ~(1ull << 62)));
    assert_false(xcr0_valid(0xb, ALL));  /* BNDREGS without BNDCSR */
    assert_false(xcr0_valid(0x13, ALL)); /* BNDCSR without BNDREGS */
    assert_false(xcr0_valid(0x20003, ALL)); /* TILECFG without TILEDATA */
    assert_false(xcr0_valid(0x40003, ALL)); /* TILEDATA without TILECFG */
    assert_false(xcr0_valid(0x1, 0));    /* no XSAVE at all: nothing is valid */
}

static void managed_mask(void **state)
{
    (void)state;
    /* what a guest may enable: x87 SSE AVX, AVX-512 and PKRU; not MPX, not AMX */
    assert_int_equal(XCR0_GUEST_MANAGED, 0x2e7);
    assert_false(xcr0_valid(0x1b, ALL & XCR0_GUEST_MANAGED));
    assert_true(xcr0_valid(0x2e7, ALL & XCR0_GUEST_MANAGED));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_values),
        cmocka_unit_test(invalid_values),
        cmocka_unit_test(managed_mask),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
