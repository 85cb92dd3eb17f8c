/* Unit tests for capability reading and control adjustment (vmx/vmx_caps.c)
   with the Bochs 2.7 corei7_skylake_x MSR values (VMX-FACTS.md) and hand-made
   ones. Expected control words were computed by hand from SDM A.3. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "errno.h"
#include "vmx_caps.h"

struct fake_msr {
    uint32_t msr;
    uint64_t value;
};

struct fake_cpu {
    const struct fake_msr *msrs;
    size_t n;
    int gp_faults;        /* reads of MSRs the fake CPU does not have */
    uint32_t reads[64];
    size_t nreads;
};

static uint64_t fake_rdmsr(uint32_t msr, void *ctx)
{
    struct fake_cpu *cpu = ctx;
    cpu->reads[cpu->nreads++ % 64] = msr;
    for (size_t i = 0; i < cpu->n; i++)
        if (cpu->msrs[i].msr == msr)
            return cpu->msrs[i].value;
    cpu->gp_faults++;
    return 0;
}

static bool was_read(const struct fake_cpu *cpu, uint32_t msr)
{
    for (size_t i = 0; i < cpu->nreads; i++)
        if (cpu->reads[i] == msr)
            return true;
    return false;
}

static const struct fake_msr bochs_skx[] = {
    {0x480, 0x00d810000000002bull}, {0x481, 0x0000007f00000016ull}, {0x482, 0xf7f9fffe0401e172ull},
    {0x483, 0x007fffff00036dffull}, {0x484, 0x0000ffff000011ffull}, {0x485, 0x600401e0ull},
    {0x486, 0x80000021ull},         {0x487, 0xffffffffull},         {0x488, 0x2000ull},
    {0x489, 0x3727ffull},           {0x48A, 0x2eull},               {0x48B, 0x02177fff00000000ull},
    {0x48C, 0x00000f0106334141ull}, {0x48D, 0x0000007f00000016ull}, {0x48E, 0xf7f9fffe04006172ull},
    {0x48F, 0x007fffff00036dfbull}, {0x490, 0x0000ffff000011fbull}, {0x491, 0x1ull},
};

static void read_caps(struct fake_cpu *cpu, const struct fake_msr *m, size_t n, struct vmx_caps *c)
{
    memset(cpu, 0, sizeof(*cpu));
    cpu->msrs = m;
    cpu->n = n;
    memset(c, 0, sizeof(*c));
    vmx_caps_read(c, fake_rdmsr, cpu);
}

static void test_bochs_caps(void **state)
{
    (void)state;
    struct fake_cpu cpu;
    struct vmx_caps c;
    read_caps(&cpu, bochs_skx, sizeof(bochs_skx) / sizeof(bochs_skx[0]), &c);
    assert_int_equal(cpu.gp_faults, 0);
    assert_true(c.true_ctls);
    assert_int_equal(c.proc, 0xf7f9fffe04006172ull);   /* TRUE value taken */
    assert_int_equal(c.exit, 0x007fffff00036dfbull);
    assert_int_equal(c.ept_vpid, 0x00000f0106334141ull);
    assert_int_equal(c.vmfunc, 1);
    char line[200];
    vmx_caps_describe(&c, line, sizeof(line));
    assert_string_equal(line, "VT-x rev 0x2b: EPT(4-level, 2M, 1G, A/D), unrestricted guest, VPID, "
                              "preemption timer, TRUE controls");
}

static void test_bochs_controls(void **state)
{
    (void)state;
    struct fake_cpu cpu;
    struct vmx_caps c;
    read_caps(&cpu, bochs_skx, sizeof(bochs_skx) / sizeof(bochs_skx[0]), &c);
    struct vmx_controls ctl;
    char why[128] = "";
    assert_int_equal(vmx_controls_compute(&c, &ctl, why, sizeof(why)), 0);
    assert_int_equal(ctl.pin, 0x5F);   /* default1 0x16 | external interrupts 0 | NMI 3 | preemption timer 6 */
    assert_int_equal(ctl.proc, 0xB61865F2u);   /* bits 19, 20: CR8 load/store exiting */
    assert_int_equal(ctl.proc2, 0x1010AA);
    assert_int_equal(ctl.exit, 0x7F6FFF);    /* bit 2: save debug controls */
    assert_int_equal(ctl.entry, 0xD1FF);     /* bit 2: load debug controls */
}

