/*
 * Name tables generated from the X-macro lists in vmx_arch.h: exit reasons,
 * VM-instruction errors, VMCS fields and control bits. Pure data and
 * bounds-checked lookups; used by the boot line, dumps, statistics and tests.
 */
#include "vmx_arch.h"

#define X_NAME(name, nr) [nr] = #name,
static const char *const exit_reason_names[EXIT_REASON_MAX] = {VMX_EXIT_REASON_LIST(X_NAME)};
#undef X_NAME

const char *vmx_exit_reason_name(uint32_t basic_reason)
{
    if (basic_reason >= EXIT_REASON_MAX || !exit_reason_names[basic_reason])
        return "(unknown)";
    return exit_reason_names[basic_reason];
}

#define X_ERR(name, nr, text) [nr] = text,
static const char *const insn_error_names[VMX_INSN_ERROR_MAX] = {VMX_INSN_ERROR_LIST(X_ERR)};
#undef X_ERR

const char *vmx_insn_error_name(uint32_t nr)
{
    if (nr >= VMX_INSN_ERROR_MAX || !insn_error_names[nr])
        return "(unknown VM-instruction error)";
    return insn_error_names[nr];
}

struct field_name {
    uint32_t encoding;
    const char *name;
};

#define X_FIELD(name, enc) {enc, #name},
static const struct field_name field_names[] = {VMCS_FIELD_LIST(X_FIELD)};
#undef X_FIELD

const char *vmcs_field_name(uint32_t field)
{
    for (size_t i = 0; i < ARRAY_SIZE(field_names); i++)
        if (field_names[i].encoding == field)
            return field_names[i].name;
    return NULL;
}

size_t vmcs_field_count(void) { return ARRAY_SIZE(field_names); }

uint32_t vmcs_field_at(size_t i) { return i < ARRAY_SIZE(field_names) ? field_names[i].encoding : 0; }

#define X_BIT(name, bit, text) [bit] = text,
static const char *const pin_names[32] = {VMX_PIN_BASED_LIST(X_BIT)};
static const char *const proc_names[32] = {VMX_PROC_BASED_LIST(X_BIT)};
static const char *const proc2_names[32] = {VMX_SECONDARY_LIST(X_BIT)};
static const char *const exit_names[32] = {VMX_EXIT_CTL_LIST(X_BIT)};
static const char *const entry_names[32] = {VMX_ENTRY_CTL_LIST(X_BIT)};
#undef X_BIT

static const char *const *const ctl_tables[VMX_CTL_KINDS] = {
    [VMX_CTL_PIN] = pin_names, [VMX_CTL_PROC] = proc_names, [VMX_CTL_PROC2] = proc2_names,
    [VMX_CTL_EXIT] = exit_names, [VMX_CTL_ENTRY] = entry_names,
};

static const char *const ctl_kind_names[VMX_CTL_KINDS] = {
    [VMX_CTL_PIN] = "pin-based", [VMX_CTL_PROC] = "primary processor-based",
    [VMX_CTL_PROC2] = "secondary processor-based", [VMX_CTL_EXIT] = "VM-exit",
    [VMX_CTL_ENTRY] = "VM-entry",
};

const char *vmx_ctl_bit_name(enum vmx_ctl_kind kind, unsigned bit)
{
    if ((unsigned)kind >= VMX_CTL_KINDS || bit >= 32)
        return NULL;
    return ctl_tables[kind][bit];
}

const char *vmx_ctl_kind_name(enum vmx_ctl_kind kind)
{
    return (unsigned)kind < VMX_CTL_KINDS ? ctl_kind_names[kind] : "(unknown)";
}
