/*
 * vmfuzz COUNT [SEED] [--mode M] [--skip N] [--churn N] [-v]: run COUNT short-lived
 * VMs full of random guest code and check that the host survives each one.
 *
 * Every iteration creates a VM, maps 64 KiB RWX at GPA 0 plus a few pages
 * with random rights, fills the first 48 KiB (the code page at 0x1000 and
 * the data around it) with random bytes mixed with "interesting"
 * instructions (port I/O, CPUID, HLT, VMCALL, RDMSR/WRMSR, CR moves,
 * LGDT/LIDT, INT n, IRET, XSETBV, INVD, VMX instructions, far jumps, ...),
 * starts one or two vCPUs with random registers and a short guest-time
 * limit (vm_set_timeout), waits, files the stop reason into a histogram and
 * destroys the VM. Everything is derived from SEED by an LCG, so a run is
 * reproducible (-v prints each iteration before it starts, to find the one
 * that hangs or panics the host; --skip N draws the first N iterations'
 * random numbers without running them, so iteration N is reached at once;
 * --churn N adds N minimal VMs (HLT only) to the measured loop, to find
 * kernel memory that each VM leaves behind until its owner exits).
 *
 * Checks: every VM must stop by itself (its time limit bounds it; a VM
 * still running WAIT_MS after its start is reported as a HANG), with a
 * stop code and a reason text; no VM may report a host-side error; and the
 * free physical pages after the loop must equal those before it. Prints
 * `vmfuzz: ok` only when all of that holds.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <vm.h>

#define MEM_SIZE 0x10000ull       /* RWX at GPA 0 (long64: tables in the top 16 KiB) */
#define FILL_SIZE 0xC000u         /* random bytes below the long-mode tables */
#define CODE_GPA 0x1000u          /* the page the vCPUs start in */
#define CODE_SIZE 0x1000u
#define WAIT_MS 5000u             /* a VM still running after this is a hang */
#define WARMUP_RUNS (VM_KEPT_RECORDS + 2)
#define MAX_CATEGORIES 64
#define CATEGORY_LEN 64
#define SETTLE_TRIES 20
#define SETTLE_MS 50

/* ---- deterministic randomness ---- */

static uint64_t lcg_state;

static uint32_t rnd(void)
{
    lcg_state = lcg_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(lcg_state >> 32);
}

static uint64_t rnd64(void)
{
    return ((uint64_t)rnd() << 32) | rnd();
}

/* 0 .. n-1 */
static uint32_t below(uint32_t n)
{
    return n ? rnd() % n : 0;
}

/* ---- code generation ---- */

struct code {
    uint8_t *buf;
    uint32_t len, cap;
    unsigned mode;
};

static void emit(struct code *c, uint8_t b)
{
    if (c->len < c->cap)
        c->buf[c->len++] = b;
}

static void emit_bytes(struct code *c, const uint8_t *b, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        emit(c, b[i]);
}

static void emit32(struct code *c, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        emit(c, (uint8_t)(v >> (8 * i)));
}

static void emit16(struct code *c, uint32_t v)
{
    emit(c, (uint8_t)v);
    emit(c, (uint8_t)(v >> 8));
}

/* mov r32, imm32 for register number reg (0 eax, 1 ecx, 2 edx, 3 ebx, 7 edi)
   in the vCPU's mode (real mode needs the operand-size prefix). */
static void emit_mov_imm(struct code *c, unsigned reg, uint32_t v)
{
    if (c->mode == VM_MODE_REAL)
        emit(c, 0x66);
    emit(c, (uint8_t)(0xB8 + reg));
    emit32(c, v);
}

/* A value with a few interesting bits for a control register. */
static uint32_t interesting_value(void)
{
    static const uint32_t values[] = {
        0, 1, 0x11, 0x21, 0x80000001, 0x80000011, 0x60000010, 0xE0000011,
        0x80050033, 0x20, 0x2000, 0x6A0, 0x620, 0x40000, 0x1000, 0x30,
        0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, 0x20000, 0x200000, 0x100000,
    };
    if (below(3) == 0)
        return rnd();
    return values[below(sizeof(values) / sizeof(values[0]))];
}

