/*
 * hello64.elf - a C guest in 64-bit long mode: prints through the HC_WRITE
 * hypercall and returns 0, which start.asm turns into HC_EXIT(0).
 *
 * Run: vm run /guests/hello64.elf     (ELF64 -> long mode, entry from ELF)
 * Output: "[vmN] Hello from a 64-bit C guest on vCPU 0", then
 *         "vmN stopped: exit code 0".
 * Exits: 2 VMCALL (one write, one exit).
 */
#include "guest.h"

int guest_main(uint64_t vcpu_index)
{
    guest_printf("Hello from a 64-bit C guest on vCPU %lu\n", vcpu_index);
    return 0;
}
