/*
 * XSETBV exits (unconditional, SDM Vol. 3C 25.1.2): check the value, then
 * xcr0.c makes it the guest's XCR0 (the scheme is in xcr0.h).
 * vCPU thread, interrupts off.
 */
#include "exit.h"
#include "vmcs.h"
#include "vmx.h"
#include "xcr0.h"

/* XSETBV: ECX = register (only XCR0 exists for XSETBV), EDX:EAX = value.
   #GP(0) for another register, CPL > 0 or a value the host CPU would
   refuse (SDM Vol. 2C XSETBV); otherwise the value is loaded at once and
   stays loaded for the guest. */
enum exit_action exit_xsetbv(struct vcpu *v)
{
    uint64_t value = v->gpr[GPR_RDX] << 32 | (uint32_t)v->gpr[GPR_RAX];
    if ((uint32_t)v->gpr[GPR_RCX] != 0 || exit_guest_cpl() != 0 || !xcr0_valid(value, vmx.xcr0_allowed))
        return exit_inject_gp(v);
    if (xcr0_set_guest(v, value) < 0)
        return vcpu_stop(v, VM_STOP_ERROR, "no memory for the guest's XSAVE area");
    exit_skip_instruction(v);
    return EXIT_RESUME;
}