static uint32_t interesting_msr(void)
{
    static const uint32_t msrs[] = {
        0x10, 0x1B, 0x3A, 0x48, 0x49, 0x8B, 0xFE, 0x174, 0x175, 0x176, 0x1D9,
        0x200, 0x277, 0x2FF, 0x480, 0x481, 0x482, 0x48B, 0x48C, 0x491, 0x6E0,
        0x802, 0x80B, 0x830, 0xC0000080, 0xC0000081, 0xC0000082, 0xC0000084,
        0xC0000100, 0xC0000101, 0xC0000102, 0xC0000103, 0x40000000, 0x4B564D00,
        0xFFFFFFFF, 0xC0010000,
    };
    if (below(4) == 0)
        return rnd();
    return msrs[below(sizeof(msrs) / sizeof(msrs[0]))];
}

/* One "interesting" instruction (sometimes with a register set up first). */
static void emit_interesting(struct code *c)
{
    static const uint8_t simple[][5] = {
        /* {length, bytes...} */
        {1, 0xF4},             /* hlt */
        {2, 0x0F, 0xA2},       /* cpuid */
        {1, 0xEC}, {1, 0xED},  /* in al/eax, dx */
        {1, 0xEE}, {1, 0xEF},  /* out dx, al/eax */
        {2, 0xF3, 0x6C}, {2, 0xF3, 0x6D},  /* rep insb/insd */
        {2, 0xF3, 0x6E}, {2, 0xF3, 0x6F},  /* rep outsb/outsd */
        {1, 0x6C}, {1, 0x6F},  /* insb, outsd */
        {2, 0x0F, 0x32}, {2, 0x0F, 0x30},  /* rdmsr, wrmsr */
        {2, 0x0F, 0x08}, {2, 0x0F, 0x09},  /* invd, wbinvd */
        {3, 0x0F, 0x01, 0xC1}, /* vmcall */
        {3, 0x0F, 0x01, 0xC2}, {3, 0x0F, 0x01, 0xC3},  /* vmlaunch, vmresume */
        {3, 0x0F, 0x01, 0xC4}, /* vmxoff */
        {3, 0x0F, 0x01, 0xD1}, {3, 0x0F, 0x01, 0xD0},  /* xsetbv, xgetbv */
        {3, 0x0F, 0x01, 0xD4}, /* vmfunc */
        {3, 0x0F, 0x01, 0xC8}, {3, 0x0F, 0x01, 0xC9},  /* monitor, mwait */
        {3, 0x0F, 0x01, 0xF8}, {3, 0x0F, 0x01, 0xF9},  /* swapgs, rdtscp */
        {3, 0x0F, 0xC7, 0x37}, {3, 0x0F, 0xC7, 0x3F},  /* vmptrld/vmptrst [edi] */
        {4, 0x66, 0x0F, 0xC7, 0x37},  /* vmclear [edi] */
        {4, 0xF3, 0x0F, 0xC7, 0x37},  /* vmxon [edi] */
        {3, 0x0F, 0x78, 0xC8}, {3, 0x0F, 0x79, 0xC8},  /* vmread, vmwrite */
        {2, 0x0F, 0x37},       /* getsec */
        {2, 0x0F, 0x0B},       /* ud2 */
        {1, 0xFA}, {1, 0xFB},  /* cli, sti */
        {2, 0x8E, 0xD0}, {1, 0x17},  /* mov ss, ax; pop ss */
        {2, 0x8E, 0xD8}, {2, 0x8E, 0xC0},  /* mov ds/es, ax */
        {1, 0x9C}, {1, 0x9D},  /* pushf, popf */
        {1, 0xCF}, {2, 0x48, 0xCF},  /* iret, iretq */
        {1, 0xCC}, {1, 0xF1}, {1, 0xCE},  /* int3, int1, into */
        {1, 0xCB},             /* retf */
        {2, 0xFF, 0x2F}, {2, 0xFF, 0x1F},  /* jmp/call far [edi] */
        {3, 0x0F, 0x01, 0x17}, {3, 0x0F, 0x01, 0x1F},  /* lgdt/lidt [edi] */
        {3, 0x0F, 0x01, 0x07}, {3, 0x0F, 0x01, 0x0F},  /* sgdt/sidt [edi] */
        {3, 0x0F, 0x00, 0xD8}, {3, 0x0F, 0x00, 0xD0},  /* ltr/lldt ax */
        {3, 0x0F, 0x01, 0xF0}, {3, 0x0F, 0x01, 0x38},  /* lmsw ax, invlpg [eax] */
        {2, 0x0F, 0x06},       /* clts */
        {3, 0x0F, 0x23, 0xF8}, {3, 0x0F, 0x21, 0xC0},  /* mov dr7, eax; mov eax, dr0 */
        {2, 0x0F, 0x31}, {2, 0x0F, 0x33},  /* rdtsc, rdpmc */
        {3, 0x0F, 0xC7, 0xF0}, {3, 0x0F, 0xC7, 0xF8},  /* rdrand, rdseed */
        {2, 0x0F, 0x34}, {2, 0x0F, 0x35},  /* sysenter, sysexit */
        {2, 0x0F, 0x05}, {2, 0x0F, 0x07},  /* syscall, sysret */
        {2, 0x0F, 0xAA},       /* rsm */
        {3, 0x0F, 0xAE, 0x27}, {3, 0x0F, 0xAE, 0x2F},  /* xsave/xrstor [edi] */
        {3, 0x0F, 0xAE, 0x07}, {3, 0x0F, 0xAE, 0x0F},  /* fxsave/fxrstor [edi] */
        {2, 0xDB, 0xE3}, {2, 0xD9, 0xEE},  /* fninit, fldz */
        {3, 0x0F, 0x28, 0xC1}, /* movaps xmm0, xmm1 */
        {2, 0xEB, 0xFE},       /* jmp $ */
        {2, 0xF3, 0x90},       /* pause */
        {4, 0x31, 0xC0, 0xF7, 0xF0},  /* xor eax,eax; div eax */
        {3, 0x44, 0x0F, 0x22}, /* mov cr8, r.. (modrm follows at random) */
        {3, 0x44, 0x0F, 0x20}, /* mov r.., cr8 */
        {2, 0x0F, 0x20}, {2, 0x0F, 0x22},  /* mov from/to crN (modrm at random) */
        {4, 0x66, 0x0F, 0x38, 0x80},  /* invept (modrm at random) */
        {4, 0x66, 0x0F, 0x38, 0x81},  /* invvpid */
        {4, 0x66, 0x0F, 0x38, 0x82},  /* invpcid */
        {2, 0x0F, 0x01},       /* group 7 with a random modrm */
        {2, 0x0F, 0xC7},       /* group 9 with a random modrm */
        {2, 0x0F, 0x00},       /* group 6 with a random modrm */
    };
    uint32_t pick = below(sizeof(simple) / sizeof(simple[0]) + 12);
    switch (pick) {
    case 0:   /* mov eax, X; mov cr0, eax */
        emit_mov_imm(c, 0, interesting_value());
        emit_bytes(c, (const uint8_t[]){0x0F, 0x22, 0xC0}, 3);
        return;
    case 1:   /* mov eax, X; mov cr4, eax */
        emit_mov_imm(c, 0, interesting_value());
        emit_bytes(c, (const uint8_t[]){0x0F, 0x22, 0xE0}, 3);
        return;
    case 2:   /* mov eax, X; mov cr3, eax */
        emit_mov_imm(c, 0, below(2) ? rnd() & 0xFFFFF000u : rnd());
        emit_bytes(c, (const uint8_t[]){0x0F, 0x22, 0xD8}, 3);
        return;
    case 3:   /* mov ecx, MSR; mov eax, X; mov edx, X; rdmsr or wrmsr */
        emit_mov_imm(c, 1, interesting_msr());
        emit_mov_imm(c, 0, interesting_value());
        emit_mov_imm(c, 2, below(2) ? 0 : rnd());
        emit_bytes(c, (const uint8_t[]){0x0F, below(2) ? 0x30 : 0x32}, 2);
        return;
    case 4:   /* mov eax, HC; mov edi/ebx.., vmcall */
        emit_mov_imm(c, 0, below(2) ? below(8) : rnd());
        emit_mov_imm(c, 7, below(2) ? below(0x20000) : rnd());
        emit_mov_imm(c, 6, below(2) ? below(0x2000) : rnd());
        emit_bytes(c, (const uint8_t[]){0x0F, 0x01, 0xC1}, 3);
        return;
    case 5:   /* mov edx, port; in/out (rep) */
        emit_mov_imm(c, 2, below(2) ? (uint32_t)below(0x400) : rnd() & 0xFFFF);
        emit_mov_imm(c, 1, below(2) ? below(16) : rnd());
        emit_bytes(c, (const uint8_t[]){0xF3, (uint8_t)(0x6C + below(4))}, 2);
        return;
    case 6:   /* mov ecx, 0; mov eax, X; xor edx, edx; xsetbv */
        emit_mov_imm(c, 1, below(4) ? 0 : rnd());
        emit_mov_imm(c, 0, below(2) ? 1 + below(8) : rnd());
        emit_mov_imm(c, 2, below(4) ? 0 : rnd());
        emit_bytes(c, (const uint8_t[]){0x0F, 0x01, 0xD1}, 3);
        return;
    case 7:   /* int n */
        emit(c, 0xCD);
        emit(c, (uint8_t)rnd());
        return;
    case 8:   /* far jump / call to a random selector */
        emit(c, below(2) ? 0xEA : 0x9A);
        if (c->mode == VM_MODE_REAL)
            emit16(c, rnd());
        else
            emit32(c, below(2) ? CODE_GPA + below(CODE_SIZE) : rnd());
        emit16(c, below(2) ? below(0x40) : rnd());
        return;
    case 9:   /* in/out with an immediate port */
        emit(c, (uint8_t)(0xE4 + below(4)));
        emit(c, (uint8_t)rnd());
        return;
    case 10:  /* mov edi, small address (for the [edi] forms above) */
        emit_mov_imm(c, 7, below(2) ? below(0xC000) : rnd());
        return;
    case 11:  /* mov eax, X (feeds mov crN, ltr, lmsw, ...) */
        emit_mov_imm(c, 0, interesting_value());
        return;
    default:
        break;
    }
    const uint8_t *s = simple[pick - 12];
    emit_bytes(c, s + 1, s[0]);
    /* the open-ended forms get their modrm byte at random */
    if ((s[0] == 2 && s[1] == 0x0F && (s[2] == 0x20 || s[2] == 0x22 || s[2] == 0x01 ||
                                       s[2] == 0xC7 || s[2] == 0x00)) ||
        (s[0] == 3 && s[1] == 0x44) || (s[0] == 4 && s[2] == 0x0F && s[3] == 0x38))
        emit(c, (uint8_t)rnd());
}

