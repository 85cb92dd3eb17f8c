/*
 * strio64.elf - string I/O (INS/OUTS) as the CPU does it, for the
 * hypervisor that emulates every element: the guest's own page rights give
 * the #PF the CPU would (error code, CR2, nothing done for a faulting
 * element, the elements before it done), DF = 1 runs backwards, an
 * address-size prefix in 64-bit mode uses EDI and zero-extends RDI, and FS
 * keeps its base in 64-bit mode (SDM Vol. 2B INS/OUTS, Vol. 3A 4.6, 4.7).
 *
 * The guest maps its first 2 MiB with 4 KiB pages of its own: one
 * read-only page, one not present. Data comes from an unclaimed port
 * (reads 0xFF) or from COM1 in loopback (what is sent comes back).
 * Run: vm run /guests/strio64.elf
 * Output: "strio: NAME: ok" per check (or what differed), then
 *         "strio: N of N checks ok"; exit code = the number that failed.
 */
#include "trap64.h"

#define PORT_EMPTY 0xEE
#define COM1 0x3F8
#define RO_PAGE 0x80000ull
#define ABSENT_PAGE 0x83000ull   /* the page before it (DATA_PAGE) is read-write */
#define DATA_PAGE 0x82000ull
#define FS_PAGE 0x84000ull
#define MSR_FS_BASE 0xC0000100u
#define CR0_WP (1ull << 16)

static uint64_t pt[512] __attribute__((aligned(4096)));
static unsigned checks, failed;

static void check(const char *name, int ok, uint64_t got, uint64_t want)
{
    checks++;
    if (ok) {
        guest_printf("strio: %s: ok\n", name);
        return;
    }
    failed++;
    guest_printf("strio: %s: got 0x%lx, want 0x%lx\n", name, got, want);
}

static void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port)); }
static uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static uint64_t read_cr2(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}
static void set_wp(int on)
{
    uint64_t cr0;
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    cr0 = on ? cr0 | CR0_WP : cr0 & ~CR0_WP;
    __asm__ volatile("mov %0, %%cr0" ::"r"(cr0) : "memory");
}

/* Replace the loader's first 2 MiB page by 4 KiB pages: identity, RW,
   supervisor; RO_PAGE read-only, ABSENT_PAGE not present. */
static void map_4k_pages(void)
{
    uint64_t cr3;
    __asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
    uint64_t *pml4 = (uint64_t *)(cr3 & 0x000FFFFFFFFFF000ull);
    uint64_t *pdpt = (uint64_t *)(pml4[0] & 0x000FFFFFFFFFF000ull);
    uint64_t *pd = (uint64_t *)(pdpt[0] & 0x000FFFFFFFFFF000ull);
    for (uint64_t i = 0; i < 512; i++)
        pt[i] = (i << 12) | 3;
    pt[RO_PAGE >> 12] = RO_PAGE | 1;
    pt[ABSENT_PAGE >> 12] = 0;
    pd[0] = (uint64_t)(uintptr_t)pt | 3;
    __asm__ volatile("mov %0, %%cr3" ::"r"(cr3) : "memory");
}

/* rep insb of count bytes to dst; RDI and RCX afterwards; the vector it raised (-1: none). */
static int rep_insb(uint64_t dst, uint64_t count, uint16_t port, uint64_t *rdi, uint64_t *rcx)
{
    __asm__ volatile(TRAP_TRY "rep insb" TRAP_END : "+D"(dst), "+c"(count) : "d"(port) : "r11", "memory");
    *rdi = dst;
    *rcx = count;
    return trap_result();
}

static int outsw_once(uint64_t src, uint16_t port, uint64_t *rsi)
{
    __asm__ volatile(TRAP_TRY "outsw" TRAP_END : "+S"(src) : "d"(port) : "r11", "memory");
    *rsi = src;
    return trap_result();
}

static void uart_loopback(void)
{
    outb(COM1 + 2, 0x07);   /* FIFOs on and cleared */
    outb(COM1 + 4, 0x10);   /* loopback */
}

