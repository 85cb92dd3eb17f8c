/*
 * I/O instruction exits (SDM 25.1.3, qualification Table 27-5). Every port
 * exits (all-ones I/O bitmaps) and goes through the VM's port-I/O bus
 * (platform.h): the PC devices, or all ones / dropped for a port nobody
 * claims (an empty ISA bus). Guest bytes for the console (UART, debug
 * ports) are printed line buffered with a "[vmN] " prefix. INS/OUTS and
 * their REP forms are decoded from the qualification and the VM-exit
 * instruction information (27.2.5) and emulated through the guest's paging
 * (guest_paging.c); an element may cross a page. Faults as the CPU would
 * raise them: #PF for the guest, or an EPT-violation stop. At most
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

/* Host pointers to the size bytes of one INS/OUTS element at linear address
   lin (an element may cross a page: each page is translated). 0; -EFAULT
   when the guest's paging has no page at *where (linear); -EACCES when the
   guest may not access guest-physical *where, -ENXIO when it may not read
   the paging entry at guest-physical *where (both EPT violations). */
static int element_bytes(struct vcpu *v, uint64_t lin, unsigned size, uint64_t need, uint8_t *p[4],
                         uint64_t *where)
{
    for (unsigned i = 0; i < size; i++) {
        uint64_t gpa, l = lin + i;
        if (i && (l & 0xFFF)) {
            p[i] = p[i - 1] + 1;
            continue;
        }
        int err = vcpu_linear_to_gpa(v, l, &gpa);
        *where = err == -EFAULT ? l : gpa;
        if (err < 0)
            return err;
        if (!(p[i] = vm_gpa_to_host(v->vm, gpa, need)))
            return -EACCES;
    }
    return 0;
}

/* One element of INS/OUTS at linear address lin (see element_bytes). */
static int string_element(struct vcpu *v, uint64_t q, uint64_t lin, unsigned size, uint64_t *where)
{
    bool in = (q & IO_QUAL_IN) != 0;
    uint8_t *p[4];
    int err = element_bytes(v, lin, size, in ? EPT_W : EPT_R, p, where);
    if (err < 0)
        return err;
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

/* The element at lin could not be accessed: what the CPU would do. A page
   the guest's own paging lacks is a #PF for the guest (CR2 = lin, error
   code P = 0, W for INS, U at CPL 3; SDM Vol. 3A 4.7); guest-physical
   memory without the rights is an EPT violation, which stops the VM. */
static enum exit_action string_fault(struct vcpu *v, int err, uint64_t where, bool in)
{
    if (err == -EFAULT) {
        bool user = AR_DPL(vmcs_read32(GUEST_SS_AR_BYTES)) == 3;
        write_cr2(where);   /* the guest's CR2 lives in the CPU while its vCPU loop runs */
        exit_inject_exception(v, VEC_PF, true, (in ? 2u : 0u) | (user ? 4u : 0u));
        return EXIT_RESUME;
    }
    return exit_ept_stop(v, where, err == -EACCES && in);   /* table entries are read */
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
    int64_t step = (vmcs_readnat(GUEST_RFLAGS) & RFLAGS_DF) ? -(int64_t)size : (int64_t)size;
    uint64_t count = rep ? (v->gpr[GPR_RCX] & amask) : 1;
    for (unsigned n = 0; count && n < REP_MAX_PER_EXIT; n++) {
        uint64_t off = v->gpr[idx] & amask, where = 0;
        int err = string_element(v, q, base + off, size, &where);
        if (err < 0)   /* the elements done so far stay done (RCX, RSI/RDI say so) */
            return io_done(v, string_fault(v, err, where, in));
        v->gpr[idx] = (v->gpr[idx] & ~amask) | ((off + (uint64_t)step) & amask);
        count--;
        if (rep)
            v->gpr[GPR_RCX] = (v->gpr[GPR_RCX] & ~amask) | count;
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