/* The low 48 KiB: random bytes or, mostly, interesting instructions mixed
   with random bytes (so jumps land in code-like bytes again); the code page
   is always of the mixed kind. In real mode the IVT points into it too. */
static void generate(uint8_t *mem, unsigned mode)
{
    for (uint32_t page = 0; page < FILL_SIZE; page += 0x1000) {
        struct code c = {mem + page, 0, 0x1000, mode};
        if (page != CODE_GPA && below(4) == 0) {
            while (c.len < c.cap)
                emit(&c, (uint8_t)rnd());
            continue;
        }
        while (c.len < c.cap) {
            if (below(3))
                emit_interesting(&c);
            uint32_t junk = below(4);
            for (uint32_t i = 0; i < junk; i++)
                emit(&c, (uint8_t)rnd());
        }
    }
    if (mode == VM_MODE_REAL && below(4)) {
        for (uint32_t v = 0; v < 256; v++) {
            uint32_t off = 0x1000 + below(FILL_SIZE - 0x1000);
            mem[4 * v] = (uint8_t)off;
            mem[4 * v + 1] = (uint8_t)(off >> 8);
            mem[4 * v + 2] = 0;
            mem[4 * v + 3] = 0;
        }
    }
}

/* Descriptor tables for the protected modes, so faults and INT n reach
   random code instead of ending in a triple fault at once: an IDT at
   IDT_GPA whose gates point into the code pages, in prot32 also a flat GDT
   (the vCPU starts without one), and a prologue at CODE_GPA that loads
   them (LGDT/LIDT [disp32] through a SIB byte, which is absolute in 64-bit
   mode too) and jumps into the code page. */
