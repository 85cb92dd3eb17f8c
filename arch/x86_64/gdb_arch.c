/*
 * GDB stub, x86-64 registers and memory (gdb_arch.h): the `g` layout of our
 * target description (gdb_target_xml.c), where a thread's registers come
 * from, and kernel memory access that survives bad addresses. Runs in the
 * stopped state (interrupts off).
 */
#include "gdb_arch.h"
#include "errno.h"
#include "gdt.h"
#include "kstring.h"
#include "paging.h"
#include "x86.h"

/* Size of each register in the `g` packet, by gdb register number. */
static unsigned reg_size(unsigned regno)
{
    if (regno < GDB_RIP + 1)
        return 8;
    if (regno < GDB_ST0)
        return 4;                    /* eflags and the six selectors */
    if (regno < GDB_FCTRL)
        return 10;
    if (regno <= GDB_FOP)
        return 4;
    return 8;                        /* fs_base ... efer */
}

/* Where register regno lives in r (NULL for the x87 ones, which read as 0). */
static void *reg_slot(struct gdb_x86_regs *r, unsigned regno, unsigned *width)
{
    *width = 8;
    if (regno < 16)
        return &r->gpr[regno];
    switch (regno) {
    case GDB_RIP: return &r->rip;
    case GDB_EFLAGS: return &r->rflags;
    case GDB_FS_BASE: return &r->fs_base;
    case GDB_GS_BASE: return &r->gs_base;
    case GDB_CR0: return &r->cr0;
    case GDB_CR2: return &r->cr2;
    case GDB_CR3: return &r->cr3;
    case GDB_CR4: return &r->cr4;
    case GDB_EFER: return &r->efer;
    default: break;
    }
    if (regno >= GDB_CS && regno <= GDB_GS) {
        *width = 2;
        return &r->seg[regno - GDB_CS];
    }
    return NULL;
}

int gdb_x86_reg_get(const struct gdb_x86_regs *r, unsigned regno, uint8_t *buf, size_t cap)
{
    if (regno >= GDB_NUM_REGS || reg_size(regno) > cap)
        return -1;
    unsigned size = reg_size(regno), width;
    const void *slot = reg_slot((struct gdb_x86_regs *)r, regno, &width);
    memset(buf, 0, size);
    if (slot)
        memcpy(buf, slot, MIN(width, size));   /* little endian: the low bytes first */
    return (int)size;
}

int gdb_x86_reg_set(struct gdb_x86_regs *r, unsigned regno, const uint8_t *buf, size_t len)
{
    if (regno >= GDB_NUM_REGS || len != reg_size(regno))
        return -1;
    unsigned width;
    void *slot = reg_slot(r, regno, &width);
    if (!slot)
        return 0;                    /* x87: accepted, nothing to hold it */
    if (width == 8 && len == 4) {
        uint32_t v;
        memcpy(&v, buf, 4);
        *(uint64_t *)slot = v;       /* eflags: upper half is reserved 0 */
    } else {
        memcpy(slot, buf, MIN(width, (unsigned)len));
    }
    return 0;
}

int gdb_x86_regs_pack(const struct gdb_x86_regs *r, uint8_t *buf, size_t cap)
{
    size_t off = 0;
    for (unsigned i = 0; i < GDB_NUM_REGS; i++) {
        int n = gdb_x86_reg_get(r, i, buf + off, cap - off);
        if (n < 0)
            return -1;
        off += (size_t)n;
    }
    return (int)off;
}

int gdb_x86_regs_unpack(struct gdb_x86_regs *r, const uint8_t *buf, size_t len)
{
    size_t off = 0;
    for (unsigned i = 0; i < GDB_NUM_REGS && off < len; i++) {
        unsigned n = reg_size(i);
        if (off + n > len || gdb_x86_reg_set(r, i, buf + off, n) < 0)
            return -1;
        off += n;
    }
    return 0;
}

static uint16_t read_selector_ds(void) { uint16_t s; __asm__ volatile("mov %%ds, %0" : "=r"(s)); return s; }
static uint16_t read_selector_es(void) { uint16_t s; __asm__ volatile("mov %%es, %0" : "=r"(s)); return s; }
static uint16_t read_selector_fs(void) { uint16_t s; __asm__ volatile("mov %%fs, %0" : "=r"(s)); return s; }
static uint16_t read_selector_gs(void) { uint16_t s; __asm__ volatile("mov %%gs, %0" : "=r"(s)); return s; }

