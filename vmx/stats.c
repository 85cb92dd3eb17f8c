/*
 * Exit statistics arithmetic and printing, and the trace ring reader (the
 * writer is inline in vcpu.c's exit path). Pure apart from kprintf.
 */
#include "kprintf.h"
#include "kstring.h"
#include "vmx_stats.h"

void vmx_stats_reset(struct vmx_stats *s)
{
    memset(s, 0, sizeof(*s));
    for (size_t i = 0; i < VMX_STATS_SLOTS; i++)
        s->exits[i].min_cycles = UINT64_MAX;
}

void vmx_stats_add(struct vmx_stats *dst, const struct vmx_stats *src)
{
    for (size_t i = 0; i < VMX_STATS_SLOTS; i++) {
        struct vmx_exit_stat *d = &dst->exits[i];
        const struct vmx_exit_stat *s = &src->exits[i];
        d->count += s->count;
        d->total_cycles += s->total_cycles;
        d->min_cycles = MIN(d->min_cycles, s->min_cycles);
        d->max_cycles = MAX(d->max_cycles, s->max_cycles);
    }
    dst->entries += src->entries;
    dst->guest_cycles += src->guest_cycles;
    dst->host_cycles += src->host_cycles;
    dst->failed_entries += src->failed_entries;
}

void vmx_stats_derive(struct vmx_stats *s)
{
    s->entries = vmx_stats_total_exits(s);
    s->host_cycles = 0;
    for (size_t i = 0; i < VMX_STATS_SLOTS; i++)
        s->host_cycles += s->exits[i].total_cycles;
}

uint64_t vmx_stats_total_exits(const struct vmx_stats *s)
{
    uint64_t n = 0;
    for (size_t i = 0; i < VMX_STATS_SLOTS; i++)
        n += s->exits[i].count;
    return n;
}

void vmx_stats_print(const struct vmx_stats *s, const char *title)
{
    uint8_t order[VMX_STATS_SLOTS];
    size_t n = 0;
    for (size_t i = 0; i < VMX_STATS_SLOTS; i++)
        if (s->exits[i].count)
            order[n++] = (uint8_t)i;
    for (size_t i = 1; i < n; i++)   /* insertion sort by count, descending */
        for (size_t j = i; j > 0 && s->exits[order[j]].count > s->exits[order[j - 1]].count; j--) {
            uint8_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    uint64_t total = vmx_stats_total_exits(s);
    kprintf("%s\n%-20s %10s %6s %10s %10s\n", title, "reason", "count", "share", "mean cyc", "max cyc");
    for (size_t i = 0; i < n; i++) {
        const struct vmx_exit_stat *e = &s->exits[order[i]];
        kprintf("%-20s %10lu %5lu%% %10lu %10lu\n", vmx_exit_reason_name(order[i]), e->count,
                e->count * 100 / (total ? total : 1), e->total_cycles / e->count, e->max_cycles);
    }
    kprintf("exits %lu, entries %lu, guest cycles %lu, host cycles %lu\n", total, s->entries, s->guest_cycles,
            s->host_cycles);
}

size_t vmx_trace_copy(const struct vmx_trace *t, struct vmx_trace_entry *out, size_t max)
{
    uint64_t have = MIN(t->next, (uint64_t)VMX_TRACE_SIZE);
    size_t n = (size_t)MIN(have, (uint64_t)max);
    for (size_t i = 0; i < n; i++)
        out[i] = t->ring[(t->next - n + i) % VMX_TRACE_SIZE];
    return n;
}

void vmx_trace_print(const struct vmx_trace *t)
{
    uint64_t have = MIN(t->next, (uint64_t)VMX_TRACE_SIZE);
    for (uint64_t i = t->next - have; i < t->next; i++) {
        const struct vmx_trace_entry *e = &t->ring[i % VMX_TRACE_SIZE];
        kprintf("  #%lu %-18s rip %016lx qual %lx gpa %lx cycles %lu\n", i,
                vmx_exit_reason_name(EXIT_REASON_BASIC(e->reason)), e->rip, e->qualification, e->gpa, e->cycles);
    }
}
