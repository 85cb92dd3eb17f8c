/* Unit tests for the software VM-entry checker (vmx/entry_check.c): the
   three start modes built by vmx/guest_state.c pass; each deliberately
   broken field is reported with the rule it breaks (SDM 26.2 / 26.3). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "vmx_state.h"

static struct vmx_caps caps;

static void bochs_caps(void)
{
    memset(&caps, 0, sizeof(caps));
    caps.basic = 0x00d810000000002bull;
    caps.true_ctls = true;
    caps.pin = 0x0000007f00000016ull;
    caps.proc = 0xf7f9fffe04006172ull;
    caps.proc2 = 0x02177fff00000000ull;
    caps.exit = 0x007fffff00036dfbull;
    caps.entry = 0x0000ffff000011fbull;
    caps.misc = 0x600401e0ull;
    caps.cr0_fixed0 = 0x80000021;
    caps.cr0_fixed1 = 0xffffffff;
    caps.cr4_fixed0 = 0x2000;
    caps.cr4_fixed1 = 0x3727ff;
    caps.ept_vpid = 0x00000f0106334141ull;
    caps.maxphyaddr = 40;
}

/* A state as the kernel builds it: 64-bit host, guest in the given mode. */
static void good_state(struct vmx_entry_state *s, enum vmx_mode mode)
{
    memset(s, 0, sizeof(*s));
    struct vmx_controls ctl;
    char why[100];
    assert_int_equal(vmx_controls_compute(&caps, &ctl, why, sizeof(why)), 0);
    s->ctl.pin = ctl.pin;
    s->ctl.proc = ctl.proc;
    s->ctl.proc2 = ctl.proc2;
    s->ctl.exit = ctl.exit;
    s->ctl.entry = ctl.entry;
    s->ctl.vpid = 1;
    s->ctl.io_bitmap_a = 0x100000;
    s->ctl.io_bitmap_b = 0x101000;
    s->ctl.msr_bitmap = 0x102000;
    s->ctl.ept_pointer = 0x103000 | 0x1E;
    s->host_ia32e = true;
    struct vmx_host_state *h = &s->host;
    h->cr0 = 0x80050033;
    h->cr3 = 0x200000;
    h->cr4 = 0x20A0 | (1u << 13);
    h->cs = 0x08;
    h->ss = h->ds = h->es = 0x10;
    h->tr = 0x28;
    h->tr_base = 0xFFFFFFFF80123000ull;
    h->gdtr_base = 0xFFFFFFFF80124000ull;
    h->idtr_base = 0xFFFFFFFF80125000ull;
    h->efer = (1 << 0) | (1 << 8) | (1 << 10) | (1 << 11);
    h->pat = 0x0007040600070406ull;
    h->rip = 0xFFFFFFFF80101234ull;
    h->rsp = 0xFFFF800000123000ull;
    vmx_guest_state_init(&s->guest, &caps, mode, 0x1000, 0x8000, 0x10000, 0x13000, 23, &s->ctl.entry);
}

static void expect_ok(enum vmx_mode mode)
{
    struct vmx_entry_state s;
    struct entry_check_result r;
    good_state(&s, mode);
    int n = vmx_entry_check(&s, &caps, &r);
    for (int i = 0; i < n && i < ENTRY_CHECK_MAX_MSGS; i++)
        printf("unexpected: %s\n", r.msg[i]);
    assert_int_equal(n, 0);
}

static void test_good_real(void **state) { (void)state; expect_ok(VMX_MODE_REAL); }
static void test_good_prot32(void **state) { (void)state; expect_ok(VMX_MODE_PROT32); }
static void test_good_long64(void **state) { (void)state; expect_ok(VMX_MODE_LONG64); }
static void test_good_reset(void **state) { (void)state; expect_ok(VMX_MODE_RESET); }
static void test_good_linux64(void **state) { (void)state; expect_ok(VMX_MODE_LINUX64); }

/* The reset state of SDM Vol. 3A Table 9-1: the first fetch is at FFFFFFF0. */
static void test_reset_values(void **state)
{
    (void)state;
    struct vmx_entry_state s;
    good_state(&s, VMX_MODE_RESET);
    const struct vmx_guest_state *g = &s.guest;
    assert_int_equal(g->seg[SEG_CS].selector, 0xF000);
    assert_int_equal(g->seg[SEG_CS].base, 0xFFFF0000ull);
    assert_int_equal(g->seg[SEG_CS].limit, 0xFFFF);
    assert_int_equal(g->rip, 0xFFF0);
    assert_int_equal(g->seg[SEG_CS].base + g->rip, 0xFFFFFFF0ull);
    assert_int_equal(g->cr0 & 0x60000011ull, 0x60000010ull);   /* CD NW ET, PE clear */
    assert_int_equal(g->rflags, 2);
    assert_int_equal(g->idtr_limit, 0xFFFF);
    assert_int_equal(g->seg[SEG_DS].base, 0);
    assert_int_equal(s.ctl.entry & VM_ENTRY_IA32E_MODE_GUEST, 0);
}

