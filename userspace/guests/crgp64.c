/*
 * crgp64.elf - MOV to CR0 and WRMSR(EFER) that the hypervisor emulates
 * raise #GP(0) exactly where the CPU would (SDM Vol. 2B MOV CR and WRMSR,
 * Vol. 3A 2.5, 9.8.5). Each CR0 write also flips CR0.NE, a bit the host
 * owns (its guest/host mask), so it exits and is emulated; the guest's own
 * IDT (trap64.h) catches the #GP and resumes after the instruction.
 *
 * Run: vm run /guests/crgp64.elf
 * Output: "crgp: NAME: #GP(0)" per case (or what happened instead), and
 *         "crgp: CR8 kept 5, #GP for bit 4" (CR8 starts at 0 and is left
 *         at 5: a second run shows that the next vCPU starts from 0, not
 *         from a TPR the last guest left in the CPU); exit code = number of
 *         wrong answers.
 * Exits: CR_ACCESS, MSR_READ/MSR_WRITE, VMCALLs for the lines.
 */
#include "trap64.h"

#define CR0_PE (1ull << 0)
#define CR0_NE (1ull << 5)
#define CR0_NW (1ull << 29)
#define CR0_CD (1ull << 30)
#define CR0_PG (1ull << 31)
#define MSR_EFER 0xC0000080u
#define EFER_LME (1ull << 8)

static int failed;

static uint64_t read_cr0(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}

static int write_cr0(uint64_t v)
{
    __asm__ volatile(TRAP_TRY "mov %0, %%cr0" TRAP_END ::"r"(v) : "r11", "memory");
    return trap_result();
}

static int wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile(TRAP_TRY "wrmsr" TRAP_END ::"c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
                     : "r11", "memory");
    return trap_result();
}

static uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}

static void expect_gp(const char *name, int vector)
{
    if (vector == 13 && trap_error == 0) {
        guest_printf("crgp: %s: #GP(0)\n", name);
        return;
    }
    if (vector < 0)
        guest_printf("crgp: %s: accepted, expected #GP(0)\n", name);
    else
        guest_printf("crgp: %s: vector %d error 0x%lx, expected #GP(0)\n", name, vector, trap_error);
    failed++;
}

static void check_cr8(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr8, %0" : "=r"(v));
    int ok = v == 0;   /* reset value */
    __asm__ volatile("mov %0, %%cr8" ::"r"(5ull));
    for (volatile int i = 0; i < 100000; i++)
        ;
    __asm__ volatile("mov %%cr8, %0" : "=r"(v));
    ok = ok && v == 5;
    __asm__ volatile(TRAP_TRY "mov %0, %%cr8" TRAP_END ::"r"(0x10ull) : "r11", "memory");
    ok = ok && trap_result() == 13;
    __asm__ volatile("mov %%cr8, %0" : "=r"(v));
    ok = ok && v == 5;   /* left at 5: the next vCPU must still start from 0 */
    if (ok) {
        guest_printf("crgp: CR8 kept 5, #GP for bit 4\n");
    } else {
        guest_printf("crgp: CR8 is 0x%lx after writing 5 (and 0x10)\n", v);
        failed++;
    }
}

int guest_main(uint64_t vcpu_index)
{
    (void)vcpu_index;
    trap64_install();
    uint64_t cr0 = read_cr0();   /* 64-bit mode: PE, PG, NE set */
    expect_gp("CR0 bit 32", write_cr0((cr0 ^ CR0_NE) | (1ull << 32)));
    expect_gp("CR0.NW without CD", write_cr0(((cr0 ^ CR0_NE) | CR0_NW) & ~CR0_CD));
    expect_gp("CR0.PG without PE", write_cr0((cr0 ^ CR0_NE) & ~CR0_PE));
    expect_gp("CR0.PG cleared in 64-bit mode", write_cr0((cr0 ^ CR0_NE) & ~CR0_PG));
    expect_gp("EFER reserved bit 1", wrmsr(MSR_EFER, rdmsr(MSR_EFER) | 2));
    expect_gp("EFER.LME cleared with paging on", wrmsr(MSR_EFER, rdmsr(MSR_EFER) & ~EFER_LME));
    if (read_cr0() != cr0) {
        guest_printf("crgp: CR0 changed to 0x%lx\n", read_cr0());
        failed++;
    }
    check_cr8();
    return failed;
}
