/*
 * Whole-run device, port, CPUID-leaf and MSR counts for vm_stats
 * (vm_detail_stats.h). The counters are written on the exit path with
 * interrupts off; this reads them under the platform lock (interrupts off
 * too), so on one CPU the copy is consistent.
 */
#include "kstring.h"
#include "vm_args.h"
#include "vm_detail_stats.h"
#include "vm_internal.h"

/* The top of t into a vm_stat_top list (count 0 ends it). */
static void copy_top(const struct key_counts *t, struct vm_stat_top *top)
{
    uint32_t keys[VM_STAT_TOP];
    uint64_t counts[VM_STAT_TOP];
    size_t n = key_counts_top(t, keys, counts, VM_STAT_TOP);
    memset(top, 0, VM_STAT_TOP * sizeof(*top));
    for (size_t i = 0; i < n; i++)
        top[i] = (struct vm_stat_top){keys[i], counts[i]};
}

static void copy_devices(const struct io_bus *b, struct vm_stats *out)
{
    out->ndevices = 0;
    for (unsigned i = 0; i < b->count && i < VM_STAT_DEVICES; i++) {
        const struct io_range *r = &b->ranges[i];
        struct vm_device_stat *d = &out->devices[out->ndevices++];
        vm_args_copy_name(d->name, sizeof(d->name), r->name);
        d->first_port = r->first;
        d->last_port = r->last;
        d->reads = r->reads;
        d->writes = r->writes;
    }
    out->io_unclaimed = b->unclaimed_reads + b->unclaimed_writes;
}

void vm_detail_post(struct vm *vm, struct vm_status *out)
{
    struct vm_platform *pf = &vm->platform;
    spin_lock(&pf->lock);
    out->post_code = pf->post.last;
    out->post_writes = (uint32_t)MIN(pf->post.writes, (uint64_t)UINT32_MAX);
    spin_unlock(&pf->lock);
}

void vm_detail_stats(struct vm *vm, struct vm_stats *out)
{
    struct vm_platform *pf = &vm->platform;
    struct key_counts leaves, msrs;   /* 2 x 1.5 KiB of stack: merged over the vCPUs */
    memset(&leaves, 0, sizeof(leaves));
    memset(&msrs, 0, sizeof(msrs));
    spin_lock(&pf->lock);
    copy_devices(&pf->bus, out);
    copy_top(&pf->ports, out->io_ports);
    out->io_other_ports = pf->ports.other;
    out->post_code = pf->post.last;
    for (int i = 0; i < vm->nvcpus; i++) {
        const struct vcpu *v = vm->vcpus[i];
        for (uint32_t leaf = 0; leaf < VCPU_CPUID_DIRECT; leaf++)
            if (v->cpuid_low[leaf])
                key_counts_add_n(&leaves, leaf, v->cpuid_low[leaf]);
        key_counts_merge(&leaves, &v->cpuid_leaves);
        key_counts_merge(&msrs, &vm->vcpus[i]->msr_indices);
    }
    spin_unlock(&pf->lock);
    copy_top(&leaves, out->cpuid_leaves);
    copy_top(&msrs, out->msrs);
    out->breakdown_from_trace = 0;
}
