/*
 * What happens on a CPU exception (vectors 0-31). Runs with interrupts off
 * (interrupt gates) on the faulting thread's kernel stack, or on an IST
 * stack for NMI, #DF and #MC (gdt.h).
 *
 * Order of decisions: a fault inside safe_read_u64 (backtrace walker)
 * resumes there; a #BP/#DB of the GDB stub (gdb=) stops for gdb; a page
 * fault that is part of normal operation (copy on write, stack growth; see
 * user_page_fault_resolve) is resolved and the instruction retried; a fault in ring 3 goes to the process code, which kills
 * the process; a kernel fault at a registered user-memory access resumes at
 * its fixup (-EFAULT path); anything else is a kernel bug: print a dump
 * and power off with the failure status, so a test run ends.
 */
#include "exceptions.h"
#include "backtrace.h"
#include "fault.h"
#include "gdb.h"
#include "kprintf.h"
#include "ksyms.h"
#include "panic.h"
#include "power.h"
#include "safe_read.h"
#include "x86.h"

/* NMI, #DF and #MC cannot be resumed or blamed on a user access. */
static bool exception_is_fatal_abort(uint64_t vector)
{
    return vector == EXC_NMI || vector == EXC_DOUBLE_FAULT || vector == EXC_MACHINE_CHECK;
}

static void print_location(uint64_t rip)
{
    uint64_t off;
    const char *name = ksym_lookup(rip, &off);
    if (name)
        kprintf("%s+0x%lx", name, off);
    else
        kprintf("(unknown)");
}

/* The full report of a kernel-mode exception; never returns. */
static NORETURN void exception_kernel_fatal(struct trap_frame *f, uint64_t cr2)
{
    if (!panic_enter()) {
        kprintf("\n*** %s at rip 0x%lx (cr2 0x%lx) while reporting an earlier error\n",
                exception_name((unsigned)f->vector), f->rip, cr2);
        power_off(POWER_EXIT_FAIL);
    }
    kprintf("\n*** KERNEL EXCEPTION: %s (vector %lu) at 0x%lx ",
            exception_name((unsigned)f->vector), f->vector, f->rip);
    print_location(f->rip);
    kprintf("\n");
    if (exception_has_error_code((unsigned)f->vector)) {
        char desc[64];
        exception_describe_error((unsigned)f->vector, f->error_code, desc, sizeof(desc));
        kprintf("error code 0x%lx%s%s\n", f->error_code, desc[0] ? " " : "", desc);
    }
    kprintf("CR2=%016lx CR3=%016lx\n", cr2, read_cr3());
    trap_frame_print(f);
    backtrace_print_trap(f->rip, f->rsp, f->rbp);
    power_off(POWER_EXIT_FAIL);
}

void exception_handle(struct trap_frame *f)
{
    uint64_t cr2 = read_cr2();     /* first: a later fault would overwrite it */
    if (safe_read_fixup(f))
        return;
    if ((f->vector == EXC_DEBUG || f->vector == EXC_BREAKPOINT) && gdb_trap(f))
        return;                    /* the GDB stub's breakpoint or step; gdb resumed it */
    if (exception_is_fatal_abort(f->vector))
        exception_kernel_fatal(f, cr2);
    if (f->vector == EXC_PAGE_FAULT && user_page_fault_resolve(f, cr2))
        return;
    if (trap_from_user(f)) {
        uint64_t addr = f->vector == EXC_PAGE_FAULT ? cr2 : f->rip;
        process_user_fault(f, exception_name((unsigned)f->vector), addr);
        return;
    }
    if (uaccess_fixup(f))
        return;
    exception_kernel_fatal(f, cr2);
}
