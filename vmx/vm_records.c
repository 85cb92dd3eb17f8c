/*
 * vm_records.c: the records of uapi/vm_abi.h built from the VMX core's state
 * (see vm_records.h). Runs with the vm_handles lock held; every buffer
 * belongs to the caller (no static scratch), and nothing here allocates, so
 * archiving the records of a VM that is being destroyed cannot fail.
 */
#include "vm_records.h"
#include "kstring.h"
#include "vm.h"
#include "vm_args.h"
#include "vm_detail_stats.h"
#include "vm_handles.h"
#include "vmx.h"
#include "vmx_stats.h"

/* The core's stop kinds, as the ABI numbers them. */
static uint32_t stop_code(enum vm_stop_kind k)
{
    switch (k) {
    case VM_STOP_HALTED: return VM_STOPPED_HALTED;
    case VM_STOP_EXIT_CODE: return VM_STOPPED_EXIT;
    case VM_STOP_EPT_VIOLATION: return VM_STOPPED_EPT_VIOLATION;
    case VM_STOP_EPT_MISCONFIG: return VM_STOPPED_EPT_MISCONFIG;
    case VM_STOP_TRIPLE_FAULT: return VM_STOPPED_TRIPLE_FAULT;
    case VM_STOP_KILLED: return VM_STOPPED_KILLED;
    case VM_STOP_TIMEOUT: return VM_STOPPED_TIMEOUT;
    case VM_STOP_UNHANDLED: return VM_STOPPED_UNHANDLED;
    case VM_STOP_ENTRY_FAILED: return VM_STOPPED_ENTRY_FAILED;
    case VM_STOP_INIT_SIPI: return VM_STOPPED_INIT_SIPI;
    case VM_STOP_ERROR: return VM_STOPPED_ERROR;
    case VM_STOP_RESET: return VM_STOPPED_RESET;
    default: return VM_STOPPED_NONE;
    }
}

static uint32_t state_code(enum vm_state s)
{
    return s == VM_STATE_RUNNING ? VM_IS_RUNNING : s == VM_STATE_STOPPED ? VM_IS_STOPPED
                                                                         : VM_IS_CREATED;
}

/* The newest up to max exits seen so far, oldest first (by TSC). */
struct newest_exits {
    struct vmx_trace_entry *e;
    size_t n, max;
};

/* Visitor: insert one exit into a struct newest_exits, dropping the oldest
   when it is full. Each vCPU's exits come oldest first, so an insertion
   usually lands at the end. */
static void keep_newest(const struct vmx_trace_entry *x, void *ctx)
{
    struct newest_exits *k = ctx;
    if (k->max == 0)
        return;
    if (k->n == k->max) {
        if (x->tsc < k->e[0].tsc)
            return;                 /* older than everything kept */
        memmove(k->e, k->e + 1, (k->n - 1) * sizeof(k->e[0]));
        k->n--;
    }
    size_t j = k->n++;
    for (; j > 0 && k->e[j - 1].tsc > x->tsc; j--)
        k->e[j] = k->e[j - 1];
    k->e[j] = *x;
}

/* The newest up to max exits of h's VM, all vCPUs merged, oldest first. */
static size_t newest_traced(const struct vm_handle *h, struct vmx_trace_entry *out, size_t max)
{
    struct newest_exits k = {out, 0, max};
    vm_visit_trace(h->vm, keep_newest, &k);
    return k.n;
}

static void convert_trace(const struct vmx_trace_entry *in, struct vm_trace_entry *out)
{
    uint32_t basic = EXIT_REASON_BASIC(in->reason);
    memset(out, 0, sizeof(*out));
    out->reason = in->reason;
    out->vcpu = in->vcpu;
    out->rip = in->rip;
    out->qualification = in->qualification;
    out->gpa = in->gpa;
    out->cycles = in->cycles;
    vm_args_copy_name(out->name, sizeof(out->name), vmx_exit_reason_name(basic));
}

void vm_record_status(const struct vm_handle *h, struct vm_status *out)
{
    struct vm_info info;
    vm_get_info(h->vm, &info);
    memset(out, 0, sizeof(*out));
    out->id = h->id;
    out->owner = h->owner;
    out->state = state_code(info.state);
    out->stop_code = stop_code(info.stop_kind);
    out->exit_code = info.exit_code;
    out->vcpus = (uint32_t)info.vcpus;
    out->mem_bytes = info.mem_pages * VM_PAGE_SIZE;
    out->load_entry = h->load_entry;
    out->load_mode = h->load_mode;
    out->timeout_ms = (uint32_t)h->timeout_ms;
    vm_args_copy_name(out->stop_reason, sizeof(out->stop_reason), info.stop_text);
    vm_detail_post(h->vm, out);
    out->regions = (uint32_t)h->regions.n;
    for (int i = 0; i < h->regions.n && i < VM_INFO_REGIONS; i++)
        out->region[i] = h->regions.r[i];
    out->naliases = h->naliases;
    memcpy(out->alias, h->aliases, sizeof(out->alias));
    struct vmx_stats core;                      /* ~3 KiB of the 16 KiB stack */
    vm_get_stats(h->vm, &core);
    out->exits = vmx_stats_total_exits(&core);
    struct vmx_trace_entry last[VM_INFO_TRACE];
    size_t n = newest_traced(h, last, VM_INFO_TRACE);
    for (size_t i = 0; i < n; i++)
        convert_trace(&last[i], &out->trace[out->ntrace++]);
}

