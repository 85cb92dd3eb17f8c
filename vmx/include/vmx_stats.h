/*
 * VM-exit statistics and the exit trace ring. Plain fixed-width structs so
 * the VM syscalls can copy them to userspace as they are.
 *
 * Per vCPU, each basic exit reason counts exits and the TSC cycles the host
 * spent handling them (from the VM exit to the end of the handler: min, max,
 * total). Per vCPU also: entries, cycles in the guest (VM entry to VM exit)
 * and in the host. A VM's figures are the sum over its vCPUs; system-wide
 * figures add every VM since boot (destroyed ones included).
 * Updated only by the vCPU's own thread; readers see a consistent-enough copy.
 */
#pragma once

#include "types.h"
#include "vmx_arch.h"

/* One statistics slot per basic exit reason below EXIT_REASON_MAX, and one
   more for every reason number at or beyond it (a CPU newer than the table,
   or a corrupt field): such an exit is counted as what it is, "(unknown)",
   never as another reason. */
#define VMX_STATS_OUT_OF_RANGE EXIT_REASON_MAX
#define VMX_STATS_SLOTS (EXIT_REASON_MAX + 1)
static inline uint32_t vmx_stats_slot(uint32_t basic_reason)
{
    return basic_reason < EXIT_REASON_MAX ? basic_reason : VMX_STATS_OUT_OF_RANGE;
}

struct vmx_exit_stat {
    uint64_t count;
    uint64_t total_cycles;
    uint64_t min_cycles;    /* UINT64_MAX while count == 0 */
    uint64_t max_cycles;
};

struct vmx_stats {
    struct vmx_exit_stat exits[VMX_STATS_SLOTS];
    uint64_t entries;        /* VM entries that ran the guest (= exits; derived) */
    uint64_t guest_cycles;   /* TSC cycles between entry and exit */
    uint64_t host_cycles;    /* TSC cycles handling exits (= sum of totals; derived) */
    uint64_t failed_entries; /* VMfail or exit reason bit 31 */
};

#define VMX_TRACE_SIZE 64   /* power of two */

struct vmx_trace_entry {
    uint32_t reason;        /* full exit-reason field (bit 31 = failed entry) */
    uint32_t vcpu;
    uint64_t rip;           /* guest RIP at the exit */
    uint64_t qualification; /* the exit qualification (SDM 27.2.1) when the handler
                               read it, else 0; CPUID: the leaf (guest EAX);
                               RDMSR/WRMSR: the MSR index (guest ECX) */
    uint64_t gpa;           /* guest-physical address (EPT exits), else 0 */
    uint64_t cycles;        /* host handling cycles */
    uint64_t tsc;           /* TSC at the exit */
    uint64_t guest_cycles;  /* how long the guest ran before this exit */
    uint64_t reserved;      /* 0; pads the entry to 64 bytes */
};
/* 64 bytes: the exit path finds a slot with one shift. */
_Static_assert(sizeof(struct vmx_trace_entry) == 64, "trace entry size");

struct vmx_trace {
    struct vmx_trace_entry ring[VMX_TRACE_SIZE];
    uint64_t next;          /* entries ever written; slot = next % VMX_TRACE_SIZE */
};

/* Set every min to UINT64_MAX and the rest to 0. */
void vmx_stats_reset(struct vmx_stats *s);
/* dst += src (min/max combined). */
void vmx_stats_add(struct vmx_stats *dst, const struct vmx_stats *src);
/* Fill entries and host_cycles from the per-reason figures (the exit path
   does not count them separately, to stay short). */
void vmx_stats_derive(struct vmx_stats *s);
/* Total exits over all reasons. */
uint64_t vmx_stats_total_exits(const struct vmx_stats *s);
/* Print a table sorted by count: reason, count, share, mean and max cycles. */
void vmx_stats_print(const struct vmx_stats *s, const char *title);

/* Copy the last up to max trace entries, oldest first; returns how many. */
size_t vmx_trace_copy(const struct vmx_trace *t, struct vmx_trace_entry *out, size_t max);
/* Print the trace ring, oldest first. */
void vmx_trace_print(const struct vmx_trace *t);
