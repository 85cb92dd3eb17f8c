/* Unit tests for the guest's CPUID (vmx/cpuid_policy.c) against a host
   that claims every feature: each leaf is all ones except where noted, so
   every bit the guest sees is one the policy lets through. The expected
   bits are written out from the SDM Vol. 2A CPUID tables, not taken from
   the policy's own masks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cpuid_policy.h"

#define B(n) (1u << (n))

/* A host with every bit set; leaf 0 says 0x16 leaves, 0x80000000 says
   0x80000020, leaf 0xD sub-leaf i (i >= 2) says size 64 i at offset 1024. */
static void all_ones_host(uint32_t leaf, uint32_t sub, struct cpuid_regs *r)
{
    *r = (struct cpuid_regs){0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu};
    if (leaf == 0)
        r->a = 0x16;
    if (leaf == 0x80000000u)
        r->a = 0x80000020u;
    if (leaf == 0xD && sub >= 2) {
        r->a = 64 * sub;
        r->b = 1024;
    }
}

static const struct cpuid_guest plain = {
    .xcr0_allowed = 0x2e7, .osxsave = false, .ospke = false, .rdtscp = true, .invpcid = true, .apic_id = 3,
    .tsc_khz = 10000,
};

static struct cpuid_regs ask(uint32_t leaf, uint32_t sub, const struct cpuid_guest *g)
{
    struct cpuid_regs r;
    cpuid_policy_answer(leaf, sub, g, all_ones_host, &r);
    return r;
}

static void leaf1_hides_what_is_not_virtualized(void **state)
{
    (void)state;
    struct cpuid_regs r = ask(1, 0, &plain);
    /* ECX: 3 MONITOR, 5 VMX, 6 SMX, 7 EIST, 8 TM2, 15 PDCM, 21 x2APIC,
       24 TSC-deadline, 27 OSXSAVE (CR4 says 0) are 0; 31 hypervisor is 1 */
    uint32_t hidden_c = B(2) | B(3) | B(4) | B(5) | B(6) | B(7) | B(8) | B(15) | B(18) | B(21) | B(24) | B(27);
    assert_int_equal(r.c & hidden_c, 0);
    assert_true(r.c & B(31));
    assert_true(r.c & B(26));   /* XSAVE: XSETBV works */
    assert_true(r.c & B(28));   /* AVX */
    /* EDX: 7 MCE, 9 APIC, 12 MTRR, 14 MCA, 21 DS, 22 ACPI, 29 TM, 31 PBE */
    uint32_t hidden_d = B(7) | B(9) | B(12) | B(14) | B(21) | B(22) | B(29) | B(31);
    assert_int_equal(r.d & hidden_d, 0);
    assert_true(r.d & B(16));   /* PAT: emulated */
    assert_int_equal(r.b >> 24, 3);   /* initial APIC ID = vCPU index */
    struct cpuid_guest os = plain;
    os.osxsave = true;
    assert_true(ask(1, 0, &os).c & B(27));
}

static void xsave_follows_xcr0(void **state)
{
    (void)state;
    struct cpuid_guest avx = plain;
    avx.xcr0_allowed = 0x7;
    struct cpuid_regs r = ask(0xD, 0, &avx);
    assert_int_equal(r.a, 0x7);
    assert_int_equal(r.d, 0);
    assert_int_equal(r.c, 1024 + 64 * 2);   /* AVX at 1024, 128 bytes */
    assert_int_equal(ask(7, 0, &avx).b & B(16), 0);          /* no AVX512F */
    assert_true(ask(7, 0, &avx).b & B(5));                    /* AVX2 */
    assert_int_equal(ask(0xD, 5, &avx).a, 0);                 /* opmask component: absent */
    assert_int_equal(ask(0xD, 1, &avx).a & B(3), 0);          /* no XSAVES */
    struct cpuid_guest none = plain;
    none.xcr0_allowed = 0;
    assert_int_equal(ask(1, 0, &none).c & (B(26) | B(28)), 0);
    r = ask(0xD, 0, &none);
    assert_int_equal(r.a | r.b | r.c | r.d, 0);
}

static void leaf7(void **state)
{
    (void)state;
    struct cpuid_regs r = ask(7, 0, &plain);
    assert_int_equal(r.a, 0);                                  /* no sub-leaf 1 */
    assert_int_equal(r.b & (B(1) | B(2) | B(14) | B(25)), 0);  /* TSC_ADJUST, SGX, MPX, PT */
    assert_true(r.b & B(16));                                  /* AVX512F with 0x2e7 */
    assert_int_equal(r.c & (B(5) | B(16) | B(30)), 0);         /* WAITPKG, LA57, SGX_LC */
    assert_int_equal(r.c & B(4), 0);                           /* OSPKE: CR4.PKE is 0 */
    assert_int_equal(r.d & (B(26) | B(27) | B(29) | B(31)), 0);   /* speculation-control MSRs */
    struct cpuid_regs s1 = ask(7, 1, &plain);
    assert_int_equal(s1.a | s1.b | s1.c | s1.d, 0);
    struct cpuid_guest nordtscp = plain;
    nordtscp.rdtscp = false;
    assert_int_equal(ask(7, 0, &nordtscp).c & B(22), 0);       /* RDPID */
    assert_int_equal(ask(0x80000001u, 0, &nordtscp).d & B(27), 0);
    assert_true(ask(0x80000001u, 0, &plain).d & B(27));
}

static void zero_leaves(void **state)
{
    (void)state;
    /* MONITOR, thermal/power, DCA, PMU, topology, RDT, SGX, PT, unknown */
    static const uint32_t leaves[] = {3, 5, 6, 8, 9, 0xA, 0xB, 0xF, 0x10, 0x12, 0x14, 0x17, 0x1F, 0x1234,
                                      0x80000005u, 0x80000009u, 0x80000020u, 0x40000001u, 0x40000100u};
    for (size_t i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
        struct cpuid_regs r = ask(leaves[i], 0, &plain);
        assert_int_equal(r.a | r.b | r.c | r.d, 0);
    }
    assert_int_equal(ask(0x80000000u, 0, &plain).a, 0x80000008u);
    assert_int_equal(ask(0x80000007u, 0, &plain).d, B(8));   /* invariant TSC only */
}

static void hypervisor_leaves(void **state)
{
    (void)state;
    struct cpuid_regs r = ask(0x40000000u, 0, &plain);
    assert_int_equal(r.a, 0x40000010u);
    assert_memory_equal(&r.b, "SWEB", 4);
    assert_memory_equal(&r.c, "VXSW", 4);
    assert_memory_equal(&r.d, "EBVX", 4);
    r = ask(0x40000010u, 0, &plain);
    assert_int_equal(r.a, 10000);
    assert_int_equal(r.b | r.c | r.d, 0);
}

static void exact_leaves(void **state)
{
    (void)state;
    /* the host's answers unchanged: 0 (vendor), 2, 4 (caches), 0x15, 0x16 */
    assert_int_equal(cpuid_policy_exact_leaves(), (1ull << 0) | (1ull << 2) | (1ull << 4) | (1ull << 0x15) |
                                                      (1ull << 0x16));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(leaf1_hides_what_is_not_virtualized), cmocka_unit_test(xsave_follows_xcr0),
        cmocka_unit_test(leaf7), cmocka_unit_test(zero_leaves), cmocka_unit_test(hypervisor_leaves),
        cmocka_unit_test(exact_leaves),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
