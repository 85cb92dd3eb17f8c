/*
 * Which XCR0 values a guest may load (pure, see xcr0_rules.h).
 * Any context; no state.
 */
#include "xcr0_rules.h"

/* True when the bits of `group` in value are all set or all clear. */
static bool all_or_none(uint64_t value, uint64_t group)
{
    uint64_t v = value & group;
    return v == 0 || v == group;
}

bool xcr0_valid(uint64_t value, uint64_t supported)
{
    if (!(value & XCR0_X87) || (value & ~supported))
        return false;                                   /* SDM Vol. 1 13.3 */
    if ((value & XCR0_AVX) && !(value & XCR0_SSE))
        return false;
    if (!all_or_none(value, XCR0_AVX512) || ((value & XCR0_AVX512) && !(value & XCR0_AVX)))
        return false;
    if (!all_or_none(value, XCR0_BNDREGS | XCR0_BNDCSR) || !all_or_none(value, XCR0_TILECFG | XCR0_TILEDATA))
        return false;
    return true;
}
