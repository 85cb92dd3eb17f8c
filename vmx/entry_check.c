/*
 * Software VM-entry checker: the SDM Vol. 3C 26.2 (controls, host state) and
 * 26.3.1 (guest state) rules, applied to the state this kernel wrote, before
 * the first VMLAUNCH. Hardware only says "invalid guest state" (exit reason
 * 33) or "invalid control field" (error 7); this says which rule and why.
 * Pure: runs on the host in unit tests. Not every rule of the SDM is here;
 * the ones that matter for the controls and states this kernel uses are.
 */
#include "format.h"
#include "vmx_state.h"

struct checker {
    const struct vmx_entry_state *s;
    const struct vmx_caps *caps;
    struct entry_check_result *r;
};

/* Record a broken rule: "SDM <sec>: <text>". */
static void fail(struct checker *k, const char *sec, const char *fmt, ...) PRINTF_LIKE(3, 4);
static void fail(struct checker *k, const char *sec, const char *fmt, ...)
{
    struct entry_check_result *r = k->r;
    if (r->failures < ENTRY_CHECK_MAX_MSGS) {
        char *m = r->msg[r->failures];
        int n = ksnprintf(m, ENTRY_CHECK_MSG_LEN, "SDM %s: ", sec);
        va_list ap;
        va_start(ap, fmt);
        kvsnprintf(m + n, ENTRY_CHECK_MSG_LEN - (size_t)n, fmt, ap);
        va_end(ap);
    }
    r->failures++;
}

#define CHECK(cond, sec, ...)            \
    do {                                 \
        if (!(cond))                     \
            fail(k, sec, __VA_ARGS__);   \
    } while (0)

static bool above_maxphy(const struct checker *k, uint64_t pa) { return (pa >> k->caps->maxphyaddr) != 0; }

/* ---- 26.2.1 VM-execution, exit and entry control fields ---- */

static void check_ctl_word(struct checker *k, const char *name, uint32_t v, uint64_t cap)
{
    uint32_t must1 = (uint32_t)cap, may1 = (uint32_t)(cap >> 32);
    CHECK((v & must1) == must1, "26.2.1.1", "%s controls 0x%x lack required bits 0x%x", name, v, must1 & ~v);
    CHECK((v & ~may1) == 0, "26.2.1.1", "%s controls 0x%x set unsupported bits 0x%x", name, v, v & ~may1);
}

static void check_eptp(struct checker *k, uint64_t eptp)
{
    uint64_t type = eptp & 7, ecap = k->caps->ept_vpid;
    CHECK((type == 0 && (ecap & EPT_CAP_UC)) || (type == 6 && (ecap & EPT_CAP_WB)), "26.2.1.1",
          "EPTP memory type %lu not supported", type);
    CHECK(((eptp >> 3) & 7) == 3, "26.2.1.1", "EPTP walk length must be 4 levels (field 3, is %lu)", (eptp >> 3) & 7);
    CHECK(!(eptp & EPTP_AD_ENABLE) || (ecap & EPT_CAP_AD), "26.2.1.1", "EPTP A/D enabled but not supported");
    CHECK(((eptp >> 7) & 0x1F) == 0, "26.2.1.1", "EPTP reserved bits 11:7 set");
    CHECK(!above_maxphy(k, eptp & ~0xFFFull), "26.2.1.1", "EPTP address beyond MAXPHYADDR");
}

