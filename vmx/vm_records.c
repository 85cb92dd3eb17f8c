/*
 * vm_records.c: the records of uapi/vm_abi.h built from the VMX core's state
 * (see vm_records.h). Runs with the vm_handles lock held, which also
 * guards the static scratch buffers below.
 */
#include "vm_records.h"
#include "kstring.h"
#include "vm.h"
#include "vm_args.h"
#include "vm_handles.h"
#include "vmx.h"
#include "vmx_stats.h"

#define TRACE_ALL (VM_MAX_VCPUS * VMX_TRACE_SIZE)

static struct vmx_trace_entry merged[TRACE_ALL];   /* all vCPUs, by TSC */
static struct vmx_stats core_stats;

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
    default: return VM_STOPPED_NONE;
    }
}

static uint32_t state_code(enum vm_state s)
{
    return s == VM_STATE_RUNNING ? VM_IS_RUNNING : s == VM_STATE_STOPPED ? VM_IS_STOPPED
                                                                         : VM_IS_CREATED;
}

/* Gather the trace rings of every vCPU into merged[], oldest first. */
static size_t merge_traces(const struct vm_handle *h, int vcpus)
{
    size_t n = 0;
    for (int v = 0; v < vcpus && v < VM_MAX_VCPUS; v++) {
        int got = vm_get_trace(h->vm, v, merged + n, VMX_TRACE_SIZE);
        if (got > 0)
            n += (size_t)got;
    }
    for (size_t i = 1; i < n; i++) {            /* insertion sort by TSC */
        struct vmx_trace_entry e = merged[i];
        size_t j = i;
        for (; j > 0 && merged[j - 1].tsc > e.tsc; j--)
            merged[j] = merged[j - 1];
        merged[j] = e;
    }
    return n;
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
    out->regions = (uint32_t)h->regions.n;
    for (int i = 0; i < h->regions.n && i < VM_INFO_REGIONS; i++)
        out->region[i] = h->regions.r[i];
    out->naliases = h->naliases;
    memcpy(out->alias, h->aliases, sizeof(out->alias));
    vm_get_stats(h->vm, &core_stats);
    out->exits = vmx_stats_total_exits(&core_stats);
    size_t n = merge_traces(h, info.vcpus);
    size_t first = n > VM_INFO_TRACE ? n - VM_INFO_TRACE : 0;
    for (size_t i = first; i < n; i++)
        convert_trace(&merged[i], &out->trace[out->ntrace++]);
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

/* Count one traced exit in the breakdown it belongs to (SDM 27.2.1). */
static void add_breakdown(const struct vmx_trace_entry *e, struct vm_stats *out)
{
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

/* Wall time from vm_start to the newest exit, from the TSC. */
static uint64_t run_ns(const struct vm_handle *h, size_t ntrace)
{
    if (!h->start_tsc || ntrace == 0 || vmx.tsc_hz < 1000000)
        return 0;
    uint64_t last = merged[ntrace - 1].tsc;
    if (last <= h->start_tsc)
        return 0;
    return (last - h->start_tsc) * 1000 / (vmx.tsc_hz / 1000000);
}

void vm_record_stats(const struct vm_handle *h, struct vm_stats *out)
{
    memset(out, 0, sizeof(*out));
    out->vm = h ? h->id : VM_ALL;
    vm_get_stats(h ? h->vm : NULL, &core_stats);
    fill_rows(&core_stats, out);
    out->entries = core_stats.entries;
    out->guest_cycles = core_stats.guest_cycles;
    out->host_cycles = core_stats.host_cycles;
    out->tsc_hz = vmx.tsc_hz;
    if (!h)
        return;
    struct vm_info info;
    vm_get_info(h->vm, &info);
    size_t n = merge_traces(h, info.vcpus);
    for (size_t i = 0; i < n; i++)
        add_breakdown(&merged[i], out);
    vm_args_top_sort(out->io_ports, VM_STAT_TOP);
    vm_args_top_sort(out->cpuid_leaves, VM_STAT_TOP);
    vm_args_top_sort(out->msrs, VM_STAT_TOP);
    vm_args_top_sort(out->ept_gpas, VM_STAT_TOP);
    out->breakdown_from_trace = 1;
    out->run_ns = run_ns(h, n);
}

size_t vm_record_trace(const struct vm_handle *h, struct vm_trace_entry *out, size_t max)
{
    struct vm_info info;
    vm_get_info(h->vm, &info);
    size_t n = merge_traces(h, info.vcpus);
    size_t first = n > max ? n - max : 0;
    for (size_t i = first; i < n; i++)
        convert_trace(&merged[i], &out[i - first]);
    return n - first;
}
