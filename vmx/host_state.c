/*
 * Host state for the VMCS, taken from the running kernel (SDM Vol. 3C 24.5,
 * 26.2.2-26.2.4): control registers, selectors, the FS/GS/TR/GDTR/IDTR
 * bases, EFER, PAT and the SYSENTER MSRs. HOST_RSP is kept current by
 * entry.asm; HOST_RIP is its exit label. Call on the vCPU's own thread
 * (CR3, GS base and the stack are per thread); interrupts don't matter.
 */
#include "gdt.h"
#include "vmx_state.h"
#include "vmx_entry.h"
#include "x86.h"

struct desc_ptr {
    uint16_t limit;
    uint64_t base;
} PACKED;

static uint16_t read_sel(int which)
{
    uint16_t v = 0;
    switch (which) {
    case SEG_CS: __asm__ volatile("mov %%cs, %0" : "=r"(v)); break;
    case SEG_SS: __asm__ volatile("mov %%ss, %0" : "=r"(v)); break;
    case SEG_DS: __asm__ volatile("mov %%ds, %0" : "=r"(v)); break;
    case SEG_ES: __asm__ volatile("mov %%es, %0" : "=r"(v)); break;
    case SEG_FS: __asm__ volatile("mov %%fs, %0" : "=r"(v)); break;
    case SEG_GS: __asm__ volatile("mov %%gs, %0" : "=r"(v)); break;
    case SEG_TR: __asm__ volatile("str %0" : "=r"(v)); break;
    }
    return v;
}

void vmx_host_state_capture(struct vmx_host_state *h)
{
    // SOLUTION(V2-vmcs) BEGIN: every field of *h from the running kernel: CRs, selectors, FS/GS/TR/GDTR/IDTR bases, SYSENTER, EFER, PAT; rip = vmx_exit_entry
    // SOLUTION(V2-vmcs) STUB: (void)read_sel;
    // SOLUTION(V2-vmcs) STUB: *h = (struct vmx_host_state){0};
    struct desc_ptr idtr;
    __asm__ volatile("sidt %0" : "=m"(idtr));
    h->cr0 = read_cr0();
    h->cr3 = read_cr3();
    h->cr4 = read_cr4();
    h->cs = read_sel(SEG_CS);
    h->ss = read_sel(SEG_SS);
    /* A host data selector with RPL/TI bits is illegal (26.2.3); the kernel
       may run with null DS/ES/FS/GS in 64-bit mode, which is fine. */
    h->ds = read_sel(SEG_DS);
    h->es = read_sel(SEG_ES);
    h->fs = read_sel(SEG_FS);
    h->gs = read_sel(SEG_GS);
    h->tr = read_sel(SEG_TR);
    h->fs_base = rdmsr(MSR_FS_BASE);
    h->gs_base = rdmsr(MSR_GS_BASE);
    h->tr_base = tss_base();
    h->gdtr_base = gdt_base();
    h->idtr_base = idtr.base;
    h->sysenter_cs = (uint32_t)rdmsr(MSR_SYSENTER_CS);
    h->sysenter_esp = rdmsr(MSR_SYSENTER_ESP);
    h->sysenter_eip = rdmsr(MSR_SYSENTER_EIP);
    h->efer = rdmsr(MSR_EFER);
    h->pat = rdmsr(MSR_PAT);
    h->rsp = 0;   /* written by vmx_enter before every entry */
    h->rip = (uint64_t)vmx_exit_entry;
    // SOLUTION(V2-vmcs) END
}
