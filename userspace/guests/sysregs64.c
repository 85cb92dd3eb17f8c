/*
 * sysregs64.elf - MSRs a guest uses without VM exits are really its own:
 * SYSCALL enters the guest's LSTAR handler with STAR's selectors and
 * FMASK applied (SDM Vol. 2B SYSCALL), SWAPGS exchanges GS base with the
 * guest's KERNEL_GS_BASE, RDTSCP returns the guest's TSC_AUX. A fresh vCPU
 * finds them all 0 (SDM Vol. 3A 9.1.1), and the values survive a stretch
 * in which the host runs other threads (its own values in these MSRs).
 *
 * Run: vm run /guests/sysregs64.elf
 * Output: "sysregs: NAME ok" per check, or what differed; exit code =
 *         number of failed checks. An unexpected exception stops the guest
 *         with exit code 0xE0 + vector (trap64.h).
 * Exits: VMCALLs (lines, clock), RDMSR/WRMSR for the set-up.
 */
#include "trap64.h"

#define MSR_EFER 0xC0000080u
#define MSR_STAR 0xC0000081u
#define MSR_LSTAR 0xC0000082u
#define MSR_FMASK 0xC0000084u
#define MSR_GS_BASE 0xC0000101u
#define MSR_KERNEL_GS_BASE 0xC0000102u
#define MSR_TSC_AUX 0xC0000103u
#define EFER_SCE 1ull
#define RFLAGS_AC (1ull << 18)

static int failed;

static uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}

static void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" ::"c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

static void expect(const char *what, uint64_t got, uint64_t want)
{
    if (got == want)
        return;
    guest_printf("sysregs: %s is 0x%lx, expected 0x%lx\n", what, got, want);
    failed++;
}

static void report(const char *name, int failed_before)
{
    if (failed == failed_before)
        guest_printf("sysregs: %s ok\n", name);
}

/* Spin until the host clock advanced by ms: the host takes timer ticks
   (and runs other threads) meanwhile. */
static void wait_ms(uint64_t ms)
{
    uint64_t start = hc_clock_ns();
    while (hc_clock_ns() - start < ms * 1000000)
        ;
}

/* The SYSCALL target: note RFLAGS (FMASK applied) and CS/SS, then return
   to RCX with the caller's RFLAGS from R11 (no SYSRET: it would go to CPL 3). */
static volatile uint64_t sc_flags, sc_cs, sc_ss, sc_calls;
extern char syscall_target[];
__asm__(".pushsection .text\n"
        "syscall_target:\n"
        "  incq sc_calls(%rip)\n"
        "  pushfq\n"
        "  popq sc_flags(%rip)\n"
        "  movw %cs, sc_cs(%rip)\n"
        "  movw %ss, sc_ss(%rip)\n"
        "  pushq %r11\n"
        "  popfq\n"
        "  jmp *%rcx\n"
        ".popsection\n");

static void check_syscall(void)
{
    int before = failed;
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    wrmsr(MSR_STAR, 0x08ull << 32);   /* SYSCALL CS = 0x08, SS = 0x10 (the loader's GDT) */
    wrmsr(MSR_LSTAR, (uint64_t)(uintptr_t)syscall_target);
    wrmsr(MSR_FMASK, RFLAGS_AC);
    for (int round = 0; round < 2; round++) {
        uint64_t before_calls = sc_calls;
        __asm__ volatile("pushfq\n\torq %0, (%%rsp)\n\tpopfq\n\t"   /* AC on: FMASK must clear it */
                         "syscall\n\t"
                         "pushfq\n\tandq %1, (%%rsp)\n\tpopfq"
                         :
                         : "i"(RFLAGS_AC), "i"(~RFLAGS_AC)
                         : "rcx", "r11", "memory", "cc");
        expect("SYSCALL calls of LSTAR", sc_calls - before_calls, 1);
        expect("RFLAGS.AC in the handler (FMASK)", sc_flags & RFLAGS_AC, 0);
        expect("CS in the handler (STAR)", sc_cs, 0x08);
        expect("SS in the handler (STAR)", sc_ss, 0x10);
        if (round == 0)
            wait_ms(30);
    }
    expect("LSTAR read back", rdmsr(MSR_LSTAR), (uint64_t)(uintptr_t)syscall_target);
    report("SYSCALL through the guest's LSTAR, STAR and FMASK", before);
}

