/*
 * The guest's CPUID as one table (see cpuid_policy.h; docs/vmx.md lists
 * every leaf). Bit positions are from the SDM Vol. 2A CPUID instruction
 * (Tables 3-8 to 3-20). Pure: any context, no state.
 */
#include "cpuid_policy.h"
#include "hypercall.h"
#include "x86_arch.h"
#include "xcr0_rules.h"

#define ALL 0xFFFFFFFFu
#define BIT(n) (1u << (n))

/* Leaf 1 ECX: SSE3, PCLMULQDQ, SSSE3, FMA, CX16, PCID, SSE4.1, SSE4.2,
   MOVBE, POPCNT, AES, XSAVE, AVX, F16C, RDRAND. Hidden: DTES64, MONITOR,
   DS-CPL, VMX, SMX, EIST, TM2, CNXT-ID, SDBG, xTPR, PDCM, DCA, x2APIC,
   TSC-deadline; OSXSAVE and the hypervisor bit are set below. */
#define L1_ECX_KEEP                                                                                 \
    (BIT(0) | BIT(1) | BIT(9) | BIT(12) | BIT(13) | BIT(17) | BIT(19) | BIT(20) | BIT(22) | BIT(23) | \
     BIT(25) | BIT(26) | BIT(28) | BIT(29) | BIT(30))
#define L1_ECX_FMA BIT(12)
#define L1_ECX_XSAVE BIT(26)
#define L1_ECX_OSXSAVE BIT(27)
#define L1_ECX_AVX BIT(28)
#define L1_ECX_F16C BIT(29)
#define L1_ECX_HYPERVISOR BIT(31)
/* Leaf 1 EDX: FPU, VME, DE, PSE, TSC, MSR, PAE, CX8, SEP, PGE, CMOV, PAT,
   PSE-36, CLFSH, MMX, FXSR, SSE, SSE2, SS, HTT. Hidden: MCE, APIC, MTRR,
   MCA, PSN, DS, ACPI, TM, PBE. */
#define L1_EDX_KEEP                                                                                   \
    (BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(4) | BIT(5) | BIT(6) | BIT(8) | BIT(11) | BIT(13) | BIT(15) | \
     BIT(16) | BIT(17) | BIT(19) | BIT(23) | BIT(24) | BIT(25) | BIT(26) | BIT(27) | BIT(28))

/* Leaf 7.0 EBX: FSGSBASE, BMI1, HLE, AVX2, FDP_EXCPTN_ONLY, SMEP, BMI2,
   ERMS, INVPCID, RTM, FPU CS/DS deprecated, AVX-512 (F, DQ, IFMA, PF, ER,
   CD, BW, VL), RDSEED, ADX, SMAP, CLFLUSHOPT, CLWB, SHA. Hidden:
   TSC_ADJUST, SGX, RDT-M, MPX, RDT-A, Processor Trace. */
#define L7_EBX_KEEP                                                                                    \
    (BIT(0) | BIT(3) | BIT(4) | BIT(5) | BIT(6) | BIT(7) | BIT(8) | BIT(9) | BIT(10) | BIT(11) | BIT(13) | \
     BIT(16) | BIT(17) | BIT(18) | BIT(19) | BIT(20) | BIT(21) | BIT(23) | BIT(24) | BIT(26) | BIT(27) |   \
     BIT(28) | BIT(29) | BIT(30) | BIT(31))
#define L7_EBX_AVX2 BIT(5)
#define L7_EBX_INVPCID BIT(10)
#define L7_EBX_AVX512 (BIT(16) | BIT(17) | BIT(21) | BIT(26) | BIT(27) | BIT(28) | BIT(30) | BIT(31))
/* Leaf 7.0 ECX: PREFETCHWT1, AVX512_VBMI, UMIP, PKU, OSPKE, AVX512_VBMI2,
   GFNI, VAES, VPCLMULQDQ, AVX512_VNNI, AVX512_BITALG, AVX512_VPOPCNTDQ,
   RDPID, MOVDIRI, MOVDIR64B. Hidden: WAITPKG (UMWAIT/TPAUSE), CET, TME,
   LA57 (5-level paging), Key Locker, CLDEMOTE, ENQCMD, SGX_LC, PKS. */
