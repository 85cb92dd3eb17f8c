/*
 * Capability MSR reading (only the ones that exist), the one-line summary for
 * the boot log and the adjustment of control words (SDM Appendix A). Pure
 * logic: MSRs come in through a callback; host unit tests cover it all.
 */
#include "errno.h"
#include "format.h"
#include "vmx_caps.h"

#define PROC_ALLOWS_SECONDARY (1ull << 63)          /* 0x482[63]: bit 31 may be 1 */
#define PROC2_ALLOWS_EPT (1ull << (32 + 1))         /* 0x48B[33] */
#define PROC2_ALLOWS_VPID (1ull << (32 + 5))        /* 0x48B[37] */
#define PROC2_ALLOWS_VMFUNC (1ull << (32 + 13))     /* 0x48B[45] */

void vmx_caps_read(struct vmx_caps *c, vmx_msr_reader rd, void *ctx)
{
    unsigned keep_maxphy = c->maxphyaddr ? c->maxphyaddr : 36;
    *c = (struct vmx_caps){0};
    c->maxphyaddr = keep_maxphy;
    c->basic = rd(MSR_IA32_VMX_BASIC, ctx);
    c->true_ctls = (c->basic & VMX_BASIC_TRUE_CTLS) != 0;
    c->pin = rd(c->true_ctls ? MSR_IA32_VMX_TRUE_PINBASED_CTLS : MSR_IA32_VMX_PINBASED_CTLS, ctx);
    c->proc = rd(c->true_ctls ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS : MSR_IA32_VMX_PROCBASED_CTLS, ctx);
    c->exit = rd(c->true_ctls ? MSR_IA32_VMX_TRUE_EXIT_CTLS : MSR_IA32_VMX_EXIT_CTLS, ctx);
    c->entry = rd(c->true_ctls ? MSR_IA32_VMX_TRUE_ENTRY_CTLS : MSR_IA32_VMX_ENTRY_CTLS, ctx);
    c->misc = rd(MSR_IA32_VMX_MISC, ctx);
    c->cr0_fixed0 = rd(MSR_IA32_VMX_CR0_FIXED0, ctx);
    c->cr0_fixed1 = rd(MSR_IA32_VMX_CR0_FIXED1, ctx);
    c->cr4_fixed0 = rd(MSR_IA32_VMX_CR4_FIXED0, ctx);
    c->cr4_fixed1 = rd(MSR_IA32_VMX_CR4_FIXED1, ctx);
    c->vmcs_enum = rd(MSR_IA32_VMX_VMCS_ENUM, ctx);
    /* 0x48B exists only if primary bit 31 may be 1 (A.3.2); the TRUE MSR's
       allowed-1 half equals the plain one's, so either can be asked. */
    if (c->proc & PROC_ALLOWS_SECONDARY)
        c->proc2 = rd(MSR_IA32_VMX_PROCBASED_CTLS2, ctx);
    if (c->proc2 & (PROC2_ALLOWS_EPT | PROC2_ALLOWS_VPID))
        c->ept_vpid = rd(MSR_IA32_VMX_EPT_VPID_CAP, ctx);
    if (c->proc2 & PROC2_ALLOWS_VMFUNC)
        c->vmfunc = rd(MSR_IA32_VMX_VMFUNC, ctx);
}

/* Append text to buf at *len, never overrunning size. */
static void append(char *buf, size_t size, int *len, const char *text)
{
    int n = ksnprintf(buf + *len, (size_t)*len < size ? size - (size_t)*len : 0, "%s", text);
    *len += n;
}

static void append_ept(const struct vmx_caps *c, char *buf, size_t size, int *len)
{
    static const struct {
        uint64_t bit;
        const char *text;
    } ept_bits[] = {{EPT_CAP_WALK4, "4-level"}, {EPT_CAP_WALK5, "5-level"}, {EPT_CAP_2M, "2M"},
                    {EPT_CAP_1G, "1G"}, {EPT_CAP_AD, "A/D"}};
    bool first = true;
    append(buf, size, len, "EPT(");
    for (size_t i = 0; i < ARRAY_SIZE(ept_bits); i++) {
        if (!(c->ept_vpid & ept_bits[i].bit))
            continue;
        append(buf, size, len, first ? "" : ", ");
        append(buf, size, len, ept_bits[i].text);
        first = false;
    }
    append(buf, size, len, ")");
}

