/*
 * I/O instruction exits (SDM 25.1.3, qualification Table 27-5). Every port
 * exits (all-ones I/O bitmaps). Emulated: port 0xE9 (the Bochs/QEMU debug
 * console) and COM1 data (0x3F8) print guest bytes on the console, line
 * buffered with a "[vmN] " prefix; COM1 line status (0x3FD) reads
 * "transmitter empty". Any other port: writes are ignored, reads return all
 * ones (an empty ISA bus). INS/OUTS and their REP forms are decoded from the
 * qualification and the VM-exit instruction information (27.2.5).
 * vCPU thread, interrupts off.
 */
#include "errno.h"
#include "exit.h"
#include "kprintf.h"
#include "kstring.h"
#include "vm_internal.h"
#include "vmx.h"

#define PORT_DEBUGCON 0xE9
#define PORT_COM1_DATA 0x3F8
#define PORT_COM1_LSR 0x3FD
#define LSR_TX_EMPTY 0x60        /* THRE | TEMT */
#define REP_MAX_PER_EXIT 4096    /* bound the time one exit takes; the guest re-executes the rest */

void vcpu_console_flush(struct vcpu *v)
{
    if (!v->line_len)
        return;
    v->line[v->line_len] = '\0';
    kprintf("[vm%d] %s\n", vm_id(v->vm), v->line);
    v->line_len = 0;
}

void vcpu_console_putc(struct vcpu *v, char c)
{
    vm_console_capture(v->vm, c);
    if (c == '\n') {
        if (!v->line_len)
            kprintf("[vm%d] \n", vm_id(v->vm));
        vcpu_console_flush(v);
        return;
    }
    if (c == '\r')
        return;
    v->line[v->line_len++] = c;
    if (v->line_len == VCPU_LINE_MAX - 1)
        vcpu_console_flush(v);
}

static void port_write(struct vcpu *v, uint16_t port, uint32_t value)
{
    if (port == PORT_DEBUGCON || port == PORT_COM1_DATA)
        vcpu_console_putc(v, (char)value);
}

static uint32_t port_read(uint16_t port)
{
    if (port == PORT_COM1_LSR)
        return LSR_TX_EMPTY;
    return 0xFFFFFFFFu;
}

static uint64_t size_mask(unsigned bytes) { return bytes == 4 ? 0xFFFFFFFFull : (1ull << (8 * bytes)) - 1; }

static enum exit_action io_simple(struct vcpu *v, uint64_t q)
{
    unsigned size = IO_QUAL_SIZE(q);
    uint16_t port = IO_QUAL_PORT(q);
    if (q & IO_QUAL_IN) {
        uint64_t m = size_mask(size);
        uint64_t val = port_read(port) & m;
        /* IN EAX zero-extends into RAX; AL/AX keep the upper bits (SDM Vol. 1 3.4.1.1). */
        v->gpr[GPR_RAX] = size == 4 ? val : (v->gpr[GPR_RAX] & ~m) | val;
    } else {
        port_write(v, port, (uint32_t)(v->gpr[GPR_RAX] & size_mask(size)));
    }
    exit_skip_instruction(v);
    return EXIT_RESUME;
}

/* Guest address size of a string instruction: from the instruction information
   when the CPU reports it (BASIC[54]), else from CS.L/CS.D. 2, 4 or 8 bytes. */
static unsigned string_addr_bytes(void)
{
    if (vmx.caps.basic & VMX_BASIC_INOUT_INFO)
        return 2u << IO_INFO_ADDR_SIZE(vmcs_read32(VMX_INSTRUCTION_INFO));
    uint32_t ar = vmcs_read32(GUEST_CS_AR_BYTES);
    return (ar & AR_L) ? 8 : (ar & AR_DB) ? 4 : 2;
}

/* One element of INS/OUTS at linear address lin. */
static int string_element(struct vcpu *v, uint64_t q, uint64_t lin, unsigned size)
{
    uint64_t gpa;
    if (vcpu_linear_to_gpa(v, lin, &gpa) < 0)
        return -EFAULT;
    if ((gpa & 0xFFF) + size > 0x1000)   /* element crosses a page: not emulated */
        return -EFAULT;
    uint8_t *p = vm_gpa_to_host(v->vm, gpa, (q & IO_QUAL_IN) ? EPT_W : EPT_R);
    if (!p)
        return -EFAULT;
    uint32_t val = 0;
    if (q & IO_QUAL_IN) {
        val = port_read(IO_QUAL_PORT(q));
        memcpy(p, &val, size);
    } else {
        memcpy(&val, p, size);
        port_write(v, IO_QUAL_PORT(q), val);
    }
    return 0;
}