#define L7_ECX_KEEP                                                                                      \
    (BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(4) | BIT(6) | BIT(8) | BIT(9) | BIT(10) | BIT(11) | BIT(12) | \
     BIT(14) | BIT(22) | BIT(27) | BIT(28))
#define L7_ECX_PKU BIT(3)
#define L7_ECX_OSPKE BIT(4)
#define L7_ECX_AVX_BASED (BIT(9) | BIT(10))
#define L7_ECX_AVX512 (BIT(1) | BIT(6) | BIT(11) | BIT(12) | BIT(14))
#define L7_ECX_RDPID BIT(22)
/* Leaf 7.0 EDX: AVX512_4VNNIW, AVX512_4FMAPS, FSRM, AVX512_VP2INTERSECT,
   MD_CLEAR, SERIALIZE, AVX512_FP16. Hidden: hybrid, PCONFIG, CET-IBT, AMX,
   and the speculation controls (IBRS/IBPB, STIBP, L1D_FLUSH,
   ARCH_CAPABILITIES, CORE_CAPABILITIES, SSBD: their MSRs are not emulated). */
#define L7_EDX_KEEP (BIT(2) | BIT(3) | BIT(4) | BIT(8) | BIT(10) | BIT(14) | BIT(23))
#define L7_EDX_AVX512 (BIT(2) | BIT(3) | BIT(8) | BIT(23))

/* Leaf 0xD.1 EAX: XSAVEOPT, XSAVEC, XGETBV with ECX = 1. Hidden: XSAVES
   (IA32_XSS is not emulated), XFD. */
#define LD1_EAX_KEEP (BIT(0) | BIT(1) | BIT(2))

/* 0x80000001 ECX: LAHF/SAHF, LZCNT, PREFETCHW; EDX: SYSCALL, NX, 1-GiB
   pages, RDTSCP, long mode. */
#define E1_ECX_KEEP (BIT(0) | BIT(5) | BIT(8))
#define E1_EDX_KEEP (BIT(11) | BIT(20) | BIT(26) | BIT(27) | BIT(29))
#define E1_EDX_RDTSCP BIT(27)
#define E7_EDX_INVARIANT_TSC BIT(8)
#define E8_EBX_WBNOINVD BIT(9)

#define XSAVE_LEGACY_AND_HEADER 576u   /* bytes before the first extended component */

struct cpuid_leaf_policy {
    uint32_t leaf;
    bool subleaf0_only;   /* sub-leaves above 0 read as 0 */
    uint32_t keep[4];     /* host bits the guest sees in EAX, EBX, ECX, EDX */
    void (*adjust)(uint32_t sub, const struct cpuid_guest *g, cpuid_host_fn host, struct cpuid_regs *r);
};

static void leaf1(uint32_t sub, const struct cpuid_guest *g, cpuid_host_fn host, struct cpuid_regs *r)
{
    (void)sub, (void)host;
    r->b |= g->apic_id << 24;   /* EBX 31:24: initial APIC ID */
    // SOLUTION(V4-exits) BEGIN: leaf 1 ECX: only what the guest has (L1_ECX_KEEP: no VMX), set the hypervisor bit
    r->c &= L1_ECX_KEEP;
    r->c |= L1_ECX_HYPERVISOR;
    // SOLUTION(V4-exits) END
    if (!g->xcr0_allowed)
        r->c &= ~L1_ECX_XSAVE;
    if (!(g->xcr0_allowed & XCR0_AVX))
        r->c &= ~(L1_ECX_AVX | L1_ECX_FMA | L1_ECX_F16C);
    if (g->osxsave)   /* ECX[27] mirrors the guest's CR4.OSXSAVE */
        r->c |= L1_ECX_OSXSAVE;
}