static void check_swapgs(void)
{
    int before = failed;
    wrmsr(MSR_GS_BASE, 0x5000);
    wrmsr(MSR_KERNEL_GS_BASE, 0x7000);
    __asm__ volatile("swapgs" ::: "memory");
    expect("GS base after SWAPGS", rdmsr(MSR_GS_BASE), 0x7000);
    expect("KERNEL_GS_BASE after SWAPGS", rdmsr(MSR_KERNEL_GS_BASE), 0x5000);
    wait_ms(30);
    __asm__ volatile("swapgs" ::: "memory");
    expect("GS base after the second SWAPGS", rdmsr(MSR_GS_BASE), 0x5000);
    expect("KERNEL_GS_BASE after the second SWAPGS", rdmsr(MSR_KERNEL_GS_BASE), 0x7000);
    report("SWAPGS with the guest's KERNEL_GS_BASE", before);
}

static uint32_t rdtscp_aux(void)
{
    uint32_t lo, hi, aux;
    __asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
    return aux;
}

static void check_tsc_aux(void)
{
    int before = failed;
    wrmsr(MSR_TSC_AUX, 0x2a);
    expect("TSC_AUX from RDTSCP", rdtscp_aux(), 0x2a);
    wait_ms(30);
    expect("TSC_AUX from RDTSCP after host ticks", rdtscp_aux(), 0x2a);
    expect("TSC_AUX read back", rdmsr(MSR_TSC_AUX), 0x2a);
    report("RDTSCP with the guest's TSC_AUX", before);
}

static void check_reset_values(void)
{
    int before = failed;
    static const struct {
        const char *name;
        uint32_t msr;
    } zero[] = {{"STAR", MSR_STAR}, {"LSTAR", MSR_LSTAR}, {"FMASK", MSR_FMASK},
                {"KERNEL_GS_BASE", MSR_KERNEL_GS_BASE}, {"TSC_AUX", MSR_TSC_AUX}};
    for (unsigned i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
        expect(zero[i].name, rdmsr(zero[i].msr), 0);
    expect("TSC_AUX from RDTSCP", rdtscp_aux(), 0);
    report("reset values", before);
}

static int rdmsr_fault(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile(TRAP_TRY "rdmsr" TRAP_END : "=a"(lo), "=d"(hi) : "c"(msr) : "r11", "memory");
    return trap_result();
}

/* What CPUID shows is what the guest has (docs/vmx.md "CPUID policy"), and
   the MSRs of what it hides do not exist. */
static void check_cpuid_policy(void)
{
    int before = failed;
    uint32_t a, b, c, d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
    expect("CPUID.1:ECX VMX, MONITOR, x2APIC, TSC-deadline", c & ((1u << 5) | (1u << 3) | (1u << 21) | (1u << 24)), 0);
    expect("CPUID.1:ECX hypervisor", c >> 31, 1);
    expect("CPUID.1:EDX APIC, MTRR, MCE, MCA", d & ((1u << 9) | (1u << 12) | (1u << 7) | (1u << 14)), 0);
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0xA), "c"(0));
    expect("CPUID.0AH (PMU)", a | b | c | d, 0);
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x40000000), "c"(0));
    expect("CPUID.40000000H:EAX", a, 0x40000010);
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x40000010), "c"(0));
    if (a == 0) {
        guest_printf("sysregs: CPUID.40000010H gives no TSC frequency\n");
        failed++;
    }
    expect("RDMSR IA32_APIC_BASE (no APIC)", (uint64_t)rdmsr_fault(0x1B), 13);
    expect("RDMSR IA32_MTRRCAP (no MTRR)", (uint64_t)rdmsr_fault(0xFE), 13);
    expect("RDMSR IA32_PERF_GLOBAL_CTRL (no PMU)", (uint64_t)rdmsr_fault(0x38F), 13);
    if (failed == before)
        guest_printf("sysregs: CPUID shows what is virtualized (TSC %u kHz), hidden MSRs #GP\n", a);
}

int guest_main(uint64_t vcpu_index)
{
    (void)vcpu_index;
    trap64_install();
    check_reset_values();
    check_syscall();
    check_swapgs();
    check_tsc_aux();
    check_cpuid_policy();
    return failed;
}
