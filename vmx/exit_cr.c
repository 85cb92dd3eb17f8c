/*
 * Control-register access exits (SDM 25.1.3, qualification Table 27-3).
 * The CR0 guest/host mask owns CR0.NE and the CR4 mask owns CR4.VMXE: both
 * must stay 1 in VMX operation (fixed bits, SDM 23.8) while the guest should
 * see its own values. So the guest reads the shadow, and a write that
 * changes an owned bit exits here: CR0 is written with NE forced on, CR4
 * with VMXE forced on; a guest trying to set CR4.VMXE gets #GP (no VMX).
 * CR3 loads/stores exit only on CPUs that force CR3 exiting (no TRUE MSRs).
 * vCPU thread, interrupts off.
 */
#include "exit.h"
#include "vmx.h"

static uint64_t get_gpr(struct vcpu *v, unsigned r)
{
    return r == GPR_RSP ? vmcs_readnat(GUEST_RSP) : v->gpr[r];
}

static void set_gpr(struct vcpu *v, unsigned r, uint64_t val)
{
    if (r == GPR_RSP)
        vmcs_writenat(GUEST_RSP, val);
    else
        v->gpr[r] = val;
}

/* MOV to CR0. With paging turned on while EFER.LME = 1 the guest enters
   IA-32e mode: set EFER.LMA and the "IA-32e mode guest" entry control. */
static enum exit_action write_cr0(struct vcpu *v, uint64_t val)
{
    uint64_t must1 = vmx.caps.cr0_fixed0 & ~(CR0_PE | CR0_PG);
    uint64_t real = (val | must1) & vmx.caps.cr0_fixed1;
    if ((val & CR0_PG) && !(val & CR0_PE))
        return exit_inject_gp(v);
    uint64_t efer = vmcs_read64(GUEST_IA32_EFER);
    uint32_t entry = vmcs_read32(VM_ENTRY_CONTROLS);
    if ((efer & EFER_LME) && (val & CR0_PG)) {
        efer |= EFER_LMA;
        entry |= VM_ENTRY_IA32E_MODE_GUEST;
    } else {
        efer &= ~EFER_LMA;
        entry &= ~(uint32_t)VM_ENTRY_IA32E_MODE_GUEST;
    }
    vmcs_write64(GUEST_IA32_EFER, efer);
    vmcs_write32(VM_ENTRY_CONTROLS, entry);
    vmcs_writenat(CR0_READ_SHADOW, val);
    vmcs_writenat(GUEST_CR0, real);
    return EXIT_RESUME;
}

static enum exit_action write_cr4(struct vcpu *v, uint64_t val)
{
    if (val & CR4_VMXE)
        return exit_inject_gp(v);
    uint64_t real = (val | vmx.caps.cr4_fixed0) & vmx.caps.cr4_fixed1;
    if ((real & ~val & ~CR4_VMXE) || (val & ~vmx.caps.cr4_fixed1))
        return exit_inject_gp(v);   /* a bit this CPU cannot run the guest with */
    vmcs_writenat(CR4_READ_SHADOW, val);
    vmcs_writenat(GUEST_CR4, real);
    return EXIT_RESUME;
}

enum exit_action exit_cr_access(struct vcpu *v)
{
    uint64_t q = vmcs_readnat(EXIT_QUALIFICATION);
    unsigned cr = CR_QUAL_NR(q), type = CR_QUAL_TYPE(q), r = CR_QUAL_GPR(q);
    enum exit_action a = EXIT_RESUME;
    v->exit->qualification = q;
    if (type == 0 && cr == 0)
        a = write_cr0(v, get_gpr(v, r));
    else if (type == 0 && cr == 4)
        a = write_cr4(v, get_gpr(v, r));
    else if (type == 0 && cr == 3)
        vmcs_writenat(GUEST_CR3, get_gpr(v, r));
    else if (type == 1 && cr == 3)
        set_gpr(v, r, vmcs_readnat(GUEST_CR3));
    else if (cr == 8)
        set_gpr(v, r, type == 1 ? 0 : get_gpr(v, r));   /* no TPR: reads 0, writes ignored */
    else
        return exit_unexpected(v);
    /* An injected #GP must report the faulting instruction: RIP unchanged. */
    if (!(vmcs_read32(VM_ENTRY_INTR_INFO) & INTR_INFO_VALID))
        exit_skip_instruction(v);
    return a;
}
