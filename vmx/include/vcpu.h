/*
 * A virtual CPU: a kernel thread whose body enters the guest, handles the
 * exit and repeats until the vCPU stops (vcpu.c). The first fields are
 * shared with entry.asm (offsets in vcpu_regs.inc, checked below).
 * Everything here is touched only by the vCPU's own thread, except
 * stop_request (any thread sets it) and the read-only copies in vm.c.
 */
#pragma once

#include "cpu_switch.h"
#include "key_counts.h"
#include "types.h"
#include "vmx_entry.h"
#include "vm.h"
#include "vmx_state.h"
#include "vmx_stats.h"

/* Guest GPR numbers (SDM Table 27-3), used for vcpu->gpr[]. */
enum gpr { GPR_RAX, GPR_RCX, GPR_RDX, GPR_RBX, GPR_RSP, GPR_RBP, GPR_RSI, GPR_RDI,
           GPR_R8, GPR_R9, GPR_R10, GPR_R11, GPR_R12, GPR_R13, GPR_R14, GPR_R15 };

#define VCPU_LINE_MAX 120           /* a guest line is cut after VCPU_LINE_MAX - 1 characters */
#define VCPU_TAG_MAX 16             /* "[vm2147483647] " */
#define VCPU_CONSOLE_WAITING 4096   /* >= the bytes one exit can print (HC_WRITE_MAX, REP_MAX_PER_EXIT) */
#define VCPU_CPUID_DIRECT 32        /* leaves counted in a plain array: the hot CPUID path pays 3 instructions */

struct vcpu {
    /* ---- shared with entry.asm: do not reorder ---- */
    uint64_t gpr[16];       /* guest GPRs; gpr[GPR_RSP] unused (VMCS has RSP) */
    uint8_t launched;       /* next entry: VCPU_LAUNCH, VCPU_RESUME or
                               VCPU_RESUME_NEW_STACK (vmx_entry.h) */
    /* ---- C only ---- */
    uint64_t cr2;           /* guest CR2 while the host runs other threads */
    volatile bool stop_request;
    volatile bool paused;         /* vm break: waits in its exit until vm continue (exit_break.c) */
    char paused_at[96];           /* ... and which exit that is, for vm_paused */
    bool stopped;
    struct vmx_trace_entry *exit; /* the current exit: its slot in the trace ring
                                     (reason, rip; qualification and gpa are set
                                     by the handlers that read them, else 0) */
    struct vm *vm;
    int index;
    uint16_t vpid;
    uint64_t vmcs;          /* physical address of the VMCS region */
    struct thread *thread;
    struct vm_vcpu_params params;
    struct vmx_ctl_state ctl;     /* the controls this vCPU runs with */
    uint64_t time_budget;         /* TSC cycles allowed (guest + exit handling); 0 = no limit */
    enum vm_stop_kind stop_kind;
    int64_t exit_code;                    /* HC_EXIT argument */
    char stop_text[VM_STOP_TEXT_MAX];
    struct cpu_switch_regs cpu;       /* the guest's DR0-3/DR6 and MSRs (cpu_switch.h) */
    struct cpu_switch_regs host_cpu;  /* the host's, while the guest's are loaded */
    bool cpu_loaded;                  /* the guest's are in the CPU now */
    uint8_t tpr;                      /* the guest's CR8 (exit_cr.c); 0 at reset */
    uint64_t xcr0;                /* the guest's XCR0 (xcr0.h); loaded while the loop runs */
    uint64_t xsave_area;          /* physical page for its extended state, 0 until needed */
    bool halted;                  /* in HLT with IF = 1, waiting for an interrupt (vcpu_events.c) */
    volatile bool nmi_pending;    /* an NMI to inject (vm nmi); any thread sets it */
    uint64_t event_deadline;      /* TSC at which the run loop looks at events next; 0 = now */
    uint64_t halt_cycles;         /* TSC cycles spent halted (count against the time limit) */
    uint64_t cpuid_low[VCPU_CPUID_DIRECT];   /* CPUID exits per leaf below VCPU_CPUID_DIRECT ... */
    struct key_counts cpuid_leaves;          /* ... and per other leaf, over the run (vmstat -d) */
    struct key_counts msr_indices;    /* RDMSR/WRMSR exits per MSR index */
    struct vmx_stats stats;
    struct vmx_trace trace;
    /* guest console (vcpu_console.c) */
    bool console_blocked;         /* output waits for room: the slow path must run */
    bool line_ready;              /* line is complete but did not fit the console ring */
    unsigned tag_len;             /* line starts with the "[vmN] " tag (0: not made yet) */
    unsigned line_len;
    char line[VCPU_TAG_MAX + VCPU_LINE_MAX];
    unsigned waiting_len;         /* guest bytes behind the line that did not fit */
    char waiting[VCPU_CONSOLE_WAITING];
    uint64_t console_wait_cycles; /* TSC cycles slept for console room (count as its time) */
};

