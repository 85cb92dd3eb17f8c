/*
 * RDMSR/WRMSR exits. The MSR bitmap is all ones, so every MSR access exits
 * (SDM 25.1.3, 24.6.9). The MSR policy is the table below (docs/vmx.md
 * "MSR policy" lists it with the reasons): an MSR in the table is
 * emulated, any other injects #GP(0), as a CPU without that MSR would, so
 * no host MSR value ever reaches a guest. What CPUID hides has no MSRs
 * here either (APIC_BASE, the MTRRs, machine check, performance counters,
 * speculation controls: cpuid_policy.c).
 * vCPU thread, interrupts off.
 */
#include "cpu_switch.h"
#include "exit.h"
#include "x86.h"

#define MSR_PLATFORM_ID 0x17
#define MSR_UCODE_REV 0x8B   /* IA32_BIOS_SIGN_ID */
#define MISC_ENABLE_FAST_STRINGS (1ull << 0)
#define MISC_ENABLE_BTS_UNAVAILABLE (1ull << 11)
#define MISC_ENABLE_PEBS_UNAVAILABLE (1ull << 12)
#define EFER_WRITABLE (EFER_SCE | EFER_LME | EFER_NXE)

/* One emulated MSR: read fills *val; write returns false for #GP. */
struct msr_policy {
    uint32_t msr;
    bool (*read)(struct vcpu *v, uint32_t msr, uint64_t *val);
    bool (*write)(struct vcpu *v, uint32_t msr, uint64_t val);
};

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

static bool read_vmcs(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    UNUSED(v);
    *val = vmcs_read_raw(vmcs_field_for(msr));
    return true;
}

/* Addresses: non-canonical is #GP (SDM Vol. 2B WRMSR). */
static bool write_vmcs(struct vcpu *v, uint32_t msr, uint64_t val)
{
    UNUSED(v);
    return vmx_is_canonical(val) && vmcs_write_raw(vmcs_field_for(msr), val) == 0;
}

static bool read_switched(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    *val = cpu_switch_read_msr(v, cpu_switch_msr_slot(msr));
    return true;
}

static bool write_switched(struct vcpu *v, uint32_t msr, uint64_t val)
{
    return cpu_switch_write_msr(v, cpu_switch_msr_slot(msr), val);
}

static bool read_zero(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    UNUSED(v), UNUSED(msr);
    *val = 0;
    return true;
}

static bool write_ignored(struct vcpu *v, uint32_t msr, uint64_t val)
{
    UNUSED(v), UNUSED(msr), UNUSED(val);
    return true;
}

static bool write_refused(struct vcpu *v, uint32_t msr, uint64_t val)
{
    UNUSED(v), UNUSED(msr), UNUSED(val);
    return false;
}

static bool read_tsc(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    UNUSED(v), UNUSED(msr);
    *val = rdtsc();   /* the TSC is not offset: RDTSC reads the same */
    return true;
}

/* Locked, VMX and SMX off: the guest has no VMX (CPUID.1:ECX[5] = 0). */
static bool read_feature_control(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    UNUSED(v), UNUSED(msr);
    *val = FEATURE_CONTROL_LOCK;
    return true;
}

static bool read_misc_enable(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    UNUSED(v), UNUSED(msr);
    *val = MISC_ENABLE_FAST_STRINGS | MISC_ENABLE_BTS_UNAVAILABLE | MISC_ENABLE_PEBS_UNAVAILABLE;
    return true;
}

static bool read_pat(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    UNUSED(v), UNUSED(msr);
    *val = vmcs_read64(GUEST_IA32_PAT);
    return true;
}

static bool write_pat(struct vcpu *v, uint32_t msr, uint64_t val)
{
    UNUSED(v), UNUSED(msr);
    return x86_pat_valid(val) && vmcs_write64(GUEST_IA32_PAT, val) == 0;
}

static bool read_sysenter_cs(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    UNUSED(v), UNUSED(msr);
    *val = vmcs_read32(GUEST_SYSENTER_CS);
    return true;
}

static bool write_sysenter_cs(struct vcpu *v, uint32_t msr, uint64_t val)
{
    UNUSED(v), UNUSED(msr);
    return !(val >> 32) && vmcs_write32(GUEST_SYSENTER_CS, val) == 0;
}

