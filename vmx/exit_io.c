/*
 * I/O instruction exits (SDM 25.1.3, qualification Table 27-5). Every port
 * exits (all-ones I/O bitmaps) and goes through the VM's port-I/O bus
 * (platform.h): the PC devices, or all ones / dropped for a port nobody
 * claims (an empty ISA bus). Guest bytes for the console (UART, debug
 * ports) are printed line buffered with a "[vmN] " prefix. INS/OUTS and
 * their REP forms are decoded from the qualification and the VM-exit
 * instruction information (27.2.5: address size, segment) and emulated as
 * the CPU does them (SDM Vol. 2B INS/OUTS): the segment base except for
 * ES/DS/SS/CS in 64-bit mode, the segment limit (or canonical addresses in
 * 64-bit mode), 16/32/64-bit SI/DI/CX with their wrap and zero-extension,
 * DF, an element that crosses a page translated per page with the guest's
 * own rights (guest_paging.c: U/S, R/W with CR0.WP, SMAP; A/D set) and
 * checked whole before any byte moves. Faults as the CPU would raise them:
 * #PF with its error code and CR2, #GP(0)/#SS(0) for a limit, the elements
 * before the faulting one done; or an EPT-violation stop. At most
 * REP_MAX_PER_EXIT elements per exit, then an interrupt window (host time
 * counts against the time limit, exit.h). After every access the vCPU looks
 * at its events before the next entry (a device may have raised an IRQ, or
 * the PIT a new deadline); a reset request stops the VM with "reset".
 * vCPU thread, interrupts off.
 */
#include "errno.h"
#include "exit.h"
#include "exit_io.h"
#include "guest_paging.h"
#include "kprintf.h"
#include "kstring.h"
#include "platform.h"
#include "vcpu_events.h"
#include "vm_internal.h"
#include "vmx.h"
#include "x86.h"

#define REP_MAX_PER_EXIT 4096    /* bound the time one exit takes; the guest re-executes the rest
                                    after an interrupt window */

static void port_write(struct vcpu *v, uint16_t port, unsigned size, uint32_t value)
{
    platform_out(&v->vm->platform, v, port, size, value);
}

static uint32_t port_read(struct vcpu *v, uint16_t port, unsigned size)
{
    return platform_in(&v->vm->platform, v, port, size);
}

/* After the access: a reset request stops the VM; anything else a device did
   (an IRQ line, a new PIT count) is looked at before the next entry. */
static enum exit_action io_done(struct vcpu *v, enum exit_action a)
{
    if (a == EXIT_STOP)
        return a;
    if (v->vm->platform.reset_requested)
        return vcpu_stop(v, VM_STOP_RESET, "reset");
    vcpu_events_changed(v);
    return a;
}

static uint64_t size_mask(unsigned bytes) { return bytes == 4 ? 0xFFFFFFFFull : (1ull << (8 * bytes)) - 1; }

