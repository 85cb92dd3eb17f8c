/*
 * vm.c: libc wrappers of the VM system calls (uapi/vm_abi.h) and the small
 * parsing helpers the vm and vmstat programs share. A negative kernel
 * result becomes errno and -1 (__syscall_ret), like every libc wrapper.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <syscall.h>
#include <vm.h>

#define VMC(x) __syscall_ret(x)

int vm_create(unsigned flags) { return (int)VMC(syscall1(SYS_VM_CREATE, flags)); }
int vm_destroy(int vm) { return (int)VMC(syscall1(SYS_VM_DESTROY, vm)); }
int vm_start(int vm) { return (int)VMC(syscall1(SYS_VM_START, vm)); }
int vm_kill(int vm) { return (int)VMC(syscall1(SYS_VM_KILL, vm)); }

int vm_nmi(int vm) { return (int)VMC(syscall1(SYS_VM_NMI, vm)); }

ssize_t vm_console_input(int vm, const char *buf, size_t len)
{
    return VMC(syscall3(SYS_VM_CONSOLE_INPUT, vm, (long)buf, (long)len));
}

int vm_map(int vm, uint64_t gpa, uint64_t size, unsigned rights)
{
    return (int)VMC(syscall6(SYS_VM_MAP, vm, (long)gpa, (long)size, rights, 0, 0));
}

int vm_unmap(int vm, uint64_t gpa, uint64_t size)
{
    return (int)VMC(syscall3(SYS_VM_UNMAP, vm, (long)gpa, (long)size));
}

int vm_protect(int vm, uint64_t gpa, uint64_t size, unsigned rights)
{
    return (int)VMC(syscall6(SYS_VM_PROTECT, vm, (long)gpa, (long)size, rights, 0, 0));
}

ssize_t vm_write(int vm, uint64_t gpa, const void *buf, size_t len)
{
    return VMC(syscall6(SYS_VM_WRITE, vm, (long)gpa, (long)buf, (long)len, 0, 0));
}

ssize_t vm_read(int vm, uint64_t gpa, void *buf, size_t len)
{
    return VMC(syscall6(SYS_VM_READ, vm, (long)gpa, (long)buf, (long)len, 0, 0));
}

int vm_load(int vm, const char *path, uint64_t gpa, struct vm_load_info *info)
{
    return (int)VMC(syscall6(SYS_VM_LOAD, vm, (long)path, (long)gpa, (long)info, 0, 0));
}

int vm_vcpu_create(int vm, unsigned mode, uint64_t entry, const struct vm_regs *regs)
{
    return (int)VMC(syscall6(SYS_VM_VCPU_CREATE, vm, mode, (long)entry, (long)regs, 0, 0));
}

int vm_wait(int vm, uint64_t timeout_ms)
{
    return (int)VMC(syscall2(SYS_VM_WAIT, vm, (long)timeout_ms));
}

int vm_set_timeout(int vm, uint64_t ms)
{
    return (int)VMC(syscall2(SYS_VM_SET_TIMEOUT, vm, (long)ms));
}

int vm_alias(int vm, uint64_t gpa, uint64_t size, uint64_t src, unsigned rights)
{
    return (int)VMC(syscall6(SYS_VM_ALIAS, vm, (long)gpa, (long)size, (long)src, rights, 0));
}

int vm_load_firmware(int vm, const char *path, struct vm_firmware_info *info)
{
    return (int)VMC(syscall3(SYS_VM_LOAD_FIRMWARE, vm, (long)path, (long)info));
}

int vm_load_linux(int vm, struct vm_linux_load *load)
{
    return (int)VMC(syscall2(SYS_VM_LOAD_LINUX, vm, (long)load));
}

int vm_stats(int vm, struct vm_stats *st) { return (int)VMC(syscall2(SYS_VM_STATS, vm, (long)st)); }
int vm_info(int vm, struct vm_status *info) { return (int)VMC(syscall2(SYS_VM_INFO, vm, (long)info)); }

int vm_list(int32_t *ids, size_t max)
{
    return (int)VMC(syscall2(SYS_VM_LIST, (long)ids, (long)max));
}

int vm_trace(int vm, struct vm_trace_entry *buf, size_t max)
{
    return (int)VMC(syscall3(SYS_VM_TRACE, vm, (long)buf, (long)max));
}

int vm_break(int vm, const char *spec) { return (int)VMC(syscall2(SYS_VM_BREAK, vm, (long)spec)); }
int vm_continue(int vm) { return (int)VMC(syscall1(SYS_VM_CONTINUE, vm)); }

int vm_paused(int vm, char *buf, size_t size)
{
    return (int)VMC(syscall3(SYS_VM_PAUSED, vm, (long)buf, (long)size));
}

/* Value of one digit in base 16 (-1 if c is none). */
static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Multiplier of a size suffix (K, M, G; case-insensitive), 0 if unknown. */
static uint64_t suffix_factor(char c)
{
    switch (c) {
    case '\0': return 1;
    case 'k': case 'K': return 1ull << 10;
    case 'm': case 'M': return 1ull << 20;
    case 'g': case 'G': return 1ull << 30;
    default: return 0;
    }
}

