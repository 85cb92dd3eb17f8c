/*
 * GDB stub, x86-64 execution control (gdb_arch.h): int3 breakpoints in
 * kernel text, DR0-3 breakpoints and watchpoints, single steps, and telling
 * which of them a #BP or #DB was. Runs in the stopped state or in the #BP/#DB
 * handler (interrupts off, one CPU).
 *
 * Single steps run with IF masked (SDM Vol. 3A 18.3.1.4: TF traps after the
 * next instruction), so `stepi` on a running kernel never lands in the timer
 * handler; the interrupted code's IF comes back once the step is done unless
 * the stepped instruction itself changed IF.
 */
#include "gdb_arch.h"
#include "errno.h"
#include "kstring.h"
#include "x86.h"

#define INT3 0xCC
#define SW_BREAKPOINTS 64
#define HW_SLOTS 4

/* DR7 (SDM Vol. 3A 17.2.4): L0-L3 at 2*i, R/W at 16+4*i, LEN at 18+4*i; the
   rest of the bits are in x86_arch.h. */
#define DR7_RW_EXEC 0u
#define DR7_RW_WRITE 1u
#define DR7_RW_ACCESS 3u

struct sw_bp {
    uint64_t addr;
    uint8_t saved;
    bool used;
};

struct hw_bp {
    uint64_t addr;
    enum gdb_bp_type type;
    unsigned len;
    bool used;
};

static struct sw_bp sw_bps[SW_BREAKPOINTS];
static struct hw_bp hw_bps[HW_SLOTS];

static struct {
    bool active;
    bool saved_if;
    uint8_t insn[2];                    /* first bytes of the stepped instruction */
} step;

/* ---- software breakpoints: int3 written through the text alias ---- */

static struct sw_bp *sw_find(uint64_t addr)
{
    for (int i = 0; i < SW_BREAKPOINTS; i++)
        if (sw_bps[i].used && sw_bps[i].addr == addr)
            return &sw_bps[i];
    return NULL;
}

extern char kernel_text_start[], kernel_text_end[];

static int sw_insert(uint64_t addr)
{
    if (addr < (uint64_t)kernel_text_start || addr >= (uint64_t)kernel_text_end)
        return -EINVAL;                 /* only kernel text has a writable alias */
    if (sw_find(addr))
        return 0;
    for (int i = 0; i < SW_BREAKPOINTS; i++) {
        if (sw_bps[i].used)
            continue;
        uint8_t cc = INT3;
        if (gdb_x86_read_mem(addr, &sw_bps[i].saved, 1) < 0 || gdb_x86_write_mem(addr, &cc, 1) < 0)
            return -EFAULT;
        sw_bps[i].addr = addr;
        sw_bps[i].used = true;
        return 0;
    }
    return -ENOSPC;
}

static int sw_remove(uint64_t addr)
{
    struct sw_bp *b = sw_find(addr);
    if (!b)
        return 0;                       /* gdb may remove what it never got */
    b->used = false;
    return gdb_x86_write_mem(addr, &b->saved, 1);
}

/* ---- hardware breakpoints: DR0-3 and DR7 ---- */

static void write_dr(int n, uint64_t v)
{
    switch (n) {
    case 0: __asm__ volatile("mov %0, %%dr0" ::"r"(v)); break;
    case 1: __asm__ volatile("mov %0, %%dr1" ::"r"(v)); break;
    case 2: __asm__ volatile("mov %0, %%dr2" ::"r"(v)); break;
    case 3: __asm__ volatile("mov %0, %%dr3" ::"r"(v)); break;
    case 6: __asm__ volatile("mov %0, %%dr6" ::"r"(v)); break;
    case 7: __asm__ volatile("mov %0, %%dr7" ::"r"(v)); break;
    default: break;
    }
}

static uint64_t read_dr6(void)
{
    uint64_t v;
    __asm__ volatile("mov %%dr6, %0" : "=r"(v));
    return v;
}

/* DR7 LEN encoding of a length (SDM Table 18-2); -1 for lengths it lacks. */
static int dr7_len(unsigned len)
{
    switch (len) {
    case 1: return 0;
    case 2: return 1;
    case 4: return 3;
    case 8: return 2;
    default: return -1;
    }
}

static void hw_load(void)
{
    uint64_t dr7 = DR7_RESET;
    for (int i = 0; i < HW_SLOTS; i++) {
        const struct hw_bp *b = &hw_bps[i];
        if (!b->used)
            continue;
        unsigned rw = b->type == GDB_BP_HARDWARE ? DR7_RW_EXEC
                      : b->type == GDB_BP_WRITE  ? DR7_RW_WRITE
                                                 : DR7_RW_ACCESS;   /* x86 has no read-only watch */
        unsigned len = b->type == GDB_BP_HARDWARE ? 0 : (unsigned)dr7_len(b->len);
        write_dr(i, b->addr);
        dr7 |= (1ull << (2 * i)) | ((uint64_t)rw << (16 + 4 * i)) | ((uint64_t)len << (18 + 4 * i)) | DR7_LE;
    }
    write_dr(7, dr7);
}

