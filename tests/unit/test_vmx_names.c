/* Unit tests for the VMX name tables (vmx/names.c) against SDM numbers
   typed in here by hand (SDM Vol. 3D Appendix C, Vol. 3C 30.4). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "vmx_arch.h"

static const struct {
    uint32_t nr;
    const char *name;
} sdm_exit_reasons[] = {
    {0, "EXCEPTION_NMI"}, {1, "EXTERNAL_INTERRUPT"}, {2, "TRIPLE_FAULT"}, {3, "INIT_SIGNAL"},
    {4, "SIPI_SIGNAL"}, {7, "INTERRUPT_WINDOW"}, {8, "NMI_WINDOW"}, {9, "TASK_SWITCH"},
    {10, "CPUID"}, {11, "GETSEC"}, {12, "HLT"}, {13, "INVD"}, {14, "INVLPG"}, {15, "RDPMC"},
    {16, "RDTSC"}, {18, "VMCALL"}, {19, "VMCLEAR"}, {20, "VMLAUNCH"}, {21, "VMPTRLD"},
    {22, "VMPTRST"}, {23, "VMREAD"}, {24, "VMRESUME"}, {25, "VMWRITE"}, {26, "VMOFF"},
    {27, "VMON"}, {28, "CR_ACCESS"}, {29, "DR_ACCESS"}, {30, "IO_INSTRUCTION"},
    {31, "MSR_READ"}, {32, "MSR_WRITE"}, {33, "INVALID_STATE"}, {34, "MSR_LOAD_FAIL"},
    {36, "MWAIT_INSTRUCTION"}, {37, "MONITOR_TRAP_FLAG"}, {39, "MONITOR_INSTRUCTION"},
    {40, "PAUSE_INSTRUCTION"}, {41, "MCE_DURING_VMENTRY"}, {43, "TPR_BELOW_THRESHOLD"},
    {44, "APIC_ACCESS"}, {45, "EOI_INDUCED"}, {46, "GDTR_IDTR"}, {47, "LDTR_TR"},
    {48, "EPT_VIOLATION"}, {49, "EPT_MISCONFIG"}, {50, "INVEPT"}, {51, "RDTSCP"},
    {52, "PREEMPTION_TIMER"}, {53, "INVVPID"}, {54, "WBINVD"}, {55, "XSETBV"},
    {56, "APIC_WRITE"}, {57, "RDRAND"}, {58, "INVPCID"}, {59, "VMFUNC"}, {60, "ENCLS"},
    {61, "RDSEED"}, {62, "PML_FULL"}, {63, "XSAVES"}, {64, "XRSTORS"}, {67, "UMWAIT"},
    {68, "TPAUSE"}, {74, "BUS_LOCK"}, {75, "NOTIFY"},
};

static void test_exit_reason_names(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(sdm_exit_reasons) / sizeof(sdm_exit_reasons[0]); i++)
        assert_string_equal(vmx_exit_reason_name(sdm_exit_reasons[i].nr), sdm_exit_reasons[i].name);
}

static void test_exit_reason_gaps_and_bounds(void **state)
{
    (void)state;
    const uint32_t reserved[] = {35, 38, 42, 71, 82, 83, 86, 1000, 0xFFFFFFFFu};
    for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
        assert_string_equal(vmx_exit_reason_name(reserved[i]), "(unknown)");
    /* every other number below 86 has a name */
    int named = 0;
    for (uint32_t nr = 0; nr < 86; nr++)
        named += strcmp(vmx_exit_reason_name(nr), "(unknown)") != 0;
    assert_int_equal(named, 86 - 6);
    assert_int_equal(EXIT_REASON_EPT_VIOLATION, 48);
    assert_int_equal(EXIT_REASON_PREEMPTION_TIMER, 52);
}

static void test_insn_error_names(void **state)
{
    (void)state;
    assert_string_equal(vmx_insn_error_name(7), "VM entry with invalid control field(s)");
    assert_string_equal(vmx_insn_error_name(8), "VM entry with invalid host-state field(s)");
    assert_string_equal(vmx_insn_error_name(4), "VMLAUNCH with non-clear VMCS");
    assert_string_equal(vmx_insn_error_name(5), "VMRESUME with non-launched VMCS");
    assert_string_equal(vmx_insn_error_name(12), "VMREAD/VMWRITE from/to unsupported VMCS component");
    assert_string_equal(vmx_insn_error_name(28), "invalid operand to INVEPT/INVVPID");
    assert_string_equal(vmx_insn_error_name(14), "(unknown VM-instruction error)");
    assert_string_equal(vmx_insn_error_name(0), "(unknown VM-instruction error)");
    assert_string_equal(vmx_insn_error_name(29), "(unknown VM-instruction error)");
}

static void test_field_encodings(void **state)
{
    (void)state;
    /* encodings from SDM Appendix B, typed independently */
    assert_int_equal(GUEST_RIP, 0x681E);
    assert_int_equal(HOST_RIP, 0x6C16);
    assert_int_equal(VM_EXIT_REASON, 0x4402);
    assert_int_equal(EPT_POINTER, 0x201A);
    assert_int_equal(GUEST_SEG_AR(SEG_TR), 0x4822);
    assert_int_equal(GUEST_SEG_BASE(SEG_CS), 0x6808);
    assert_int_equal(VMCS_FIELD_WIDTH(VM_EXIT_REASON), VMCS_WIDTH_32);
    assert_int_equal(VMCS_FIELD_WIDTH(GUEST_RIP), VMCS_WIDTH_NATURAL);
    assert_int_equal(VMCS_FIELD_WIDTH(VMCS_LINK_POINTER), VMCS_WIDTH_64);
    assert_int_equal(VMCS_FIELD_WIDTH(GUEST_CS_SELECTOR), VMCS_WIDTH_16);
    assert_int_equal(VMCS_FIELD_TYPE(VM_EXIT_REASON), VMCS_FIELD_TYPE_RO);
    assert_string_equal(vmcs_field_name(0x6C16), "HOST_RIP");
    assert_string_equal(vmcs_field_name(0x4826), "GUEST_ACTIVITY_STATE");
    assert_null(vmcs_field_name(0x1234));
    /* every listed field: reserved bits 12 and 31:15 zero, full access (bit 0 = 0) */
    for (size_t i = 0; i < vmcs_field_count(); i++) {
        uint32_t f = vmcs_field_at(i);
        assert_int_equal(f & 0xFFFF9001u, 0);
    }
}

static void test_control_names(void **state)
{
    (void)state;
    assert_int_equal(SECONDARY_EXEC_UNRESTRICTED_GUEST, 1u << 7);
    assert_int_equal(CPU_BASED_USE_MSR_BITMAPS, 1u << 28);
    assert_int_equal(VM_EXIT_ACK_INTR_ON_EXIT, 1u << 15);
    assert_int_equal(PIN_BASED_PREEMPTION_TIMER, 1u << 6);
    assert_string_equal(vmx_ctl_bit_name(VMX_CTL_PROC2, 7), "unrestricted guest");
    assert_string_equal(vmx_ctl_bit_name(VMX_CTL_ENTRY, 9), "IA-32e mode guest");
    assert_null(vmx_ctl_bit_name(VMX_CTL_PIN, 1));
    assert_null(vmx_ctl_bit_name(VMX_CTL_PIN, 40));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exit_reason_names),  cmocka_unit_test(test_exit_reason_gaps_and_bounds),
        cmocka_unit_test(test_insn_error_names),   cmocka_unit_test(test_field_encodings),
        cmocka_unit_test(test_control_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