#define IDT_GPA 0x8000u
#define GDTR_GPA 0x9000u
#define IDTR_GPA 0x9008u
#define GDT_GPA 0x9010u

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, v); put16(p + 2, v >> 16); }

static void add_tables(uint8_t *mem, unsigned mode)
{
    bool long64 = mode == VM_MODE_LONG64;
    unsigned gate = long64 ? 16 : 8;
    for (unsigned v = 0; v < 256; v++) {
        uint8_t *g = mem + IDT_GPA + v * gate;
        uint32_t off = CODE_GPA + below(FILL_SIZE - CODE_GPA);
        memset(g, 0, gate);
        put16(g, off);
        put16(g + 2, 0x08);
        put16(g + 4, 0x8E00);    /* present, DPL 0, interrupt gate */
        put16(g + 6, off >> 16);
    }
    static const uint8_t gdt[24] = {0, 0, 0, 0, 0, 0, 0, 0,
                                    0xFF, 0xFF, 0, 0, 0, 0x9B, 0xCF, 0,    /* 0x08 code 32 */
                                    0xFF, 0xFF, 0, 0, 0, 0x93, 0xCF, 0};   /* 0x10 data */
    memset(mem + GDTR_GPA, 0, GDT_GPA - GDTR_GPA);   /* 64-bit bases are 8 bytes */
    memcpy(mem + GDT_GPA, gdt, sizeof(gdt));
    put16(mem + GDTR_GPA, sizeof(gdt) - 1);
    put32(mem + GDTR_GPA + 2, GDT_GPA);
    put16(mem + IDTR_GPA, 256 * gate - 1);
    put32(mem + IDTR_GPA + 2, IDT_GPA);
    struct code c = {mem + CODE_GPA, 0, 32, mode};
    if (!long64) {
        emit_bytes(&c, (const uint8_t[]){0x0F, 0x01, 0x14, 0x25}, 4);   /* lgdt [GDTR_GPA] */
        emit32(&c, GDTR_GPA);
    }
    emit_bytes(&c, (const uint8_t[]){0x0F, 0x01, 0x1C, 0x25}, 4);       /* lidt [IDTR_GPA] */
    emit32(&c, IDTR_GPA);
    uint32_t target = 32 + below(CODE_SIZE - 32);
    emit(&c, 0xE9);                                                     /* jmp rel32 */
    emit32(&c, target - (c.len + 4));
}

