/*
 * Guest linear -> guest-physical translation for the exit handlers that
 * emulate a memory access themselves (INS/OUTS, exit_io.c): a software walk
 * of the guest's own page tables in its current paging mode (SDM Vol. 3A
 * 4.3 32-bit, 4.4 PAE, 4.5 4-level), reading the tables through the EPT,
 * with the access rights the CPU applies to a data access (4.6: U/S for
 * CPL 3, R/W for writes by CPL 3 or with CR0.WP, SMAP for supervisor
 * accesses to user pages unless RFLAGS.AC) and the accessed and dirty
 * flags it sets (4.8). No PSE-36 high bits, no reserved-bit checks;
 * protection keys are not enabled for guests.
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
#define PTE_RW 2ull
#define PTE_US 4ull
#define PTE_A 0x20ull
#define PTE_D 0x40ull
#define PTE_PS 0x80ull
#define ADDR_52 0x000FFFFFFFFFF000ull

struct walk {
    struct vcpu *v;
    uint64_t *gpa;        /* out: the result, or the GPA of an unreadable table entry */
    unsigned access;      /* GUEST_ACCESS_* */
    bool rw, us;          /* AND of R/W and U/S over the levels so far */
    uint32_t *pf_error;   /* out: the #PF error code on -EFAULT */
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

/* Set flags (A, D) in the entry at gpa as the CPU's walk does (SDM 4.8);
   only where the guest may write the table (an EPT-read-only table keeps
   its flags: the CPU would take an EPT violation there). */
static void set_flags(struct walk *w, uint64_t gpa, uint64_t entry, uint64_t flags)
{
    if ((entry & flags) == flags || (w->access & GUEST_ACCESS_PEEK))
        return;
    uint8_t *p = vm_gpa_to_host(w->v->vm, gpa, EPT_W);
    if (p)
        *p |= (uint8_t)flags;   /* both flags are in the low byte */
}

/* The page was not there (P = 0): error code with P = 0. */
static int not_present(struct walk *w)
{
    *w->pf_error = ((w->access & GUEST_ACCESS_WRITE) ? PF_ERR_WRITE : 0) |
                   ((w->access & GUEST_ACCESS_USER) ? PF_ERR_USER : 0);
    return -EFAULT;
}

/* The translation exists; may this access use it (SDM 4.6.1)? */
static int check_rights(struct walk *w)
{
    if (w->access & GUEST_ACCESS_PEEK)
        return 0;
    bool user = (w->access & GUEST_ACCESS_USER) != 0, write = (w->access & GUEST_ACCESS_WRITE) != 0;
    uint64_t cr0 = vmcs_readnat(GUEST_CR0), cr4 = vmcs_readnat(GUEST_CR4);
    bool ok = true;
    if (user)
        ok = w->us && (!write || w->rw);
    else if (write && !w->rw && (cr0 & CR0_WP))
        ok = false;
    if (!user && w->us && (cr4 & CR4_SMAP) && !(vmcs_readnat(GUEST_RFLAGS) & RFLAGS_AC))
        ok = false;
    if (ok)
        return 0;
    *w->pf_error = PF_ERR_PRESENT | (write ? PF_ERR_WRITE : 0) | (user ? PF_ERR_USER : 0);
    return -EFAULT;
}

/* One entry on the way down: present, its rights into the running AND, its
   accessed flag set. false: not present. */
static bool take_entry(struct walk *w, uint64_t gpa, uint64_t e, bool has_rights)
{
    if (!(e & PTE_P))
        return false;
    if (has_rights) {
        w->rw = w->rw && (e & PTE_RW);
        w->us = w->us && (e & PTE_US);
    }
    return true;
}

/* The leaf maps the page: check the access, then set A (and D for a write). */
static int leaf(struct walk *w, uint64_t gpa, uint64_t e, uint64_t page, uint64_t lin, uint64_t mask)
{
    int err = check_rights(w);
    if (err)
        return err;
    set_flags(w, gpa, e, PTE_A | ((w->access & GUEST_ACCESS_WRITE) ? PTE_D : 0));
    *w->gpa = (page & ~mask) | (lin & mask);
    return 0;
}

/* Walk `levels` levels of 8-byte entries (9 index bits each) from table;
   large pages allowed at levels 2 and 3 (only 2 with pae). */
static int walk64(struct walk *w, uint64_t table, uint64_t lin, int levels, bool pae)
{
    uint64_t e;
    for (int level = levels; level >= 1; level--) {
        unsigned shift = 12 + 9 * (unsigned)(level - 1);
        uint64_t at = table + ((lin >> shift) & 511) * 8;
        int err = read_entry(w, at, 8, &e);
        if (err < 0)
            return err;
        if (!take_entry(w, at, e, true))
            return not_present(w);
        bool large = level == 2 || (level == 3 && !pae);
        if (level == 1 || (large && (e & PTE_PS)))
            return leaf(w, at, e, e & ADDR_52, lin, (1ull << shift) - 1);
        set_flags(w, at, e, PTE_A);
        table = e & ADDR_52;
    }
    return not_present(w);
}

/* PAE paging (SDM Vol. 3A 4.4): 4 PDPTEs at CR3[31:5] (no rights bits in
   them), then a 2-level walk. */
static int walk_pae(struct walk *w, uint64_t cr3, uint64_t lin)
{
    uint64_t pdpte, at = (cr3 & 0xFFFFFFE0u) + ((lin >> 30) & 3) * 8;
    int err = read_entry(w, at, 8, &pdpte);
    if (err < 0)
        return err;
    if (!take_entry(w, at, pdpte, false))
        return not_present(w);
    return walk64(w, pdpte & ADDR_52, lin, 2, true);
}

/* 32-bit paging (SDM Vol. 3A 4.3): PDE (4 MiB page if PS and CR4.PSE), PTE. */
static int walk32(struct walk *w, uint64_t cr3, uint64_t cr4, uint64_t lin)
{
    uint64_t e, at = (cr3 & 0xFFFFF000u) + ((lin >> 22) & 1023) * 4;
    int err = read_entry(w, at, 4, &e);
    if (err < 0)
        return err;
    if (!take_entry(w, at, e, true))
        return not_present(w);
    if ((e & PTE_PS) && (cr4 & CR4_PSE))
        return leaf(w, at, e, e & 0xFFC00000u, lin, 0x3FFFFF);
    set_flags(w, at, e, PTE_A);
    at = (e & 0xFFFFF000u) + ((lin >> 12) & 1023) * 4;
    if ((err = read_entry(w, at, 4, &e)) < 0)
        return err;
    if (!take_entry(w, at, e, true))
        return not_present(w);
    return leaf(w, at, e, e & 0xFFFFF000u, lin, 0xFFF);
}

static int translate(struct vcpu *v, uint64_t lin, unsigned access, uint64_t *gpa, uint32_t *pf_error)
{
    uint64_t cr0 = vmcs_readnat(GUEST_CR0), cr3 = vmcs_readnat(GUEST_CR3), cr4 = vmcs_readnat(GUEST_CR4);
    uint32_t ignored;
    struct walk w = {v, gpa, access, true, true, pf_error ? pf_error : &ignored};
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

int vcpu_access_to_gpa(struct vcpu *v, uint64_t lin, unsigned access, uint64_t *gpa, uint32_t *pf_error)
{
    return translate(v, lin, access, gpa, pf_error);
}

int vcpu_linear_to_gpa(struct vcpu *v, uint64_t lin, uint64_t *gpa)
{
    return translate(v, lin, GUEST_ACCESS_PEEK, gpa, NULL);
}
