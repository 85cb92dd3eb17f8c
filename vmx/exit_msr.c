/*
 * RDMSR/WRMSR exits. The MSR bitmap is all ones, so every MSR access exits
 * (SDM 25.1.3, 24.6.9). A small set is emulated; any other MSR injects #GP
 * into the guest, as a CPU without that MSR would.
 *   TSC                 read: host TSC (no offset); writes ignored
 *   APIC_BASE           read: 0xFEE00000, bootstrap processor, APIC disabled
 *   FEATURE_CONTROL     read: locked, VMX off (the guest has no VMX)
 *   MISC_ENABLE         read: fast strings; writes ignored
 *   PAT, EFER, SYSENTER_CS/ESP/EIP, FS/GS base: the VMCS guest fields
 *   STAR/LSTAR/FMASK/KERNEL_GS_BASE/TSC_AUX: the guest's own, loaded into
 *     the CPU while it runs (cpu_switch.h); CSTAR: kept, never used
 * vCPU thread, interrupts off.
 */
#include "cpu_switch.h"
#include "exit.h"
#include "x86.h"

#define APIC_BASE_DEFAULT 0xFEE00100ull   /* base 0xFEE00000, BSP bit 8, enable bit 11 clear */
#define EFER_WRITABLE (EFER_SCE | EFER_LME | EFER_NXE)

/* Natural-width VMCS field holding MSR msr for the guest, or 0. */
static uint32_t vmcs_field_for(uint32_t msr)
{
    switch (msr) {
    case MSR_SYSENTER_ESP: return GUEST_SYSENTER_ESP;
    case MSR_SYSENTER_EIP: return GUEST_SYSENTER_EIP;
    case MSR_FS_BASE: return GUEST_FS_BASE;
    case MSR_GS_BASE: return GUEST_GS_BASE;
    default: return 0;
    }
}

/* Emulated read; false if the MSR is not emulated. */
static bool msr_read(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    int slot = cpu_switch_msr_slot(msr);
    uint32_t field = vmcs_field_for(msr);
    if (slot >= 0)
        *val = cpu_switch_read_msr(v, slot);
    else if (field)
        *val = vmcs_read_raw(field);
    else if (msr == MSR_TSC)
        *val = rdtsc();
    else if (msr == MSR_APIC_BASE)
        *val = APIC_BASE_DEFAULT;
    else if (msr == MSR_IA32_FEATURE_CONTROL)
        *val = FEATURE_CONTROL_LOCK;
    else if (msr == MSR_MISC_ENABLE)
        *val = 1;
    else if (msr == MSR_PAT)
        *val = vmcs_read64(GUEST_IA32_PAT);
    else if (msr == MSR_EFER)
        *val = vmcs_read64(GUEST_IA32_EFER);
    else if (msr == MSR_SYSENTER_CS)
        *val = vmcs_read32(GUEST_SYSENTER_CS);
    else
        return false;
    return true;
}

/* Emulated write; false to inject #GP. */
static bool msr_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
    int slot = cpu_switch_msr_slot(msr);
    uint32_t field = vmcs_field_for(msr);
    if (slot >= 0)
        return cpu_switch_write_msr(v, slot, val);
    if (field)
        return vmx_is_canonical(val) && vmcs_write_raw(field, val) == 0;
    switch (msr) {
    case MSR_TSC:
    case MSR_MISC_ENABLE:
        return true;
    case MSR_PAT:
        return x86_pat_valid(val) && vmcs_write64(GUEST_IA32_PAT, val) == 0;
    case MSR_SYSENTER_CS:
        return vmcs_write32(GUEST_SYSENTER_CS, val) == 0;
    case MSR_EFER: {
        uint64_t old = vmcs_read64(GUEST_IA32_EFER);
        if (val & ~(EFER_WRITABLE | EFER_LMA))
            return false;
        /* LMA is the CPU's to set; LME may not change while paging is on. */
        if (((val ^ old) & EFER_LME) && (vmcs_readnat(GUEST_CR0) & CR0_PG))
            return false;
        return vmcs_write64(GUEST_IA32_EFER, (val & EFER_WRITABLE) | (old & EFER_LMA)) == 0;
    }
    default:
        return false;
    }
}

enum exit_action exit_msr_read(struct vcpu *v)
{
    uint64_t val;
    v->exit->qualification = (uint32_t)v->gpr[GPR_RCX];   /* traced as the MSR number */
    key_counts_add(&v->msr_indices, (uint32_t)v->gpr[GPR_RCX]);
    if (!msr_read(v, (uint32_t)v->gpr[GPR_RCX], &val))
        return exit_inject_gp(v);
    v->gpr[GPR_RAX] = (uint32_t)val;
    v->gpr[GPR_RDX] = val >> 32;
    exit_skip_instruction(v);
    return EXIT_RESUME;
}

enum exit_action exit_msr_write(struct vcpu *v)
{
    uint64_t val = (v->gpr[GPR_RDX] << 32) | (uint32_t)v->gpr[GPR_RAX];
    v->exit->qualification = (uint32_t)v->gpr[GPR_RCX];
    key_counts_add(&v->msr_indices, (uint32_t)v->gpr[GPR_RCX]);
    if (!msr_write(v, (uint32_t)v->gpr[GPR_RCX], val))
        return exit_inject_gp(v);
    exit_skip_instruction(v);
    return EXIT_RESUME;
}
