/*
 * Guest linear -> guest-physical translation for the exit handlers that
 * emulate a memory access themselves (INS/OUTS, exit_io.c): a software walk
 * of the guest's own page tables in its current paging mode (SDM Vol. 3A
 * 4.3 32-bit, 4.4 PAE, 4.5 4-level), reading the tables through the EPT.
 * Only presence is checked (no R/W/U, no A/D updates, no PSE-36 high bits).
 * vCPU thread, interrupts off, the vCPU's VMCS current.
 */
#include "errno.h"
#include "exit.h"
#include "guest_paging.h"
#include "kstring.h"
#include "vm_internal.h"
#include "vmx.h"
#include "x86.h"

#define PTE_P 1ull
#define PTE_PS 0x80ull
#define ADDR_52 0x000FFFFFFFFFF000ull

struct walk {
    struct vcpu *v;
    uint64_t *gpa;   /* out: the result, or the GPA of an unreadable table entry */
};

/* Read the bytes-sized paging entry at gpa: 0, or -ENXIO (*w->gpa = gpa)
   when the guest cannot read that memory (the CPU's walk would cause an EPT
   violation there). */
static int read_entry(struct walk *w, uint64_t gpa, unsigned bytes, uint64_t *out)
{
    uint8_t *p = vm_gpa_to_host(w->v->vm, gpa, EPT_R);
    if (!p) {
        *w->gpa = gpa;
        return -ENXIO;
    }
    *out = 0;
    memcpy(out, p, bytes);   /* entries are naturally aligned: never crosses a page */
    return 0;
}

/* Walk `levels` levels of 8-byte entries (9 index bits each) from table;
   large pages allowed at levels 2 and 3 (only 2 with pae). */
static int walk64(struct walk *w, uint64_t table, uint64_t lin, int levels, bool pae)
{
    uint64_t e;
    for (int level = levels; level >= 1; level--) {
        unsigned shift = 12 + 9 * (unsigned)(level - 1);
        int err = read_entry(w, table + ((lin >> shift) & 511) * 8, 8, &e);
        if (err < 0)
            return err;
        if (!(e & PTE_P))
            return -EFAULT;
        bool large = level == 2 || (level == 3 && !pae);
        if (level == 1 || (large && (e & PTE_PS))) {
            uint64_t mask = (1ull << shift) - 1;
            *w->gpa = (e & ADDR_52 & ~mask) | (lin & mask);
            return 0;
        }
        table = e & ADDR_52;
    }
    return -EFAULT;
}

/* PAE paging (SDM Vol. 3A 4.4): 4 PDPTEs at CR3[31:5], then a 2-level walk. */
static int walk_pae(struct walk *w, uint64_t cr3, uint64_t lin)
{
    uint64_t pdpte;
    int err = read_entry(w, (cr3 & 0xFFFFFFE0u) + ((lin >> 30) & 3) * 8, 8, &pdpte);
    if (err < 0)
        return err;
    if (!(pdpte & PTE_P))
        return -EFAULT;
    return walk64(w, pdpte & ADDR_52, lin, 2, true);
}

/* 32-bit paging (SDM Vol. 3A 4.3): PDE (4 MiB page if PS and CR4.PSE), PTE. */
static int walk32(struct walk *w, uint64_t cr3, uint64_t cr4, uint64_t lin)
{
    uint64_t e;
    int err = read_entry(w, (cr3 & 0xFFFFF000u) + ((lin >> 22) & 1023) * 4, 4, &e);
    if (err < 0)
        return err;
    if (!(e & PTE_P))
        return -EFAULT;
    if ((e & PTE_PS) && (cr4 & CR4_PSE)) {
        *w->gpa = (e & 0xFFC00000u) | (lin & 0x3FFFFF);
        return 0;
    }
    if ((err = read_entry(w, (e & 0xFFFFF000u) + ((lin >> 12) & 1023) * 4, 4, &e)) < 0)
        return err;
    if (!(e & PTE_P))
        return -EFAULT;
    *w->gpa = (e & 0xFFFFF000u) | (lin & 0xFFF);
    return 0;
}

int vcpu_linear_to_gpa(struct vcpu *v, uint64_t lin, uint64_t *gpa)
{
    uint64_t cr0 = vmcs_readnat(GUEST_CR0), cr3 = vmcs_readnat(GUEST_CR3), cr4 = vmcs_readnat(GUEST_CR4);
    struct walk w = {v, gpa};
    bool ia32e = (vmcs_read64(GUEST_IA32_EFER) & EFER_LMA) != 0;
    if (!ia32e)
        lin &= 0xFFFFFFFFull;   /* linear addresses wrap at 4 GiB outside IA-32e mode */
    if (!(cr0 & CR0_PG)) {
        *gpa = lin;
        return 0;
    }
    if (ia32e)
        return walk64(&w, cr3 & ADDR_52, lin, 4, false);
    if (cr4 & CR4_PAE)
        return walk_pae(&w, cr3, lin);
    return walk32(&w, cr3, cr4, lin);
}