static void leaf7(uint32_t sub, const struct cpuid_guest *g, cpuid_host_fn host, struct cpuid_regs *r)
{
    (void)sub, (void)host;
    if (!(g->xcr0_allowed & XCR0_AVX512)) {
        r->b &= ~L7_EBX_AVX512;
        r->c &= ~L7_ECX_AVX512;
        r->d &= ~L7_EDX_AVX512;
    }
    if (!(g->xcr0_allowed & XCR0_AVX)) {
        r->b &= ~L7_EBX_AVX2;
        r->c &= ~L7_ECX_AVX_BASED;
    }
    if (!(g->xcr0_allowed & XCR0_PKRU))
        r->c &= ~L7_ECX_PKU;
    r->c &= ~L7_ECX_OSPKE;
    if (g->ospke && (r->c & L7_ECX_PKU))   /* ECX[4] mirrors CR4.PKE */
        r->c |= L7_ECX_OSPKE;
    if (!g->rdtscp)
        r->c &= ~L7_ECX_RDPID;
    if (!g->invpcid)
        r->b &= ~L7_EBX_INVPCID;
}

/* Leaf 0xD: only the components XSETBV accepts (SDM Vol. 1 13.2). */
static void leaf_xsave(uint32_t sub, const struct cpuid_guest *g, cpuid_host_fn host, struct cpuid_regs *r)
{
    if (sub == 0) {
        r->a &= (uint32_t)g->xcr0_allowed;
        r->d &= (uint32_t)(g->xcr0_allowed >> 32);
        uint32_t max = XSAVE_LEGACY_AND_HEADER;   /* ECX: size for every allowed component */
        for (uint32_t i = 2; i < 64; i++) {
            if (!(g->xcr0_allowed & (1ull << i)))
                continue;
            struct cpuid_regs c;
            host(0xD, i, &c);   /* EAX size, EBX offset */
            if (c.a + c.b > max)
                max = c.a + c.b;
        }
        r->c = max;
    } else if (sub == 1) {
        r->a &= LD1_EAX_KEEP;
        r->c = r->d = 0;   /* no IA32_XSS components */
    } else if (sub >= 64 || !(g->xcr0_allowed & (1ull << sub))) {
        *r = (struct cpuid_regs){0, 0, 0, 0};
    }
    if (!g->xcr0_allowed)
        *r = (struct cpuid_regs){0, 0, 0, 0};
}

static void ext_max(uint32_t sub, const struct cpuid_guest *g, cpuid_host_fn host, struct cpuid_regs *r)
{
    (void)sub, (void)g, (void)host;
    if (r->a > CPUID_EXT_MAX_LEAF)
        r->a = CPUID_EXT_MAX_LEAF;
}

static void ext1(uint32_t sub, const struct cpuid_guest *g, cpuid_host_fn host, struct cpuid_regs *r)
{
    (void)sub, (void)host;
    if (!g->rdtscp)
        r->d &= ~E1_EDX_RDTSCP;
}

