/*
 * xstate64.elf - AVX-512 state is the guest's own, and shrinking XCR0 is
 * harmless: the guest enables x87|SSE|AVX|AVX-512 (XCR0 0xE7), puts values
 * into k1, zmm0 and zmm16, lets host timer ticks pass (the host saves the
 * state with XSAVE and restores it with XRSTOR), reads them back, then
 * shrinks XCR0 to 7 and to 1 and 7 again with ticks in between. A host
 * that keeps AVX-512 components in the saved area after the shrink faults
 * in its own XRSTOR (SDM Vol. 1 13.8.1) instead.
 *
 * Run: vm run /guests/xstate64.elf
 * Output: "xstate: AVX-512 registers kept across host ticks" and
 *         "xstate: XCR0 shrunk to 7 and to 1 then 7 with AVX-512 state saved";
 *         exit code 0 (1 if a value differed, 2 without AVX-512 here).
 * Exits: XSETBV per XCR0 change, VMCALLs (clock, lines).
 */
#include "guest.h"

#define CR4_OSXSAVE (1ull << 18)
#define XCR0_AVX512_ON 0xE7ull   /* x87, SSE, AVX, opmask, ZMM_Hi256, Hi16_ZMM */

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

static void xsetbv(uint64_t v)
{
    __asm__ volatile("xsetbv" ::"c"(0), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

static void wait_ms(uint64_t ms)
{
    uint64_t start = hc_clock_ns();
    while (hc_clock_ns() - start < ms * 1000000)
        ;
}

static int have_avx512(void)
{
    uint32_t r[4];
    cpuid(1, 0, r);
    if (!(r[2] & (1u << 26)))   /* XSAVE */
        return 0;
    cpuid(7, 0, r);
    if (!(r[1] & (1u << 16)))   /* AVX512F */
        return 0;
    cpuid(0xD, 0, r);
    return (r[0] & XCR0_AVX512_ON) == XCR0_AVX512_ON;
}

int guest_main(uint64_t vcpu_index)
{
    (void)vcpu_index;
    if (!have_avx512()) {
        guest_printf("xstate: no AVX-512 offered\n");
        return 2;
    }
    uint64_t cr4;
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    __asm__ volatile("mov %0, %%cr4" ::"r"(cr4 | CR4_OSXSAVE));
    xsetbv(XCR0_AVX512_ON);
    __asm__ volatile("mov $0x5a5a, %%eax\n\tkmovw %%eax, %%k1\n\t"
                     "mov $0x12345678, %%eax\n\tvpbroadcastd %%eax, %%zmm0\n\t"
                     "mov $0x9abcdef0, %%eax\n\tvpbroadcastd %%eax, %%zmm16" ::: "rax", "memory");
    wait_ms(40);
    uint32_t k1, z0, z16;
    __asm__ volatile("kmovw %%k1, %0\n\t"
                     "vextracti32x4 $3, %%zmm0, %%xmm1\n\tvmovd %%xmm1, %1\n\t"
                     "vextracti32x4 $3, %%zmm16, %%xmm1\n\tvmovd %%xmm1, %2"
                     : "=r"(k1), "=r"(z0), "=r"(z16));   /* xmm1: the compiler uses no SSE here */
    int failed = 0;
    if (k1 != 0x5a5a || z0 != 0x12345678 || z16 != 0x9abcdef0) {
        guest_printf("xstate: k1 0x%x zmm0 0x%x zmm16 0x%x after host ticks\n", k1, z0, z16);
        failed = 1;
    } else {
        guest_printf("xstate: AVX-512 registers kept across host ticks\n");
    }
    xsetbv(7);
    wait_ms(40);
    xsetbv(XCR0_AVX512_ON);
    wait_ms(40);
    xsetbv(1);
    wait_ms(40);
    xsetbv(7);
    wait_ms(40);
    guest_printf("xstate: XCR0 shrunk to 7 and to 1 then 7 with AVX-512 state saved\n");
    return failed;
}
