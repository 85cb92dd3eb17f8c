/*
 * Ring 3 setup: the MSRs of the `syscall` instruction (SDM Vol. 3A 5.8.8)
 * and the GS bases of the swapgs convention (percpu.h). Boot, interrupts off.
 */
#include "gdt.h"
#include "kstring.h"
#include "percpu.h"
#include "usermode.h"
#include "x86.h"

struct percpu percpu;

void syscall_entry(void);

void usermode_init(void)
{
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    wrmsr(MSR_STAR, ((uint64_t)STAR_USER_BASE << 48) | ((uint64_t)STAR_KERNEL_BASE << 32));
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    /* cleared on entry: interrupts off until the stack is switched */
    wrmsr(MSR_FMASK, RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_NT | RFLAGS_AC | RFLAGS_IOPL);
    wrmsr(MSR_GS_BASE, (uint64_t)&percpu);
    wrmsr(MSR_KERNEL_GS_BASE, 0);
}

void usermode_frame_init(struct trap_frame *f, uint64_t rip, uint64_t rsp, uint64_t arg0, uint64_t arg1)
{
    memset(f, 0, sizeof(*f));
    f->rip = rip;
    f->rsp = rsp;
    f->rdi = arg0;
    f->rsi = arg1;
    f->cs = SEL_USER_CODE;
    f->ss = SEL_USER_DATA;
    f->rflags = RFLAGS_IF | RFLAGS_FIXED1;
}