/* DEBUGCTL lives in the VMCS (load/save debug controls). None of its
   features (LBR, BTF, ...) is virtualized: only 0 can be written. */
static bool read_debugctl(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    UNUSED(v), UNUSED(msr);
    *val = vmcs_read64(GUEST_IA32_DEBUGCTL);
    return true;
}

static bool write_debugctl(struct vcpu *v, uint32_t msr, uint64_t val)
{
    UNUSED(v), UNUSED(msr);
    return val == 0 && vmcs_write64(GUEST_IA32_DEBUGCTL, 0) == 0;
}

static bool read_efer(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    UNUSED(v), UNUSED(msr);
    *val = vmcs_read64(GUEST_IA32_EFER);
    return true;
}

/* Reserved bits are #GP; LMA is the CPU's to set (writes keep it); LME
   may not change while paging is on (SDM Vol. 3A 9.8.5, Vol. 4 2-2). */
static bool write_efer(struct vcpu *v, uint32_t msr, uint64_t val)
{
    UNUSED(v), UNUSED(msr);
    uint64_t old = vmcs_read64(GUEST_IA32_EFER);
    if (val & ~(EFER_WRITABLE | EFER_LMA))
        return false;
    if (((val ^ old) & EFER_LME) && (vmcs_readnat(GUEST_CR0) & CR0_PG))
        return false;
    return vmcs_write64(GUEST_IA32_EFER, (val & EFER_WRITABLE) | (old & EFER_LMA)) == 0;
}

static const struct msr_policy msr_policy[] = {
    {MSR_TSC, read_tsc, write_ignored},
    {MSR_PLATFORM_ID, read_zero, write_refused},
    {MSR_IA32_FEATURE_CONTROL, read_feature_control, write_refused},
    {MSR_UCODE_REV, read_zero, write_ignored},   /* no microcode update; Linux writes 0 first */
    {MSR_SYSENTER_CS, read_sysenter_cs, write_sysenter_cs},
    {MSR_SYSENTER_ESP, read_vmcs, write_vmcs},
    {MSR_SYSENTER_EIP, read_vmcs, write_vmcs},
    {MSR_MISC_ENABLE, read_misc_enable, write_ignored},
    {MSR_DEBUGCTL, read_debugctl, write_debugctl},
    {MSR_PAT, read_pat, write_pat},
    {MSR_EFER, read_efer, write_efer},
    {MSR_STAR, read_switched, write_switched},
    {MSR_LSTAR, read_switched, write_switched},
    {MSR_CSTAR, read_switched, write_switched},
    {MSR_FMASK, read_switched, write_switched},
    {MSR_FS_BASE, read_vmcs, write_vmcs},
    {MSR_GS_BASE, read_vmcs, write_vmcs},
    {MSR_KERNEL_GS_BASE, read_switched, write_switched},
    {MSR_TSC_AUX, read_switched, write_switched},
};

static const struct msr_policy *policy_for(uint32_t msr)
{
    for (size_t i = 0; i < ARRAY_SIZE(msr_policy); i++)
        if (msr_policy[i].msr == msr)
            return &msr_policy[i];
    return NULL;
}

enum exit_action exit_msr_read(struct vcpu *v)
{
    uint32_t msr = (uint32_t)v->gpr[GPR_RCX];
    const struct msr_policy *p = policy_for(msr);
    uint64_t val;
    v->exit->qualification = msr;   /* traced as the MSR number */
    key_counts_add(&v->msr_indices, msr);
    if (!p || !p->read(v, msr, &val))
        return exit_inject_gp(v);
    v->gpr[GPR_RAX] = (uint32_t)val;
    v->gpr[GPR_RDX] = val >> 32;
    exit_skip_instruction(v);
    return EXIT_RESUME;
}

enum exit_action exit_msr_write(struct vcpu *v)
{
    uint32_t msr = (uint32_t)v->gpr[GPR_RCX];
    const struct msr_policy *p = policy_for(msr);
    uint64_t val = (v->gpr[GPR_RDX] << 32) | (uint32_t)v->gpr[GPR_RAX];
    v->exit->qualification = msr;
    key_counts_add(&v->msr_indices, msr);
    if (!p || !p->write(v, msr, val))
        return exit_inject_gp(v);
    exit_skip_instruction(v);
    return EXIT_RESUME;
}