static enum exit_action io_simple(struct vcpu *v, uint64_t q)
{
    // SOLUTION(V4-exits) BEGIN: size and port from the qualification (Table 27-5); IN: port_read into AL/AX/EAX (EAX zero-extends), OUT: port_write of AL/AX/EAX; skip the instruction; io_done
    // SOLUTION(V4-exits) STUB: (void)size_mask;
    // SOLUTION(V4-exits) STUB: return exit_unexpected(v);
    unsigned size = IO_QUAL_SIZE(q);
    uint16_t port = IO_QUAL_PORT(q);
    if (q & IO_QUAL_IN) {
        uint64_t m = size_mask(size);
        uint64_t val = port_read(v, port, size) & m;
        /* IN EAX zero-extends into RAX; AL/AX keep the upper bits (SDM Vol. 1 3.4.1.1). */
        v->gpr[GPR_RAX] = size == 4 ? val : (v->gpr[GPR_RAX] & ~m) | val;
    } else {
        port_write(v, port, size, (uint32_t)(v->gpr[GPR_RAX] & size_mask(size)));
    }
    exit_skip_instruction(v);
    return io_done(v, EXIT_RESUME);
    // SOLUTION(V4-exits) END
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

/* Where a string element failed: the fault the CPU would take. */
struct string_fault {
    int err;          /* -EFAULT #PF, -EACCES EPT (data), -ENXIO EPT (paging entry), -ERANGE limit */
    uint64_t where;   /* #PF: the linear address (CR2); EPT: the guest-physical one */
    uint32_t pf_error;
};

/* Host pointers to the size bytes of one INS/OUTS element at linear address
   lin (an element may cross a page: each page is translated, with the
   rights the access needs in the guest's paging and in the EPT). All bytes
   are checked before any is touched, as the CPU does. 0 or -1 with *f. */
static int element_bytes(struct vcpu *v, uint64_t lin, unsigned size, unsigned access, uint8_t *p[4],
                         struct string_fault *f)
{
    uint64_t need = (access & GUEST_ACCESS_WRITE) ? EPT_W : EPT_R;
    for (unsigned i = 0; i < size; i++) {
        uint64_t gpa, l = lin + i;
        if (i && (l & 0xFFF)) {
            p[i] = p[i - 1] + 1;
            continue;
        }
        f->err = vcpu_access_to_gpa(v, l, access, &gpa, &f->pf_error);
        f->where = f->err == -EFAULT ? l : gpa;
        if (f->err < 0)
            return -1;
        if (!(p[i] = vm_gpa_to_host(v->vm, gpa, need))) {
            f->err = -EACCES;
            return -1;
        }
    }
    return 0;
}

/* One element of INS/OUTS at linear address lin (see element_bytes). */
static int string_element(struct vcpu *v, uint64_t q, uint64_t lin, unsigned size, unsigned access,
                          struct string_fault *f)
{
    bool in = (q & IO_QUAL_IN) != 0;
    uint8_t *p[4];
    if (element_bytes(v, lin, size, access, p, f) < 0)
        return -1;
    uint32_t val = 0;
    if (in) {
        val = port_read(v, IO_QUAL_PORT(q), size);
        for (unsigned i = 0; i < size; i++)
            *p[i] = (uint8_t)(val >> (8 * i));
    } else {
        for (unsigned i = 0; i < size; i++)
            val |= (uint32_t)*p[i] << (8 * i);
        port_write(v, IO_QUAL_PORT(q), size, val);
    }
    return 0;
}

/* The element could not be accessed: what the CPU would do. A page the
   guest's own paging lacks or forbids is a #PF for the guest (CR2 = the
   linear address, error code from the walk; SDM Vol. 3A 4.7); an offset
   beyond the segment limit is #GP(0), or #SS(0) for SS (the instruction
   pages of INS/OUTS); guest-physical memory without the rights is an EPT
   violation, which stops the VM. */
static enum exit_action string_fault(struct vcpu *v, const struct string_fault *f, unsigned seg, bool in)
{
    if (f->err == -EFAULT) {
        write_cr2(f->where);   /* the guest's CR2 lives in the CPU while its vCPU loop runs */
        exit_inject_exception(v, VEC_PF, true, f->pf_error);
        return EXIT_RESUME;
    }
    if (f->err == -ERANGE) {
        exit_inject_exception(v, seg == SEG_SS ? VEC_SS : VEC_GP, true, 0);
        return EXIT_RESUME;
    }
    return exit_ept_stop(v, f->where, f->err == -EACCES && in);   /* table entries are read */
}

/* The string operand's segment and its base: INS always uses ES; OUTS DS
   or the override the instruction information names. In 64-bit mode only
   FS and GS have a base (SDM Vol. 1 3.4.2.1); in real, protected and
   virtual-8086 mode every segment's base counts. */
static unsigned string_segment(bool in)
{
    if (in)
        return SEG_ES;
    return (vmx.caps.basic & VMX_BASIC_INOUT_INFO) ? IO_INFO_SEGMENT(vmcs_read32(VMX_INSTRUCTION_INFO)) : SEG_DS;
}

/* A string instruction's SI/DI/CX update at its address size: 16 bits keep
   the register's upper bits, 32 bits write the whole register
   zero-extended as every 32-bit write does in 64-bit mode (SDM Vol. 1
   3.4.1.1; outside 64-bit mode there are no upper bits), 64 bits all. */
static uint64_t set_index(uint64_t reg, uint64_t value, unsigned abytes)
{
    if (abytes == 2)
        return (reg & ~0xFFFFull) | (value & 0xFFFF);
    return abytes == 4 ? value & 0xFFFFFFFFull : value;
}

static bool long_mode_code(void)
{
    return (vmcs_read64(GUEST_IA32_EFER) & EFER_LMA) && (vmcs_read32(GUEST_CS_AR_BYTES) & AR_L);
}

static enum exit_action io_string(struct vcpu *v, uint64_t q)
{
    unsigned size = IO_QUAL_SIZE(q), abytes = string_addr_bytes();
    uint64_t amask = abytes == 8 ? ~0ull : (1ull << (8 * abytes)) - 1;
    bool in = (q & IO_QUAL_IN) != 0, rep = (q & IO_QUAL_REP) != 0;
    int idx = in ? GPR_RDI : GPR_RSI;
    unsigned seg = string_segment(in);
    bool flat64 = long_mode_code();
    uint64_t base = flat64 && seg != SEG_FS && seg != SEG_GS ? 0 : vmcs_readnat(GUEST_SEG_BASE(seg));
    uint64_t limit = flat64 ? ~0ull : vmcs_read32(GUEST_SEG_LIMIT(seg));
    unsigned access = (in ? GUEST_ACCESS_WRITE : 0) | (AR_DPL(vmcs_read32(GUEST_SS_AR_BYTES)) == 3 ? GUEST_ACCESS_USER : 0);
    int64_t step = (vmcs_readnat(GUEST_RFLAGS) & RFLAGS_DF) ? -(int64_t)size : (int64_t)size;
    uint64_t count = rep ? (v->gpr[GPR_RCX] & amask) : 1;
    for (unsigned n = 0; count && n < REP_MAX_PER_EXIT; n++) {
        uint64_t off = v->gpr[idx] & amask;
        struct string_fault f = {-ERANGE, 0, 0};
        /* expand-up limit: the last byte must be inside (expand-down data
           segments are not modelled); in 64-bit mode the address must be
           canonical instead (both #GP(0), or #SS(0) for SS) */
        bool outside = flat64 ? !vmx_is_canonical(base + off) || !vmx_is_canonical(base + off + size - 1)
                              : off + size - 1 > limit;
        if (outside || string_element(v, q, base + off, size, access, &f) < 0)
            return io_done(v, string_fault(v, &f, seg, in));   /* elements done so far stay done */
        v->gpr[idx] = set_index(v->gpr[idx], off + (uint64_t)step, abytes);
        count--;
        if (rep)
            v->gpr[GPR_RCX] = set_index(v->gpr[GPR_RCX], count, abytes);
    }
    if (!count) {   /* done: next instruction */
        exit_skip_instruction(v);
        return io_done(v, EXIT_RESUME);
    }
    /* Re-execute the REP with the new RCX, after an interrupt window: this
       exit took host time the preemption timer does not see (a guest with
       IF = 0 gets no external-interrupt exits in Bochs), so the host's timer
       must get its chance here (and the time limit is checked there). */
    return io_done(v, EXIT_YIELD);
}

enum exit_action exit_io(struct vcpu *v)
{
    uint64_t q = vmcs_readnat(EXIT_QUALIFICATION);
    v->exit->qualification = q;
    key_counts_add(&v->vm->platform.ports, IO_QUAL_PORT(q));   /* exits per port over the run (vmstat -d) */
    return (q & IO_QUAL_STRING) ? io_string(v, q) : io_simple(v, q);
}