static void check_injection(struct checker *k)
{
    const struct vmx_ctl_state *c = &k->s->ctl;
    uint32_t info = c->entry_intr_info, type = INTR_INFO_TYPE(info), vec = INTR_INFO_VECTOR(info);
    if (!(info & INTR_INFO_VALID))
        return;
    CHECK(type != 1, "26.2.1.3", "event injection type 1 is reserved");
    CHECK(type != INTR_TYPE_NMI || vec == 2, "26.2.1.3", "NMI injection needs vector 2 (is %u)", vec);
    CHECK(type != INTR_TYPE_HW_EXCEPTION || vec <= 31, "26.2.1.3", "hardware exception vector %u > 31", vec);
    CHECK(type != INTR_TYPE_OTHER || vec == 0, "26.2.1.3", "injection type 7 needs vector 0");
    CHECK((info & 0x7FFFF000u) == 0, "26.2.1.3", "injection info reserved bits 30:12 set");
    bool pe = (k->s->guest.cr0 & CR0_PE) != 0;
    bool needs_code = pe && type == INTR_TYPE_HW_EXCEPTION &&
                      (vec == 8 || (vec >= 10 && vec <= 14) || vec == 17);
    if (!(k->caps->basic & VMX_BASIC_NO_ERRCODE_CHECK) || !pe || type != INTR_TYPE_HW_EXCEPTION)
        CHECK(needs_code == !!(info & INTR_INFO_DELIVER_CODE), "26.2.1.3",
              "deliver-error-code must be %d for vector %u in this mode", needs_code, vec);
    CHECK(!(info & INTR_INFO_DELIVER_CODE) || (c->entry_exception_error_code >> 16) == 0, "26.2.1.3",
          "injected error code bits 31:16 set");
    if (type == INTR_TYPE_SW_INTR || type == INTR_TYPE_PRIV_SW_EXCEPTION || type == INTR_TYPE_SW_EXCEPTION)
        CHECK(c->entry_instruction_len <= 15 &&
                  (c->entry_instruction_len > 0 || (k->caps->misc & VMX_MISC_ZERO_LEN_INJECT)),
              "26.2.1.3", "software event needs instruction length 1-15 (is %u)", c->entry_instruction_len);
}

static void check_controls(struct checker *k)
{
    const struct vmx_ctl_state *c = &k->s->ctl;
    const struct vmx_caps *cp = k->caps;
    check_ctl_word(k, "pin-based", c->pin, cp->pin);
    check_ctl_word(k, "primary processor-based", c->proc, cp->proc);
    if (c->proc & CPU_BASED_SECONDARY_CONTROLS)
        check_ctl_word(k, "secondary processor-based", c->proc2, cp->proc2);
    check_ctl_word(k, "VM-exit", c->exit, cp->exit);
    check_ctl_word(k, "VM-entry", c->entry, cp->entry);
    uint32_t p2 = (c->proc & CPU_BASED_SECONDARY_CONTROLS) ? c->proc2 : 0;
    CHECK(c->cr3_target_count <= VMX_MISC_CR3_TARGETS(cp->misc), "26.2.1.1", "CR3-target count %u too large",
          c->cr3_target_count);
    if (c->proc & CPU_BASED_USE_IO_BITMAPS)
        CHECK(!(c->io_bitmap_a & 0xFFF) && !(c->io_bitmap_b & 0xFFF) && !above_maxphy(k, c->io_bitmap_a) &&
                  !above_maxphy(k, c->io_bitmap_b),
              "26.2.1.1", "I/O bitmap addresses must be 4 KiB aligned and within MAXPHYADDR");
    if (c->proc & CPU_BASED_USE_MSR_BITMAPS)
        CHECK(!(c->msr_bitmap & 0xFFF) && !above_maxphy(k, c->msr_bitmap), "26.2.1.1",
              "MSR bitmap address must be 4 KiB aligned and within MAXPHYADDR");
    CHECK(!(c->pin & PIN_BASED_VIRTUAL_NMIS) || (c->pin & PIN_BASED_NMI_EXITING), "26.2.1.1",
          "virtual NMIs need NMI exiting");
    CHECK(!(c->proc & CPU_BASED_NMI_WINDOW_EXITING) || (c->pin & PIN_BASED_VIRTUAL_NMIS), "26.2.1.1",
          "NMI-window exiting needs virtual NMIs");
    CHECK(!(p2 & SECONDARY_EXEC_UNRESTRICTED_GUEST) || (p2 & SECONDARY_EXEC_ENABLE_EPT), "26.2.1.1",
          "unrestricted guest needs EPT");
    CHECK(!(p2 & SECONDARY_EXEC_ENABLE_VPID) || c->vpid != 0, "26.2.1.1", "VPID enabled but VPID field is 0");
    if (p2 & SECONDARY_EXEC_ENABLE_EPT)
        check_eptp(k, c->ept_pointer);
    CHECK(!(c->exit & VM_EXIT_SAVE_PREEMPTION_TIMER) || (c->pin & PIN_BASED_PREEMPTION_TIMER), "26.2.1.2",
          "saving the preemption timer needs the preemption timer");
    CHECK(!(c->entry & (VM_ENTRY_ENTRY_TO_SMM | VM_ENTRY_DEACT_DUAL_MONITOR)), "26.2.1.3",
          "entry to SMM / deactivate dual-monitor must be 0 outside SMM");
    check_injection(k);
}