/* A CPU without TRUE MSRs, without secondary controls: 0x48B-0x491 must not be read. */
static void test_conditional_msrs(void **state)
{
    (void)state;
    static const struct fake_msr old_cpu[] = {
        {0x480, 0x005a040000000012ull}, {0x481, 0x0000003f00000016ull}, {0x482, 0x77f9fffe0401e172ull},
        {0x483, 0x0003ffff00036dffull}, {0x484, 0x00003fff000011ffull}, {0x485, 0x403c0ull},
        {0x486, 0x80000021ull},         {0x487, 0xffffffffull},         {0x488, 0x2000ull},
        {0x489, 0x27ffull},             {0x48A, 0x2cull},
    };
    struct fake_cpu cpu;
    struct vmx_caps c;
    read_caps(&cpu, old_cpu, sizeof(old_cpu) / sizeof(old_cpu[0]), &c);
    assert_int_equal(cpu.gp_faults, 0);
    assert_false(c.true_ctls);
    assert_false(was_read(&cpu, 0x48B));
    assert_false(was_read(&cpu, 0x48C));
    assert_false(was_read(&cpu, 0x48E));
    assert_true(was_read(&cpu, 0x482));
    assert_int_equal(c.proc2, 0);
    struct vmx_controls ctl;
    char why[128] = "";
    assert_int_equal(vmx_controls_compute(&c, &ctl, why, sizeof(why)), -ENODEV);
    assert_string_equal(why, "no secondary processor-based controls (needed for EPT)");
}

/* Secondary controls without unrestricted guest: the error names the control. */
static void test_missing_control_named(void **state)
{
    (void)state;
    struct fake_msr m[sizeof(bochs_skx) / sizeof(bochs_skx[0])];
    memcpy(m, bochs_skx, sizeof(m));
    for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
        if (m[i].msr == 0x48B)
            m[i].value &= ~(1ull << (32 + 7));
    struct fake_cpu cpu;
    struct vmx_caps c;
    read_caps(&cpu, m, sizeof(m) / sizeof(m[0]), &c);
    struct vmx_controls ctl;
    char why[128] = "";
    assert_int_equal(vmx_controls_compute(&c, &ctl, why, sizeof(why)), -ENODEV);
    assert_string_equal(why, "secondary processor-based control 'unrestricted guest'");
}

static void test_ctl_adjust(void **state)
{
    (void)state;
    uint32_t out, missing;
    /* allowed0 0x16 forces bits 1,2,4; allowed1 0x7f; want bit 0 and 6 */
    assert_int_equal(vmx_ctl_adjust(0x0000007f00000016ull, 0x41, 0, &out, &missing), 0);
    assert_int_equal(out, 0x57);
    /* want bit 7 which allowed1 lacks: error, and the optional bit 8 silently dropped */
    assert_int_equal(vmx_ctl_adjust(0x0000007f00000016ull, 0x81, 0x100, &out, &missing), -ENODEV);
    assert_int_equal(missing, 0x80);
    assert_int_equal(out, 0x17);
    /* optional bit offered */
    assert_int_equal(vmx_ctl_adjust(0x000001ff00000000ull, 0, 0x100, &out, &missing), 0);
    assert_int_equal(out, 0x100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bochs_caps),           cmocka_unit_test(test_bochs_controls),
        cmocka_unit_test(test_conditional_msrs),     cmocka_unit_test(test_missing_control_named),
        cmocka_unit_test(test_ctl_adjust),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
