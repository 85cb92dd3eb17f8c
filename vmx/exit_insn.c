/*
 * Instructions that exit unconditionally and have simple answers:
 *   VMX instructions (VMXON, VMREAD, INVEPT, ...), GETSEC, MONITOR/MWAIT,
 *   VMFUNC: #UD, as on a CPU without those features (exit.c maps them to
 *   exit_inject_ud_insn);
 *   INVD and WBINVD: the guest's memory is ordinary write-back host memory,
 *   so there is nothing to flush that the host would not flush: skip;
 *   XSETBV: the host keeps XCR0 at its reset value (x87 only: it does not
 *   enable XSAVE), so the only value a guest may load is that one (it is
 *   already loaded); anything else is #GP, as for an unsupported feature.
 * vCPU thread, interrupts off.
 */
#include "exit.h"

#define XCR0_X87 1ull

enum exit_action exit_invd_wbinvd(struct vcpu *v)
{
    exit_skip_instruction(v);
    return EXIT_RESUME;
}

enum exit_action exit_xsetbv(struct vcpu *v)
{
    uint64_t value = (v->gpr[GPR_RDX] << 32) | (uint32_t)v->gpr[GPR_RAX];
    if ((uint32_t)v->gpr[GPR_RCX] != 0 || value != XCR0_X87)
        return exit_inject_gp(v);
    exit_skip_instruction(v);
    return EXIT_RESUME;
}
