/*
 * Table-driven transfer between struct vmx_entry_state and the current VMCS:
 * one row per field {encoding, offset in the struct, size of the member}.
 * The same table writes the state before launch and reads it back for the
 * software entry check and for dumps, so the two can never disagree.
 * VMX root operation, the target VMCS current; interrupts don't matter.
 */
#include "errno.h"
#include "kstring.h"
#include "vmcs.h"
#include "vmx_ops.h"

struct field_map {
    uint32_t field;
    uint16_t offset;
    uint8_t size;
};

#define CTL(f, m) {f, offsetof(struct vmx_entry_state, ctl.m), sizeof(((struct vmx_ctl_state *)0)->m)}
#define HOST(f, m) {f, offsetof(struct vmx_entry_state, host.m), sizeof(((struct vmx_host_state *)0)->m)}
#define GUEST(f, m) {f, offsetof(struct vmx_entry_state, guest.m), sizeof(((struct vmx_guest_state *)0)->m)}
#define GSEG(n)                                                                        \
    GUEST(GUEST_SEG_SELECTOR(n), seg[n].selector), GUEST(GUEST_SEG_BASE(n), seg[n].base), \
        GUEST(GUEST_SEG_LIMIT(n), seg[n].limit), GUEST(GUEST_SEG_AR(n), seg[n].ar)

static const struct field_map ctl_fields[] = {
    CTL(PIN_BASED_VM_EXEC_CONTROL, pin), CTL(CPU_BASED_VM_EXEC_CONTROL, proc),
    CTL(SECONDARY_VM_EXEC_CONTROL, proc2), CTL(VM_EXIT_CONTROLS, exit), CTL(VM_ENTRY_CONTROLS, entry),
    CTL(EXCEPTION_BITMAP, exception_bitmap), CTL(CR3_TARGET_COUNT, cr3_target_count),
    CTL(VM_EXIT_MSR_STORE_COUNT, exit_msr_store_count), CTL(VM_EXIT_MSR_LOAD_COUNT, exit_msr_load_count),
    CTL(VM_ENTRY_MSR_LOAD_COUNT, entry_msr_load_count), CTL(VM_ENTRY_INTR_INFO, entry_intr_info),
    CTL(VM_ENTRY_EXCEPTION_ERROR_CODE, entry_exception_error_code),
    CTL(VM_ENTRY_INSTRUCTION_LEN, entry_instruction_len), CTL(VIRTUAL_PROCESSOR_ID, vpid),
    CTL(IO_BITMAP_A, io_bitmap_a), CTL(IO_BITMAP_B, io_bitmap_b), CTL(MSR_BITMAP, msr_bitmap),
    CTL(EPT_POINTER, ept_pointer), CTL(CR0_GUEST_HOST_MASK, cr0_mask), CTL(CR4_GUEST_HOST_MASK, cr4_mask),
    CTL(CR0_READ_SHADOW, cr0_shadow), CTL(CR4_READ_SHADOW, cr4_shadow),
};

static const struct field_map host_fields[] = {
    HOST(HOST_CR0, cr0), HOST(HOST_CR3, cr3), HOST(HOST_CR4, cr4),
    HOST(HOST_ES_SELECTOR, es), HOST(HOST_CS_SELECTOR, cs), HOST(HOST_SS_SELECTOR, ss),
    HOST(HOST_DS_SELECTOR, ds), HOST(HOST_FS_SELECTOR, fs), HOST(HOST_GS_SELECTOR, gs),
    HOST(HOST_TR_SELECTOR, tr), HOST(HOST_FS_BASE, fs_base), HOST(HOST_GS_BASE, gs_base),
    HOST(HOST_TR_BASE, tr_base), HOST(HOST_GDTR_BASE, gdtr_base), HOST(HOST_IDTR_BASE, idtr_base),
    HOST(HOST_IA32_SYSENTER_CS, sysenter_cs), HOST(HOST_IA32_SYSENTER_ESP, sysenter_esp),
    HOST(HOST_IA32_SYSENTER_EIP, sysenter_eip), HOST(HOST_IA32_EFER, efer), HOST(HOST_IA32_PAT, pat),
    HOST(HOST_RSP, rsp), HOST(HOST_RIP, rip),
};