static enum exit_action io_string(struct vcpu *v, uint64_t q)
{
    unsigned size = IO_QUAL_SIZE(q), abytes = string_addr_bytes();
    uint64_t amask = abytes == 8 ? ~0ull : (1ull << (8 * abytes)) - 1;
    bool in = (q & IO_QUAL_IN) != 0, rep = (q & IO_QUAL_REP) != 0;
    int idx = in ? GPR_RDI : GPR_RSI;
    /* INS always uses ES; OUTS uses DS or the override in the instruction info. */
    unsigned seg = in ? SEG_ES : (vmx.caps.basic & VMX_BASIC_INOUT_INFO) ? IO_INFO_SEGMENT(vmcs_read32(VMX_INSTRUCTION_INFO)) : SEG_DS;
    uint64_t base = vmcs_readnat(GUEST_SEG_BASE(seg));
    int64_t step = (vmcs_readnat(GUEST_RFLAGS) & (1ull << 10)) ? -(int64_t)size : (int64_t)size;  /* DF */
    uint64_t count = rep ? (v->gpr[GPR_RCX] & amask) : 1;
    for (unsigned n = 0; count && n < REP_MAX_PER_EXIT; n++) {
        uint64_t off = v->gpr[idx] & amask;
        if (string_element(v, q, base + off, size) < 0)
            return vcpu_stop(v, VM_STOP_ERROR, "%s at unmapped or page-crossing guest address 0x%lx (rip 0x%lx)",
                             in ? "INS" : "OUTS", base + off, v->exit->rip);
        v->gpr[idx] = (v->gpr[idx] & ~amask) | ((off + (uint64_t)step) & amask);
        count--;
        if (rep)
            v->gpr[GPR_RCX] = (v->gpr[GPR_RCX] & ~amask) | count;
    }
    if (!count)   /* done: next instruction; else re-execute the REP with the new RCX */
        exit_skip_instruction(v);
    return EXIT_RESUME;
}

enum exit_action exit_io(struct vcpu *v)
{
    uint64_t q = vmcs_readnat(EXIT_QUALIFICATION);
    v->exit->qualification = q;
    return (q & IO_QUAL_STRING) ? io_string(v, q) : io_simple(v, q);
}

/* Read one guest paging entry at gpa; false if that memory is not mapped. */
static bool read_pte(struct vcpu *v, uint64_t gpa, unsigned bytes, uint64_t *out)
{
    uint8_t *p = vm_gpa_to_host(v->vm, gpa, 0);
    if (!p)
        return false;
    *out = 0;
    memcpy(out, p, bytes);
    return true;
}

int vcpu_linear_to_gpa(struct vcpu *v, uint64_t lin, uint64_t *gpa)
{
    uint64_t cr0 = vmcs_readnat(GUEST_CR0), cr3 = vmcs_readnat(GUEST_CR3), e;
    if (!(cr0 & CR0_PG)) {
        *gpa = lin & 0xFFFFFFFFull;
        return 0;
    }
    if (vmcs_read64(GUEST_IA32_EFER) & (1ull << 10)) {   /* IA-32e: 4-level (SDM Vol. 3A 4.5) */
        uint64_t table = cr3 & 0x000FFFFFFFFFF000ull;
        for (int level = 4; level >= 1; level--) {
            unsigned shift = 12 + 9 * (unsigned)(level - 1);
            if (!read_pte(v, table + ((lin >> shift) & 511) * 8, 8, &e) || !(e & 1))
                return -EFAULT;
            if (level == 1 || (level <= 3 && (e & 0x80))) {
                uint64_t mask = (1ull << shift) - 1;
                *gpa = (e & 0x000FFFFFFFFFF000ull & ~mask) | (lin & mask);
                return 0;
            }
            table = e & 0x000FFFFFFFFFF000ull;
        }
        return -EFAULT;
    }
    if (vmcs_readnat(GUEST_CR4) & CR4_PAE)
        return -EINVAL;   /* PAE paging without IA-32e: not emulated */
    /* 32-bit paging (SDM Vol. 3A 4.3): PDE, 4 MiB page if PS and CR4.PSE, else PTE. */
    if (!read_pte(v, (cr3 & 0xFFFFF000u) + ((lin >> 22) & 1023) * 4, 4, &e) || !(e & 1))
        return -EFAULT;
    if ((e & 0x80) && (vmcs_readnat(GUEST_CR4) & (1ull << 4))) {
        *gpa = (e & 0xFFC00000u) | (lin & 0x3FFFFF);
        return 0;
    }
    if (!read_pte(v, (e & 0xFFFFF000u) + ((lin >> 12) & 1023) * 4, 4, &e) || !(e & 1))
        return -EFAULT;
    *gpa = (e & 0xFFFFF000u) | (lin & 0xFFF);
    return 0;
}
