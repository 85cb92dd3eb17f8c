/*
 * step64.elf - single-stepping (RFLAGS.TF) over instructions the hypervisor
 * emulates: its own #DB handler records every trap, and each emulated
 * instruction must give exactly one trap, right after it, as on bare metal
 * (SDM Vol. 3B 17.3.1.4). Covers CPUID, OUT and VMCALL, and CPUID inside
 * an STI shadow and a MOV-SS shadow (the hypervisor must end the shadow and
 * still owe the trap; SDM Vol. 3C 24.4.2, 26.3.1.5).
 *
 * Run: vm run /guests/step64.elf
 * Output: one "step: NAME: N traps, as expected" line per sequence, or what
 *         differed; exit code 0 when all match, else the number of
 *         sequences that did not.
 * Exits: besides timer exits, per sequence one exit per emulated
 *        instruction and one EXCEPTION_NMI (#DB) per trap.
 */
#include "trap64.h"

#define MAX_TRAPS 16

static uint64_t traps[MAX_TRAPS];
static unsigned ntraps;

static void on_debug(struct trap_frame64 *f)
{
    if (ntraps < MAX_TRAPS)
        traps[ntraps] = f->rip;
    ntraps++;
}

/* A label right after an instruction, visible to C. */
#define AFTER(insn, label) insn "\n.globl " #label "\n" #label ":\n\t"
/* TF on with POPF: the first trap follows the instruction after POPF. */
#define TF_ON "pushfq\n\torq $0x100, (%%rsp)\n\tpopfq\n\t"
/* TF off again with POPF, which itself still traps (TF was set when it began). */
#define TF_OFF(l1, l2, l3) AFTER("pushfq", l1) AFTER("andq $~0x100, (%%rsp)", l2) AFTER("popfq", l3)

extern char s1_cpuid[], s1_out[], s1_mov[], s1_vmcall[], s1_pushf[], s1_and[], s1_popf[];
extern char s2_sti[], s2_cpuid[], s2_cli[], s2_movfrom[], s2_cpuid2[], s2_pushf[], s2_and[], s2_popf[];

/* CPUID, OUT and VMCALL, each emulated by the host. */
static void sequence_exits(void)
{
    uint64_t a = 0;
    __asm__ volatile(TF_ON AFTER("cpuid", s1_cpuid) AFTER("outb %%al, $0x80", s1_out)
                         AFTER("mov %[clock], %%eax", s1_mov) AFTER("vmcall", s1_vmcall)
                             TF_OFF(s1_pushf, s1_and, s1_popf)
                     : "+a"(a)
                     : [clock] "i"(HC_CLOCK), "c"(0)
                     : "rbx", "rdx", "memory", "cc");
}

/* CPUID right after STI (blocking by STI) and right after MOV to SS
   (blocking by MOV SS, which also holds back the trap of the MOV itself:
   one trap after the CPUID covers both, SDM Vol. 3A 6.8.3). */
static void sequence_shadows(void)
{
    uint64_t a = 0;
    __asm__ volatile(TF_ON AFTER("sti", s2_sti) AFTER("cpuid", s2_cpuid) AFTER("cli", s2_cli)
                         AFTER("mov %%ss, %%eax", s2_movfrom) "mov %%eax, %%ss\n\t" AFTER("cpuid", s2_cpuid2)
                             TF_OFF(s2_pushf, s2_and, s2_popf)
                     : "+a"(a)
                     : "c"(0)
                     : "rbx", "rdx", "memory", "cc");
}

/* Run seq with the trap log cleared; compare the trap addresses with want. */
static int check(const char *name, void (*seq)(void), char *const *want, unsigned nwant)
{
    ntraps = 0;
    seq();
    unsigned bad = ntraps != nwant;
    for (unsigned i = 0; i < nwant && i < ntraps && i < MAX_TRAPS; i++)
        if (traps[i] != (uint64_t)(uintptr_t)want[i]) {
            guest_printf("step: %s: trap %u at 0x%lx, expected 0x%lx\n", name, i, traps[i],
                         (uint64_t)(uintptr_t)want[i]);
            bad = 1;
        }
    if (bad)
        guest_printf("step: %s: %u traps, expected %u\n", name, ntraps, nwant);
    else
        guest_printf("step: %s: %u traps, as expected\n", name, ntraps);
    return (int)bad;
}

int guest_main(uint64_t vcpu_index)
{
    (void)vcpu_index;
    static char *const exits[] = {s1_cpuid, s1_out, s1_mov, s1_vmcall, s1_pushf, s1_and, s1_popf};
    static char *const shadows[] = {s2_sti, s2_cpuid, s2_cli, s2_movfrom, s2_cpuid2, s2_pushf, s2_and, s2_popf};
    trap_handlers[1] = on_debug;
    trap64_install();
    int failed = check("cpuid out vmcall", sequence_exits, exits, 7);
    failed += check("sti and mov-ss shadows", sequence_shadows, shadows, 8);
    return failed;
}
