/*
 * vmstat: VM-exit statistics.
 *
 *   vmstat [-r] [-a | N]    table for VM N (alive, or destroyed: the kernel
 *                           keeps the last VM_KEPT_RECORDS destroyed VMs'
 *                           records; ids are never reused), or -a: all VMs
 *                           since boot (the default without N)
 *   vmstat -d N             the table plus the top I/O ports, CPUID leaves,
 *                           MSRs and EPT-violation GPAs behind the counts
 *   -r                      machine-readable: "NAME COUNT TOTAL_CYCLES" lines only
 *
 * The table has one row per exit reason that occurred, sorted by count:
 * reason, count, share of all exits, mean and max handling cycles, a bar;
 * then the totals (exits, cycles in the guest and in the host).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vm.h>

static int usage(void)
{
    fprintf(stderr, "usage: vmstat [-r] [-a | N] | vmstat -d N\n");
    return 2;
}

/* Parse "N" or "vmN" into a VM id > 0. */
static int parse_id(const char *s, int *id)
{
    char *end;
    if (strncmp(s, "vm", 2) == 0)
        s += 2;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v <= 0 || v > 0x7fffffff)
        return -1;
    *id = (int)v;
    return 0;
}

int main(int argc, char **argv)
{
    static struct vm_stats st;
    int raw = 0, detail = 0, id = VM_ALL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-r") == 0)
            raw = 1;
        else if (strcmp(argv[i], "-d") == 0)
            detail = 1;
        else if (strcmp(argv[i], "-a") == 0)
            id = VM_ALL;
        else if (parse_id(argv[i], &id) < 0)
            return usage();
    }
    if (detail && id == VM_ALL)
        return usage();
    if (vm_stats(id, &st) < 0) {
        int err = errno;
        const char *gone = id != VM_ALL && err == ESRCH ? vm_gone_text(id) : NULL;
        if (gone)
            fprintf(stderr, "vmstat: %s\n", gone);
        else if (id == VM_ALL)
            fprintf(stderr, "vmstat: %s\n", vm_error_text(err));
        else
            fprintf(stderr, "vmstat: vm%d: %s\n", id, vm_error_text(err));
        return 1;
    }
    if (raw)
        vm_print_stats_raw(&st);
    else
        vm_print_stats(&st, detail);
    return 0;
}