static const struct cpuid_leaf_policy policy[] = {
    {0x0, false, {ALL, ALL, ALL, ALL}, NULL},                          /* highest leaf, vendor */
    {0x1, false, {ALL, 0x00FFFFFFu, ALL, L1_EDX_KEEP}, leaf1},          /* features; ECX and APIC ID in leaf1 */
    {0x2, false, {ALL, ALL, ALL, ALL}, NULL},                          /* cache and TLB descriptors */
    {0x4, false, {ALL, ALL, ALL, ALL}, NULL},                          /* cache parameters */
    {0x7, true, {0, L7_EBX_KEEP, L7_ECX_KEEP, L7_EDX_KEEP}, leaf7},     /* structured features */
    {0xD, false, {ALL, ALL, ALL, ALL}, leaf_xsave},                    /* XSAVE components */
    {0x15, false, {ALL, ALL, ALL, ALL}, NULL},                         /* TSC / crystal ratio */
    {0x16, false, {ALL, ALL, ALL, ALL}, NULL},                         /* frequencies */
    {0x80000000u, false, {ALL, ALL, ALL, ALL}, ext_max},               /* highest extended leaf */
    {0x80000001u, false, {ALL, 0, E1_ECX_KEEP, E1_EDX_KEEP}, ext1},    /* extended features */
    {0x80000002u, false, {ALL, ALL, ALL, ALL}, NULL},                  /* brand string */
    {0x80000003u, false, {ALL, ALL, ALL, ALL}, NULL},
    {0x80000004u, false, {ALL, ALL, ALL, ALL}, NULL},
    {0x80000006u, false, {ALL, ALL, ALL, ALL}, NULL},                  /* L2 cache */
    {0x80000007u, false, {0, 0, 0, E7_EDX_INVARIANT_TSC}, NULL},       /* invariant TSC */
    {0x80000008u, false, {ALL, E8_EBX_WBNOINVD, 0, 0}, NULL},          /* address sizes */
};

static uint32_t sig_word(int i)
{
    const char *s = HV_SIGNATURE;
    return (uint32_t)s[4 * i] | (uint32_t)s[4 * i + 1] << 8 | (uint32_t)s[4 * i + 2] << 16 |
           (uint32_t)s[4 * i + 3] << 24;
}

/* 0x40000000: highest hypervisor leaf and the signature; 0x40000010: TSC
   frequency in kHz in EAX, the (absent) APIC timer's in EBX, the layout
   other hypervisors use for that leaf. */
static void hypervisor_leaf(uint32_t leaf, const struct cpuid_guest *g, struct cpuid_regs *out)
{
    // SOLUTION(V4-exits) BEGIN: 0x40000000: EAX = the highest hypervisor leaf, EBX:ECX:EDX = HV_SIGNATURE (sig_word); CPUID_HV_MAX_LEAF: EAX = TSC kHz; others all zero
    // SOLUTION(V4-exits) STUB: (void)sig_word;
    // SOLUTION(V4-exits) STUB: *out = (struct cpuid_regs){0, 0, 0, 0};
    *out = (struct cpuid_regs){0, 0, 0, 0};
    if (leaf == CPUID_HV_LEAF)
        *out = (struct cpuid_regs){CPUID_HV_MAX_LEAF, sig_word(0), sig_word(1), sig_word(2)};
    else if (leaf == CPUID_HV_MAX_LEAF)
        out->a = g->tsc_khz;
    // SOLUTION(V4-exits) END
}

void cpuid_policy_answer(uint32_t leaf, uint32_t sub, const struct cpuid_guest *g, cpuid_host_fn host,
                         struct cpuid_regs *out)
{
    *out = (struct cpuid_regs){0, 0, 0, 0};
    if ((leaf & 0xF0000000u) == CPUID_HV_LEAF) {
        hypervisor_leaf(leaf, g, out);
        return;
    }
    for (size_t i = 0; i < sizeof(policy) / sizeof(policy[0]); i++) {
        const struct cpuid_leaf_policy *p = &policy[i];
        if (p->leaf != leaf)
            continue;
        if (p->subleaf0_only && sub != 0)
            return;
        host(leaf, sub, out);
        out->a &= p->keep[0];
        out->b &= p->keep[1];
        out->c &= p->keep[2];
        out->d &= p->keep[3];
        if (p->adjust)
            p->adjust(sub, g, host, out);
        return;
    }
}

uint64_t cpuid_policy_exact_leaves(void)
{
    uint64_t exact = 0;
    for (size_t i = 0; i < sizeof(policy) / sizeof(policy[0]); i++) {
        const struct cpuid_leaf_policy *p = &policy[i];
        if (p->leaf < 64 && !p->adjust && !p->subleaf0_only && p->keep[0] == ALL && p->keep[1] == ALL &&
            p->keep[2] == ALL && p->keep[3] == ALL)
            exact |= 1ull << p->leaf;
    }
    return exact;
}
