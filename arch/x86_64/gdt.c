/*
 * GDT and TSS setup (SDM Vol. 3A 3.4.5 segment descriptors, 7.2.3 64-bit
 * TSS, 8.2.3 TSS descriptor in 64-bit mode). Runs once at boot with
 * interrupts off; afterwards only TSS.RSP0 changes (on every switch to a
 * thread that can enter ring 3).
 *
 * The IST stacks give #DF, NMI and #MC a known-good stack, so that a kernel
 * stack overflow (a #PF that cannot push its frame becomes a #DF) still
 * produces a readable dump (SDM Vol. 3A 6.14.5).
 */
#include "gdt.h"

#define IST_STACK_SIZE 8192

struct PACKED tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];          /* stacks for CPL 0..2 */
    uint64_t reserved1;
    uint64_t ist[7];          /* IST1..IST7 */
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;      /* beyond the limit: no I/O permission bitmap */
};
_Static_assert(sizeof(struct tss64) == 104, "64-bit TSS is 104 bytes (SDM Vol. 3A Figure 7-11)");

struct PACKED descriptor_pointer {
    uint16_t limit;
    uint64_t base;
};

/* Code/data descriptors as raw quadwords: base 0, limit 0xFFFFF pages
   (ignored in 64-bit mode except for data in compatibility code).
   Access byte: P | DPL | S | type; flags nibble: G | D/B | L. */
#define DESC_KERNEL_CODE64 0x00AF9A000000FFFFull  /* P, DPL0, code r/x, L=1 */
#define DESC_KERNEL_DATA 0x00CF92000000FFFFull    /* P, DPL0, data r/w, D/B=1 */
#define DESC_USER_CODE32 0x00CFFA000000FFFFull    /* P, DPL3, code r/x, D=1 */
#define DESC_USER_DATA 0x00CFF2000000FFFFull      /* P, DPL3, data r/w */
#define DESC_USER_CODE64 0x00AFFA000000FFFFull    /* P, DPL3, code r/x, L=1 */
#define TSS_TYPE_AVAILABLE 0x9                    /* 64-bit TSS (available) */
#define DESC_PRESENT (1ull << 47)

static struct tss64 tss;
static uint64_t gdt[8] __attribute__((aligned(16)));
static uint8_t ist_stacks[3][IST_STACK_SIZE] __attribute__((aligned(16)));

extern char boot_stack_top[];

/* Write the two quadwords of the TSS system descriptor at gdt[index]. */
static void gdt_set_tss(unsigned index, uint64_t base, uint32_t limit)
{
    uint64_t low = (limit & 0xFFFFull) | ((base & 0xFFFFFFull) << 16) |
                   ((uint64_t)TSS_TYPE_AVAILABLE << 40) | DESC_PRESENT |
                   ((uint64_t)((limit >> 16) & 0xF) << 48) | (((base >> 24) & 0xFFull) << 56);
    gdt[index] = low;
    gdt[index + 1] = base >> 32;
}

/* Load GDTR, reload CS with a far return and the data segments, load TR. */
static void gdt_load(void)
{
    struct descriptor_pointer gdtr = {gdt_limit(), (uint64_t)gdt};
    __asm__ volatile("lgdt %0" ::"m"(gdtr));
    __asm__ volatile("pushq %[cs]\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movw %w[ds], %%ax\n\t"
                     "movw %%ax, %%ds\n\t"
                     "movw %%ax, %%es\n\t"
                     "movw %%ax, %%ss\n\t"
                     "xorl %%eax, %%eax\n\t"
                     "movw %%ax, %%fs\n\t"
                     "movw %%ax, %%gs\n\t"
                     :
                     : [cs] "i"(SEL_KERNEL_CODE), [ds] "r"((uint64_t)SEL_KERNEL_DATA)
                     : "rax", "memory");
    __asm__ volatile("ltr %w0" ::"r"((uint16_t)SEL_TSS));
}

void gdt_init(void)
{
    gdt[0] = 0;
    gdt[GDT_KERNEL_CODE / 8] = DESC_KERNEL_CODE64;
    gdt[GDT_KERNEL_DATA / 8] = DESC_KERNEL_DATA;
    gdt[GDT_USER_CODE32 / 8] = DESC_USER_CODE32;
    gdt[GDT_USER_DATA / 8] = DESC_USER_DATA;
    gdt[GDT_USER_CODE64 / 8] = DESC_USER_CODE64;
    gdt_set_tss(GDT_TSS / 8, (uint64_t)&tss, sizeof(tss) - 1);

    tss.iomap_base = sizeof(tss);
    tss.rsp[0] = (uint64_t)boot_stack_top;
    for (unsigned i = 0; i < ARRAY_SIZE(ist_stacks); i++)
        tss.ist[i] = (uint64_t)&ist_stacks[i][IST_STACK_SIZE];
    gdt_load();
}

void tss_set_kernel_stack(uint64_t rsp0) { tss.rsp[0] = rsp0; }
uint64_t tss_kernel_stack(void) { return tss.rsp[0]; }
uint64_t gdt_base(void) { return (uint64_t)gdt; }
uint16_t gdt_limit(void) { return (uint16_t)(sizeof(gdt) - 1); }
uint64_t tss_base(void) { return (uint64_t)&tss; }
