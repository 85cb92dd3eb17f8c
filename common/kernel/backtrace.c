/*
 * Printing symbolized backtraces for panics and exception dumps. Reads the
 * stack and code through safe_read_u64, so a corrupt frame chain ends the
 * trace instead of faulting again. Any context (used with interrupts off).
 *
 * GCC omits the frame pointer in leaf functions that need no stack, even
 * with -fno-omit-frame-pointer. When such a function faults, rbp still
 * belongs to its caller and the rbp chain would skip that caller; the trap
 * variant recovers it from the stack (see leaf_return_address).
 */
#include "backtrace.h"
#include "kprintf.h"
#include "ksyms.h"
#include "paging.h"
#include "safe_read.h"

#define X86_CALL_REL32 0xE8          /* call rel32: E8 cd (SDM Vol. 2A CALL) */
#define LEAF_STACK_SLOTS 4           /* stack words searched for a leaf's return address */

/* Only kernel-half addresses: a user rbp must never be followed here. */
static bool kernel_read(uint64_t addr, uint64_t *value)
{
    return addr >= PHYS_MAP_BASE && safe_read_u64(addr, value) == 0;
}

/* Whether the function at func starts with push %rbp; mov %rsp,%rbp
   (55 48 89 E5), optionally after endbr64 (F3 0F 1E FA). */
static bool function_sets_up_frame(uint64_t func)
{
    uint64_t code;
    if (!kernel_read(func, &code))
        return false;
    if ((code & 0xFFFFFFFF) == 0xFA1E0FF3 && !kernel_read(func + 4, &code))
        return false;
    return (code & 0xFFFFFFFF) == 0xE5894855;
}

/* Whether the instruction ending at ret is `call rel32` to target. */
static bool is_call_to(uint64_t ret, uint64_t target)
{
    uint64_t bytes;   /* the 8 bytes before ret: [ret-8 .. ret-1] */
    if (!ksym_lookup(ret - 1, NULL) || !kernel_read(ret - 8, &bytes))
        return false;
    uint8_t opcode = (uint8_t)(bytes >> 24);     /* byte at ret - 5 */
    int32_t rel = (int32_t)(bytes >> 32);        /* bytes ret - 4 .. ret - 1 */
    return opcode == X86_CALL_REL32 && ret + (uint64_t)(int64_t)rel == target;
}

/* If rip is in a function without a frame, its return address is on the
   stack near rsp; accept a word only if the instruction before it calls
   exactly this function. 0 if there is none. */
static uint64_t leaf_return_address(uint64_t rip, uint64_t rsp)
{
    uint64_t off;
    if (!ksym_lookup(rip, &off) || function_sets_up_frame(rip - off))
        return 0;
    for (int i = 0; i < LEAF_STACK_SLOTS; i++) {
        uint64_t word;
        if (!kernel_read(rsp + 8 * (uint64_t)i, &word))
            return 0;
        if (is_call_to(word, rip - off))
            return word;
    }
    return 0;
}

/* exact: addr is where execution stopped, not a return address. */
static void print_frame(size_t index, uint64_t addr, bool exact)
{
    uint64_t off;
    /* A return address points after the call; look up the call itself so a
       call as the last instruction of a function names that function. */
    uint64_t lookup = exact ? addr : addr - 1;
    const char *name = ksym_lookup(lookup, &off);
    if (name)
        kprintf("  #%zu 0x%016lx %s+0x%lx\n", index, addr, name, off + (addr - lookup));
    else
        kprintf("  #%zu 0x%016lx ?\n", index, addr);
}

static void print_frames(const uint64_t *frames, size_t n, bool first_exact)
{
    kprintf("backtrace:\n");
    for (size_t i = 0; i < n; i++)
        print_frame(i, frames[i], i == 0 && first_exact);
}

void backtrace_print(uint64_t rip, uint64_t rbp)
{
    uint64_t frames[BACKTRACE_MAX_DEPTH];
    print_frames(frames, backtrace_collect(rip, rbp, kernel_read, frames, BACKTRACE_MAX_DEPTH), true);
}

void backtrace_print_from_call(uint64_t ret, uint64_t rbp)
{
    uint64_t frames[BACKTRACE_MAX_DEPTH];
    print_frames(frames, backtrace_collect(ret, rbp, kernel_read, frames, BACKTRACE_MAX_DEPTH), false);
}

void backtrace_print_trap(uint64_t rip, uint64_t rsp, uint64_t rbp)
{
    uint64_t frames[BACKTRACE_MAX_DEPTH];
    uint64_t leaf_ret = leaf_return_address(rip, rsp);
    if (!leaf_ret) {
        backtrace_print(rip, rbp);
        return;
    }
    /* frames[0] = rip, frames[1] = the leaf's caller, then the rbp chain,
       which starts in that caller (its own frames[0] is dropped). */
    frames[0] = rip;
    size_t n = 1 + backtrace_collect(leaf_ret, rbp, kernel_read, frames + 1, BACKTRACE_MAX_DEPTH - 1);
    print_frames(frames, n, true);
}
