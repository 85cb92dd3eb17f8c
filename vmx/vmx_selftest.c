/*
 * `selftest=vmx`: runs the in-kernel guests of selftest_guests.asm through
 * the VM API (vm.h) and checks exact exit counts, registers, memory, console
 * output and stop reasons. One line per case, "vmx selftest NAME: ok" or
 * "vmx selftest NAME: FAILED (why)", then "vmx selftest: N passed, M failed"
 * and power-off (failure status when M > 0). Without VT-x it says so and
 * passes: there is nothing to test, and the kernel must not care.
 *
 * Context: the self-test runner calls us on the boot thread before the
 * scheduler runs; vCPUs are threads, so we start the scheduler and continue
 * on a thread of our own.
 */
#include "cmdline.h"
#include "errno.h"
#include "kprintf.h"
#include "kstring.h"
#include "power.h"
#include "pmm.h"
#include "sched.h"
#include "selftest.h"
#include "thread.h"
#include "vm.h"
#include "vm_handles.h"
#include "vm_records.h"
#include "vmcs.h"
#include "vmx_ops.h"
#include "vmx.h"
#include "x86.h"
#include "xcr0.h"

#define GUEST_BASE 0x1000
#define WAIT_MS 20000
#define CPUID_LOOPS 1000
#define BENCH_LOOPS 100000

#define DECLARE_GUEST(n) extern const uint8_t n[], n##_end[]
DECLARE_GUEST(guest_cpuid_loop);
DECLARE_GUEST(guest_cpuid_bits);
DECLARE_GUEST(guest_io);
DECLARE_GUEST(guest_vmcall);
DECLARE_GUEST(guest_ept_write);
DECLARE_GUEST(guest_ept_fetch);
DECLARE_GUEST(guest_triple_fault);
DECLARE_GUEST(guest_spin);
DECLARE_GUEST(guest_real);
DECLARE_GUEST(guest_prot32);
DECLARE_GUEST(guest_long64);
DECLARE_GUEST(guest_vmx_ud);
DECLARE_GUEST(guest_bench);
DECLARE_GUEST(guest_msr);
DECLARE_GUEST(guest_cpuid_leaves);
DECLARE_GUEST(guest_xsetbv);
DECLARE_GUEST(guest_string_edges);
extern const uint8_t guest_string_edges_insb[];
DECLARE_GUEST(guest_string_pf);
DECLARE_GUEST(guest_rep_io_loop);


struct run {
    const uint8_t *code, *code_end;
    enum vmx_mode mode;
    uint64_t map_size;     /* RWX from 0; default 64 KiB */
    uint64_t rsi;          /* initial RSI (loop counts) */
    struct vm *vm;
    struct vm_info info;
    struct vmx_stats stats;
    uint64_t regs[16];
};

