/*
 * gdb `monitor` commands of the hypervisor: vmexit (VM-exit breakpoints),
 * vmcs (the VMCS decoded), vcpu (guest registers). They act on the vCPU
 * gdb has selected (`thread N` of a "(guest)" thread), else the vCPU whose
 * thread stopped, else the first vCPU. Stopped state, interrupts off.
 */
#include "exit.h"
#include "exit_break.h"
#include "gdb.h"
#include "gdb_vmx.h"
#include "kstring.h"
#include "thread.h"
#include "vcpu.h"
#include "vm_internal.h"
#include "vmcs.h"
#include "vmx.h"

static struct vcpu *chosen_vcpu(struct gdb_session *s)
{
    struct vcpu *v = gdb_vmx_vcpu_of_tid(gdb_session_thread(s));
    if (!v)
        v = gdb_vmx_vcpu_of_thread(thread_current());
    return v ? v : gdb_vmx_any_vcpu();
}

static void vmexit_list(struct gdb_session *s)
{
    struct exit_break_spec specs[EXIT_BREAK_MAX];
    enum exit_break_owner owners[EXIT_BREAK_MAX];
    int n = exit_break_list(specs, owners, EXIT_BREAK_MAX);
    if (n == 0)
        gdb_session_console(s, "no VM-exit breakpoints\n");
    for (int i = 0; i < n; i++) {
        char text[EXIT_BREAK_TEXT];
        exit_break_format(&specs[i], text, sizeof(text));
        gdb_printf(s, "  %s (%s)\n", text, owners[i] == EXIT_BREAK_GDB ? "gdb" : "vm break");
    }
}

/* monitor vmexit break SPEC | clear | list */
static void cmd_vmexit(struct gdb_session *s, const char *args)
{
    if (strncmp(args, "break ", 6) == 0) {
        struct exit_break_spec b;
        char err[96], text[EXIT_BREAK_TEXT];
        if (exit_break_parse(args + 6, &b, err, sizeof(err)) < 0) {
            gdb_printf(s, "vmexit: %s\n", err);
            return;
        }
        if (exit_break_add(&b, EXIT_BREAK_GDB) < 0) {
            gdb_session_console(s, "vmexit: table full (monitor vmexit clear)\n");
            return;
        }
        exit_break_format(&b, text, sizeof(text));
        gdb_printf(s, "VM-exit breakpoint: next %s exit stops in exit_dispatch\n", text);
    } else if (strcmp(args, "clear") == 0) {
        gdb_printf(s, "removed %d VM-exit breakpoint(s)\n", exit_break_clear(EXIT_BREAK_GDB, 0));
    } else if (strcmp(args, "list") == 0 || args[0] == '\0') {
        vmexit_list(s);
    } else {
        gdb_session_console(s, "usage: monitor vmexit break REASON [vm N] [count K] [port=|msr=|leaf=|gpa=N]"
                               " | clear | list\n");
    }
}

static void print_guest_regs(struct gdb_session *s, struct vcpu *v)
{
    static const char *const names[16] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                          "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
    gdb_printf(s, "vm%d vcpu %d guest registers (%s)\n", vm_id(v->vm), v->index,
               v->stopped ? "stopped" : v->paused ? "paused" : "in its exit or switched out");
    for (int i = 0; i < 16; i += 4) {
        uint64_t r[4];
        for (int k = 0; k < 4; k++)
            r[k] = i + k == GPR_RSP ? vmcs_readnat(GUEST_RSP) : v->gpr[i + k];
        gdb_printf(s, "  %-3s %016lx  %-3s %016lx  %-3s %016lx  %-3s %016lx\n", names[i], r[0], names[i + 1], r[1],
                   names[i + 2], r[2], names[i + 3], r[3]);
    }
    gdb_printf(s, "  rip %016lx  rflags %08lx  cr0 %lx  cr3 %lx  cr4 %lx  efer %lx\n", vmcs_readnat(GUEST_RIP),
               vmcs_readnat(GUEST_RFLAGS), vmcs_readnat(GUEST_CR0), vmcs_readnat(GUEST_CR3), vmcs_readnat(GUEST_CR4),
               vmcs_read64(GUEST_IA32_EFER));
}

