/*
 * ept_ram.c: how much RAM a VM's firmware should be told about (ept.h). A
 * PC reports its memory as one run from guest-physical 0 (CMOS 0x15-0x18,
 * 0x30-0x31, 0x34-0x35): here the end of the writable, owned memory that
 * continues without a gap from 1 MiB (the legacy area below it may hold
 * the firmware's alias). ROM, read-only pages such as a local-APIC stand-in,
 * and aliases do not count. Pure: reads the tables only, any context (the
 * caller keeps them from changing).
 */
#include "ept.h"
#include "vmx_arch.h"

#define ONE_MIB (1ull << 20)

/* Writable, owned memory at gpa: how far it goes in this leaf (0: none). */
static uint64_t ram_leaf_left(const struct ept *e, uint64_t gpa)
{
    struct ept_walk w;
    if (ept_walk(e, gpa, &w) < 0 || w.alias || !(w.rights & EPT_W))
        return 0;
    uint64_t leaf = w.leaf_level == 2 ? EPT_PAGE_2M : EPT_PAGE_4K;
    return leaf - (gpa & (leaf - 1));
}

uint64_t ept_ram_end(const struct ept *e)
{
    uint64_t end = 0;
    while (end < ONE_MIB && ram_leaf_left(e, end))   /* conventional memory */
        end += EPT_PAGE_4K;
    if (end < ONE_MIB && !ram_leaf_left(e, ONE_MIB))
        return end;
    end = ONE_MIB;
    for (uint64_t left; end < EPT_GPA_LIMIT && (left = ram_leaf_left(e, end)) != 0;)
        end += left;
    return end;
}