/* ---- 26.2.2 / 26.2.3 host state ---- */

static void check_fixed(struct checker *k, const char *sec, const char *what, uint64_t v, uint64_t f0, uint64_t f1)
{
    CHECK((v & f0) == f0, sec, "%s 0x%lx lacks fixed-1 bits 0x%lx", what, v, f0 & ~v);
    CHECK((v & ~f1) == 0, sec, "%s 0x%lx sets fixed-0 bits 0x%lx", what, v, v & ~f1);
}

#define EFER_RESERVED (~(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE))

static void check_host(struct checker *k)
{
    const struct vmx_host_state *h = &k->s->host;
    const struct vmx_ctl_state *c = &k->s->ctl;
    bool host64 = (c->exit & VM_EXIT_HOST_ADDR_SPACE_SIZE) != 0;
    check_fixed(k, "26.2.2", "host CR0", h->cr0, k->caps->cr0_fixed0, k->caps->cr0_fixed1);
    check_fixed(k, "26.2.2", "host CR4", h->cr4, k->caps->cr4_fixed0, k->caps->cr4_fixed1);
    CHECK(!above_maxphy(k, h->cr3), "26.2.2", "host CR3 beyond MAXPHYADDR");
    CHECK(vmx_is_canonical(h->sysenter_esp) && vmx_is_canonical(h->sysenter_eip), "26.2.2",
          "host SYSENTER_ESP/EIP must be canonical");
    CHECK(!(c->exit & VM_EXIT_LOAD_PAT) || x86_pat_valid(h->pat), "26.2.2", "host PAT 0x%lx has an invalid type", h->pat);
    if (c->exit & VM_EXIT_LOAD_EFER) {
        CHECK(!(h->efer & EFER_RESERVED), "26.2.2", "host EFER reserved bits set");
        CHECK(!!(h->efer & EFER_LMA) == host64 && !!(h->efer & EFER_LME) == host64, "26.2.2",
              "host EFER.LMA/LME must equal 'host address-space size'");
    }
    const uint16_t sels[] = {h->es, h->cs, h->ss, h->ds, h->fs, h->gs, h->tr};
    for (size_t i = 0; i < ARRAY_SIZE(sels); i++)
        CHECK((sels[i] & 7) == 0, "26.2.3", "host selector 0x%x must have RPL 0 and TI 0", sels[i]);
    CHECK(h->cs != 0, "26.2.3", "host CS selector must not be 0");
    CHECK(h->tr != 0, "26.2.3", "host TR selector must not be 0 (load a TSS)");
    CHECK(h->ss != 0 || host64, "26.2.3", "host SS 0 needs a 64-bit host");
    CHECK(vmx_is_canonical(h->fs_base) && vmx_is_canonical(h->gs_base) && vmx_is_canonical(h->tr_base) &&
              vmx_is_canonical(h->gdtr_base) && vmx_is_canonical(h->idtr_base),
          "26.2.3", "host FS/GS/TR/GDTR/IDTR bases must be canonical");
    CHECK(host64 == k->s->host_ia32e, "26.2.4", "'host address-space size' must be %d for this host",
          k->s->host_ia32e);
    if (host64)
        CHECK((h->cr4 & CR4_PAE) && vmx_is_canonical(h->rip), "26.2.4",
              "64-bit host needs CR4.PAE and a canonical RIP");
    else
        CHECK(!(c->entry & VM_ENTRY_IA32E_MODE_GUEST), "26.2.4", "IA-32e guest needs a 64-bit host");
}

/* ---- 26.3.1 guest state ---- */

static const char *const seg_names[SEG_COUNT] = {"ES", "CS", "SS", "DS", "FS", "GS", "LDTR", "TR"};

/* G must be 0 if any of limit 11:0 is 0 and 1 if any of 31:20 is 1 (26.3.1.2). */
static bool granularity_ok(const struct vmx_segment *sg)
{
    if ((sg->limit & 0xFFF) != 0xFFF && (sg->ar & AR_G))
        return false;
    if ((sg->limit & 0xFFF00000) && !(sg->ar & AR_G))
        return false;
    return true;
}