int vm_parse_size(const char *s, uint64_t *out)
{
    unsigned base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    uint64_t v = 0;
    int digits = 0;
    for (; digit_value(*s) >= 0 && (unsigned)digit_value(*s) < base; s++, digits++) {
        uint64_t next = v * base + (uint64_t)digit_value(*s);
        if (v > UINT64_MAX / base || next < v * base)
            goto bad;
        v = next;
    }
    uint64_t factor = suffix_factor(*s);
    if (digits == 0 || factor == 0 || (*s != '\0' && s[1] != '\0'))
        goto bad;
    if (v > UINT64_MAX / factor)
        goto bad;
    *out = v * factor;
    return 0;
bad:
    errno = EINVAL;
    return -1;
}

int vm_parse_rights(const char *s, unsigned *out)
{
    unsigned rights = 0;
    if (*s == '\0')
        goto bad;
    for (; *s != '\0'; s++) {
        if (*s == '-')
            continue;                /* "-", "r-x", "---" as vm info prints them */
        unsigned bit = *s == 'r' ? VM_R : *s == 'w' ? VM_W : *s == 'x' ? VM_X : 0;
        if (bit == 0 || (rights & bit) != 0)
            goto bad;
        rights |= bit;
    }
    *out = rights;
    return 0;
bad:
    errno = EINVAL;
    return -1;
}

char *vm_format_rights(unsigned rights, char *buf)
{
    buf[0] = (rights & VM_R) ? 'r' : '-';
    buf[1] = (rights & VM_W) ? 'w' : '-';
    buf[2] = (rights & VM_X) ? 'x' : '-';
    buf[3] = '\0';
    return buf;
}

static const char *const mode_names[] = {
    [VM_MODE_REAL] = "real", [VM_MODE_PROT32] = "prot32", [VM_MODE_LONG64] = "long64",
    [VM_MODE_RESET] = "reset", [VM_MODE_LINUX64] = "linux64",
};

int vm_parse_mode(const char *s, unsigned *out)
{
    for (unsigned m = VM_MODE_REAL; m <= VM_MODE_LINUX64; m++) {
        if (strcmp(s, mode_names[m]) == 0) {
            *out = m;
            return 0;
        }
    }
    errno = EINVAL;
    return -1;
}

const char *vm_mode_name(unsigned mode)
{
    if (mode >= VM_MODE_REAL && mode <= VM_MODE_LINUX64)
        return mode_names[mode];
    return "?";
}

const char *vm_state_name(unsigned state)
{
    switch (state) {
    case VM_IS_CREATED: return "created";
    case VM_IS_RUNNING: return "running";
    case VM_IS_STOPPED: return "stopped";
    case VM_IS_DESTROYED: return "destroyed";
    default: return "?";
    }
}

char *vm_format_size(uint64_t bytes, char *buf, size_t len)
{
    if (bytes != 0 && bytes % (1ull << 30) == 0)
        snprintf(buf, len, "%luG", (unsigned long)(bytes >> 30));
    else if (bytes != 0 && bytes % (1ull << 20) == 0)
        snprintf(buf, len, "%luM", (unsigned long)(bytes >> 20));
    else if (bytes != 0 && bytes % (1ull << 10) == 0)
        snprintf(buf, len, "%luK", (unsigned long)(bytes >> 10));
    else
        snprintf(buf, len, "%lu", (unsigned long)bytes);
    return buf;
}

#define BAR_WIDTH 30

/* value * 10000 / total as "12.34%" text (total > 0). */
static void format_share(uint64_t value, uint64_t total, char *buf, size_t len)
{
    uint64_t basis_points = total ? value * 10000 / total : 0;
    snprintf(buf, len, "%lu.%02lu%%", (unsigned long)(basis_points / 100),
             (unsigned long)(basis_points % 100));
}

static void print_bar(uint64_t count, uint64_t max_count)
{
    uint64_t n = max_count ? (count * BAR_WIDTH + max_count - 1) / max_count : 0;
    for (uint64_t i = 0; i < n; i++)
        putchar('#');
}

static void print_stat_row(const struct vm_exit_stat *r, uint64_t total, uint64_t max_count)
{
    char share[16];
    format_share(r->count, total, share, sizeof(share));
    printf("%-22s %9lu %7s %9lu %9lu ", r->name, (unsigned long)r->count, share,
           (unsigned long)(r->count ? r->total_cycles / r->count : 0),
           (unsigned long)r->max_cycles);
    print_bar(r->count, max_count);
    putchar('\n');
}