/* Linux boot protocol, 64-bit entry: CS = __BOOT_CS (0x10), DS = ES = SS = __BOOT_DS (0x18). */
static void test_linux64_selectors(void **state)
{
    (void)state;
    struct vmx_entry_state s;
    good_state(&s, VMX_MODE_LINUX64);
    assert_int_equal(s.guest.seg[SEG_CS].selector, 0x10);
    assert_int_equal(s.guest.seg[SEG_DS].selector, 0x18);
    assert_int_equal(s.guest.seg[SEG_ES].selector, 0x18);
    assert_int_equal(s.guest.seg[SEG_SS].selector, 0x18);
    assert_true(s.guest.seg[SEG_CS].ar & AR_L);
    assert_true(s.ctl.entry & VM_ENTRY_IA32E_MODE_GUEST);
}

/* Recipe values from VMX-FACTS 9 (Bochs-verified reference), typed by hand. */
static void test_real_mode_recipe(void **state)
{
    (void)state;
    struct vmx_entry_state s;
    good_state(&s, VMX_MODE_REAL);
    assert_int_equal(s.guest.cr0, 0x30);
    assert_int_equal(s.guest.cr4, 0x2000);
    assert_int_equal(s.guest.seg[SEG_CS].ar, 0x9B);
    assert_int_equal(s.guest.seg[SEG_SS].ar, 0x93);
    assert_int_equal(s.guest.seg[SEG_TR].ar, 0x8B);
    assert_int_equal(s.guest.seg[SEG_LDTR].ar, 0x10000);
    assert_int_equal(s.guest.rflags, 2);
    assert_int_equal(s.guest.link_pointer, ~0ull);
    good_state(&s, VMX_MODE_PROT32);
    assert_int_equal(s.guest.cr0, 0x31);
    assert_int_equal(s.guest.seg[SEG_CS].ar, 0xC09B);
    assert_int_equal(s.guest.seg[SEG_DS].ar, 0xC093);
    good_state(&s, VMX_MODE_LONG64);
    assert_int_equal(s.guest.seg[SEG_CS].ar, 0xA09B);
    assert_true(s.ctl.entry & (1u << 9));
    assert_int_equal(s.guest.efer, 0x500);
}

struct broken_case {
    const char *name;
    enum vmx_mode mode;
    void (*breakit)(struct vmx_entry_state *s);
    const char *expect;   /* substring of the first message */
};

static void b_host_tr(struct vmx_entry_state *s) { s->host.tr = 0; }
static void b_host_cs_rpl(struct vmx_entry_state *s) { s->host.cs = 0x0B; }
static void b_host_efer(struct vmx_entry_state *s) { s->host.efer &= ~(1ull << 10); }
static void b_host_cr4(struct vmx_entry_state *s) { s->host.cr4 &= ~(1ull << 13); }
static void b_cs_type(struct vmx_entry_state *s) { s->guest.seg[SEG_CS].ar = (s->guest.seg[SEG_CS].ar & ~0xFu) | 1; }
static void b_cr0_ne(struct vmx_entry_state *s) { s->guest.cr0 &= ~(1ull << 5); }
static void b_ug_without_ept(struct vmx_entry_state *s) { s->ctl.proc2 &= ~(1u << 1); }
static void b_eptp_walk(struct vmx_entry_state *s) { s->ctl.ept_pointer = 0x103000 | 0x26; }
static void b_rflags(struct vmx_entry_state *s) { s->guest.rflags = 0; }
static void b_no_pae(struct vmx_entry_state *s) { s->guest.cr4 &= ~(1ull << 5); }
static void b_tr_type(struct vmx_entry_state *s) { s->guest.seg[SEG_TR].ar = (s->guest.seg[SEG_TR].ar & ~0xFu) | 9; }
static void b_pin_default1(struct vmx_entry_state *s) { s->ctl.pin &= ~0x10u; }
static void b_link_ptr(struct vmx_entry_state *s) { s->guest.link_pointer = 0x1234; }
static void b_ds_gran(struct vmx_entry_state *s) { s->guest.seg[SEG_DS].ar &= ~AR_G; }
static void b_vpid0(struct vmx_entry_state *s) { s->ctl.vpid = 0; }
static void b_ss_type(struct vmx_entry_state *s) { s->guest.seg[SEG_SS].ar = (s->guest.seg[SEG_SS].ar & ~0xFu) | 1; }
static void b_rip_high(struct vmx_entry_state *s) { s->guest.rip = 0x100000000ull; }
static void b_activity(struct vmx_entry_state *s) { s->guest.activity = 5; }
static void b_inject_nmi(struct vmx_entry_state *s) { s->ctl.entry_intr_info = (1u << 31) | (2u << 8) | 3; }
static void b_msr_bitmap(struct vmx_entry_state *s) { s->ctl.msr_bitmap = 0x102010; }
static void b_cs_l_and_d(struct vmx_entry_state *s) { s->guest.seg[SEG_CS].ar |= AR_DB; }

