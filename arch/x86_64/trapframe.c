/*
 * Printing a trap frame (exception dumps and panic). Called with interrupts
 * off from fatal paths; uses nothing but kprintf.
 */
#include "trapframe.h"
#include "kprintf.h"

/* The assembly offsets in trapframe.inc must match the C layout. */
_Static_assert(offsetof(struct trap_frame, rbp) == 8 * 8, "TF_RBP");
_Static_assert(offsetof(struct trap_frame, rax) == 14 * 8, "TF_RAX");
_Static_assert(offsetof(struct trap_frame, vector) == 15 * 8, "TF_VECTOR");
_Static_assert(offsetof(struct trap_frame, error_code) == 16 * 8, "TF_ERROR");
_Static_assert(offsetof(struct trap_frame, rip) == 17 * 8, "TF_RIP");
_Static_assert(offsetof(struct trap_frame, cs) == 18 * 8, "TF_CS");
_Static_assert(offsetof(struct trap_frame, rflags) == 19 * 8, "TF_RFLAGS");
_Static_assert(offsetof(struct trap_frame, rsp) == 20 * 8, "TF_RSP");
_Static_assert(offsetof(struct trap_frame, ss) == 21 * 8, "TF_SS");

void trap_frame_print(const struct trap_frame *f)
{
    kprintf("RAX=%016lx RBX=%016lx RCX=%016lx\n", f->rax, f->rbx, f->rcx);
    kprintf("RDX=%016lx RSI=%016lx RDI=%016lx\n", f->rdx, f->rsi, f->rdi);
    kprintf("RBP=%016lx RSP=%016lx R8 =%016lx\n", f->rbp, f->rsp, f->r8);
    kprintf("R9 =%016lx R10=%016lx R11=%016lx\n", f->r9, f->r10, f->r11);
    kprintf("R12=%016lx R13=%016lx R14=%016lx\n", f->r12, f->r13, f->r14);
    kprintf("R15=%016lx RIP=%016lx RFL=%016lx\n", f->r15, f->rip, f->rflags);
    kprintf("CS=%04lx SS=%04lx\n", f->cs, f->ss);
}