/* " (12 ms)" for a cycle count when the TSC rate is known, else "". */
static const char *cycles_ms(uint64_t cycles, uint64_t tsc_hz, char *buf, size_t len)
{
    buf[0] = '\0';
    if (tsc_hz >= 1000)
        snprintf(buf, len, " (%lu ms)", (unsigned long)(cycles / (tsc_hz / 1000)));
    return buf;
}

static void print_totals(const struct vm_stats *st)
{
    char share[16], guest_ms[24], host_ms[24];
    format_share(st->host_cycles, st->guest_cycles + st->host_cycles, share, sizeof(share));
    printf("total: %lu exits, %lu entries; guest %lu cycles%s, host %lu cycles%s, %s in the host\n",
           (unsigned long)st->exits, (unsigned long)st->entries,
           (unsigned long)st->guest_cycles,
           cycles_ms(st->guest_cycles, st->tsc_hz, guest_ms, sizeof(guest_ms)),
           (unsigned long)st->host_cycles,
           cycles_ms(st->host_cycles, st->tsc_hz, host_ms, sizeof(host_ms)), share);
    if (st->run_ns >= 1000000) {
        uint64_t ms = st->run_ns / 1000000;
        printf("run time %lu ms: %lu exits per second\n", (unsigned long)ms,
               (unsigned long)(st->exits * 1000 / ms));
    }
}

/* One breakdown list: "  ports: 0xe9 x29, 0x80 x1". */
static void print_top(const char *what, const struct vm_stat_top *top, int hex_width)
{
    printf("  %-14s", what);
    int any = 0;
    for (int i = 0; i < VM_STAT_TOP && top[i].count > 0; i++, any = 1)
        printf("%s0x%0*lx x%lu", i ? ", " : "", hex_width, (unsigned long)top[i].key,
               (unsigned long)top[i].count);
    printf("%s\n", any ? "" : "-");
}

/* The devices a guest used: "  com1       0x3f8-0x3ff  in 16  out 16". */
static void print_devices(const struct vm_stats *st)
{
    int any = 0;
    for (uint32_t i = 0; i < st->ndevices && i < VM_STAT_DEVICES; i++) {
        const struct vm_device_stat *d = &st->devices[i];
        if (!d->reads && !d->writes)
            continue;
        if (!any++)
            printf("devices (accesses over the whole run; a string instruction's elements each count):\n");
        char ports[16];
        if (d->first_port == d->last_port)
            snprintf(ports, sizeof(ports), "0x%x", d->first_port);
        else
            snprintf(ports, sizeof(ports), "0x%x-0x%x", d->first_port, d->last_port);
        printf("  %-10s %-13s in %lu  out %lu\n", d->name, ports, (unsigned long)d->reads,
               (unsigned long)d->writes);
    }
    if (any && st->io_unclaimed)
        printf("  %-10s %-13s %lu\n", "(none)", "other ports", (unsigned long)st->io_unclaimed);
    if (st->post_code)
        printf("  last POST code 0x%02x\n", st->post_code);
}

void vm_print_stats(const struct vm_stats *st, int detail)
{
    uint64_t max_count = st->nrows ? st->row[0].count : 0;
    printf("%-22s %9s %7s %9s %9s\n", "REASON", "COUNT", "SHARE", "MEAN", "MAX");
    for (uint32_t i = 0; i < st->nrows && i < VM_STAT_ROWS; i++)
        print_stat_row(&st->row[i], st->exits, max_count);
    print_totals(st);
    if (!detail)
        return;
    print_devices(st);
    printf("breakdown%s:\n", st->breakdown_from_trace ? " (of the last exits only)"
                                                       : " (whole run; EPT GPAs of the last exits)");
    print_top("I/O ports:", st->io_ports, 1);
    print_top("CPUID leaves:", st->cpuid_leaves, 1);
    print_top("MSRs:", st->msrs, 1);
    print_top("EPT GPAs:", st->ept_gpas, 1);
}

void vm_print_stats_raw(const struct vm_stats *st)
{
    for (uint32_t i = 0; i < st->nrows && i < VM_STAT_ROWS; i++)
        printf("%s %lu %lu\n", st->row[i].name, (unsigned long)st->row[i].count,
               (unsigned long)st->row[i].total_cycles);
}

const char *vm_gone_text(int vm)
{
    static char text[120];
    static struct vm_status st;
    if (vm_info(vm, &st) < 0 || !st.record_lost)
        return NULL;
    snprintf(text, sizeof(text),
             "vm%d was destroyed and its record is no longer kept (only the last %d are)", vm,
             VM_KEPT_RECORDS);
    return text;
}

const char *vm_error_text(int err)
{
    static char text[80];
    const char *name = errno_name(err);
    snprintf(text, sizeof(text), "%s (%s)", name ? name : "E?", strerror(err));
    return text;
}
