/*
 * Switching the CPU state the VMCS does not cover between a guest and the
 * host (the scheme is in cpu_switch.h). vCPU thread, interrupts off.
 */
#include "cpu_switch.h"
#include "vcpu.h"
#include "vmx.h"
#include "x86.h"
#include "xcr0.h"

#define CPUID_80000001_EDX_RDTSCP (1u << 27)   /* SDM Vol. 2A CPUID */
#define CPUID_7_ECX_RDPID (1u << 22)
#define FMASK_RESERVED 0xFFFFFFFF00000000ull    /* IA32_FMASK 63:32 (Vol. 4 Table 2-2) */
#define TSC_AUX_RESERVED 0xFFFFFFFF00000000ull  /* IA32_TSC_AUX 63:32 */

static const uint32_t msr_index[CPU_MSR_COUNT] = {
    [CPU_MSR_STAR] = MSR_STAR,
    [CPU_MSR_LSTAR] = MSR_LSTAR,
    [CPU_MSR_FMASK] = MSR_FMASK,
    [CPU_MSR_KERNEL_GS_BASE] = MSR_KERNEL_GS_BASE,
    [CPU_MSR_TSC_AUX] = MSR_TSC_AUX,
    [CPU_MSR_CSTAR] = MSR_CSTAR,
};

/* How many leading slots of msr_index are loaded into the CPU: TSC_AUX only
   where it exists, CSTAR never. */
static unsigned loaded_msrs = CPU_MSR_TSC_AUX;

void cpu_switch_detect(void)
{
    uint32_t a, b, c, d;
    bool tsc_aux = false;
    cpuid(0x80000000u, 0, &a, &b, &c, &d);
    if (a >= 0x80000001u) {
        cpuid(0x80000001u, 0, &a, &b, &c, &d);
        tsc_aux = (d & CPUID_80000001_EDX_RDTSCP) != 0;
    }
    cpuid(0, 0, &a, &b, &c, &d);
    if (a >= 7) {
        cpuid(7, 0, &a, &b, &c, &d);
        tsc_aux = tsc_aux || (c & CPUID_7_ECX_RDPID);
    }
    loaded_msrs = tsc_aux ? CPU_MSR_TSC_AUX + 1 : CPU_MSR_TSC_AUX;
}

void cpu_switch_reset(struct cpu_switch_regs *guest)
{
    *guest = (struct cpu_switch_regs){.dr6 = DR6_FIXED_ONES, .dr7 = DR7_RESET};
}

#define DEFINE_DR(n)                                                                       \
    static inline uint64_t read_dr##n(void)                                               \
    {                                                                                      \
        uint64_t v;                                                                        \
        __asm__ volatile("mov %%dr" #n ", %0" : "=r"(v));                                 \
        return v;                                                                          \
    }                                                                                      \
    static inline void write_dr##n(uint64_t v) { __asm__ volatile("mov %0, %%dr" #n ::"r"(v)); }
DEFINE_DR(0)
DEFINE_DR(1)
DEFINE_DR(2)
DEFINE_DR(3)
DEFINE_DR(6)
DEFINE_DR(7)
#undef DEFINE_DR

static void save_debug(struct cpu_switch_regs *r)
{
    r->dr[0] = read_dr0();
    r->dr[1] = read_dr1();
    r->dr[2] = read_dr2();
    r->dr[3] = read_dr3();
    r->dr6 = read_dr6();
}

static void load_debug(const struct cpu_switch_regs *r)
{
    write_dr0(r->dr[0]);
    write_dr1(r->dr[1]);
    write_dr2(r->dr[2]);
    write_dr3(r->dr[3]);
    write_dr6(r->dr6);
}

void cpu_switch_to_guest(struct vcpu *v)
{
    struct cpu_switch_regs *h = &v->host_cpu, *g = &v->cpu;
    __asm__ volatile("sgdt %0\n\tsidt %1" : "=m"(h->gdtr), "=m"(h->idtr));
    h->dr7 = read_dr7();
    write_dr7(DR7_RESET);   /* no host breakpoint on guest addresses meanwhile */
    save_debug(h);
    load_debug(g);
    for (unsigned i = 0; i < loaded_msrs; i++) {
        h->msr[i] = rdmsr(msr_index[i]);
        if (g->msr[i] != h->msr[i])
            wrmsr(msr_index[i], g->msr[i]);
    }
    xcr0_enter_guest(v);
    write_cr2(v->cr2);
    v->cpu_loaded = true;
}

void cpu_switch_to_host(struct vcpu *v)
{
    if (!v->cpu_loaded)
        return;
    struct cpu_switch_regs *h = &v->host_cpu, *g = &v->cpu;
    v->cr2 = read_cr2();
    xcr0_leave_guest(v);
    g->msr[CPU_MSR_KERNEL_GS_BASE] = rdmsr(MSR_KERNEL_GS_BASE);   /* SWAPGS changes it without an exit */
    for (unsigned i = 0; i < loaded_msrs; i++)
        if (g->msr[i] != h->msr[i])
            wrmsr(msr_index[i], h->msr[i]);
    save_debug(g);
    load_debug(h);
    write_dr7(h->dr7);
    __asm__ volatile("lgdt %0\n\tlidt %1" ::"m"(h->gdtr), "m"(h->idtr) : "memory");
    v->cpu_loaded = false;
}

int cpu_switch_msr_slot(uint32_t msr)
{
    for (int i = 0; i < CPU_MSR_COUNT; i++)
        if (msr_index[i] == msr)
            return i;
    return -1;
}

uint64_t cpu_switch_read_msr(struct vcpu *v, int slot)
{
    if (slot == CPU_MSR_KERNEL_GS_BASE)
        return rdmsr(MSR_KERNEL_GS_BASE);
    return v->cpu.msr[slot];
}

/* WRMSR's #GP conditions for these MSRs (SDM Vol. 2B WRMSR, Vol. 4 Table
   2-2): a non-canonical address in LSTAR/CSTAR/KERNEL_GS_BASE, reserved
   bits in FMASK and TSC_AUX. */
static bool msr_value_ok(int slot, uint64_t value)
{
    switch (slot) {
    case CPU_MSR_LSTAR:
    case CPU_MSR_CSTAR:
    case CPU_MSR_KERNEL_GS_BASE: return vmx_is_canonical(value);
    case CPU_MSR_FMASK: return !(value & FMASK_RESERVED);
    case CPU_MSR_TSC_AUX: return !(value & TSC_AUX_RESERVED);
    default: return true;
    }
}

bool cpu_switch_write_msr(struct vcpu *v, int slot, uint64_t value)
{
    if (!msr_value_ok(slot, value) || (slot == CPU_MSR_TSC_AUX && loaded_msrs <= CPU_MSR_TSC_AUX))
        return false;
    v->cpu.msr[slot] = value;
    if ((unsigned)slot < loaded_msrs)
        wrmsr(msr_index[slot], value);
    return true;
}