/* What every host thread shares: data selectors, bases, control registers. */
static void regs_host_common(struct gdb_x86_regs *r)
{
    r->seg[2] = read_selector_ds();
    r->seg[3] = read_selector_es();
    r->seg[4] = read_selector_fs();
    r->seg[5] = read_selector_gs();
    r->fs_base = rdmsr(MSR_FS_BASE);
    r->gs_base = rdmsr(MSR_GS_BASE);
    r->cr0 = read_cr0();
    r->cr2 = read_cr2();
    r->cr3 = read_cr3();
    r->cr4 = read_cr4();
    r->efer = rdmsr(MSR_EFER);
}

void gdb_x86_regs_from_frame(struct gdb_x86_regs *r, const struct trap_frame *f)
{
    memset(r, 0, sizeof(*r));
    const uint64_t gprs[16] = {f->rax, f->rbx, f->rcx, f->rdx, f->rsi, f->rdi, f->rbp, f->rsp,
                               f->r8,  f->r9,  f->r10, f->r11, f->r12, f->r13, f->r14, f->r15};
    memcpy(r->gpr, gprs, sizeof(gprs));
    r->rip = f->rip;
    r->rflags = f->rflags;
    r->seg[0] = (uint16_t)f->cs;
    r->seg[1] = (uint16_t)f->ss;
    regs_host_common(r);
}

void gdb_x86_regs_to_frame(const struct gdb_x86_regs *r, struct trap_frame *f)
{
    uint64_t *dst[16] = {&f->rax, &f->rbx, &f->rcx, &f->rdx, &f->rsi, &f->rdi, &f->rbp, &f->rsp,
                         &f->r8,  &f->r9,  &f->r10, &f->r11, &f->r12, &f->r13, &f->r14, &f->r15};
    for (int i = 0; i < 16; i++)
        *dst[i] = r->gpr[i];
    f->rip = r->rip;
    /* the CPU keeps bit 1 set and the IOPL/VM/VIF/VIP state is not gdb's to change */
    f->rflags = (r->rflags & 0x0DD5ull) | (f->rflags & ~0x0DD5ull) | 2;
}

/* context_switch.asm pushed rbp rbx r12 r13 r14 r15 below its return address. */
enum { SW_R15, SW_R14, SW_R13, SW_R12, SW_RBX, SW_RBP, SW_RET, SW_WORDS };

void gdb_x86_regs_from_switch(struct gdb_x86_regs *r, uint64_t saved_rsp)
{
    uint64_t w[SW_WORDS];
    memset(r, 0, sizeof(*r));
    if (gdb_x86_read_mem(saved_rsp, w, sizeof(w)) < 0)
        memset(w, 0, sizeof(w));
    r->gpr[GDB_RBX] = w[SW_RBX];
    r->gpr[GDB_RBP] = w[SW_RBP];
    r->gpr[GDB_R12] = w[SW_R12];
    r->gpr[GDB_R13] = w[SW_R13];
    r->gpr[GDB_R14] = w[SW_R14];
    r->gpr[GDB_R15] = w[SW_R15];
    r->gpr[GDB_RSP] = saved_rsp + sizeof(w);   /* as after context_switch's ret */
    r->rip = w[SW_RET];
    r->rflags = 2;                   /* switched with interrupts off */
    r->seg[0] = SEL_KERNEL_CODE;
    r->seg[1] = SEL_KERNEL_DATA;
    regs_host_common(r);
}

/* The kernel's exception-table copy (uaccess_copy.asm): a fault in it
   returns -EFAULT instead of a kernel dump, for any address. */
int64_t uaccess_copy_raw(void *dst, const void *src, size_t n);

int gdb_x86_read_mem(uint64_t addr, void *buf, size_t n)
{
    if (n == 0)
        return 0;
    if (addr + n < addr)
        return -EFAULT;
    return uaccess_copy_raw(buf, (const void *)addr, n) < 0 ? -EFAULT : 0;
}

extern char kernel_text_start[], kernel_text_end[];

static bool in_kernel_text(uint64_t addr, size_t n)
{
    return addr >= (uint64_t)kernel_text_start && addr < (uint64_t)kernel_text_end &&
           n <= (uint64_t)kernel_text_end - addr;
}

int gdb_x86_write_mem(uint64_t addr, const void *buf, size_t n)
{
    if (n == 0)
        return 0;
    if (addr + n < addr)
        return -EFAULT;
    if (!in_kernel_text(addr, n))
        return uaccess_copy_raw((void *)addr, buf, n) < 0 ? -EFAULT : 0;
    /* text is mapped read-only; its bytes are also in the writable direct map */
    const uint8_t *src = buf;
    for (size_t i = 0; i < n; i++) {
        uint8_t *alias = phys_to_virt(virt_to_phys((const void *)(addr + i)));
        *alias = src[i];
    }
    return 0;
}