/* ---- the histogram of stop reasons ---- */

struct category {
    char name[CATEGORY_LEN];
    unsigned long count;
};

struct histogram {
    struct category cat[MAX_CATEGORIES];
    unsigned n;
};

static struct histogram stops;   /* stop reasons, one per VM */
static struct histogram exits;   /* VM exits by reason, over all VMs */

/* The reason text up to its first number or parenthesis ("EPT violation:
   write at GPA 0x5000 (rip 0x1003)" -> "EPT violation: write at GPA"). */
static void normalize(const char *reason, char *out)
{
    size_t n = 0;
    for (; reason[n] && n < CATEGORY_LEN - 1; n++) {
        char ch = reason[n];
        if ((ch >= '0' && ch <= '9') || ch == '(')
            break;
        out[n] = ch;
    }
    while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == ':' || out[n - 1] == ','))
        n--;
    out[n] = 0;
}

static void count_in(struct histogram *h, const char *name, unsigned long k)
{
    for (unsigned i = 0; i < h->n; i++) {
        if (strcmp(h->cat[i].name, name) == 0) {
            h->cat[i].count += k;
            return;
        }
    }
    if (h->n == MAX_CATEGORIES)
        name = "(other)";
    struct category *cat = &h->cat[h->n < MAX_CATEGORIES ? h->n++ : MAX_CATEGORIES - 1];
    snprintf(cat->name, sizeof(cat->name), "%s", name);
    cat->count += k;
}

