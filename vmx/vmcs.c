/*
 * VMCS regions and the failure side of the VMX instruction wrappers.
 *
 * A VMCS region is one page whose first word is the revision id from
 * IA32_VMX_BASIC (SDM 24.2). Launch state: VMCLEAR makes it "clear";
 * the first entry must be VMLAUNCH, later ones VMRESUME (SDM 24.1); the vCPU
 * keeps that state in vcpu->launched. Called in VMX root operation.
 */
#include "errno.h"
#include "kprintf.h"
#include "panic.h"
#include "paging.h"
#include "pmm.h"
#include "vmcs.h"
#include "vmx.h"
#include "vmx_ops.h"

uint64_t vmx_op_failures;

static const char *const op_names[] = {
    [VMXOP_VMXON] = "VMXON",   [VMXOP_VMCLEAR] = "VMCLEAR", [VMXOP_VMPTRLD] = "VMPTRLD",
    [VMXOP_VMREAD] = "VMREAD", [VMXOP_VMWRITE] = "VMWRITE", [VMXOP_INVEPT] = "INVEPT",
    [VMXOP_INVVPID] = "INVVPID", [VMXOP_VMXOFF] = "VMXOFF",
};

/* Which of VMfailInvalid / VMfailValid happened: re-derive it from whether a
   VMCS is current (VMfailInvalid is the only outcome without one, SDM 30.2). */
int vmx_op_failed(enum vmx_op op, uint64_t operand)
{
    vmx_op_failures++;
    const char *field = (op == VMXOP_VMREAD || op == VMXOP_VMWRITE) ? vmcs_field_name((uint32_t)operand) : NULL;
    uint64_t current = vmptrst();
    if (current == ~0ull || op == VMXOP_VMXON) {
        kprintf("vmx: %s 0x%lx%s%s%s failed: VMfailInvalid\n", op_names[op], operand, field ? " (" : "",
                field ? field : "", field ? ")" : "");
        return -EIO;
    }
    uint32_t err = (uint32_t)vmcs_read_raw(VM_INSTRUCTION_ERROR);
    kprintf("vmx: %s 0x%lx%s%s%s failed: VMfailValid(%u) %s\n", op_names[op], operand, field ? " (" : "",
            field ? field : "", field ? ")" : "", err, vmx_insn_error_name(err));
    return -EIO;
}

void vmcs_width_mismatch_runtime(uint32_t field, unsigned width)
{
    const char *name = vmcs_field_name(field);
    panic("VMCS field 0x%x (%s) has width %u, accessed as width %u", field, name ? name : "?",
          VMCS_FIELD_WIDTH(field), width);
}

uint64_t vmcs_alloc(void)
{
    uint64_t page = pmm_alloc_page();
    if (!page)
        return 0;
    // SOLUTION(V2-vmcs) BEGIN: revision id from IA32_VMX_BASIC into the first word (SDM 24.2), VMCLEAR it (launch state clear); undo on failure
    *(uint32_t *)phys_to_virt(page) = VMX_BASIC_REVISION(vmx.caps.basic);
    if (vmclear(page) < 0) {
        pmm_free_page(page);
        return 0;
    }
    // SOLUTION(V2-vmcs) END
    return page;
}

void vmcs_free(uint64_t phys)
{
    if (!phys)
        return;
    /* Flush any cached copy and make it inactive before the page is reused. */
    vmclear(phys);
    pmm_free_page(phys);
}

uint64_t vmcs_read_field(uint32_t field) { return vmcs_read_raw(field); }

int vmcs_write_field(uint32_t field, uint64_t value) { return vmcs_write_raw(field, value); }

/* VMREAD/VMWRITE without logging, for probing which fields exist. */
int vmcs_try_read(uint32_t field, uint64_t *val)
{
    uint64_t v = 0;
    uint8_t bad;
    __asm__ volatile("vmread %2, %0; setbe %1" : "=r"(v), "=qm"(bad) : "r"((uint64_t)field) : "cc");
    *val = v;
    return bad ? (int)vmcs_read_raw(VM_INSTRUCTION_ERROR) : 0;
}

int vmcs_try_write(uint32_t field, uint64_t val)
{
    uint8_t bad;
    __asm__ volatile("vmwrite %1, %2; setbe %0" : "=qm"(bad) : "rm"(val), "r"((uint64_t)field) : "cc");
    return bad ? (int)vmcs_read_raw(VM_INSTRUCTION_ERROR) : 0;
}
