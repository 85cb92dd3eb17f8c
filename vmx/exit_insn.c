/*
 * Instructions that exit unconditionally and have simple answers:
 *   VMX instructions (VMXON, VMREAD, INVEPT, ...), GETSEC, MONITOR/MWAIT,
 *   VMFUNC: #UD, as on a CPU without those features (exit.c maps them to
 *   exit_inject_ud_insn);
 *   INVD and WBINVD: the guest's memory is ordinary write-back host memory,
 *   so there is nothing to flush that the host would not flush: skip;
 *   (XSETBV has its own file, exit_xsetbv.c.)
 * vCPU thread, interrupts off.
 */
#include "exit.h"

enum exit_action exit_invd_wbinvd(struct vcpu *v)
{
    exit_skip_instruction(v);
    return EXIT_RESUME;
}