int vmx_caps_describe(const struct vmx_caps *c, char *buf, size_t size)
{
    int len = ksnprintf(buf, size, "VT-x rev 0x%x:", VMX_BASIC_REVISION(c->basic));
    const char *sep = " ";
    if (vmx_cap_allows(c->proc2, SECONDARY_EXEC_ENABLE_EPT)) {
        append(buf, size, &len, sep);
        append_ept(c, buf, size, &len);
        sep = ", ";
    }
    const struct {
        bool on;
        const char *text;
    } feats[] = {
        {vmx_cap_allows(c->proc2, SECONDARY_EXEC_UNRESTRICTED_GUEST), "unrestricted guest"},
        {vmx_cap_allows(c->proc2, SECONDARY_EXEC_ENABLE_VPID), "VPID"},
        {vmx_cap_allows(c->pin, PIN_BASED_PREEMPTION_TIMER), "preemption timer"},
        {c->true_ctls, "TRUE controls"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(feats); i++) {
        if (!feats[i].on)
            continue;
        append(buf, size, &len, sep);
        append(buf, size, &len, feats[i].text);
        sep = ", ";
    }
    return len;
}

int vmx_ctl_adjust(uint64_t cap_msr, uint32_t wanted, uint32_t optional, uint32_t *out, uint32_t *missing)
{
    uint32_t allowed0 = (uint32_t)cap_msr, allowed1 = (uint32_t)(cap_msr >> 32);
    uint32_t ctl = (wanted | optional | allowed0) & allowed1;
    *out = ctl;
    *missing = wanted & ~ctl;
    return *missing ? -ENODEV : 0;
}

/* Adjust one word; on a missing bit name it in why. */
static int adjust_named(enum vmx_ctl_kind kind, uint64_t cap, uint32_t wanted, uint32_t optional,
                        uint32_t *out, char *why, size_t why_size)
{
    uint32_t missing;
    if (vmx_ctl_adjust(cap, wanted, optional, out, &missing) == 0)
        return 0;
    unsigned bit = (unsigned)__builtin_ctz(missing);
    const char *name = vmx_ctl_bit_name(kind, bit);
    if (name)
        ksnprintf(why, why_size, "%s control '%s'", vmx_ctl_kind_name(kind), name);
    else
        ksnprintf(why, why_size, "%s control bit %u", vmx_ctl_kind_name(kind), bit);
    return -ENODEV;
}

/*
 * What we ask for, and why:
 *  pin:   external interrupts exit (the host timer preempts any guest), and
 *         NMIs (a host NMI goes to the host's handler, never into a guest);
 *         preemption timer when offered (per-VM time limit).
 *  proc:  HLT, MWAIT and MONITOR exit; all I/O and MSR accesses exit through
 *         all-ones bitmaps; MOV to/from CR8 exits (the guest's TPR is its
 *         own, never the host's APIC TPR); secondary controls.
 *  proc2: EPT + unrestricted guest (real-mode and paging-off guests), VPID;
 *         RDTSCP, INVPCID and XSAVES where offered so guests do not get #UD.
 *  exit:  64-bit host; save/load EFER and PAT so guest values never leak;
 *         save debug controls (the guest's DR7 and DEBUGCTL survive exits).
 *  entry: load EFER, PAT and debug controls (IA-32e mode guest is added
 *         per vCPU).
 * "Acknowledge interrupt on exit" stays 0: the interrupt remains pending and
 * the host IDT takes it as soon as the vCPU thread enables interrupts.
 */
int vmx_controls_compute(const struct vmx_caps *c, struct vmx_controls *o, char *why, size_t why_size)
{
    if (!c->proc2)
        return ksnprintf(why, why_size, "no secondary processor-based controls (needed for EPT)"), -ENODEV;
    if (adjust_named(VMX_CTL_PIN, c->pin, PIN_BASED_EXT_INTR_EXITING | PIN_BASED_NMI_EXITING, PIN_BASED_PREEMPTION_TIMER, &o->pin, why, why_size) ||
        adjust_named(VMX_CTL_PROC, c->proc,
                     CPU_BASED_HLT_EXITING | CPU_BASED_USE_IO_BITMAPS | CPU_BASED_USE_MSR_BITMAPS |
                         CPU_BASED_CR8_LOAD_EXITING | CPU_BASED_CR8_STORE_EXITING | CPU_BASED_SECONDARY_CONTROLS,
                     CPU_BASED_MWAIT_EXITING | CPU_BASED_MONITOR_EXITING, &o->proc, why, why_size) ||
        adjust_named(VMX_CTL_PROC2, c->proc2,
                     SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_UNRESTRICTED_GUEST,
                     SECONDARY_EXEC_ENABLE_VPID | SECONDARY_EXEC_ENABLE_RDTSCP | SECONDARY_EXEC_ENABLE_INVPCID |
                         SECONDARY_EXEC_ENABLE_XSAVES,
                     &o->proc2, why, why_size) ||
        adjust_named(VMX_CTL_EXIT, c->exit,
                     VM_EXIT_HOST_ADDR_SPACE_SIZE | VM_EXIT_SAVE_EFER | VM_EXIT_LOAD_EFER | VM_EXIT_SAVE_PAT |
                         VM_EXIT_LOAD_PAT | VM_EXIT_SAVE_DEBUG_CONTROLS,
                     0, &o->exit, why, why_size) ||
        adjust_named(VMX_CTL_ENTRY, c->entry, VM_ENTRY_LOAD_EFER | VM_ENTRY_LOAD_PAT | VM_ENTRY_LOAD_DEBUG_CONTROLS, 0, &o->entry, why, why_size))
        return -ENODEV;
    if (!(c->ept_vpid & EPT_CAP_WALK4) || !(c->ept_vpid & EPT_CAP_WB))
        return ksnprintf(why, why_size, "EPT without 4-level walk or write-back memory type"), -ENODEV;
    if (!(c->ept_vpid & EPT_CAP_INVEPT) || !(c->ept_vpid & (EPT_CAP_INVEPT_SINGLE | EPT_CAP_INVEPT_ALL)))
        return ksnprintf(why, why_size, "no INVEPT"), -ENODEV;
    /* Keep the timer value across exits when we can (25.5.1); needs pin bit 6. */
    if ((o->pin & PIN_BASED_PREEMPTION_TIMER) && vmx_cap_allows(c->exit, VM_EXIT_SAVE_PREEMPTION_TIMER))
        o->exit |= VM_EXIT_SAVE_PREEMPTION_TIMER;
    /* VPID without INVVPID would leave stale translations: drop it. */
    if (!(c->ept_vpid & VPID_CAP_INVVPID))
        o->proc2 &= ~(uint32_t)SECONDARY_EXEC_ENABLE_VPID;
    return 0;
}