static void count_category(const char *name) { count_in(&stops, name, 1); }

/* Prints h sorted by count, descending, one "vmfuzz: PREFIX COUNT NAME" line each. */
static void print_histogram(struct histogram *h, const char *prefix)
{
    for (unsigned i = 0; i < h->n; i++) {
        unsigned best = i;
        for (unsigned j = i + 1; j < h->n; j++)
            if (h->cat[j].count > h->cat[best].count)
                best = j;
        struct category tmp = h->cat[i];
        h->cat[i] = h->cat[best];
        h->cat[best] = tmp;
    }
    for (unsigned i = 0; i < h->n; i++)
        printf("vmfuzz: %s%7lu  %s\n", prefix, h->cat[i].count, h->cat[i].name);
}

/* ---- one VM ---- */

static long free_pages(void)
{
    struct meminfo mi;
    return meminfo(&mi) < 0 ? -1 : (long)mi.free_pages;
}

static uint8_t image[FILL_SIZE];
static struct vm_stats vm_stat;
static unsigned failures;

static void fail(unsigned iter, const char *what, const char *detail)
{
    failures++;
    printf("vmfuzz: iteration %u: %s%s%s\n", iter, what, detail ? ": " : "", detail ? detail : "");
}

/* A few extra mappings with random rights at random places (some of which
   the kernel refuses, e.g. W without R: that is fine). */
static void map_extra(int vm, bool dry)
{
    unsigned n = below(4);
    for (unsigned i = 0; i < n; i++) {
        uint64_t gpa = below(4) ? 0x10000 + (uint64_t)below(0x1F0) * 0x1000
                                : (uint64_t)below(0x3FFFF) * 0x1000 + 0x10000;
        uint64_t size = (1 + below(4)) * 0x1000ull;
        unsigned rights = below(8);
        if (!dry)
            (void)vm_map(vm, gpa, size, rights);
    }
    if (below(6) == 0) {   /* take some rights away inside the low 48 KiB */
        uint64_t gpa = (uint64_t)below(12) * 0x1000;
        unsigned rights = below(8);
        if (!dry)
            (void)vm_protect(vm, gpa, 0x1000, rights);
    }
}

static void random_regs(struct vm_regs *r, unsigned mode)
{
    uint64_t *reg = &r->rax;
    for (int i = 0; i < 16; i++)
        reg[i] = below(3) == 0 ? rnd64() : below(3) == 0 ? rnd() : below(0x10000);
    if (below(4))
        r->rsp = 0x800 + below(0x800) * 0x10;   /* a usable stack most of the time */
    if (mode != VM_MODE_LONG64 && below(2))
        r->rsp &= 0xFFFF;
    r->rbx_is_index = below(4) == 0;
}