static void page_rights(void)
{
    uint64_t rdi, rcx;
    set_wp(1);
    int vec = rep_insb(RO_PAGE + 0x10, 4, PORT_EMPTY, &rdi, &rcx);
    check("INS to a read-only page, CR0.WP=1: #PF", vec == 14, (uint64_t)vec, 14);
    check("  error code P|W", trap_error == 3, trap_error, 3);
    check("  CR2", read_cr2() == RO_PAGE + 0x10, read_cr2(), RO_PAGE + 0x10);
    check("  nothing done (RCX)", rcx == 4 && rdi == RO_PAGE + 0x10, rcx, 4);
    set_wp(0);
    vec = rep_insb(RO_PAGE + 0x10, 4, PORT_EMPTY, &rdi, &rcx);
    check("INS to a read-only page, CR0.WP=0: allowed", vec == -1 && rcx == 0, (uint64_t)vec, (uint64_t)-1);
    check("  bytes written", *(volatile uint32_t *)(uintptr_t)(RO_PAGE + 0x10) == 0xFFFFFFFFu,
          *(volatile uint32_t *)(uintptr_t)(RO_PAGE + 0x10), 0xFFFFFFFFu);
    set_wp(1);
    vec = rep_insb(ABSENT_PAGE - 4, 8, PORT_EMPTY, &rdi, &rcx);
    check("REP INSB into a missing page: #PF", vec == 14, (uint64_t)vec, 14);
    check("  error code W", trap_error == 2, trap_error, 2);
    check("  CR2 = the first missing byte", read_cr2() == ABSENT_PAGE, read_cr2(), ABSENT_PAGE);
    check("  the 4 bytes before it done", rcx == 4 && rdi == ABSENT_PAGE, rcx, 4);
    uint64_t rsi;
    vec = outsw_once(ABSENT_PAGE - 1, PORT_EMPTY, &rsi);
    check("OUTSW across into a missing page: #PF", vec == 14, (uint64_t)vec, 14);
    check("  error code 0 (read)", trap_error == 0, trap_error, 0);
    check("  CR2 = its second byte", read_cr2() == ABSENT_PAGE, read_cr2(), ABSENT_PAGE);
    check("  RSI unchanged", rsi == ABSENT_PAGE - 1, rsi, ABSENT_PAGE - 1);
}

static void direction_and_sizes(void)
{
    volatile uint8_t *buf = (volatile uint8_t *)(uintptr_t)DATA_PAGE;
    uart_loopback();
    for (const char *s = "abcd"; *s; s++)
        outb(COM1, (uint8_t)*s);
    uint64_t rdi, rcx;
    __asm__ volatile("std");
    int vec = rep_insb(DATA_PAGE + 3, 4, COM1, &rdi, &rcx);
    __asm__ volatile("cld");
    uint32_t got = buf[0] | buf[1] << 8 | buf[2] << 16 | (uint32_t)buf[3] << 24;
    check("DF=1: REP INSB fills backwards", vec == -1 && got == 0x61626364u, got, 0x61626364u);
    check("  RDI ends below the buffer", rdi == DATA_PAGE - 1, rdi, DATA_PAGE - 1);
    uint64_t d = (1ull << 32) | (DATA_PAGE + 0x40), c = 2;
    __asm__ volatile("addr32 rep insb" : "+D"(d), "+c"(c) : "d"(PORT_EMPTY) : "memory");
    check("a32 REP INSB in 64-bit mode: EDI, RDI zero-extended", d == DATA_PAGE + 0x42 && c == 0, d,
          DATA_PAGE + 0x42);
    check("  bytes at EDI", buf[0x40] == 0xFF && buf[0x41] == 0xFF, buf[0x40], 0xFF);
}

static void fs_base(void)
{
    *(volatile uint8_t *)(uintptr_t)DATA_PAGE = 'N';
    *(volatile uint8_t *)(uintptr_t)FS_PAGE = 'F';
    uint64_t base = FS_PAGE - DATA_PAGE;
    __asm__ volatile("wrmsr" ::"c"(MSR_FS_BASE), "a"((uint32_t)base), "d"((uint32_t)(base >> 32)));
    uart_loopback();
    uint64_t s = DATA_PAGE;
    __asm__ volatile("fs outsb" : "+S"(s) : "d"(COM1) : "memory");
    uint8_t got = inb(COM1);
    check("FS OUTSB in 64-bit mode uses the FS base", got == 'F', got, 'F');
    __asm__ volatile("wrmsr" ::"c"(MSR_FS_BASE), "a"(0), "d"(0));
}

int guest_main(uint64_t vcpu)
{
    (void)vcpu;
    trap64_install();
    map_4k_pages();
    page_rights();
    direction_and_sizes();
    fs_base();
    guest_printf("strio: %u of %u checks ok\n", checks - failed, checks);
    return (int)failed;
}