static void check_data_segment(struct checker *k, int i, bool ug)
{
    const struct vmx_segment *sg = &k->s->guest.seg[i];
    if (sg->ar & AR_UNUSABLE)
        return;
    uint32_t t = AR_TYPE(sg->ar);
    CHECK(t & 1, "26.3.1.2", "%s access rights: type %u must be accessed", seg_names[i], t);
    CHECK(!(t & 8) || (t & 2), "26.3.1.2", "%s: a code segment here must be readable", seg_names[i]);
    CHECK(sg->ar & AR_S, "26.3.1.2", "%s access rights: S must be 1", seg_names[i]);
    CHECK(sg->ar & AR_P, "26.3.1.2", "%s access rights: P must be 1", seg_names[i]);
    CHECK(!(sg->ar & AR_RESERVED), "26.3.1.2", "%s access rights: reserved bits set", seg_names[i]);
    CHECK(granularity_ok(sg), "26.3.1.2", "%s: G bit does not fit limit 0x%x", seg_names[i], sg->limit);
    if (!ug && t <= 11)
        CHECK(AR_DPL(sg->ar) >= (sg->selector & 3u), "26.3.1.2", "%s: DPL must be >= RPL", seg_names[i]);
}

static void check_cs_ss(struct checker *k, bool ug, bool ia32e)
{
    const struct vmx_guest_state *g = &k->s->guest;
    const struct vmx_segment *cs = &g->seg[SEG_CS], *ss = &g->seg[SEG_SS];
    uint32_t t = AR_TYPE(cs->ar);
    CHECK(!(cs->ar & AR_UNUSABLE), "26.3.1.2", "CS must be usable");
    CHECK(t == 9 || t == 11 || t == 13 || t == 15 || (ug && t == 3), "26.3.1.2",
          "CS access rights: type must be 9, 11, 13 or 15 (or 3 with unrestricted guest) (is %u)", t);
    CHECK((cs->ar & AR_S) && (cs->ar & AR_P), "26.3.1.2", "CS access rights: S and P must be 1");
    CHECK(!(cs->ar & AR_RESERVED), "26.3.1.2", "CS access rights: reserved bits set");
    CHECK(t != 3 || AR_DPL(cs->ar) == 0, "26.3.1.2", "CS type 3 needs DPL 0");
    CHECK(!(t == 9 || t == 11) || AR_DPL(cs->ar) == AR_DPL(ss->ar), "26.3.1.2",
          "non-conforming CS needs DPL = SS.DPL");
    CHECK(!(ia32e && (cs->ar & AR_L) && (cs->ar & AR_DB)), "26.3.1.2", "CS.L and CS.D must not both be 1");
    CHECK(granularity_ok(cs), "26.3.1.2", "CS: G bit does not fit limit 0x%x", cs->limit);
    CHECK((cs->base >> 32) == 0, "26.3.1.2", "CS base bits 63:32 must be 0");
    CHECK(ug || (ss->selector & 3) == (cs->selector & 3), "26.3.1.2", "SS.RPL must equal CS.RPL");
    if (!(ss->ar & AR_UNUSABLE)) {
        CHECK(AR_TYPE(ss->ar) == 3 || AR_TYPE(ss->ar) == 7, "26.3.1.2", "SS type must be 3 or 7 (is %u)",
              AR_TYPE(ss->ar));
        CHECK((ss->ar & AR_S) && (ss->ar & AR_P) && !(ss->ar & AR_RESERVED), "26.3.1.2",
              "SS access rights: S and P must be 1, reserved 0");
        CHECK(granularity_ok(ss), "26.3.1.2", "SS: G bit does not fit limit 0x%x", ss->limit);
    }
    CHECK(!(!(g->cr0 & CR0_PE) || t == 3) || AR_DPL(ss->ar) == 0, "26.3.1.2",
          "SS.DPL must be 0 in real mode or with CS type 3");
}

