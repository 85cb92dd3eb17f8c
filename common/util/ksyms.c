#include "ksyms.h"

extern const char kernel_text_start[], kernel_text_end[];

const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
    if (addr < (uint64_t)kernel_text_start || addr >= (uint64_t)kernel_text_end || ksyms_count == 0)
        return NULL;
    /* binary search for the last symbol with sym.addr <= addr */
    uint64_t lo = 0, hi = ksyms_count;
    while (hi - lo > 1) {
        uint64_t mid = (lo + hi) / 2;
        if (ksyms_table[mid].addr <= addr)
            lo = mid;
        else
            hi = mid;
    }
    if (ksyms_table[lo].addr > addr)
        return NULL;
    if (offset)
        *offset = addr - ksyms_table[lo].addr;
    return ksyms_table[lo].name;
}
