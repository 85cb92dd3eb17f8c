/*
 * EPT violation and misconfiguration exits (SDM 28.2.3). Guest memory is
 * never paged in on demand here, so both stop the VM with a decoded reason:
 * the guest-physical address, the access (read/write/fetch) and the rights
 * the EPT entry had, or for a misconfiguration the entries of the walk.
 * vCPU thread, interrupts off.
 */
#include "exit.h"
#include "kprintf.h"
#include "vm_internal.h"

static const char *access_name(uint64_t q)
{
    if (q & EPT_QUAL_WRITE)
        return "write";
    if (q & EPT_QUAL_FETCH)
        return "fetch";
    return "read";
}

enum exit_action exit_ept_violation(struct vcpu *v)
{
    uint64_t q = vmcs_readnat(EXIT_QUALIFICATION);
    v->exit->qualification = q;
    v->exit->gpa = vmcs_read64(GUEST_PHYSICAL_ADDRESS);
    char rights[4] = {(q & EPT_QUAL_READABLE) ? 'r' : '-', (q & EPT_QUAL_WRITABLE) ? 'w' : '-',
                      (q & EPT_QUAL_EXECUTABLE) ? 'x' : '-', 0};
    kprintf("[vm%d] EPT violation: %s at GPA 0x%lx, page rights %s%s (rip 0x%lx)\n", vm_id(v->vm),
            access_name(q), v->exit->gpa, rights, (q & EPT_RWX << 3) ? "" : " (not mapped)", v->exit->rip);
    return vcpu_stop(v, VM_STOP_EPT_VIOLATION, "EPT violation: %s at GPA 0x%lx (rip 0x%lx)", access_name(q),
                     v->exit->gpa, v->exit->rip);
}

enum exit_action exit_ept_stop(struct vcpu *v, uint64_t gpa, bool write)
{
    struct ept_walk w;
    bool mapped = ept_walk(&v->vm->ept, gpa, &w) == 0;
    char rights[4] = {(w.rights & EPT_R) ? 'r' : '-', (w.rights & EPT_W) ? 'w' : '-',
                      (w.rights & EPT_X) ? 'x' : '-', 0};
    const char *access = write ? "write" : "read";
    v->exit->gpa = gpa;
    kprintf("[vm%d] EPT violation: %s at GPA 0x%lx, page rights %s%s (rip 0x%lx)\n", vm_id(v->vm), access, gpa,
            rights, mapped ? "" : " (not mapped)", v->exit->rip);
    return vcpu_stop(v, VM_STOP_EPT_VIOLATION, "EPT violation: %s at GPA 0x%lx (rip 0x%lx)", access, gpa,
                     v->exit->rip);
}

enum exit_action exit_ept_misconfig(struct vcpu *v)
{
    v->exit->gpa = vmcs_read64(GUEST_PHYSICAL_ADDRESS);
    struct ept_walk w;
    ept_walk(&v->vm->ept, v->exit->gpa, &w);
    kprintf("[vm%d] EPT misconfiguration at GPA 0x%lx: PML4E %lx PDPTE %lx PDE %lx PTE %lx\n", vm_id(v->vm),
            v->exit->gpa, w.entries[0], w.entries[1], w.entries[2], w.entries[3]);
    return vcpu_stop(v, VM_STOP_EPT_MISCONFIG, "EPT misconfiguration at GPA 0x%lx (rip 0x%lx)", v->exit->gpa,
                     v->exit->rip);
}
