/*
 * The frame-pointer walk behind backtraces, independent of how memory is
 * read (pure logic; the host unit tests feed it hand-built stacks). It must
 * survive garbage: it is used while reporting crashes.
 */
#include "backtrace.h"

/* Whether next is a believable frame above rbp. */
static bool frame_plausible(uint64_t rbp, uint64_t next)
{
    return next != 0 && (next & 7) == 0 && next > rbp &&
           next - rbp <= BACKTRACE_MAX_FRAME_SPAN;
}

size_t backtrace_collect(uint64_t rip, uint64_t rbp, backtrace_reader read,
                         uint64_t *out, size_t max)
{
    size_t n = 0;
    if (max == 0)
        return 0;
    out[n++] = rip;
    if (rbp == 0 || (rbp & 7) != 0)
        return n;
    while (n < max) {
        uint64_t next, ret;
        if (!read(rbp, &next) || !read(rbp + 8, &ret) || ret == 0)
            break;
        out[n++] = ret;
        if (!frame_plausible(rbp, next))
            break;
        rbp = next;
    }
    return n;
}