static const struct broken_case broken[] = {
    {"host TR 0", VMX_MODE_REAL, b_host_tr, "host TR selector must not be 0"},
    {"host CS RPL", VMX_MODE_REAL, b_host_cs_rpl, "host selector 0xb must have RPL 0"},
    {"host EFER", VMX_MODE_REAL, b_host_efer, "host EFER.LMA/LME"},
    {"host CR4 VMXE", VMX_MODE_REAL, b_host_cr4, "host CR4"},
    {"CS type", VMX_MODE_PROT32, b_cs_type, "CS access rights: type must be 9, 11, 13 or 15"},
    {"CR0.NE", VMX_MODE_REAL, b_cr0_ne, "guest CR0 0x10 lacks fixed-1 bits 0x20"},
    {"UG without EPT", VMX_MODE_REAL, b_ug_without_ept, "unrestricted guest needs EPT"},
    {"EPTP walk", VMX_MODE_REAL, b_eptp_walk, "EPTP walk length"},
    {"RFLAGS", VMX_MODE_REAL, b_rflags, "guest RFLAGS"},
    {"long64 no PAE", VMX_MODE_LONG64, b_no_pae, "IA-32e mode guest needs CR0.PG and CR4.PAE"},
    {"TR not busy", VMX_MODE_PROT32, b_tr_type, "TR type must be a busy TSS"},
    {"pin default1", VMX_MODE_REAL, b_pin_default1, "pin-based controls 0x4f lack required bits 0x10"},
    {"link pointer", VMX_MODE_REAL, b_link_ptr, "VMCS link pointer"},
    {"DS granularity", VMX_MODE_PROT32, b_ds_gran, "DS: G bit does not fit limit 0xffffffff"},
    {"VPID 0", VMX_MODE_REAL, b_vpid0, "VPID enabled but VPID field is 0"},
    {"SS type", VMX_MODE_PROT32, b_ss_type, "SS type must be 3 or 7"},
    {"RIP high", VMX_MODE_PROT32, b_rip_high, "guest RIP 0x100000000 invalid"},
    {"activity", VMX_MODE_REAL, b_activity, "activity state 5"},
    {"NMI vector", VMX_MODE_REAL, b_inject_nmi, "NMI injection needs vector 2"},
    {"MSR bitmap", VMX_MODE_REAL, b_msr_bitmap, "MSR bitmap address"},
    {"CS L+D", VMX_MODE_LONG64, b_cs_l_and_d, "CS.L and CS.D must not both be 1"},
};

static void test_broken_states(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
        struct vmx_entry_state s;
        struct entry_check_result r;
        good_state(&s, broken[i].mode);
        broken[i].breakit(&s);
        int n = vmx_entry_check(&s, &caps, &r);
        if (n < 1 || !strstr(r.msg[0], broken[i].expect))
            fail_msg("%s: %d failures, first '%s', expected '%s'", broken[i].name, n, n ? r.msg[0] : "",
                     broken[i].expect);
        assert_true(strncmp(r.msg[0], "SDM 26.", 7) == 0);
    }
}

int main(void)
{
    bochs_caps();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_real),   cmocka_unit_test(test_good_prot32),
        cmocka_unit_test(test_good_long64),
        cmocka_unit_test(test_good_reset),
        cmocka_unit_test(test_good_linux64),
        cmocka_unit_test(test_reset_values),
        cmocka_unit_test(test_linux64_selectors), cmocka_unit_test(test_real_mode_recipe),
        cmocka_unit_test(test_broken_states),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