static void check_tr_ldtr(struct checker *k, bool ia32e)
{
    const struct vmx_guest_state *g = &k->s->guest;
    const struct vmx_segment *tr = &g->seg[SEG_TR], *ldtr = &g->seg[SEG_LDTR];
    uint32_t t = AR_TYPE(tr->ar);
    CHECK(!(tr->selector & 4), "26.3.1.2", "TR selector TI must be 0");
    CHECK(!(tr->ar & AR_UNUSABLE), "26.3.1.2", "TR must be usable");
    CHECK(t == 11 || (!ia32e && t == 3), "26.3.1.2", "TR type must be a busy TSS (11%s) (is %u)",
          ia32e ? "" : " or 3", t);
    CHECK(!(tr->ar & AR_S) && (tr->ar & AR_P) && !(tr->ar & AR_RESERVED), "26.3.1.2",
          "TR access rights: S must be 0, P 1, reserved 0");
    CHECK(granularity_ok(tr), "26.3.1.2", "TR: G bit does not fit limit 0x%x", tr->limit);
    CHECK(vmx_is_canonical(tr->base), "26.3.1.2", "TR base must be canonical");
    if (!(ldtr->ar & AR_UNUSABLE)) {
        CHECK(!(ldtr->selector & 4), "26.3.1.2", "LDTR selector TI must be 0");
        CHECK(AR_TYPE(ldtr->ar) == 2 && !(ldtr->ar & AR_S) && (ldtr->ar & AR_P), "26.3.1.2",
              "usable LDTR must be type 2, S 0, P 1");
        CHECK(granularity_ok(ldtr) && vmx_is_canonical(ldtr->base), "26.3.1.2", "LDTR limit/base invalid");
    }
}

static void check_guest_regs(struct checker *k, bool ug, bool ia32e)
{
    const struct vmx_guest_state *g = &k->s->guest;
    const struct vmx_ctl_state *c = &k->s->ctl;
    uint64_t f0 = k->caps->cr0_fixed0;
    if (ug)
        f0 &= ~(CR0_PE | CR0_PG);
    check_fixed(k, "26.3.1.1", "guest CR0", g->cr0, f0, k->caps->cr0_fixed1);
    CHECK(!(g->cr0 & CR0_PG) || (g->cr0 & CR0_PE), "26.3.1.1", "guest CR0.PG needs CR0.PE");
    check_fixed(k, "26.3.1.1", "guest CR4", g->cr4, k->caps->cr4_fixed0, k->caps->cr4_fixed1);
    if (ia32e)
        CHECK((g->cr0 & CR0_PG) && (g->cr4 & CR4_PAE), "26.3.1.1", "IA-32e mode guest needs CR0.PG and CR4.PAE");
    else
        CHECK(!(g->cr4 & CR4_PCIDE), "26.3.1.1", "CR4.PCIDE must be 0 outside IA-32e mode");
    CHECK(!above_maxphy(k, g->cr3), "26.3.1.1", "guest CR3 beyond MAXPHYADDR");
    CHECK(!(c->entry & VM_ENTRY_LOAD_DEBUG_CONTROLS) || (g->dr7 >> 32) == 0, "26.3.1.1",
          "guest DR7 bits 63:32 must be 0");
    CHECK(vmx_is_canonical(g->sysenter_esp) && vmx_is_canonical(g->sysenter_eip), "26.3.1.1",
          "guest SYSENTER_ESP/EIP must be canonical");
    CHECK(!(c->entry & VM_ENTRY_LOAD_PAT) || x86_pat_valid(g->pat), "26.3.1.1", "guest PAT 0x%lx invalid", g->pat);
    if (c->entry & VM_ENTRY_LOAD_EFER) {
        CHECK(!(g->efer & EFER_RESERVED), "26.3.1.1", "guest EFER reserved bits set");
        CHECK(!!(g->efer & EFER_LMA) == ia32e, "26.3.1.1", "guest EFER.LMA must equal 'IA-32e mode guest'");
        CHECK(!(g->cr0 & CR0_PG) || !!(g->efer & EFER_LME) == ia32e, "26.3.1.1",
              "with paging, guest EFER.LME must equal 'IA-32e mode guest'");
    }
    bool cs_l = ia32e && (g->seg[SEG_CS].ar & AR_L);
    CHECK(cs_l ? vmx_is_canonical(g->rip) : (g->rip >> 32) == 0, "26.3.1.4",
          "guest RIP 0x%lx invalid for this mode", g->rip);
    CHECK((g->rflags & RFLAGS_RESERVED) == 0 && (g->rflags & RFLAGS_FIXED1), "26.3.1.4",
          "guest RFLAGS 0x%lx: reserved bits must be 0 and bit 1 must be 1", g->rflags);
    CHECK(!(g->rflags & RFLAGS_VM) || (!ia32e && (g->cr0 & CR0_PE)), "26.3.1.4",
          "RFLAGS.VM needs protected mode outside IA-32e");
    bool ext_inject = (c->entry_intr_info & INTR_INFO_VALID) && INTR_INFO_TYPE(c->entry_intr_info) == 0;
    CHECK(!ext_inject || (g->rflags & RFLAGS_IF), "26.3.1.4", "injecting an interrupt needs RFLAGS.IF");
    CHECK(vmx_is_canonical(g->gdtr_base) && vmx_is_canonical(g->idtr_base) && (g->gdtr_limit >> 16) == 0 &&
              (g->idtr_limit >> 16) == 0,
          "26.3.1.3", "GDTR/IDTR base must be canonical and limit <= 0xFFFF");
    for (int i = SEG_ES; i <= SEG_GS; i++)
        if (i == SEG_FS || i == SEG_GS)
            CHECK(vmx_is_canonical(g->seg[i].base), "26.3.1.2", "%s base must be canonical", seg_names[i]);
        else if (!(g->seg[i].ar & AR_UNUSABLE))
            CHECK((g->seg[i].base >> 32) == 0, "26.3.1.2", "%s base bits 63:32 must be 0", seg_names[i]);
}

