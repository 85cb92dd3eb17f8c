/*
 * Initial guest state for the three start modes (SDM Vol. 3C 26.3.1; the
 * recipes are in VMX-FACTS section 9). Pure: fills a struct, the VMCS is
 * written elsewhere (vmcs_state.c).
 *
 *   real    16-bit real mode at CS:IP = 0:rip (needs unrestricted guest)
 *   prot32  flat 32-bit protected mode, paging off (unrestricted guest)
 *   long64  64-bit mode with the caller's identity page tables at cr3
 *   reset   the power-on state (SDM Vol. 3A 9.1.4, Table 9-1)
 *   linux64 long64 with the Linux boot protocol's selectors
 */
#include "kstring.h"
#include "vmx_state.h"

#define AR_CODE_RX_ACCESSED 0xBu    /* type 11: execute/read, accessed */
#define AR_DATA_RW_ACCESSED 0x3u    /* type 3: read/write, accessed */
#define AR_TSS_BUSY_32 0xBu         /* 32/64-bit busy TSS */
#define AR_LDT 0x2u

static struct vmx_segment seg(uint16_t sel, uint64_t base, uint32_t limit, uint32_t ar)
{
    return (struct vmx_segment){sel, base, limit, ar};
}

/* CR0 honouring FIXED0/FIXED1; PE and PG are exempt under unrestricted guest (26.3.1.1). */
static uint64_t fixed_cr0(const struct vmx_caps *c, uint64_t want)
{
    uint64_t must1 = c->cr0_fixed0 & ~(CR0_PE | CR0_PG);
    return (want | must1) & c->cr0_fixed1;
}

static uint64_t fixed_cr4(const struct vmx_caps *c, uint64_t want)
{
    return (want | c->cr4_fixed0) & c->cr4_fixed1;
}

static void common_state(struct vmx_guest_state *g, uint64_t rip, uint64_t rsp)
{
    memset(g, 0, sizeof(*g));
    g->rip = rip;
    g->rsp = rsp;
    g->rflags = RFLAGS_FIXED1;
    g->dr7 = DR7_RESET;
    g->pat = 0x0007040600070406ull;     /* PAT power-on value (SDM Vol. 3A 11.12.4) */
    g->link_pointer = ~0ull;            /* no shadow VMCS */
    g->seg[SEG_LDTR] = seg(0, 0, 0, AR_UNUSABLE);
    g->activity = ACTIVITY_ACTIVE;
}

static void real_mode(struct vmx_guest_state *g, const struct vmx_caps *c)
{
    // SOLUTION(V2-vmcs) BEGIN: CR0 (ET; PE/PG off) and CR4 through the fixed bits; CS/DS..GS base 0 limit 0xFFFF usable; TR busy; IDTR = IVT at 0
    g->cr0 = fixed_cr0(c, CR0_ET);
    g->cr4 = fixed_cr4(c, 0);
    g->seg[SEG_CS] = seg(0, 0, 0xFFFF, AR_P | AR_S | AR_CODE_RX_ACCESSED);
    for (int s = SEG_ES; s <= SEG_GS; s++)
        if (s != SEG_CS)
            g->seg[s] = seg(0, 0, 0xFFFF, AR_P | AR_S | AR_DATA_RW_ACCESSED);
    g->seg[SEG_TR] = seg(0, 0, 0xFFFF, AR_P | AR_TSS_BUSY_32);
    g->idtr_limit = 0x3FF;              /* real-mode IVT at 0 */
    g->gdtr_limit = 0xFFFF;
    // SOLUTION(V2-vmcs) END
}

static void prot32_mode(struct vmx_guest_state *g, const struct vmx_caps *c)
{
    g->cr0 = fixed_cr0(c, CR0_PE | CR0_ET);
    g->cr4 = fixed_cr4(c, 0);
    g->seg[SEG_CS] = seg(0x08, 0, 0xFFFFFFFF, AR_G | AR_DB | AR_P | AR_S | AR_CODE_RX_ACCESSED);
    for (int s = SEG_ES; s <= SEG_GS; s++)
        if (s != SEG_CS)
            g->seg[s] = seg(0x10, 0, 0xFFFFFFFF, AR_G | AR_DB | AR_P | AR_S | AR_DATA_RW_ACCESSED);
    g->seg[SEG_TR] = seg(0, 0, 0xFFFF, AR_P | AR_TSS_BUSY_32);
}

/* SDM Vol. 3A 9.1.4 Table 9-1: CS selector F000 with base FFFF0000 and IP
   FFF0, so the first fetch is at FFFFFFF0; CR0 = 60000010 (CD, NW, ET);
   GDTR/IDTR base 0 limit FFFF; LDTR and TR present with limit FFFF. TR must
   be a busy TSS for VM entry (SDM 26.3.1.2), the LDT is left unusable. */
static void reset_mode(struct vmx_guest_state *g, const struct vmx_caps *c)
{
    real_mode(g, c);
    g->cr0 = fixed_cr0(c, CR0_CD | CR0_NW | CR0_ET);
    g->seg[SEG_CS] = seg(0xF000, 0xFFFF0000ull, 0xFFFF, AR_P | AR_S | AR_CODE_RX_ACCESSED);
    g->idtr_limit = 0xFFFF;
    g->rip = 0xFFF0;
    g->rsp = 0;
}

static void long64_mode(struct vmx_guest_state *g, const struct vmx_caps *c, uint64_t cr3, uint16_t cs,
                        uint16_t ds)
{
    g->cr0 = fixed_cr0(c, CR0_PE | CR0_PG | CR0_NE | CR0_ET);
    g->cr4 = fixed_cr4(c, CR4_PAE);
    g->cr3 = cr3;
    g->efer = EFER_LME | EFER_LMA;
    g->seg[SEG_CS] = seg(cs, 0, 0xFFFFFFFF, AR_G | AR_L | AR_P | AR_S | AR_CODE_RX_ACCESSED);
    for (int s = SEG_ES; s <= SEG_GS; s++)
        if (s != SEG_CS)
            g->seg[s] = seg(ds, 0, 0xFFFFFFFF, AR_G | AR_DB | AR_P | AR_S | AR_DATA_RW_ACCESSED);
    g->seg[SEG_TR] = seg(0, 0, 0x67, AR_P | AR_TSS_BUSY_32);
}

void vmx_guest_state_init(struct vmx_guest_state *g, const struct vmx_caps *caps, enum vmx_mode mode,
                          uint64_t rip, uint64_t rsp, uint64_t cr3, uint64_t gdtr_base, uint32_t gdtr_limit,
                          uint32_t *entry_ctl)
{
    common_state(g, rip, rsp);
    *entry_ctl &= ~(uint32_t)VM_ENTRY_IA32E_MODE_GUEST;
    switch (mode) {
    case VMX_MODE_REAL:
        real_mode(g, caps);
        break;
    case VMX_MODE_PROT32:
        prot32_mode(g, caps);
        break;
    case VMX_MODE_RESET:
        reset_mode(g, caps);
        break;
    case VMX_MODE_LONG64:
    case VMX_MODE_LINUX64:
        /* Linux: __BOOT_CS and __BOOT_DS (Documentation/arch/x86/boot.rst, 64-bit boot protocol) */
        long64_mode(g, caps, cr3, mode == VMX_MODE_LINUX64 ? 0x10 : 0x08, mode == VMX_MODE_LINUX64 ? 0x18 : 0x10);
        g->gdtr_base = gdtr_base;
        g->gdtr_limit = gdtr_limit;
        *entry_ctl |= VM_ENTRY_IA32E_MODE_GUEST;
        break;
    }
}