static const struct field_map guest_fields[] = {
    GUEST(GUEST_CR0, cr0), GUEST(GUEST_CR3, cr3), GUEST(GUEST_CR4, cr4), GUEST(GUEST_DR7, dr7),
    GUEST(GUEST_RSP, rsp), GUEST(GUEST_RIP, rip), GUEST(GUEST_RFLAGS, rflags),
    GSEG(SEG_ES), GSEG(SEG_CS), GSEG(SEG_SS), GSEG(SEG_DS), GSEG(SEG_FS), GSEG(SEG_GS), GSEG(SEG_LDTR),
    GSEG(SEG_TR), GUEST(GUEST_GDTR_BASE, gdtr_base), GUEST(GUEST_GDTR_LIMIT, gdtr_limit),
    GUEST(GUEST_IDTR_BASE, idtr_base), GUEST(GUEST_IDTR_LIMIT, idtr_limit),
    GUEST(GUEST_IA32_DEBUGCTL, debugctl), GUEST(GUEST_IA32_PAT, pat), GUEST(GUEST_IA32_EFER, efer),
    GUEST(GUEST_SYSENTER_CS, sysenter_cs), GUEST(GUEST_SYSENTER_ESP, sysenter_esp),
    GUEST(GUEST_SYSENTER_EIP, sysenter_eip), GUEST(GUEST_INTERRUPTIBILITY_INFO, interruptibility),
    GUEST(GUEST_ACTIVITY_STATE, activity), GUEST(GUEST_PENDING_DBG_EXCEPTIONS, pending_dbg),
    GUEST(VMCS_LINK_POINTER, link_pointer), GUEST(VMX_PREEMPTION_TIMER_VALUE, preemption_timer),
};

static uint64_t load_member(const void *base, const struct field_map *m)
{
    const uint8_t *p = (const uint8_t *)base + m->offset;
    switch (m->size) {
    case 2: return *(const uint16_t *)p;
    case 4: return *(const uint32_t *)p;
    default: return *(const uint64_t *)p;
    }
}

static void store_member(void *base, const struct field_map *m, uint64_t v)
{
    uint8_t *p = (uint8_t *)base + m->offset;
    switch (m->size) {
    case 2: *(uint16_t *)p = (uint16_t)v; break;
    case 4: *(uint32_t *)p = (uint32_t)v; break;
    default: *(uint64_t *)p = v; break;
    }
}

/* Fields that exist only with a feature (a VMREAD/VMWRITE of them fails with
   error 12 otherwise, SDM 24.11.2): the VPID and the preemption-timer value. */
static bool field_in_use(const struct vmx_ctl_state *c, uint32_t field)
{
    if (field == VIRTUAL_PROCESSOR_ID)
        return (c->proc2 & SECONDARY_EXEC_ENABLE_VPID) != 0;
    if (field == VMX_PREEMPTION_TIMER_VALUE)
        return (c->pin & PIN_BASED_PREEMPTION_TIMER) != 0;
    return true;
}

static int write_table(const struct vmx_entry_state *s, const struct field_map *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (field_in_use(&s->ctl, t[i].field) && vmcs_write_field(t[i].field, load_member(s, &t[i])) < 0)
            return -EIO;
    return 0;
}

/* Controls first (s->ctl decides which fields exist). */
static void read_table(struct vmx_entry_state *s, const struct field_map *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (field_in_use(&s->ctl, t[i].field))
            store_member(s, &t[i], vmcs_read_field(t[i].field));
}

int vmcs_write_state(const struct vmx_entry_state *s)
{
    if (write_table(s, ctl_fields, ARRAY_SIZE(ctl_fields)) < 0 ||
        write_table(s, host_fields, ARRAY_SIZE(host_fields)) < 0 ||
        write_table(s, guest_fields, ARRAY_SIZE(guest_fields)) < 0)
        return -EIO;
    return 0;
}

void vmcs_read_state(struct vmx_entry_state *s)
{
    memset(s, 0, sizeof(*s));
    s->ctl.pin = vmcs_read32(PIN_BASED_VM_EXEC_CONTROL);
    s->ctl.proc2 = vmcs_read32(SECONDARY_VM_EXEC_CONTROL);
    read_table(s, ctl_fields, ARRAY_SIZE(ctl_fields));
    read_table(s, host_fields, ARRAY_SIZE(host_fields));
    read_table(s, guest_fields, ARRAY_SIZE(guest_fields));
}

void vmcs_read_guest_state(struct vmx_guest_state *g)
{
    struct vmx_entry_state s;
    memset(&s, 0, sizeof(s));
    s.ctl.pin = vmcs_read32(PIN_BASED_VM_EXEC_CONTROL);
    s.ctl.proc2 = vmcs_read32(SECONDARY_VM_EXEC_CONTROL);
    read_table(&s, guest_fields, ARRAY_SIZE(guest_fields));
    memcpy(g, &s.guest, sizeof(*g));
}