/* One row per exit reason that occurred, sorted by count. */
static void fill_rows(const struct vmx_stats *s, struct vm_stats *out)
{
    for (uint32_t r = 0; r < VMX_STATS_SLOTS && out->nrows < VM_STAT_ROWS; r++) {
        const struct vmx_exit_stat *e = &s->exits[r];
        if (e->count == 0)
            continue;
        struct vm_exit_stat *row = &out->row[out->nrows++];
        row->reason = r;
        row->count = e->count;
        row->total_cycles = e->total_cycles;
        row->min_cycles = e->min_cycles;
        row->max_cycles = e->max_cycles;
        vm_args_copy_name(row->name, sizeof(row->name), vmx_exit_reason_name(r));
        out->exits += e->count;
    }
    vm_args_sort_rows(out->row, out->nrows);
}

/* What the breakdown visitor fills: the record and the TSC at which the
   newest exit's handling ended (the VM ran until then, the last exit
   included: a stop that dumps the guest's state takes its time). */
struct breakdown {
    struct vm_stats *out;
    uint64_t last_tsc;
};

/* Visitor: count one traced exit in the breakdown it belongs to (SDM 27.2.1). */
static void add_breakdown(const struct vmx_trace_entry *e, void *ctx)
{
    struct breakdown *b = ctx;
    struct vm_stats *out = b->out;
    b->last_tsc = MAX(b->last_tsc, e->tsc + e->cycles);
    switch (EXIT_REASON_BASIC(e->reason)) {
    case EXIT_REASON_IO_INSTRUCTION:          /* qualification 31:16 = port */
        vm_args_top_add(out->io_ports, VM_STAT_TOP, (e->qualification >> 16) & 0xFFFF, 1);
        break;
    case EXIT_REASON_EPT_VIOLATION:
    case EXIT_REASON_EPT_MISCONFIG:
        vm_args_top_add(out->ept_gpas, VM_STAT_TOP, e->gpa & ~(VM_PAGE_SIZE - 1), 1);
        break;
    case EXIT_REASON_CPUID:                   /* the core records the leaf here */
        vm_args_top_add(out->cpuid_leaves, VM_STAT_TOP, e->qualification, 1);
        break;
    case EXIT_REASON_MSR_READ:
    case EXIT_REASON_MSR_WRITE:               /* ... and the MSR index */
        vm_args_top_add(out->msrs, VM_STAT_TOP, e->qualification, 1);
        break;
    default:
        break;
    }
}

/* Wall time from vm_start to the end of the newest exit (TSC last). */
static uint64_t run_ns(const struct vm_handle *h, uint64_t last)
{
    if (!h->start_tsc || last <= h->start_tsc || vmx.tsc_hz < 1000000)
        return 0;
    return (last - h->start_tsc) * 1000 / (vmx.tsc_hz / 1000000);
}

void vm_record_stats(const struct vm_handle *h, struct vm_stats *out)
{
    struct vmx_stats core;                      /* ~3 KiB of the 16 KiB stack */
    memset(out, 0, sizeof(*out));
    out->vm = h ? h->id : VM_ALL;
    vm_get_stats(h ? h->vm : NULL, &core);
    fill_rows(&core, out);
    out->entries = core.entries;
    out->guest_cycles = core.guest_cycles;
    out->host_cycles = core.host_cycles;
    out->tsc_hz = vmx.tsc_hz;
    if (!h)
        return;
    struct breakdown b = {out, 0};
    vm_visit_trace(h->vm, add_breakdown, &b);
    vm_args_top_sort(out->io_ports, VM_STAT_TOP);
    vm_args_top_sort(out->cpuid_leaves, VM_STAT_TOP);
    vm_args_top_sort(out->msrs, VM_STAT_TOP);
    vm_args_top_sort(out->ept_gpas, VM_STAT_TOP);
    vm_detail_stats(h->vm, out);   /* ports, leaves, MSRs, devices: the whole run */
    out->run_ns = run_ns(h, b.last_tsc);
}

size_t vm_record_trace(const struct vm_handle *h, struct vmx_trace_entry *scratch,
                       struct vm_trace_entry *out, size_t max)
{
    size_t n = newest_traced(h, scratch, max);
    for (size_t i = 0; i < n; i++)
        convert_trace(&scratch[i], &out[i]);
    return n;
}
