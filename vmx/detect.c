/*
 * VT-x detection and enabling (SDM Vol. 3C 23.6-23.8, Appendix A).
 *
 * vmx_detect() runs at boot and prints exactly one line: what VT-x offers or
 * why it cannot be used. It never panics and never touches an MSR the CPU
 * does not have: IA32_FEATURE_CONTROL only when CPUID.1:ECX.VMX = 1, the
 * conditional capability MSRs only as vmx_caps_read() allows.
 * vmx_enable() enters VMX root operation on first use.
 */
#include "cmdline.h"
#include "errno.h"
#include "kprintf.h"
#include "kstring.h"
#include "paging.h"
#include "pmm.h"
#include "timer.h"
#include "vmx.h"
#include "vmx_ops.h"
#include "x86.h"
#include "xcr0.h"
#include "cpu_switch.h"
#include "exit_cpuid.h"

struct vmx_global vmx;

static uint64_t hw_rdmsr(uint32_t msr, void *ctx)
{
    UNUSED(ctx);
    return rdmsr(msr);
}

static unsigned cpu_maxphyaddr(void)
{
    uint32_t a, b, c, d;
    cpuid(0x80000000u, 0, &a, &b, &c, &d);
    if (a < 0x80000008u)
        return 36;
    cpuid(0x80000008u, 0, &a, &b, &c, &d);
    return a & 0xFF;
}

/* Set why and print the "cannot be used" boot line. */
static void unusable(const char *why)
{
    strlcpy(vmx.why, why, sizeof(vmx.why));
    kprintf("vmx: %s\n", why);
}

/* IA32_FEATURE_CONTROL (SDM 23.7): lock it with VMXON-outside-SMX enabled if
   firmware left it unlocked; false if it is locked with VMX off. */
static bool feature_control_allows_vmx(void)
{
    // SOLUTION(V1-vmxon) BEGIN: read IA32_FEATURE_CONTROL; unlocked: set lock + VMXON outside SMX and write it; true if that bit is set
    // SOLUTION(V1-vmxon) STUB: return false;
    uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
    if (!(fc & FEATURE_CONTROL_LOCK)) {
        fc |= FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMXON_OUTSIDE_SMX;
        wrmsr(MSR_IA32_FEATURE_CONTROL, fc);
    }
    return (fc & FEATURE_CONTROL_VMXON_OUTSIDE_SMX) != 0;
    // SOLUTION(V1-vmxon) END
}

void vmx_detect(void)
{
    // SOLUTION(V1-vmxon) BEGIN: no CPUID.1:ECX.VMX (SDM 23.6): unusable() with the message the tests expect, return
    uint32_t a, b, c, d;
    cpuid(1, 0, &a, &b, &c, &d);
    if (!(c & CPUID_1_ECX_VMX)) {
        unusable("CPUID.1:ECX.VMX is 0 \xe2\x80\x94 this CPU or emulator does not offer VT-x (QEMU TCG, "
                 "AMD host, or nested virtualization off); use make bochs or make kvm on an Intel host");
        return;
    }
    // SOLUTION(V1-vmxon) END
    if (!feature_control_allows_vmx()) {
        unusable("IA32_FEATURE_CONTROL locked with VMX off \xe2\x80\x94 enable VT-x in the firmware");
        return;
    }
    vmx.caps.maxphyaddr = cpu_maxphyaddr();
    vmx_caps_read(&vmx.caps, hw_rdmsr, NULL);
    char line[200];
    vmx_caps_describe(&vmx.caps, line, sizeof(line));
    char why[120];
    if (vmx_controls_compute(&vmx.caps, &vmx.ctl, why, sizeof(why)) < 0) {
        char msg[sizeof(vmx.why)];
        ksnprintf(msg, sizeof(msg), "%s, but missing %s \xe2\x80\x94 VMs are not available", line, why);
        unusable(msg);
        return;
    }
    vmx.available = true;
    xcr0_detect();
    cpu_switch_detect();
    exit_cpuid_init();
    vmx.debug_exits = cmdline_has("debug_vmx");
    vmx.fast_path_reason = vmx.debug_exits ? ~0u : EXIT_REASON_CPUID;
    kprintf("vmx: %s\n", line);
}

/* TSC ticks per second, measured over 5 timer ticks (50 ms at 100 Hz). */
static uint64_t calibrate_tsc(void)
{
    uint64_t t = timer_ticks();
    while (timer_ticks() == t)
        cpu_relax();
    uint64_t start_tick = timer_ticks(), start = rdtsc();
    while (timer_ticks() < start_tick + 5)
        cpu_relax();
    return (rdtsc() - start) * TIMER_HZ / 5;
}

int vmx_enable(void)
{
    if (!vmx.available)
        return -ENODEV;
    if (vmx.enabled)
        return 0;
    if (!vmx.tsc_hz)
        vmx.tsc_hz = calibrate_tsc();
    uint64_t region = pmm_alloc_page();
    if (!region)
        return -ENOMEM;
    // SOLUTION(V1-vmxon) BEGIN: revision id into the region, CR0/CR4 fixed bits and CR4.VMXE, VMXON; on failure undo VMXE, free, -EIO
    // SOLUTION(V1-vmxon) STUB: pmm_free_page(region);
    // SOLUTION(V1-vmxon) STUB: strlcpy(vmx.why, "VMXON is not written yet", sizeof(vmx.why));
    // SOLUTION(V1-vmxon) STUB: return -EIO;
    /* VMXON region: revision id in bytes 0-3, bit 31 clear (SDM 24.11.5). */
    *(uint32_t *)phys_to_virt(region) = VMX_BASIC_REVISION(vmx.caps.basic);
    /* CR0/CR4 must meet the fixed bits during VMX operation (23.8). */
    write_cr0((read_cr0() | vmx.caps.cr0_fixed0) & vmx.caps.cr0_fixed1);
    write_cr4((read_cr4() | vmx.caps.cr4_fixed0 | CR4_VMXE) & vmx.caps.cr4_fixed1);
    if (vmxon(region) < 0) {
        write_cr4(read_cr4() & ~CR4_VMXE);
        pmm_free_page(region);
        strlcpy(vmx.why, "VMXON failed", sizeof(vmx.why));
        return -EIO;
    }
    // SOLUTION(V1-vmxon) END
    vmx.vmxon_region = region;
    vmx.enabled = true;
    kprintf("vmx: VMX root operation on (TSC %lu kHz)\n", vmx.tsc_hz / 1000);
    return 0;
}