#define GUEST_RUN(g, m, map, si) \
    (struct run) { .code = g, .code_end = g##_end, .mode = m, .map_size = map, .rsi = si }

/* Create a VM with the guest at GUEST_BASE and one vCPU; 0 or selftest_fail(). */
static int prepare(struct run *r)
{
    int err = vm_create(&r->vm);
    SELFTEST_CHECK(err == 0, "vm_create: %d", err);
    err = vm_map(r->vm, 0, r->map_size ? r->map_size : 0x10000, VM_RWX);
    SELFTEST_CHECK(err == 0, "vm_map: %d", err);
    err = vm_write(r->vm, GUEST_BASE, r->code, (size_t)(r->code_end - r->code));
    SELFTEST_CHECK(err == 0, "vm_write: %d", err);
    struct vm_vcpu_params p = {.mode = r->mode, .entry = GUEST_BASE, .rsp = 0x8000};
    p.regs[6] = r->rsi;
    if (r->mode == VMX_MODE_LONG64) {
        err = vm_build_long_mode_tables(r->vm, 0x10000, &p);
        SELFTEST_CHECK(err == 0, "long mode tables: %d", err);
    }
    err = vm_vcpu_create(r->vm, &p);
    SELFTEST_CHECK(err == 0, "vm_vcpu_create: %d", err);
    return 0;
}

/* Wait for the VM and collect info, statistics and registers. */
static int finish(struct run *r, uint64_t timeout_ms)
{
    int err = vm_wait(r->vm, timeout_ms);
    SELFTEST_CHECK(err == 0, "vm_wait: %d", err);
    vm_get_info(r->vm, &r->info);
    vm_get_stats(r->vm, &r->stats);
    vm_get_regs(r->vm, 0, r->regs);
    return 0;
}

static int run_guest(struct run *r)
{
    if (prepare(r) < 0)
        return -1;
    int err = vm_start(r->vm);
    SELFTEST_CHECK(err == 0, "vm_start: %d", err);
    return finish(r, WAIT_MS);
}

static void cleanup(struct run *r)
{
    if (r->vm)
        vm_destroy(r->vm);
    r->vm = NULL;
}

static uint64_t count(const struct run *r, unsigned reason) { return r->stats.exits[reason].count; }

#define EXPECT_STOP(r, text) \
    SELFTEST_CHECK(strcmp((r)->info.stop_text, text) == 0, "stopped '%s', expected '%s'", (r)->info.stop_text, text)

static int t_cpuid_loop(struct run *r)
{
    *r = GUEST_RUN(guest_cpuid_loop, VMX_MODE_REAL, 0, CPUID_LOOPS);
    if (run_guest(r) < 0)
        return -1;
    EXPECT_STOP(r, "halted");
    SELFTEST_CHECK(count(r, EXIT_REASON_CPUID) == CPUID_LOOPS, "%lu CPUID exits, expected %d", count(r, EXIT_REASON_CPUID),
                   CPUID_LOOPS);
    SELFTEST_CHECK(count(r, EXIT_REASON_HLT) == 1, "%lu HLT exits", count(r, EXIT_REASON_HLT));
    uint64_t others = vmx_stats_total_exits(&r->stats) - CPUID_LOOPS - 1 - count(r, EXIT_REASON_EXTERNAL_INTERRUPT) -
                      count(r, EXIT_REASON_PREEMPTION_TIMER);
    SELFTEST_CHECK(others == 0, "%lu unexpected exits", others);
    SELFTEST_CHECK(r->stats.exits[EXIT_REASON_CPUID].min_cycles <= r->stats.exits[EXIT_REASON_CPUID].max_cycles,
                   "min > max");
    return 0;
}

static int t_cpuid_bits(struct run *r)
{
    *r = GUEST_RUN(guest_cpuid_bits, VMX_MODE_REAL, 0, 0);
    if (run_guest(r) < 0)
        return -1;
    SELFTEST_CHECK(!(r->regs[7] & (1u << 5)), "guest sees VMX (leaf 1 ECX 0x%lx)", r->regs[7]);
    SELFTEST_CHECK(r->regs[7] & (1u << 31), "no hypervisor bit (leaf 1 ECX 0x%lx)", r->regs[7]);
    SELFTEST_CHECK(!(r->regs[7] & (1u << 27)), "OSXSAVE set while the guest's CR4.OSXSAVE is 0 (leaf 1 ECX 0x%lx)",
                   r->regs[7]);
    /* "SWEB" "VXSW" "EBVX" little-endian in EBX, ECX, EDX */
    SELFTEST_CHECK(r->regs[3] == 0x42455753 && r->regs[1] == 0x57535856 && r->regs[2] == 0x58564245,
                   "signature %lx %lx %lx", r->regs[3], r->regs[1], r->regs[2]);
    return 0;
}

static int t_io(struct run *r)
{
    *r = GUEST_RUN(guest_io, VMX_MODE_REAL, 0, 0);
    if (run_guest(r) < 0)
        return -1;
    EXPECT_STOP(r, "halted");
    char out[VM_CONSOLE_CAPTURE];
    vm_get_console(r->vm, out, sizeof(out));
    SELFTEST_CHECK(strcmp(out, "hello e9\n!\nS\n") == 0, "console '%s'", out);
    SELFTEST_CHECK((r->regs[3] & 0xFF) == 0xFF, "IN from an unknown port gave 0x%lx", r->regs[3] & 0xFF);
    SELFTEST_CHECK((r->regs[5] & 0xFFFF) == 0xFFFF, "16-bit IN gave 0x%lx", r->regs[5] & 0xFFFF);
    SELFTEST_CHECK((r->regs[1] & 0xFF) == 0x60, "COM1 LSR 0x%lx", r->regs[1] & 0xFF);
    uint8_t b = 0;
    vm_read(r->vm, 0x3000, &b, 1);
    SELFTEST_CHECK(b == 0xFF, "INSB stored 0x%x", b);
    /* rep outsb, out dx, out imm, 2 x out COM1, out, in, in, in, insb */
    SELFTEST_CHECK(count(r, EXIT_REASON_IO_INSTRUCTION) == 10, "%lu I/O exits, expected 10",
                   count(r, EXIT_REASON_IO_INSTRUCTION));
    return 0;
}

static int t_vmcall(struct run *r)
{
    *r = GUEST_RUN(guest_vmcall, VMX_MODE_PROT32, 0, 0);
    if (run_guest(r) < 0)
        return -1;
    EXPECT_STOP(r, "exit code 42");
    SELFTEST_CHECK(r->info.stop_kind == VM_STOP_EXIT_CODE && r->info.exit_code == 42, "kind %d code %ld", r->info.stop_kind,
                   r->info.exit_code);
    char out[VM_CONSOLE_CAPTURE];
    vm_get_console(r->vm, out, sizeof(out));
    SELFTEST_CHECK(strcmp(out, "hello from vmcall\n") == 0, "console '%s'", out);
    SELFTEST_CHECK((uint32_t)r->regs[6] == 18, "write returned %lu", r->regs[6]);
    SELFTEST_CHECK((uint32_t)r->regs[7] != 0, "clock returned 0");
    SELFTEST_CHECK((uint32_t)r->regs[5] == (uint32_t)-ENOSYS, "unknown hypercall returned 0x%lx", r->regs[5]);
    SELFTEST_CHECK(count(r, EXIT_REASON_VMCALL) == 4, "%lu VMCALL exits", count(r, EXIT_REASON_VMCALL));
    return 0;
}

static int t_ept_write(struct run *r)
{
    *r = GUEST_RUN(guest_ept_write, VMX_MODE_REAL, 0, 0);
    if (prepare(r) < 0)
        return -1;
    int err = vm_protect(r->vm, 0x2000, 0x1000, VM_R);
    SELFTEST_CHECK(err == 0, "vm_protect: %d", err);
    SELFTEST_CHECK(vm_start(r->vm) == 0 && finish(r, WAIT_MS) == 0, "run: %s", selftest_failure());
    EXPECT_STOP(r, "EPT violation: write at GPA 0x2010 (rip 0x1003)");
    SELFTEST_CHECK(count(r, EXIT_REASON_EPT_VIOLATION) == 1, "%lu EPT exits", count(r, EXIT_REASON_EPT_VIOLATION));
    return 0;
}

static int t_ept_fetch(struct run *r)
{
    *r = GUEST_RUN(guest_ept_fetch, VMX_MODE_REAL, 0x8000, 0);
    if (run_guest(r) < 0)
        return -1;
    EXPECT_STOP(r, "EPT violation: fetch at GPA 0x8000 (rip 0x8000)");
    return 0;
}

static int t_triple_fault(struct run *r)
{
    *r = GUEST_RUN(guest_triple_fault, VMX_MODE_PROT32, 0, 0);
    if (run_guest(r) < 0)
        return -1;
    EXPECT_STOP(r, "triple fault (rip 0x1000)");
    SELFTEST_CHECK(count(r, EXIT_REASON_TRIPLE_FAULT) == 1, "%lu triple-fault exits", count(r, EXIT_REASON_TRIPLE_FAULT));
    return 0;
}

static volatile uint64_t spin_counter;
static volatile bool spin_stop;

static void counter_thread(void *arg)
{
    UNUSED(arg);
    while (!spin_stop) {
        spin_counter++;
        thread_sleep_ms(10);
    }
}

/* cli; jmp $ must not keep the host from running another thread. */
static int t_spin_preempted(struct run *r)
{
    *r = GUEST_RUN(guest_spin, VMX_MODE_REAL, 0, 0);
    spin_counter = 0;
    spin_stop = false;
    struct thread *t = thread_create("spin counter", counter_thread, NULL);
    SELFTEST_CHECK(t, "no thread");
    int ok = prepare(r) == 0 && vm_start(r->vm) == 0;
    int waited = ok ? vm_wait(r->vm, 300) : 0;
    uint64_t seen = spin_counter;
    spin_stop = true;
    thread_join(t);
    SELFTEST_CHECK(ok, "start: %s", selftest_failure());
    SELFTEST_CHECK(waited == -ETIMEDOUT, "the spinning guest stopped: %d", waited);
    SELFTEST_CHECK(seen >= 5, "other thread ran only %lu times in 300 ms", seen);
    vm_kill(r->vm);
    if (finish(r, WAIT_MS) < 0)
        return -1;
    EXPECT_STOP(r, "killed");
    uint64_t preempted = count(r, EXIT_REASON_EXTERNAL_INTERRUPT) + count(r, EXIT_REASON_PREEMPTION_TIMER);
    SELFTEST_CHECK(preempted >= 10, "only %lu external-interrupt and preemption-timer exits", preempted);
    return 0;
}

static int t_time_limit(struct run *r)
{
    *r = GUEST_RUN(guest_spin, VMX_MODE_REAL, 0, 0);
    if (prepare(r) < 0)
        return -1;
    vm_set_time_limit(r->vm, 50);
    SELFTEST_CHECK(vm_start(r->vm) == 0 && finish(r, 2000) == 0, "run: %s", selftest_failure());
    EXPECT_STOP(r, "timeout");
    return 0;
}

/* The time limit also covers host time spent on the guest's exits: a guest
   that loops over REP OUTSB (emulated by the host) stops too. */
static int t_time_limit_host(struct run *r)
{
    *r = GUEST_RUN(guest_rep_io_loop, VMX_MODE_REAL, 0, 0);
    if (prepare(r) < 0)
        return -1;
    vm_set_time_limit(r->vm, 50);
    SELFTEST_CHECK(vm_start(r->vm) == 0 && finish(r, 3000) == 0, "run: %s", selftest_failure());
    EXPECT_STOP(r, "timeout");
    SELFTEST_CHECK(count(r, EXIT_REASON_IO_INSTRUCTION) > 0, "no I/O exits");
    return 0;
}

static int t_real(struct run *r)
{
    *r = GUEST_RUN(guest_real, VMX_MODE_REAL, 0, 0);
    if (run_guest(r) < 0)
        return -1;
    EXPECT_STOP(r, "halted");
    SELFTEST_CHECK((r->regs[3] & 0xFFFF) == 0x1234, "bx 0x%lx", r->regs[3]);
    char out[VM_CONSOLE_CAPTURE];
    vm_get_console(r->vm, out, sizeof(out));
    SELFTEST_CHECK(strcmp(out, "real mode\n") == 0, "console '%s'", out);
    return 0;
}

static int t_prot32(struct run *r)
{
    *r = GUEST_RUN(guest_prot32, VMX_MODE_PROT32, 0, 0);
    if (run_guest(r) < 0)
        return -1;
    EXPECT_STOP(r, "halted");
    SELFTEST_CHECK((uint32_t)r->regs[3] == 0x12345678, "ebx 0x%lx", r->regs[3]);
    char out[VM_CONSOLE_CAPTURE];
    vm_get_console(r->vm, out, sizeof(out));
    SELFTEST_CHECK(strcmp(out, "protected mode\n") == 0, "console '%s'", out);
    return 0;
}

static int t_long64(struct run *r)
{
    *r = GUEST_RUN(guest_long64, VMX_MODE_LONG64, 0x20000, 0);
    if (run_guest(r) < 0)
        return -1;
    EXPECT_STOP(r, "halted");
    SELFTEST_CHECK(r->regs[3] == 0x123456789ABCDEF0ull, "rbx 0x%lx", r->regs[3]);
    char out[VM_CONSOLE_CAPTURE];
    vm_get_console(r->vm, out, sizeof(out));
    SELFTEST_CHECK(strcmp(out, "long mode\nlong mode hypercall\n") == 0, "console '%s'", out);
    return 0;
}

static int t_vmx_ud(struct run *r)
{
    *r = GUEST_RUN(guest_vmx_ud, VMX_MODE_PROT32, 0, 0);
    if (run_guest(r) < 0)
        return -1;
    EXPECT_STOP(r, "halted");
    SELFTEST_CHECK((uint32_t)r->regs[6] == 3, "#UD handler ran %lu times, expected 3", r->regs[6]);
    SELFTEST_CHECK(count(r, EXIT_REASON_VMON) == 1 && count(r, EXIT_REASON_VMREAD) == 1 && count(r, EXIT_REASON_INVEPT) == 1,
                   "VMXON %lu VMREAD %lu INVEPT %lu exits", count(r, EXIT_REASON_VMON), count(r, EXIT_REASON_VMREAD),
                   count(r, EXIT_REASON_INVEPT));
    return 0;
}

/* Two VMs running at the same time, each with its own exact count. */
static int t_two_vms(struct run *r)
{
    struct run b;
    *r = GUEST_RUN(guest_cpuid_loop, VMX_MODE_REAL, 0, 20000);
    b = GUEST_RUN(guest_cpuid_loop, VMX_MODE_REAL, 0, 30000);
    int ok = prepare(r) == 0 && prepare(&b) == 0 && vm_start(r->vm) == 0 && vm_start(b.vm) == 0;
    ok = ok && finish(r, WAIT_MS) == 0 && finish(&b, WAIT_MS) == 0;
    uint64_t ca = count(r, EXIT_REASON_CPUID), cb = count(&b, EXIT_REASON_CPUID);
    cleanup(&b);
    SELFTEST_CHECK(ok, "%s", selftest_failure());
    SELFTEST_CHECK(ca == 20000 && cb == 30000, "CPUID exits %lu and %lu, expected 20000 and 30000", ca, cb);
    return 0;
}

static int t_msr(struct run *r)
{
    *r = GUEST_RUN(guest_msr, VMX_MODE_PROT32, 0, 0);
    if (run_guest(r) < 0)
        return -1;
    EXPECT_STOP(r, "halted");
    SELFTEST_CHECK((uint32_t)r->regs[5] == 0x00070106, "PAT read back 0x%lx", r->regs[5]);
    SELFTEST_CHECK((uint32_t)r->regs[3] == 0x1801, "MISC_ENABLE 0x%lx, expected fast strings, BTS and PEBS unavailable",
                   r->regs[3]);
    SELFTEST_CHECK((uint32_t)r->regs[6] == 1, "#GP handler ran %lu times, expected 1", r->regs[6]);
    SELFTEST_CHECK(count(r, EXIT_REASON_MSR_WRITE) == 1 && count(r, EXIT_REASON_MSR_READ) == 3 &&
              count(r, EXIT_REASON_INVD) == 1,
          "WRMSR %lu RDMSR %lu INVD %lu exits", count(r, EXIT_REASON_MSR_WRITE), count(r, EXIT_REASON_MSR_READ),
          count(r, EXIT_REASON_INVD));
    return 0;
}

/* One VM, two vCPU threads with their own loop counts; it stops when both halted. */
static int t_two_vcpus(struct run *r)
{
    *r = GUEST_RUN(guest_cpuid_loop, VMX_MODE_REAL, 0, 3000);
    if (prepare(r) < 0)
        return -1;
    struct vm_vcpu_params p = {.mode = VMX_MODE_REAL, .entry = GUEST_BASE, .rsp = 0x7000};
    p.regs[6] = 5000;
    p.regs[3] = 1;
    int idx = vm_vcpu_create(r->vm, &p);
    SELFTEST_CHECK(idx == 1, "second vCPU: %d", idx);
    SELFTEST_CHECK(vm_start(r->vm) == 0 && finish(r, WAIT_MS) == 0, "run: %s", selftest_failure());
    EXPECT_STOP(r, "halted");
    SELFTEST_CHECK(r->info.vcpus == 2, "%d vCPUs", r->info.vcpus);
    SELFTEST_CHECK(count(r, EXIT_REASON_CPUID) == 8000 && count(r, EXIT_REASON_HLT) == 2, "CPUID %lu HLT %lu",
                   count(r, EXIT_REASON_CPUID), count(r, EXIT_REASON_HLT));
    uint64_t regs1[16];
    SELFTEST_CHECK(vm_get_regs(r->vm, 1, regs1) == 0 && regs1[6] == 0, "vCPU 1 RSI 0x%lx", regs1[6]);
    return 0;
}

/* Read every field of the encoding table from a fresh VMCS and write the
   writable ones back: checks the encodings against the CPU (unsupported
   fields are only counted: they depend on the CPU's features). */
static int t_vmcs_fields(struct run *r)
{
    UNUSED(r);
    uint64_t vmcs = vmcs_alloc();
    SELFTEST_CHECK(vmcs && vmptrld(vmcs) == 0, "no VMCS");
    int unsupported = 0, bad = 0;
    const char *bad_name = "";
    for (size_t i = 0; i < vmcs_field_count(); i++) {
        uint32_t f = vmcs_field_at(i);
        uint64_t val;
        int err = vmcs_try_read(f, &val);
        if (err == VMXERR_UNSUPPORTED_FIELD) {
            unsupported++;
            continue;
        }
        /* Exit-information fields refuse writes (error 13) unless
           IA32_VMX_MISC[29] allows VMWRITE to any field (SDM 30.3 VMWRITE). */
        bool ro = VMCS_FIELD_TYPE(f) == VMCS_FIELD_TYPE_RO && !(vmx.caps.misc & VMX_MISC_VMWRITE_ANY);
        if (!err)
            err = vmcs_try_write(f, val) == (ro ? VMXERR_WRITE_READONLY : 0) ? 0 : -1;
        if (err) {
            bad++;
            bad_name = vmcs_field_name(f);
        }
    }
    vmcs_free(vmcs);
    SELFTEST_CHECK(bad == 0, "%d fields misbehave, e.g. %s", bad, bad_name);
    kprintf("vmx: %lu VMCS fields: %lu read/written, %d not supported by this CPU\n", vmcs_field_count(),
            vmcs_field_count() - (size_t)unsupported, unsupported);
    return 0;
}

/* A state the CPU would refuse never reaches VMLAUNCH: the software check
   names the rule (guest CR3 beyond MAXPHYADDR, SDM 26.3.1.1). */
static int t_entry_check(struct run *r)
{
    *r = GUEST_RUN(guest_long64, VMX_MODE_LONG64, 0x20000, 0);
    int err = vm_create(&r->vm);
    SELFTEST_CHECK(err == 0, "vm_create: %d", err);
    struct vm_vcpu_params p = {.mode = VMX_MODE_LONG64, .entry = GUEST_BASE, .rsp = 0x8000, .cr3 = 1ull << 51};
    SELFTEST_CHECK(vm_vcpu_create(r->vm, &p) == 0, "vm_vcpu_create");
    SELFTEST_CHECK(vm_start(r->vm) == 0 && finish(r, WAIT_MS) == 0, "run: %s", selftest_failure());
    SELFTEST_CHECK(r->info.stop_kind == VM_STOP_ENTRY_FAILED, "stop kind %d (%s)", r->info.stop_kind, r->info.stop_text);
    EXPECT_STOP(r, "entry failed: SDM 26.3.1.1: guest CR3 beyond MAXPHYADDR");
    SELFTEST_CHECK(vmx_stats_total_exits(&r->stats) == 0, "the guest ran");
    return 0;
}

/* The trace records the CPUID leaf as the qualification; vmstat -d's
   breakdown counts them (leaves 0 x3, 1 x2, 0x40000000 x1 in the guest). */
static int t_cpuid_leaves(struct run *r)
{
    static const uint64_t want[] = {0, 0, 0, 1, 1, 0x40000000};
    static struct vmx_trace_entry trace[VMX_TRACE_SIZE];
    static struct vm_stats st;
    *r = GUEST_RUN(guest_cpuid_leaves, VMX_MODE_REAL, 0, 0);
    if (run_guest(r) < 0)
        return -1;
    EXPECT_STOP(r, "halted");
    int n = vm_get_trace(r->vm, 0, trace, VMX_TRACE_SIZE);
    size_t k = 0;
    for (int i = 0; i < n; i++) {
        if (EXIT_REASON_BASIC(trace[i].reason) != EXIT_REASON_CPUID)
            continue;
        SELFTEST_CHECK(k < ARRAY_SIZE(want), "more than %zu CPUID exits traced", ARRAY_SIZE(want));
        SELFTEST_CHECK(trace[i].qualification == want[k], "CPUID exit %zu: leaf 0x%lx traced, expected 0x%lx", k,
                       trace[i].qualification, want[k]);
        k++;
    }
    SELFTEST_CHECK(k == ARRAY_SIZE(want), "%zu CPUID exits traced", k);
    struct vm_handle h = {.used = true, .id = vm_id(r->vm), .vm = r->vm};
    vm_handles_lock();
    vm_record_stats(&h, &st);
    vm_handles_unlock();
    SELFTEST_CHECK(st.cpuid_leaves[0].key == 0 && st.cpuid_leaves[0].count == 3, "top leaf 0x%lx x%lu",
                   st.cpuid_leaves[0].key, st.cpuid_leaves[0].count);
    SELFTEST_CHECK(st.cpuid_leaves[1].key == 1 && st.cpuid_leaves[1].count == 2, "second leaf 0x%lx x%lu",
                   st.cpuid_leaves[1].key, st.cpuid_leaves[1].count);
    SELFTEST_CHECK(st.cpuid_leaves[2].key == 0x40000000 && st.cpuid_leaves[2].count == 1, "third leaf 0x%lx x%lu",
                   st.cpuid_leaves[2].key, st.cpuid_leaves[2].count);
    SELFTEST_CHECK(st.cpuid_leaves[3].count == 0, "a fourth leaf 0x%lx", st.cpuid_leaves[3].key);
    return 0;
}

/* XSETBV: valid values are loaded for the guest (its XGETBV sees them),
   invalid ones get #GP, and the host's XCR0 is back after the run. */
static int t_xsetbv(struct run *r)
{
    if (!(vmx.xcr0_allowed & XCR0_AVX)) {
        kprintf("vmx selftest xsetbv: the CPU offers no AVX, checking nothing\n");
        return 0;
    }
    *r = GUEST_RUN(guest_xsetbv, VMX_MODE_REAL, 0, 0);
    if (run_guest(r) < 0)
        return -1;
    EXPECT_STOP(r, "halted");
    SELFTEST_CHECK((uint32_t)r->regs[7] == 7, "XGETBV after XSETBV 7 gave 0x%x", (uint32_t)r->regs[7]);
    SELFTEST_CHECK((uint32_t)r->regs[5] == 3, "XGETBV after XSETBV 3 gave 0x%x", (uint32_t)r->regs[5]);
    SELFTEST_CHECK((r->regs[6] & 0xFFFF) == 5, "%lu #GPs for the 5 invalid XSETBVs", r->regs[6] & 0xFFFF);
    SELFTEST_CHECK(count(r, EXIT_REASON_XSETBV) == 7, "%lu XSETBV exits, expected 7", count(r, EXIT_REASON_XSETBV));
    uint32_t ecx = 0;
    vm_read(r->vm, 0x3000, &ecx, sizeof(ecx));
    SELFTEST_CHECK(ecx & (1u << 27), "CPUID.1:ECX 0x%x without OSXSAVE after the guest set CR4.OSXSAVE", ecx);
    SELFTEST_CHECK(ecx & (1u << 26), "CPUID.1:ECX 0x%x without XSAVE", ecx);
    cli();
    uint64_t host = xcr0_read();
    sti();
    SELFTEST_CHECK(host == vmx.host_xcr0, "host XCR0 0x%lx after the run, expected 0x%lx", host, vmx.host_xcr0);
    return 0;
}

/* INS/OUTS emulation at the edges (vmfuzz found them stopping the VM with a
   host "error"): elements across two pages work (OUTSD reads, INSD writes), an element in unmapped
   guest-physical memory stops the VM as the EPT violation it is. */
static int t_string_edges(struct run *r)
{
    *r = GUEST_RUN(guest_string_edges, VMX_MODE_REAL, 0, 0);
    if (run_guest(r) < 0)
        return -1;
    char want[VM_STOP_TEXT_MAX];
    ksnprintf(want, sizeof(want), "EPT violation: write at GPA 0x20000 (rip 0x%lx)",
              (uint64_t)(GUEST_BASE + (guest_string_edges_insb - guest_string_edges)));
    EXPECT_STOP(r, want);
    SELFTEST_CHECK(r->info.stop_kind == VM_STOP_EPT_VIOLATION, "stop kind %d", r->info.stop_kind);
    char out[VM_CONSOLE_CAPTURE];
    vm_get_console(r->vm, out, sizeof(out));
    SELFTEST_CHECK(strcmp(out, "a\n") == 0, "console '%s'", out);   /* 0xE9 prints the low byte */
    uint32_t in = 0;
    vm_read(r->vm, 0x3FFE, &in, sizeof(in));
    SELFTEST_CHECK(in == 0xFFFFFFFFu, "INSD across pages stored 0x%x", in);
    return 0;
}

/* OUTS from a linear address the guest's own paging does not map: #PF for
   the guest (CR2, error code), not a stop. */
static int t_string_pf(struct run *r)
{
    *r = GUEST_RUN(guest_string_pf, VMX_MODE_LONG64, 0x20000, 0);
    if (run_guest(r) < 0)
        return -1;
    EXPECT_STOP(r, "halted");
    SELFTEST_CHECK(r->regs[0] == 0x40000000, "#PF with CR2 0x%lx, expected 0x40000000", r->regs[0]);
    SELFTEST_CHECK(r->regs[3] == 0, "#PF error code 0x%lx, expected 0", r->regs[3]);
    return 0;
}

static int t_bench(struct run *r)
{
    *r = GUEST_RUN(guest_bench, VMX_MODE_REAL, 0, BENCH_LOOPS);
    if (run_guest(r) < 0)
        return -1;
    EXPECT_STOP(r, "halted");
    uint64_t with = (uint32_t)r->regs[7], without = (uint32_t)r->regs[3];
    const struct vmx_exit_stat *s = &r->stats.exits[EXIT_REASON_CPUID];
    SELFTEST_CHECK(s->count == BENCH_LOOPS, "%lu CPUID exits", s->count);
    kprintf("vmx bench: %d CPUIDs: %lu cycles per round trip (guest-measured), host handling mean %lu min %lu "
            "max %lu cycles\n",
            BENCH_LOOPS, (with - without) / BENCH_LOOPS, s->total_cycles / s->count, s->min_cycles, s->max_cycles);
    return 0;
}

static const struct {
    const char *name;
    int (*fn)(struct run *r);
} cases[] = {
    {"cpuid_loop", t_cpuid_loop}, {"cpuid_bits", t_cpuid_bits}, {"io", t_io},
    {"vmcall", t_vmcall},         {"ept_write_ro", t_ept_write}, {"ept_fetch_unmapped", t_ept_fetch},
    {"triple_fault", t_triple_fault}, {"spin_preempted", t_spin_preempted}, {"time_limit", t_time_limit},
    {"time_limit_host", t_time_limit_host},
    {"real_mode", t_real},        {"prot32", t_prot32},          {"long64", t_long64},
    {"vmx_insn_ud", t_vmx_ud},    {"msr", t_msr},                {"two_vms", t_two_vms},
    {"two_vcpus", t_two_vcpus},   {"vmcs_fields", t_vmcs_fields}, {"entry_check", t_entry_check},
    {"cpuid_leaves", t_cpuid_leaves}, {"xsetbv", t_xsetbv}, {"string_edges", t_string_edges},
    {"string_pf", t_string_pf},   {"cpuid_bench", t_bench},
};

static void vmx_selftest_thread(void *arg)
{
    UNUSED(arg);
    int passed = 0, failed = 0;
    int err = vmx_enable();   /* permanent pages (VMXON region) before the baseline */
    struct vm *warm;
    if (!err && (err = vm_create(&warm)) == 0)   /* and the shared bitmaps */
        vm_destroy(warm);
    uint64_t free_before = pmm_free_pages();
    const char *only = cmdline_get("vmxtest");   /* vmxtest=NAME runs one case */
    for (size_t i = 0; !err && i < ARRAY_SIZE(cases); i++) {
        if (only && strcmp(only, cases[i].name) != 0)
            continue;
        struct run r = {0};
        selftest_failure_clear();
        int rc = cases[i].fn(&r);
        if (rc < 0 && r.vm)
            vm_get_info(r.vm, &r.info);
        cleanup(&r);
        if (rc == 0) {
            kprintf("vmx selftest %s: ok\n", cases[i].name);
            passed++;
        } else {
            kprintf("vmx selftest %s: FAILED (%s)\n", cases[i].name, selftest_failure());
            failed++;
        }
    }
    if (err) {
        kprintf("vmx selftest enable: FAILED (%d: %s)\n", err, vmx.why);
        failed++;
    }
    uint64_t free_after = pmm_free_pages();
    if (free_after == free_before) {
        kprintf("vmx selftest pages_returned: ok\n");
        passed++;
    } else {
        kprintf("vmx selftest pages_returned: FAILED (%lu free before, %lu after)\n", free_before, free_after);
        failed++;
    }
    struct vmx_stats all;
    vm_get_stats(NULL, &all);
    vmx_stats_print(&all, "vmx: exits of all VMs since boot");
    kprintf("vmx selftest: %d passed, %d failed\n", passed, failed);
    power_off(failed ? POWER_EXIT_FAIL : POWER_EXIT_OK);
}

static int vmx_selftest(void)
{
    if (!vmx_available()) {
        kprintf("vmx selftest: VT-x not available (%s); nothing to test, the kernel carries on\n", vmx.why);
        return 0;
    }
    if (sched_running()) {
        vmx_selftest_thread(NULL);
        return 0;
    }
    sched_start(vmx_selftest_thread, NULL);
}

SELFTEST("vmx", vmx_selftest);