/* The last exits of vm (to see what a hanging guest does). */
static void print_trace(int vm)
{
    static struct vm_trace_entry t[16];
    int n = vm_trace(vm, t, 16);
    for (int i = 0; i < n; i++)
        printf("vmfuzz:   exit %s rip 0x%llx qual 0x%llx gpa 0x%llx cycles %llu\n", t[i].name,
               (unsigned long long)t[i].rip, (unsigned long long)t[i].qualification,
               (unsigned long long)t[i].gpa, (unsigned long long)t[i].cycles);
}

/* Draws what run_one would draw for a VM, without running it (--skip). */
static void skip_one(unsigned mode)
{
    generate(image, mode);
    bool tables = mode != VM_MODE_REAL && below(3) != 0;
    if (tables)
        add_tables(image, mode);
    map_extra(-1, true);
    unsigned vcpus = below(6) == 0 ? 2 : 1;
    for (unsigned v = 0; v < vcpus; v++) {
        struct vm_regs regs;
        random_regs(&regs, mode);
        if (!tables)
            (void)below(16);
    }
    (void)below(40);
}

/* Runs one random VM; records its stop reason. */
static void run_one(unsigned iter, unsigned mode, int verbose, int warmup)
{
    if (verbose)
        printf("vmfuzz: iteration %u mode %s\n", iter, vm_mode_name(mode));
    int vm = vm_create(0);
    if (vm < 0) {
        fail(iter, "vm_create", strerror(errno));
        return;
    }
    if (vm_map(vm, 0, MEM_SIZE, VM_R | VM_W | VM_X) < 0) {
        fail(iter, "vm_map", strerror(errno));
        vm_destroy(vm);
        return;
    }
    bool tables = false;
    if (warmup) {
        memset(image, 0xF4, sizeof(image));   /* hlt everywhere */
    } else {
        generate(image, mode);
        tables = mode != VM_MODE_REAL && below(3) != 0;
        if (tables)
            add_tables(image, mode);
        map_extra(vm, false);
    }
    if (vm_write(vm, 0, image, sizeof(image)) != (ssize_t)sizeof(image))
        fail(iter, "vm_write", strerror(errno));
    unsigned vcpus = !warmup && below(6) == 0 ? 2 : 1;
    for (unsigned v = 0; v < vcpus; v++) {
        struct vm_regs regs;
        memset(&regs, 0, sizeof(regs));
        if (!warmup)
            random_regs(&regs, mode);
        uint64_t entry = CODE_GPA + (warmup || tables ? 0 : below(16));
        if (vm_vcpu_create(vm, mode, entry, &regs) < 0)
            fail(iter, "vm_vcpu_create", strerror(errno));
    }
    if (vm_set_timeout(vm, 10 + below(40)) < 0)
        fail(iter, "vm_set_timeout", strerror(errno));
    if (vm_start(vm) < 0) {
        fail(iter, "vm_start", strerror(errno));
        vm_destroy(vm);
        return;
    }
    if (verbose)
        printf("vmfuzz: iteration %u: started\n", iter);
    if (vm_wait(vm, WAIT_MS) < 0) {
        fail(iter, "HANG: still running", strerror(errno));
        count_category("HANG");
        print_trace(vm);
        vm_kill(vm);
        vm_wait(vm, VM_WAIT_FOREVER);
    }
    struct vm_status st;
    if (vm_info(vm, &st) < 0) {
        fail(iter, "vm_info", strerror(errno));
    } else if (!warmup) {
        char name[CATEGORY_LEN];
        normalize(st.stop_reason, name);
        count_category(name);
        if (st.state != VM_IS_STOPPED || st.stop_code == VM_STOPPED_NONE || !st.stop_reason[0])
            fail(iter, "stopped without a reason", st.stop_reason);
        else if (st.stop_code == VM_STOPPED_ERROR || st.stop_code == VM_STOPPED_ENTRY_FAILED ||
                 st.stop_code == VM_STOPPED_KILLED)
            fail(iter, "suspicious stop", st.stop_reason);
        if (verbose)
            printf("vmfuzz: iteration %u: %s (%llu exits)\n", iter, st.stop_reason,
                   (unsigned long long)st.exits);
    }
    if (!warmup && vm_stats(vm, &vm_stat) == 0)
        for (uint32_t i = 0; i < vm_stat.nrows && i < VM_STAT_ROWS; i++)
            count_in(&exits, vm_stat.row[i].name, (unsigned long)vm_stat.row[i].count);
    if (vm_destroy(vm) < 0)
        fail(iter, "vm_destroy", strerror(errno));
}

