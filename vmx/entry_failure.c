/*
 * VM entries that fail: the VMLAUNCH/VMRESUME instruction itself
 * (VMfailInvalid/VMfailValid, SDM 30.2, nothing of the guest ran) or the
 * entry after its checks (exit reason bit 31, SDM 26.7). Both run the
 * software entry checker (entry_check.c) on what the VMCS really holds, so
 * the stop reason names the broken SDM rule.
 * vCPU thread, interrupts off, the vCPU's VMCS current.
 */
#include "entry_failure.h"
#include "kprintf.h"
#include "kstring.h"
#include "vm_internal.h"
#include "vmcs.h"
#include "vmx.h"
#include "vmx_entry.h"

int entry_failure_check_vmcs(struct vcpu *v, char *first, size_t size)
{
    struct vmx_entry_state s;
    struct entry_check_result r;
    vmcs_read_state(&s);
    s.host_ia32e = (s.host.efer & EFER_LMA) != 0;
    int n = vmx_entry_check(&s, &vmx.caps, &r);
    for (int i = 0; i < n && i < ENTRY_CHECK_MAX_MSGS; i++)
        kprintf("[vm%d] vcpu %d entry check: %s\n", vm_id(v->vm), v->index, r.msg[i]);
    if (n && first)
        strlcpy(first, r.msg[0], size);
    return n;
}

void entry_failure_instruction(struct vcpu *v, int rc)
{
    v->stats.failed_entries++;
    if (rc == VMX_ENTER_FAIL_INVALID) {
        vcpu_stop(v, VM_STOP_ENTRY_FAILED, "entry failed: VMfailInvalid (no current VMCS)");
        return;
    }
    uint32_t err = vmcs_read32(VM_INSTRUCTION_ERROR);
    char why[ENTRY_CHECK_MSG_LEN] = "no rule of the software check names it";
    entry_failure_check_vmcs(v, why, sizeof(why));
    vcpu_stop(v, VM_STOP_ENTRY_FAILED, "entry failed: %s (%s)", vmx_insn_error_name(err), why);
}

enum exit_action exit_entry_failed(struct vcpu *v)
{
    static const char *const quals[] = {"", "", " (PDPTE load)", " (NMI injection blocked)", " (VMCS link pointer)"};
    uint32_t basic = EXIT_REASON_BASIC(v->exit->reason);
    uint64_t q = vmcs_readnat(EXIT_QUALIFICATION);
    v->launched = VCPU_LAUNCH;   /* a failed VMLAUNCH leaves the VMCS clear */
    v->stats.failed_entries++;
    char why[ENTRY_CHECK_MSG_LEN] = "no rule of the software check names it";
    entry_failure_check_vmcs(v, why, sizeof(why));
    if (basic == EXIT_REASON_INVALID_STATE)
        return vcpu_stop(v, VM_STOP_ENTRY_FAILED, "entry failed: invalid guest state%s (%s)",
                         q < ARRAY_SIZE(quals) ? quals[q] : "", why);
    return vcpu_stop(v, VM_STOP_ENTRY_FAILED, "entry failed: %s (qualification 0x%lx)",
                     vmx_exit_reason_name(basic), q);
}
