/*
 * Names of the 32 exception vectors and decoding of their error codes
 * (SDM Vol. 3A 6.3.1 Table 6-1, 6.13 error code, 4.7 page-fault error
 * code). Pure logic: also compiled into the host unit tests.
 */
#include "exceptions.h"
#include "format.h"

static const char *const exception_names[32] = {
    [0] = "#DE divide error",
    [1] = "#DB debug",
    [2] = "NMI non-maskable interrupt",
    [3] = "#BP breakpoint",
    [4] = "#OF overflow",
    [5] = "#BR bound range exceeded",
    [6] = "#UD invalid opcode",
    [7] = "#NM device not available",
    [8] = "#DF double fault",
    [9] = "coprocessor segment overrun",
    [10] = "#TS invalid TSS",
    [11] = "#NP segment not present",
    [12] = "#SS stack-segment fault",
    [13] = "#GP general protection",
    [14] = "#PF page fault",
    [15] = "reserved vector 15",
    [16] = "#MF x87 floating-point error",
    [17] = "#AC alignment check",
    [18] = "#MC machine check",
    [19] = "#XM SIMD floating-point exception",
    [20] = "#VE virtualization exception",
    [21] = "#CP control protection",
    [22] = "reserved vector 22",
    [23] = "reserved vector 23",
    [24] = "reserved vector 24",
    [25] = "reserved vector 25",
    [26] = "reserved vector 26",
    [27] = "reserved vector 27",
    [28] = "#HV hypervisor injection",
    [29] = "#VC VMM communication",
    [30] = "#SX security exception",
    [31] = "reserved vector 31",
};

const char *exception_name(unsigned vector)
{
    return vector < ARRAY_SIZE(exception_names) ? exception_names[vector] : "(not an exception)";
}

bool exception_has_error_code(unsigned vector)
{
    switch (vector) {
    case 8: case 10: case 11: case 12: case 13: case 14: case 17: case 21: case 29: case 30:
        return true;
    default:
        return false;
    }
}

static void describe_page_fault(uint64_t code, char *buf, size_t size)
{
    ksnprintf(buf, size, "%s %s %s%s%s%s",
              (code & PF_PRESENT) ? "protection" : "not-present",
              (code & PF_FETCH) ? "fetch" : (code & PF_WRITE) ? "write" : "read",
              (code & PF_USER) ? "user" : "kernel",
              (code & PF_RESERVED) ? " reserved-bit" : "",
              (code & PF_PKEY) ? " protection-key" : "",
              (code & PF_SHADOW_STACK) ? " shadow-stack" : "");
}

/* Selector error code (SDM Vol. 3A 6.13 Figure 6-6): EXT, IDT, TI, index. */
static void describe_selector(uint64_t code, char *buf, size_t size)
{
    const char *table = (code & 2) ? "IDT vector" : (code & 4) ? "LDT selector" : "GDT selector";
    uint64_t index = (code & 2) ? (code >> 3) & 0x1FFF : code & 0xFFF8;
    ksnprintf(buf, size, "%s 0x%lx%s", table, index, (code & 1) ? " (external)" : "");
}

void exception_describe_error(unsigned vector, uint64_t code, char *buf, size_t size)
{
    if (size == 0)
        return;
    buf[0] = '\0';
    if (vector == EXC_PAGE_FAULT)
        describe_page_fault(code, buf, size);
    else if (vector >= 10 && vector <= 13 && code != 0)
        describe_selector(code, buf, size);
}
