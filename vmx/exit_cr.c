/*
 * Control-register access exits (SDM 25.1.3, qualification Table 27-3).
 * The CR0 guest/host mask owns CR0.NE and the CR4 mask owns CR4.VMXE: both
 * must stay 1 in VMX operation (fixed bits, SDM 23.8) while the guest should
 * see its own values. So the guest reads the shadow, and a write that
 * changes an owned bit exits here: CR0 is written with NE forced on, CR4
 * with VMXE forced on; a guest trying to set CR4.VMXE gets #GP (no VMX).
 * An emulated write injects #GP(0) exactly where the SDM's MOV CR page
 * says, and loads the PAE PDPTEs as the CPU would (load_pdptes). MOV to and
 * from CR8 always exit: the guest's TPR is kept per vCPU.
 * CR3 loads/stores exit only on CPUs that force CR3 exiting (no TRUE MSRs).
 * vCPU thread, interrupts off.
 */
#include "exit.h"
#include "vm_internal.h"
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

#define PDPTE_P 1ull
#define PDPTE_RESERVED_LOW 0x1E6ull   /* bits 2:1 and 8:5 of a present PDPTE (SDM Vol. 3A 4.4.1) */

/* PAE paging (CR0.PG, CR4.PAE, not IA-32e): the four PDPTEs at CR3 are
   loaded into the CPU when CR0.PG/CD/NW or CR3 change (SDM Vol. 3A 4.4.1).
   Under EPT the CPU takes them from the VMCS at entry (SDM 26.3.2.4), so
   an emulated MOV CR0/CR3 loads them there. false: a present PDPTE has a
   reserved bit set (#GP for the MOV), or the table is not guest memory. */
static bool load_pdptes(struct vcpu *v, uint64_t cr3)
{
    const uint64_t *pdpte = vm_gpa_to_host(v->vm, cr3 & 0xFFFFFFE0ull, EPT_R);   /* 32-byte aligned */
    if (!pdpte)
        return false;
    uint64_t reserved = PDPTE_RESERVED_LOW | ~((1ull << vmx.caps.maxphyaddr) - 1);
    for (int i = 0; i < 4; i++)
        if ((pdpte[i] & PDPTE_P) && (pdpte[i] & reserved))
            return false;
    for (int i = 0; i < 4; i++)
        vmcs_write64(GUEST_PDPTR0 + 2 * i, pdpte[i]);
    return true;
}

static bool pae_paging(uint64_t cr0, uint64_t cr4, uint64_t efer)
{
    return (cr0 & CR0_PG) && (cr4 & CR4_PAE) && !(efer & EFER_LME);
}

/* MOV to CR0's #GP(0) cases (SDM Vol. 2B MOV CR, Vol. 3A 2.5 and 9.8.5):
   bits 63:32 set, PG without PE, NW without CD, clearing PG in 64-bit mode
   or with CR4.PCIDE, setting PG with EFER.LME but without CR4.PAE or from
   a 64-bit code segment. */
static bool cr0_write_ok(uint64_t val, uint64_t old, uint64_t cr4, uint64_t efer)
{
    bool cs_l = (vmcs_read32(GUEST_CS_AR_BYTES) & AR_L) != 0;
    if ((val >> 32) || ((val & CR0_PG) && !(val & CR0_PE)) || ((val & CR0_NW) && !(val & CR0_CD)))
        return false;
    if ((old & CR0_PG) && !(val & CR0_PG) && (((efer & EFER_LMA) && cs_l) || (cr4 & CR4_PCIDE)))
        return false;
    if (!(old & CR0_PG) && (val & CR0_PG) && (efer & EFER_LME) && (!(cr4 & CR4_PAE) || cs_l))
        return false;
    return true;
}

/* MOV to CR0. With paging turned on while EFER.LME = 1 the guest enters
   IA-32e mode: set EFER.LMA and the "IA-32e mode guest" entry control. */
static enum exit_action write_cr0(struct vcpu *v, uint64_t val)
{
    uint64_t must1 = vmx.caps.cr0_fixed0 & ~(CR0_PE | CR0_PG);
    uint64_t real = (val | must1) & vmx.caps.cr0_fixed1;
    uint64_t old = vmcs_readnat(GUEST_CR0), cr4 = vmcs_readnat(GUEST_CR4);
    uint64_t efer = vmcs_read64(GUEST_IA32_EFER);
    if (!cr0_write_ok(val, old, cr4, efer))
        return exit_inject_gp(v);
    bool reload = (old ^ val) & (CR0_PG | CR0_CD | CR0_NW);
    if (reload && pae_paging(val, cr4, efer) && !load_pdptes(v, vmcs_readnat(GUEST_CR3)))
        return exit_inject_gp(v);
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

/* MOV to CR3 (only on CPUs that force CR3-load exiting): in PAE paging the
   PDPTEs come along; bits above MAXPHYADDR are #GP (SDM Vol. 2B MOV CR). */
static enum exit_action write_cr3(struct vcpu *v, uint64_t val)
{
    if (val & ~((1ull << vmx.caps.maxphyaddr) - 1) & ~(1ull << 63))
        return exit_inject_gp(v);
    if (pae_paging(vmcs_readnat(GUEST_CR0), vmcs_readnat(GUEST_CR4), vmcs_read64(GUEST_IA32_EFER)) &&
        !load_pdptes(v, val))
        return exit_inject_gp(v);
    vmcs_writenat(GUEST_CR3, val);
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

/* MOV to/from CR8 (64-bit mode only): the guest's own task priority,
   bits 3:0; setting bits 63:4 is #GP(0) (SDM Vol. 3A 10.8.6.1, Vol. 2B MOV
   CR). It only orders the guest's interrupts: the PIC's interrupts that the
   host injects are not held back by it, as ExtINT on bare metal. */
static enum exit_action access_cr8(struct vcpu *v, unsigned type, unsigned r)
{
    if (type == 1) {
        set_gpr(v, r, v->tpr);
        return EXIT_RESUME;
    }
    uint64_t val = get_gpr(v, r);
    if (val & ~0xFull)
        return exit_inject_gp(v);
    v->tpr = (uint8_t)val;
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
        a = write_cr3(v, get_gpr(v, r));
    else if (type == 1 && cr == 3)
        set_gpr(v, r, vmcs_readnat(GUEST_CR3));
    else if (cr == 8)
        a = access_cr8(v, type, r);
    else
        return exit_unexpected(v);
    /* An injected #GP must report the faulting instruction: RIP unchanged. */
    if (!(vmcs_read32(VM_ENTRY_INTR_INFO) & INTR_INFO_VALID))
        exit_skip_instruction(v);
    return a;
}