static void cmd_vcpu(struct gdb_session *s, const char *args)
{
    UNUSED(args);
    struct vcpu *v = chosen_vcpu(s);
    if (!v) {
        gdb_session_console(s, "no vCPU exists\n");
        return;
    }
    uint64_t saved = gdb_vmx_enter(v);
    print_guest_regs(s, v);
    gdb_vmx_leave(v, saved);
}

static void print_segments(struct gdb_session *s)
{
    static const char *const names[] = {"es", "cs", "ss", "ds", "fs", "gs", "ldtr", "tr"};
    for (unsigned i = 0; i < ARRAY_SIZE(names); i++)
        gdb_printf(s, "  %-4s sel %04lx base %016lx limit %08lx ar %05lx\n", names[i],
                   vmcs_read_field(GUEST_SEG_SELECTOR(i)), vmcs_read_field(GUEST_SEG_BASE(i)),
                   vmcs_read_field(GUEST_SEG_LIMIT(i)), vmcs_read_field(GUEST_SEG_AR(i)));
}

/* monitor vmcs: exit information decoded, guest state, controls. */
static void cmd_vmcs(struct gdb_session *s, const char *args)
{
    UNUSED(args);
    struct vcpu *v = chosen_vcpu(s);
    if (!v) {
        gdb_session_console(s, "no vCPU exists\n");
        return;
    }
    uint64_t saved = gdb_vmx_enter(v);
    char what[EXIT_BREAK_TEXT];
    uint32_t reason = vmcs_read32(VM_EXIT_REASON);
    exit_describe(v, what, sizeof(what));
    gdb_printf(s, "VMCS of vm%d vcpu %d at 0x%lx (launched %d)\n", vm_id(v->vm), v->index, v->vmcs, v->launched);
    gdb_printf(s, "exit: reason %u %s%s\n", EXIT_REASON_BASIC(reason), what,
               reason & EXIT_REASON_FAILED_ENTRY ? " (VM entry failed)" : "");
    gdb_printf(s, "  qualification %lx  instruction length %u  interruption info %x  idt-vectoring %x\n",
               vmcs_readnat(EXIT_QUALIFICATION), vmcs_read32(VM_EXIT_INSTRUCTION_LEN), vmcs_read32(VM_EXIT_INTR_INFO),
               vmcs_read32(IDT_VECTORING_INFO));
    gdb_printf(s, "  guest physical %lx  guest linear %lx\n", vmcs_read64(GUEST_PHYSICAL_ADDRESS),
               vmcs_readnat(GUEST_LINEAR_ADDRESS));
    print_guest_regs(s, v);
    print_segments(s);
    gdb_printf(s, "  interruptibility %x  activity %x\n", vmcs_read32(GUEST_INTERRUPTIBILITY_INFO),
               vmcs_read32(GUEST_ACTIVITY_STATE));
    gdb_printf(s, "controls: pin %08x proc %08x proc2 %08x exit %08x entry %08x\n",
               vmcs_read32(PIN_BASED_VM_EXEC_CONTROL), vmcs_read32(CPU_BASED_VM_EXEC_CONTROL),
               vmcs_read32(SECONDARY_VM_EXEC_CONTROL), vmcs_read32(VM_EXIT_CONTROLS), vmcs_read32(VM_ENTRY_CONTROLS));
    gdb_printf(s, "  exception bitmap %08x  EPT pointer %lx\n", vmcs_read32(EXCEPTION_BITMAP), vmcs_read64(EPT_POINTER));
    gdb_vmx_leave(v, saved);
}

static const struct gdb_monitor_cmd cmds[] = {
    {"vmexit", "vmexit break REASON [vm N] [count K] [port=|msr=|leaf=|gpa=N] | clear | list", cmd_vmexit},
    {"vmcs", "vmcs          the current VMCS of the selected vCPU, decoded", cmd_vmcs},
    {"vcpu", "vcpu          the guest registers of the selected vCPU", cmd_vcpu},
};

void gdb_vmx_monitor_register(void)
{
    for (unsigned i = 0; i < ARRAY_SIZE(cmds); i++)
        gdb_add_monitor_cmd(&cmds[i]);
}