static void check_nonreg(struct checker *k)
{
    const struct vmx_guest_state *g = &k->s->guest;
    uint64_t misc = k->caps->misc;
    static const uint64_t activity_cap[] = {0, VMX_MISC_ACTIVITY_HLT, VMX_MISC_ACTIVITY_SHUTDOWN,
                                            VMX_MISC_ACTIVITY_SIPI};
    CHECK(g->activity <= 3 && (g->activity == 0 || (misc & activity_cap[g->activity])), "26.3.1.5",
          "activity state %u not supported", g->activity);
    CHECK(g->activity != ACTIVITY_HLT || AR_DPL(g->seg[SEG_SS].ar) == 0, "26.3.1.5", "HLT state needs SS.DPL 0");
    uint32_t ib = g->interruptibility;
    CHECK(!(ib & INTERRUPTIBILITY_RESERVED), "26.3.1.5", "interruptibility reserved bits set");
    CHECK((ib & 3) != 3, "26.3.1.5", "STI and MOV-SS blocking must not both be set");
    CHECK(!(ib & INTERRUPTIBILITY_STI) || (g->rflags & RFLAGS_IF), "26.3.1.5", "STI blocking needs RFLAGS.IF");
    CHECK(!(ib & 3) || g->activity == ACTIVITY_ACTIVE, "26.3.1.5", "STI/MOV-SS blocking needs activity state 0");
    CHECK((g->pending_dbg & ~0x15FFFull) == 0 && (g->pending_dbg & 0xFF0ull) == 0, "26.3.1.5",
          "pending debug exceptions reserved bits set");
    CHECK(g->link_pointer == ~0ull || (!(g->link_pointer & 0xFFF) && !above_maxphy(k, g->link_pointer)),
          "26.3.1.5", "VMCS link pointer must be all ones or a valid VMCS address");
}

int vmx_entry_check(const struct vmx_entry_state *s, const struct vmx_caps *caps, struct entry_check_result *r)
{
    struct checker kc = {s, caps, r}, *k = &kc;
    r->failures = 0;
    bool ug = (s->ctl.proc & CPU_BASED_SECONDARY_CONTROLS) && (s->ctl.proc2 & SECONDARY_EXEC_UNRESTRICTED_GUEST);
    bool ia32e = (s->ctl.entry & VM_ENTRY_IA32E_MODE_GUEST) != 0;
    check_controls(k);
    check_host(k);
    check_guest_regs(k, ug, ia32e);
    check_cs_ss(k, ug, ia32e);
    for (int i = SEG_ES; i <= SEG_GS; i++)
        if (i != SEG_CS && i != SEG_SS)
            check_data_segment(k, i, ug);
    check_tr_ldtr(k, ia32e);
    check_nonreg(k);
    return r->failures;
}