static int hw_insert(enum gdb_bp_type type, uint64_t addr, uint64_t len)
{
    if (type != GDB_BP_HARDWARE && (dr7_len((unsigned)len) < 0 || len > 8 || (addr & (len - 1))))
        return -EINVAL;                 /* lengths 1, 2, 4, 8, naturally aligned (SDM 18.2.5) */
    for (int i = 0; i < HW_SLOTS; i++) {
        if (!hw_bps[i].used) {
            hw_bps[i] = (struct hw_bp){addr, type, (unsigned)len, true};
            hw_load();
            return 0;
        }
    }
    return -ENOSPC;
}

static int hw_remove(enum gdb_bp_type type, uint64_t addr)
{
    for (int i = 0; i < HW_SLOTS; i++) {
        if (hw_bps[i].used && hw_bps[i].addr == addr && hw_bps[i].type == type) {
            hw_bps[i].used = false;
            hw_load();
            return 0;
        }
    }
    return 0;
}

int gdb_x86_insert_bp(enum gdb_bp_type type, uint64_t addr, uint64_t kind)
{
    if (type == GDB_BP_SOFTWARE)
        return sw_insert(addr);
    return hw_insert(type, addr, kind);
}

int gdb_x86_remove_bp(enum gdb_bp_type type, uint64_t addr, uint64_t kind)
{
    UNUSED(kind);
    if (type == GDB_BP_SOFTWARE)
        return sw_remove(addr);
    return hw_remove(type, addr);
}

void gdb_x86_remove_all(void)
{
    for (int i = 0; i < SW_BREAKPOINTS; i++)
        if (sw_bps[i].used)
            sw_remove(sw_bps[i].addr);
    memset(hw_bps, 0, sizeof(hw_bps));
    hw_load();
}

/* ---- stops and resumption ---- */

/* The step is over: give the interrupted code its IF back, unless the
   stepped instruction set IF itself (cli, sti, popf, iretq) or saved the
   flags we ran it with (pushf: fix the copy on the stack). */
static void step_finish(struct trap_frame *f)
{
    step.active = false;
    f->rflags &= ~RFLAGS_TF;
    uint8_t op = step.insn[0] == 0x48 ? step.insn[1] : step.insn[0];   /* skip REX.W */
    if (op == 0xFA || op == 0xFB || op == 0x9D || op == 0xCF)
        return;
    if (step.saved_if)
        f->rflags |= RFLAGS_IF;
    if (op == 0x9C) {                   /* pushfq: the pushed image has TF set, IF masked */
        uint64_t pushed;
        if (gdb_x86_read_mem(f->rsp, &pushed, 8) == 0) {
            pushed = (pushed & ~(RFLAGS_TF | RFLAGS_IF)) | (step.saved_if ? RFLAGS_IF : 0);
            gdb_x86_write_mem(f->rsp, &pushed, 8);
        }
    }
}

static bool classify_bp(struct trap_frame *f, struct gdb_stop *stop)
{
    uint64_t at = f->rip - 1;           /* #BP is a trap: rip is past the int3 */
    if (sw_find(at)) {
        f->rip = at;                    /* gdb expects the breakpoint's address (swbreak) */
        stop->kind = GDB_STOP_SWBREAK;
        return true;
    }
    uint8_t byte;
    if (trap_from_user(f) || gdb_x86_read_mem(at, &byte, 1) < 0 || byte != INT3)
        return false;
    stop->kind = GDB_STOP_SIGNAL;       /* compiled in (gdb_breakpoint()): continue after it */
    return true;
}

static bool classify_db(struct trap_frame *f, struct gdb_stop *stop)
{
    uint64_t dr6 = read_dr6();
    write_dr(6, dr6 & ~(DR6_BS | DR6_B0_B3));   /* the CPU never clears what it reported */
    bool ours = false;
    if ((dr6 & DR6_BS) && step.active) {
        step_finish(f);
        stop->kind = GDB_STOP_SIGNAL;
        ours = true;
    }
    for (int i = 0; i < HW_SLOTS; i++) {
        const struct hw_bp *b = &hw_bps[i];
        if (!(dr6 & (1ull << i)) || !b->used)
            continue;
        static const enum gdb_stop_kind kinds[] = {
            [GDB_BP_HARDWARE] = GDB_STOP_HWBREAK, [GDB_BP_WRITE] = GDB_STOP_WATCH,
            [GDB_BP_READ] = GDB_STOP_RWATCH, [GDB_BP_ACCESS] = GDB_STOP_AWATCH};
        stop->kind = kinds[b->type];
        stop->data_addr = b->addr;
        ours = true;
    }
    return ours;
}

bool gdb_x86_classify_trap(struct trap_frame *f, struct gdb_stop *stop)
{
    stop->signal = GDB_SIGTRAP;
    stop->data_addr = 0;
    if (f->vector == 3)
        return classify_bp(f, stop);
    if (f->vector == 1)
        return classify_db(f, stop);
    return false;
}

void gdb_x86_resume(struct trap_frame *f, bool do_step)
{
    f->rflags |= RFLAGS_RF;
    if (!do_step)
        return;
    step.active = true;
    step.saved_if = (f->rflags & RFLAGS_IF) != 0;
    if (gdb_x86_read_mem(f->rip, step.insn, sizeof(step.insn)) < 0)
        memset(step.insn, 0, sizeof(step.insn));
    f->rflags = (f->rflags | RFLAGS_TF) & ~RFLAGS_IF;
}