#define VCPU_OFFSET_CHECK(member, off) \
    _Static_assert(__builtin_offsetof(struct vcpu, member) == (off), "vcpu_regs.inc: " #member)
VCPU_OFFSET_CHECK(gpr[GPR_RAX], 0);
VCPU_OFFSET_CHECK(gpr[GPR_RCX], 8);
VCPU_OFFSET_CHECK(gpr[GPR_RDX], 16);
VCPU_OFFSET_CHECK(gpr[GPR_RBX], 24);
VCPU_OFFSET_CHECK(gpr[GPR_RBP], 40);
VCPU_OFFSET_CHECK(gpr[GPR_RSI], 48);
VCPU_OFFSET_CHECK(gpr[GPR_RDI], 56);
VCPU_OFFSET_CHECK(gpr[GPR_R8], 64);
VCPU_OFFSET_CHECK(gpr[GPR_R15], 120);
VCPU_OFFSET_CHECK(launched, 128);
_Static_assert(VCPU_LAUNCH == 0 && VCPU_RESUME == 1 && VCPU_RESUME_NEW_STACK == 2, "vcpu_regs.inc: launch states");
_Static_assert(HOST_RSP == 0x6C14, "vcpu_regs.inc: HOST_RSP_FIELD");

/* Thread body of a vCPU: set up the VMCS, run until stopped, report, exit. */
void vcpu_thread_main(void *vcpu);
/* Make v's VMCS current (the scheduler's switch-in hook). */
void vcpu_switch_in(void *vcpu);

/* Stop this vCPU with a reason; kinds other than HALTED stop the whole VM.
   Returns EXIT_STOP for handlers to return. */
int vcpu_stop(struct vcpu *v, enum vm_stop_kind kind, const char *fmt, ...) PRINTF_LIKE(3, 4);

/* TSC cycles v has used: guest time plus host time handling its exits (a
   guest that makes the host do the work, e.g. endless REP INS/OUTS that the
   host emulates 4096 elements per exit, must not run past its time limit
   because the preemption timer counts guest time only). */
uint64_t vcpu_time_used(const struct vcpu *v);
/* v has a time limit and used it up (checked at timer and interrupt exits). */
bool vcpu_time_is_up(const struct vcpu *v);

/* VMX-preemption timer value for the next stretch of guest time: one host
   timer tick (the guest's time slice), or less if the time budget ends sooner. */
uint32_t vcpu_preemption_timer_value(const struct vcpu *v);

/* Count a CPUID exit of leaf (vm_detail_stats.c adds both tables up). */
static inline void vcpu_count_cpuid_leaf(struct vcpu *v, uint32_t leaf)
{
    if (__builtin_expect(leaf < VCPU_CPUID_DIRECT, 1))
        v->cpuid_low[leaf]++;
    else
        key_counts_add(&v->cpuid_leaves, leaf);
}