int main(int argc, char **argv)
{
    unsigned count = 0, have_count = 0, mode = VM_MODE_REAL;
    uint64_t seed = 1;
    int verbose = 0, positional = 0;
    unsigned skip = 0, churn = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--mode") == 0 && i + 1 < argc) {
            if (vm_parse_mode(argv[++i], &mode) < 0) {
                printf("vmfuzz: bad mode %s\n", argv[i]);
                return 2;
            }
        } else if (strcmp(argv[i], "-v") == 0) {
            verbose = 1;
        } else if (strcmp(argv[i], "--churn") == 0 && i + 1 < argc) {
            churn = (unsigned)strtoul(argv[++i], NULL, 0);
        } else if (strcmp(argv[i], "--skip") == 0 && i + 1 < argc) {
            skip = (unsigned)strtoul(argv[++i], NULL, 0);
        } else if (positional == 0) {
            count = (unsigned)strtoul(argv[i], NULL, 0);
            have_count = 1;
            positional++;
        } else if (positional == 1) {
            seed = strtoull(argv[i], NULL, 0);
            positional++;
        } else {
            positional = 99;
        }
    }
    if (!have_count || positional > 2) {
        printf("usage: vmfuzz COUNT [SEED] [--mode real|prot32|long64] [--skip N] [--churn N] [-v]\n");
        return 2;
    }
    /* Touch every page the loop will use (the histogram, the stack of the
       generator) before counting, so only kernel memory is compared. */
    memset(&stops, 0, sizeof(stops));
    memset(&exits, 0, sizeof(exits));
    memset(&vm_stat, 0, sizeof(vm_stat));
    generate(image, mode);
    lcg_state = seed;
    /* Warm-up: fill the kernel's ring of destroyed-VM records and its heap, so
       the page count below is a steady state. */
    for (unsigned i = 0; i < WARMUP_RUNS; i++)
        run_one(i, mode, 0, 1);
    if (failures) {
        printf("vmfuzz: VMs do not work here\n");
        return 1;
    }
    for (unsigned i = 0; i < skip; i++)
        skip_one(mode);
    long before = free_pages();
    uint64_t t0 = uptime_ms();
    for (unsigned i = skip; i < count; i++)
        run_one(i, mode, verbose, 0);
    for (unsigned i = 0; i < churn; i++)   /* many small VMs: per-VM kernel leftovers add up */
        run_one(i, mode, 0, 1);
    uint64_t t1 = uptime_ms();
    long after = free_pages();
    for (int i = 0; i < SETTLE_TRIES && after != before; i++) {
        sleep_ms(SETTLE_MS);
        after = free_pages();
    }
    print_histogram(&exits, "exits ");
    print_histogram(&stops, "");
    printf("vmfuzz: %u runs done (seed %llu, mode %s, %llu ms, %llu ms per run)\n", count,
           (unsigned long long)seed, vm_mode_name(mode), (unsigned long long)(t1 - t0),
           (unsigned long long)(count ? (t1 - t0) / count : 0));
    printf("vmfuzz: pages before %ld after %ld\n", before, after);
    if (failures)
        printf("vmfuzz: %u failures\n", failures);
    if (before < 0 || after != before || failures)
        return 1;
    printf("vmfuzz: ok\n");
    return 0;
}
