/*
 * Intel VT-x hardware definitions, and nothing else: capability MSRs, VMCS
 * field encodings, control bits, exit reasons, VM-instruction errors, EPT
 * entry bits, segment access rights and exit-qualification layouts.
 *
 * Lists that need names (exit reasons, VM-instruction errors, control bits,
 * VMCS fields) are X-macros: one list generates the enum and the name table
 * (vmx/names.c), so a number and its name can never drift apart.
 *
 * Sources: Intel SDM Vol. 3C chapters 24-28 and 30, Vol. 3D appendices A-C
 * (2016-2022 numbering; newer editions add one to the chapter numbers).
 * Pure definitions: usable from the kernel and from host unit tests.
 */
#pragma once

#include "types.h"
#include "x86_arch.h"   /* CR0/CR4/RFLAGS bits, vectors: not VT-x, used with it */

/* ---- Enabling VMX (SDM 23.6-23.7) -------------------------------------- */

#define CPUID_1_ECX_VMX (1u << 5)          /* CPUID.01H:ECX[5] VMX supported */

#define MSR_IA32_FEATURE_CONTROL 0x3A
#define FEATURE_CONTROL_LOCK (1ull << 0)
#define FEATURE_CONTROL_VMXON_IN_SMX (1ull << 1)
#define FEATURE_CONTROL_VMXON_OUTSIDE_SMX (1ull << 2)


/* ---- Capability MSRs (SDM Appendix A) ----------------------------------- */

#define MSR_IA32_VMX_BASIC 0x480
#define MSR_IA32_VMX_PINBASED_CTLS 0x481
#define MSR_IA32_VMX_PROCBASED_CTLS 0x482
#define MSR_IA32_VMX_EXIT_CTLS 0x483
#define MSR_IA32_VMX_ENTRY_CTLS 0x484
#define MSR_IA32_VMX_MISC 0x485
#define MSR_IA32_VMX_CR0_FIXED0 0x486
#define MSR_IA32_VMX_CR0_FIXED1 0x487
#define MSR_IA32_VMX_CR4_FIXED0 0x488
#define MSR_IA32_VMX_CR4_FIXED1 0x489
#define MSR_IA32_VMX_VMCS_ENUM 0x48A
#define MSR_IA32_VMX_PROCBASED_CTLS2 0x48B   /* only if PROCBASED[63] */
#define MSR_IA32_VMX_EPT_VPID_CAP 0x48C      /* only if PROCBASED2[33] or [37] */
#define MSR_IA32_VMX_TRUE_PINBASED_CTLS 0x48D   /* 0x48D-0x490 only if BASIC[55] */
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x48E
#define MSR_IA32_VMX_TRUE_EXIT_CTLS 0x48F
#define MSR_IA32_VMX_TRUE_ENTRY_CTLS 0x490
#define MSR_IA32_VMX_VMFUNC 0x491             /* only if PROCBASED2[45] */

/* IA32_VMX_BASIC (A.1) */
#define VMX_BASIC_REVISION(b) ((uint32_t)((b) & 0x7FFFFFFFu))
#define VMX_BASIC_REGION_SIZE(b) ((uint32_t)(((b) >> 32) & 0x1FFFu))
#define VMX_BASIC_PHYS32 (1ull << 48)
#define VMX_BASIC_MEMTYPE(b) ((unsigned)(((b) >> 50) & 0xF))
#define VMX_BASIC_INOUT_INFO (1ull << 54)
#define VMX_BASIC_TRUE_CTLS (1ull << 55)
#define VMX_BASIC_NO_ERRCODE_CHECK (1ull << 56)

/* IA32_VMX_MISC (A.6) */
#define VMX_MISC_PREEMPT_RATE(m) ((unsigned)((m) & 0x1F))
#define VMX_MISC_SAVES_LMA (1ull << 5)
#define VMX_MISC_ACTIVITY_HLT (1ull << 6)
#define VMX_MISC_ACTIVITY_SHUTDOWN (1ull << 7)
#define VMX_MISC_ACTIVITY_SIPI (1ull << 8)
#define VMX_MISC_CR3_TARGETS(m) ((unsigned)(((m) >> 16) & 0x1FF))
#define VMX_MISC_VMWRITE_ANY (1ull << 29)   /* VMWRITE may write read-only exit fields */
#define VMX_MISC_ZERO_LEN_INJECT (1ull << 30)

/* IA32_VMX_EPT_VPID_CAP (A.10) */
#define EPT_CAP_EXEC_ONLY (1ull << 0)
#define EPT_CAP_WALK4 (1ull << 6)
#define EPT_CAP_WALK5 (1ull << 7)
#define EPT_CAP_UC (1ull << 8)
#define EPT_CAP_WB (1ull << 14)
#define EPT_CAP_2M (1ull << 16)
#define EPT_CAP_1G (1ull << 17)
#define EPT_CAP_INVEPT (1ull << 20)
#define EPT_CAP_AD (1ull << 21)
#define EPT_CAP_INVEPT_SINGLE (1ull << 25)
#define EPT_CAP_INVEPT_ALL (1ull << 26)
#define VPID_CAP_INVVPID (1ull << 32)
#define VPID_CAP_INVVPID_SINGLE (1ull << 41)
#define VPID_CAP_INVVPID_ALL (1ull << 42)

/* Bits that must be 1 in the non-TRUE control MSRs ("default1", A.3-A.5). */
#define PIN_DEFAULT1 0x00000016u
#define PROC_DEFAULT1 0x0401E172u
#define EXIT_DEFAULT1 0x00036DFFu
#define ENTRY_DEFAULT1 0x000011FFu

/* ---- Control bits (SDM 24.6-24.8) ----------------------------------------
 * X(NAME, bit, "human name"). Each list generates an enum of masks
 * (PIN_BASED_NAME = 1u << bit) and a name table (vmx_ctl_bit_name()). */

#define VMX_PIN_BASED_LIST(X)                               \
    X(EXT_INTR_EXITING, 0, "external-interrupt exiting")    \
    X(NMI_EXITING, 3, "NMI exiting")                        \
    X(VIRTUAL_NMIS, 5, "virtual NMIs")                      \
    X(PREEMPTION_TIMER, 6, "activate VMX-preemption timer") \
    X(POSTED_INTR, 7, "process posted interrupts")

#define VMX_PROC_BASED_LIST(X)                              \
    X(INTR_WINDOW_EXITING, 2, "interrupt-window exiting")   \
    X(USE_TSC_OFFSETTING, 3, "use TSC offsetting")          \
    X(HLT_EXITING, 7, "HLT exiting")                        \
    X(INVLPG_EXITING, 9, "INVLPG exiting")                  \
    X(MWAIT_EXITING, 10, "MWAIT exiting")                   \
    X(RDPMC_EXITING, 11, "RDPMC exiting")                   \
    X(RDTSC_EXITING, 12, "RDTSC exiting")                   \
    X(CR3_LOAD_EXITING, 15, "CR3-load exiting")             \
    X(CR3_STORE_EXITING, 16, "CR3-store exiting")           \
    X(TERTIARY_CONTROLS, 17, "activate tertiary controls")  \
    X(CR8_LOAD_EXITING, 19, "CR8-load exiting")             \
    X(CR8_STORE_EXITING, 20, "CR8-store exiting")           \
    X(TPR_SHADOW, 21, "use TPR shadow")                     \
    X(NMI_WINDOW_EXITING, 22, "NMI-window exiting")         \
    X(MOV_DR_EXITING, 23, "MOV-DR exiting")                 \
    X(UNCOND_IO_EXITING, 24, "unconditional I/O exiting")   \
    X(USE_IO_BITMAPS, 25, "use I/O bitmaps")                \
    X(MONITOR_TRAP_FLAG, 27, "monitor trap flag")           \
    X(USE_MSR_BITMAPS, 28, "use MSR bitmaps")               \
    X(MONITOR_EXITING, 29, "MONITOR exiting")               \
    X(PAUSE_EXITING, 30, "PAUSE exiting")                   \
    X(SECONDARY_CONTROLS, 31, "activate secondary controls")

#define VMX_SECONDARY_LIST(X)                                   \
    X(VIRTUALIZE_APIC, 0, "virtualize APIC accesses")           \
    X(ENABLE_EPT, 1, "enable EPT")                              \
    X(DESC_TABLE_EXITING, 2, "descriptor-table exiting")        \
    X(ENABLE_RDTSCP, 3, "enable RDTSCP")                        \
    X(VIRTUALIZE_X2APIC, 4, "virtualize x2APIC mode")           \
    X(ENABLE_VPID, 5, "enable VPID")                            \
    X(WBINVD_EXITING, 6, "WBINVD exiting")                      \
    X(UNRESTRICTED_GUEST, 7, "unrestricted guest")              \
    X(APIC_REGISTER_VIRT, 8, "APIC-register virtualization")    \
    X(VIRTUAL_INTR_DELIVERY, 9, "virtual-interrupt delivery")   \
    X(PAUSE_LOOP_EXITING, 10, "PAUSE-loop exiting")             \
    X(RDRAND_EXITING, 11, "RDRAND exiting")                     \
    X(ENABLE_INVPCID, 12, "enable INVPCID")                     \
    X(ENABLE_VMFUNC, 13, "enable VM functions")                 \
    X(VMCS_SHADOWING, 14, "VMCS shadowing")                     \
    X(ENCLS_EXITING, 15, "ENCLS exiting")                       \
    X(RDSEED_EXITING, 16, "RDSEED exiting")                     \
    X(ENABLE_PML, 17, "enable PML")                             \
    X(EPT_VE, 18, "EPT-violation #VE")                          \
    X(ENABLE_XSAVES, 20, "enable XSAVES/XRSTORS")               \
    X(MODE_BASED_EPT_EXEC, 22, "mode-based execute control for EPT") \
    X(TSC_SCALING, 25, "use TSC scaling")

#define VMX_EXIT_CTL_LIST(X)                                    \
    X(SAVE_DEBUG_CONTROLS, 2, "save debug controls")            \
    X(HOST_ADDR_SPACE_SIZE, 9, "host address-space size")       \
    X(LOAD_PERF_GLOBAL_CTRL, 12, "load IA32_PERF_GLOBAL_CTRL")  \
    X(ACK_INTR_ON_EXIT, 15, "acknowledge interrupt on exit")    \
    X(SAVE_PAT, 18, "save IA32_PAT")                            \
    X(LOAD_PAT, 19, "load IA32_PAT")                            \
    X(SAVE_EFER, 20, "save IA32_EFER")                          \
    X(LOAD_EFER, 21, "load IA32_EFER")                          \
    X(SAVE_PREEMPTION_TIMER, 22, "save VMX-preemption timer value")

#define VMX_ENTRY_CTL_LIST(X)                                   \
    X(LOAD_DEBUG_CONTROLS, 2, "load debug controls")            \
    X(IA32E_MODE_GUEST, 9, "IA-32e mode guest")                 \
    X(ENTRY_TO_SMM, 10, "entry to SMM")                         \
    X(DEACT_DUAL_MONITOR, 11, "deactivate dual-monitor treatment") \
    X(LOAD_PERF_GLOBAL_CTRL, 13, "load IA32_PERF_GLOBAL_CTRL")  \
    X(LOAD_PAT, 14, "load IA32_PAT")                            \
    X(LOAD_EFER, 15, "load IA32_EFER")

#define VMX_CTL_ENUM(prefix, name, bit, text) prefix##name = 1u << (bit),
#define X_PIN(n, b, t) VMX_CTL_ENUM(PIN_BASED_, n, b, t)
#define X_PROC(n, b, t) VMX_CTL_ENUM(CPU_BASED_, n, b, t)
#define X_SEC(n, b, t) VMX_CTL_ENUM(SECONDARY_EXEC_, n, b, t)
#define X_EXIT(n, b, t) VMX_CTL_ENUM(VM_EXIT_, n, b, t)
#define X_ENTRY(n, b, t) VMX_CTL_ENUM(VM_ENTRY_, n, b, t)
enum { VMX_PIN_BASED_LIST(X_PIN) };
enum { VMX_PROC_BASED_LIST(X_PROC) };
enum { VMX_SECONDARY_LIST(X_SEC) };
enum { VMX_EXIT_CTL_LIST(X_EXIT) };
enum { VMX_ENTRY_CTL_LIST(X_ENTRY) };
#undef X_PIN
#undef X_PROC
#undef X_SEC
#undef X_EXIT
#undef X_ENTRY

/* Which control word a control bit belongs to (for names and errors). */
enum vmx_ctl_kind { VMX_CTL_PIN, VMX_CTL_PROC, VMX_CTL_PROC2, VMX_CTL_EXIT, VMX_CTL_ENTRY, VMX_CTL_KINDS };

/* ---- VMCS field encodings (SDM 24.11.2, Appendix B) ----------------------
 * Encoding: bit 0 access type (1 = high half), 9:1 index, 11:10 type
 * (0 control, 1 exit information, 2 guest, 3 host), 14:13 width
 * (0 16-bit, 1 64-bit, 2 32-bit, 3 natural). X(NAME, encoding), in the
 * order of Appendix B. */

#define VMCS_FIELD_LIST(X)                                        \
    /* B.1.1 16-bit control fields */                             \
    X(VIRTUAL_PROCESSOR_ID, 0x0000)                               \
    X(POSTED_INTR_NV, 0x0002)                                     \
    X(EPTP_INDEX, 0x0004)                                         \
    /* B.1.2 16-bit guest-state fields */                         \
    X(GUEST_ES_SELECTOR, 0x0800)                                  \
    X(GUEST_CS_SELECTOR, 0x0802)                                  \
    X(GUEST_SS_SELECTOR, 0x0804)                                  \
    X(GUEST_DS_SELECTOR, 0x0806)                                  \
    X(GUEST_FS_SELECTOR, 0x0808)                                  \
    X(GUEST_GS_SELECTOR, 0x080A)                                  \
    X(GUEST_LDTR_SELECTOR, 0x080C)                                \
    X(GUEST_TR_SELECTOR, 0x080E)                                  \
    X(GUEST_INTR_STATUS, 0x0810)                                  \
    X(GUEST_PML_INDEX, 0x0812)                                    \
    /* B.1.3 16-bit host-state fields */                          \
    X(HOST_ES_SELECTOR, 0x0C00)                                   \
    X(HOST_CS_SELECTOR, 0x0C02)                                   \
    X(HOST_SS_SELECTOR, 0x0C04)                                   \
    X(HOST_DS_SELECTOR, 0x0C06)                                   \
    X(HOST_FS_SELECTOR, 0x0C08)                                   \
    X(HOST_GS_SELECTOR, 0x0C0A)                                   \
    X(HOST_TR_SELECTOR, 0x0C0C)                                   \
    /* B.2.1 64-bit control fields */                             \
    X(IO_BITMAP_A, 0x2000)                                        \
    X(IO_BITMAP_B, 0x2002)                                        \
    X(MSR_BITMAP, 0x2004)                                         \
    X(VM_EXIT_MSR_STORE_ADDR, 0x2006)                             \
    X(VM_EXIT_MSR_LOAD_ADDR, 0x2008)                              \
    X(VM_ENTRY_MSR_LOAD_ADDR, 0x200A)                             \
    X(EXECUTIVE_VMCS_POINTER, 0x200C)                             \
    X(PML_ADDRESS, 0x200E)                                        \
    X(TSC_OFFSET, 0x2010)                                         \
    X(VIRTUAL_APIC_PAGE_ADDR, 0x2012)                             \
    X(APIC_ACCESS_ADDR, 0x2014)                                   \
    X(POSTED_INTR_DESC_ADDR, 0x2016)                              \
    X(VM_FUNCTION_CONTROL, 0x2018)                                \
    X(EPT_POINTER, 0x201A)                                        \
    X(EOI_EXIT_BITMAP0, 0x201C)                                   \
    X(EOI_EXIT_BITMAP1, 0x201E)                                   \
    X(EOI_EXIT_BITMAP2, 0x2020)                                   \
    X(EOI_EXIT_BITMAP3, 0x2022)                                   \
    X(EPTP_LIST_ADDRESS, 0x2024)                                  \
    X(VMREAD_BITMAP, 0x2026)                                      \
    X(VMWRITE_BITMAP, 0x2028)                                     \
    X(VE_INFO_ADDRESS, 0x202A)                                    \
    X(XSS_EXIT_BITMAP, 0x202C)                                    \
    X(ENCLS_EXITING_BITMAP, 0x202E)                               \
    X(TSC_MULTIPLIER, 0x2032)                                     \
    /* B.2.2 64-bit read-only data field */                       \
    X(GUEST_PHYSICAL_ADDRESS, 0x2400)                             \
    /* B.2.3 64-bit guest-state fields */                         \
    X(VMCS_LINK_POINTER, 0x2800)                                  \
    X(GUEST_IA32_DEBUGCTL, 0x2802)                                \
    X(GUEST_IA32_PAT, 0x2804)                                     \
    X(GUEST_IA32_EFER, 0x2806)                                    \
    X(GUEST_IA32_PERF_GLOBAL_CTRL, 0x2808)                        \
    X(GUEST_PDPTR0, 0x280A)                                       \
    X(GUEST_PDPTR1, 0x280C)                                       \
    X(GUEST_PDPTR2, 0x280E)                                       \
    X(GUEST_PDPTR3, 0x2810)                                       \
    /* B.2.4 64-bit host-state fields */                          \
    X(HOST_IA32_PAT, 0x2C00)                                      \
    X(HOST_IA32_EFER, 0x2C02)                                     \
    X(HOST_IA32_PERF_GLOBAL_CTRL, 0x2C04)                         \
    /* B.3.1 32-bit control fields */                             \
    X(PIN_BASED_VM_EXEC_CONTROL, 0x4000)                          \
    X(CPU_BASED_VM_EXEC_CONTROL, 0x4002)                          \
    X(EXCEPTION_BITMAP, 0x4004)                                   \
    X(PAGE_FAULT_ERROR_CODE_MASK, 0x4006)                         \
    X(PAGE_FAULT_ERROR_CODE_MATCH, 0x4008)                        \
    X(CR3_TARGET_COUNT, 0x400A)                                   \
    X(VM_EXIT_CONTROLS, 0x400C)                                   \
    X(VM_EXIT_MSR_STORE_COUNT, 0x400E)                            \
    X(VM_EXIT_MSR_LOAD_COUNT, 0x4010)                             \
    X(VM_ENTRY_CONTROLS, 0x4012)                                  \
    X(VM_ENTRY_MSR_LOAD_COUNT, 0x4014)                            \
    X(VM_ENTRY_INTR_INFO, 0x4016)                                 \
    X(VM_ENTRY_EXCEPTION_ERROR_CODE, 0x4018)                      \
    X(VM_ENTRY_INSTRUCTION_LEN, 0x401A)                           \
    X(TPR_THRESHOLD, 0x401C)                                      \
    X(SECONDARY_VM_EXEC_CONTROL, 0x401E)                          \
    X(PLE_GAP, 0x4020)                                            \
    X(PLE_WINDOW, 0x4022)                                         \
    /* B.3.2 32-bit read-only data fields */                      \
    X(VM_INSTRUCTION_ERROR, 0x4400)                               \
    X(VM_EXIT_REASON, 0x4402)                                     \
    X(VM_EXIT_INTR_INFO, 0x4404)                                  \
    X(VM_EXIT_INTR_ERROR_CODE, 0x4406)                            \
    X(IDT_VECTORING_INFO, 0x4408)                                 \
    X(IDT_VECTORING_ERROR_CODE, 0x440A)                           \
    X(VM_EXIT_INSTRUCTION_LEN, 0x440C)                            \
    X(VMX_INSTRUCTION_INFO, 0x440E)                               \
    /* B.3.3 32-bit guest-state fields */                         \
    X(GUEST_ES_LIMIT, 0x4800)                                     \
    X(GUEST_CS_LIMIT, 0x4802)                                     \
    X(GUEST_SS_LIMIT, 0x4804)                                     \
    X(GUEST_DS_LIMIT, 0x4806)                                     \
    X(GUEST_FS_LIMIT, 0x4808)                                     \
    X(GUEST_GS_LIMIT, 0x480A)                                     \
    X(GUEST_LDTR_LIMIT, 0x480C)                                   \
    X(GUEST_TR_LIMIT, 0x480E)                                     \
    X(GUEST_GDTR_LIMIT, 0x4810)                                   \
    X(GUEST_IDTR_LIMIT, 0x4812)                                   \
    X(GUEST_ES_AR_BYTES, 0x4814)                                  \
    X(GUEST_CS_AR_BYTES, 0x4816)                                  \
    X(GUEST_SS_AR_BYTES, 0x4818)                                  \
    X(GUEST_DS_AR_BYTES, 0x481A)                                  \
    X(GUEST_FS_AR_BYTES, 0x481C)                                  \
    X(GUEST_GS_AR_BYTES, 0x481E)                                  \
    X(GUEST_LDTR_AR_BYTES, 0x4820)                                \
    X(GUEST_TR_AR_BYTES, 0x4822)                                  \
    X(GUEST_INTERRUPTIBILITY_INFO, 0x4824)                        \
    X(GUEST_ACTIVITY_STATE, 0x4826)                               \
    X(GUEST_SMBASE, 0x4828)                                       \
    X(GUEST_SYSENTER_CS, 0x482A)                                  \
    X(VMX_PREEMPTION_TIMER_VALUE, 0x482E)                         \
    /* B.3.4 32-bit host-state field */                           \
    X(HOST_IA32_SYSENTER_CS, 0x4C00)                              \
    /* B.4.1 natural-width control fields */                      \
    X(CR0_GUEST_HOST_MASK, 0x6000)                                \
    X(CR4_GUEST_HOST_MASK, 0x6002)                                \
    X(CR0_READ_SHADOW, 0x6004)                                    \
    X(CR4_READ_SHADOW, 0x6006)                                    \
    X(CR3_TARGET_VALUE0, 0x6008)                                  \
    X(CR3_TARGET_VALUE1, 0x600A)                                  \
    X(CR3_TARGET_VALUE2, 0x600C)                                  \
    X(CR3_TARGET_VALUE3, 0x600E)                                  \
    /* B.4.2 natural-width read-only data fields */               \
    X(EXIT_QUALIFICATION, 0x6400)                                 \
    X(IO_RCX, 0x6402)                                             \
    X(IO_RSI, 0x6404)                                             \
    X(IO_RDI, 0x6406)                                             \
    X(IO_RIP, 0x6408)                                             \
    X(GUEST_LINEAR_ADDRESS, 0x640A)                               \
    /* B.4.3 natural-width guest-state fields */                  \
    X(GUEST_CR0, 0x6800)                                          \
    X(GUEST_CR3, 0x6802)                                          \
    X(GUEST_CR4, 0x6804)                                          \
    X(GUEST_ES_BASE, 0x6806)                                      \
    X(GUEST_CS_BASE, 0x6808)                                      \
    X(GUEST_SS_BASE, 0x680A)                                      \
    X(GUEST_DS_BASE, 0x680C)                                      \
    X(GUEST_FS_BASE, 0x680E)                                      \
    X(GUEST_GS_BASE, 0x6810)                                      \
    X(GUEST_LDTR_BASE, 0x6812)                                    \
    X(GUEST_TR_BASE, 0x6814)                                      \
    X(GUEST_GDTR_BASE, 0x6816)                                    \
    X(GUEST_IDTR_BASE, 0x6818)                                    \
    X(GUEST_DR7, 0x681A)                                          \
    X(GUEST_RSP, 0x681C)                                          \
    X(GUEST_RIP, 0x681E)                                          \
    X(GUEST_RFLAGS, 0x6820)                                       \
    X(GUEST_PENDING_DBG_EXCEPTIONS, 0x6822)                       \
    X(GUEST_SYSENTER_ESP, 0x6824)                                 \
    X(GUEST_SYSENTER_EIP, 0x6826)                                 \
    /* B.4.4 natural-width host-state fields */                   \
    X(HOST_CR0, 0x6C00)                                           \
    X(HOST_CR3, 0x6C02)                                           \
    X(HOST_CR4, 0x6C04)                                           \
    X(HOST_FS_BASE, 0x6C06)                                       \
    X(HOST_GS_BASE, 0x6C08)                                       \
    X(HOST_TR_BASE, 0x6C0A)                                       \
    X(HOST_GDTR_BASE, 0x6C0C)                                     \
    X(HOST_IDTR_BASE, 0x6C0E)                                     \
    X(HOST_IA32_SYSENTER_ESP, 0x6C10)                             \
    X(HOST_IA32_SYSENTER_EIP, 0x6C12)                             \
    X(HOST_RSP, 0x6C14)                                           \
    X(HOST_RIP, 0x6C16)

#define X_FIELD(name, enc) name = (enc),
enum vmcs_field { VMCS_FIELD_LIST(X_FIELD) };
#undef X_FIELD

/* Field width from the encoding (SDM 24.11.2). */
enum vmcs_width { VMCS_WIDTH_16 = 0, VMCS_WIDTH_64 = 1, VMCS_WIDTH_32 = 2, VMCS_WIDTH_NATURAL = 3 };
#define VMCS_FIELD_WIDTH(f) (((uint32_t)(f) >> 13) & 3u)
#define VMCS_FIELD_TYPE(f) (((uint32_t)(f) >> 10) & 3u)
#define VMCS_FIELD_TYPE_RO 1u

/* Guest segment fields run ES, CS, SS, DS, FS, GS, LDTR, TR (n = 0..7). */
enum vmx_seg { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR, SEG_TR, SEG_COUNT };
#define GUEST_SEG_SELECTOR(n) (GUEST_ES_SELECTOR + 2 * (n))
#define GUEST_SEG_LIMIT(n) (GUEST_ES_LIMIT + 2 * (n))
#define GUEST_SEG_AR(n) (GUEST_ES_AR_BYTES + 2 * (n))
#define GUEST_SEG_BASE(n) (GUEST_ES_BASE + 2 * (n))

/* ---- Exit reasons (SDM Vol. 3D Appendix C) -------------------------------
 * X(NAME, number). Names as Linux and `perf kvm stat` print them; reasons
 * Linux does not name use the SDM's words. 35, 38, 42, 71, 82, 83 are
 * reserved and have no entry. */
#define VMX_EXIT_REASON_LIST(X)                  \
    X(EXCEPTION_NMI, 0)                          \
    X(EXTERNAL_INTERRUPT, 1)                     \
    X(TRIPLE_FAULT, 2)                           \
    X(INIT_SIGNAL, 3)                            \
    X(SIPI_SIGNAL, 4)                            \
    X(IO_SMI, 5)                                 \
    X(OTHER_SMI, 6)                              \
    X(INTERRUPT_WINDOW, 7)                       \
    X(NMI_WINDOW, 8)                             \
    X(TASK_SWITCH, 9)                            \
    X(CPUID, 10)                                 \
    X(GETSEC, 11)                                \
    X(HLT, 12)                                   \
    X(INVD, 13)                                  \
    X(INVLPG, 14)                                \
    X(RDPMC, 15)                                 \
    X(RDTSC, 16)                                 \
    X(RSM, 17)                                   \
    X(VMCALL, 18)                                \
    X(VMCLEAR, 19)                               \
    X(VMLAUNCH, 20)                              \
    X(VMPTRLD, 21)                               \
    X(VMPTRST, 22)                               \
    X(VMREAD, 23)                                \
    X(VMRESUME, 24)                              \
    X(VMWRITE, 25)                               \
    X(VMOFF, 26)                                 \
    X(VMON, 27)                                  \
    X(CR_ACCESS, 28)                             \
    X(DR_ACCESS, 29)                             \
    X(IO_INSTRUCTION, 30)                        \
    X(MSR_READ, 31)                              \
    X(MSR_WRITE, 32)                             \
    X(INVALID_STATE, 33)                         \
    X(MSR_LOAD_FAIL, 34)                         \
    X(MWAIT_INSTRUCTION, 36)                     \
    X(MONITOR_TRAP_FLAG, 37)                     \
    X(MONITOR_INSTRUCTION, 39)                   \
    X(PAUSE_INSTRUCTION, 40)                     \
    X(MCE_DURING_VMENTRY, 41)                    \
    X(TPR_BELOW_THRESHOLD, 43)                   \
    X(APIC_ACCESS, 44)                           \
    X(EOI_INDUCED, 45)                           \
    X(GDTR_IDTR, 46)                             \
    X(LDTR_TR, 47)                               \
    X(EPT_VIOLATION, 48)                         \
    X(EPT_MISCONFIG, 49)                         \
    X(INVEPT, 50)                                \
    X(RDTSCP, 51)                                \
    X(PREEMPTION_TIMER, 52)                      \
    X(INVVPID, 53)                               \
    X(WBINVD, 54)                                \
    X(XSETBV, 55)                                \
    X(APIC_WRITE, 56)                            \
    X(RDRAND, 57)                                \
    X(INVPCID, 58)                               \
    X(VMFUNC, 59)                                \
    X(ENCLS, 60)                                 \
    X(RDSEED, 61)                                \
    X(PML_FULL, 62)                              \
    X(XSAVES, 63)                                \
    X(XRSTORS, 64)                               \
    X(PCONFIG, 65)                               \
    X(SPP_EVENT, 66)                             \
    X(UMWAIT, 67)                                \
    X(TPAUSE, 68)                                \
    X(LOADIWKEY, 69)                             \
    X(ENCLV, 70)                                 \
    X(ENQCMD_PASID_FAIL, 72)                     \
    X(ENQCMDS_PASID_FAIL, 73)                    \
    X(BUS_LOCK, 74)                              \
    X(NOTIFY, 75)                                \
    X(SEAMCALL, 76)                              \
    X(TDCALL, 77)                                \
    X(RDMSRLIST, 78)                             \
    X(WRMSRLIST, 79)                             \
    X(URDMSR, 80)                                \
    X(UWRMSR, 81)                                \
    X(MSR_READ_IMM, 84)                          \
    X(MSR_WRITE_IMM, 85)

#define X_EXIT_REASON(name, nr) EXIT_REASON_##name = (nr),
enum vmx_exit_reason { VMX_EXIT_REASON_LIST(X_EXIT_REASON) };
#undef X_EXIT_REASON
#define EXIT_REASON_MAX 86u   /* basic reasons are < EXIT_REASON_MAX */

/* Exit-reason field (0x4402) bits besides the basic reason. */
#define EXIT_REASON_BASIC(r) ((r) & 0xFFFFu)
#define EXIT_REASON_FAILED_ENTRY (1u << 31)

/* ---- VM-instruction errors (SDM 30.4) ------------------------------------ */
#define VMX_INSN_ERROR_LIST(X)                                                   \
    X(VMCALL_IN_ROOT, 1, "VMCALL executed in VMX root operation")                \
    X(VMCLEAR_INVALID_ADDR, 2, "VMCLEAR with invalid physical address")          \
    X(VMCLEAR_VMXON_PTR, 3, "VMCLEAR with VMXON pointer")                        \
    X(VMLAUNCH_NOT_CLEAR, 4, "VMLAUNCH with non-clear VMCS")                     \
    X(VMRESUME_NOT_LAUNCHED, 5, "VMRESUME with non-launched VMCS")               \
    X(VMRESUME_AFTER_VMXOFF, 6, "VMRESUME after VMXOFF")                         \
    X(ENTRY_INVALID_CONTROL, 7, "VM entry with invalid control field(s)")        \
    X(ENTRY_INVALID_HOST, 8, "VM entry with invalid host-state field(s)")        \
    X(VMPTRLD_INVALID_ADDR, 9, "VMPTRLD with invalid physical address")          \
    X(VMPTRLD_VMXON_PTR, 10, "VMPTRLD with VMXON pointer")                       \
    X(VMPTRLD_BAD_REVISION, 11, "VMPTRLD with incorrect VMCS revision identifier") \
    X(UNSUPPORTED_FIELD, 12, "VMREAD/VMWRITE from/to unsupported VMCS component") \
    X(WRITE_READONLY, 13, "VMWRITE to read-only VMCS component")                 \
    X(VMXON_IN_ROOT, 15, "VMXON executed in VMX root operation")                 \
    X(ENTRY_INVALID_EXEC_PTR, 16, "VM entry with invalid executive-VMCS pointer") \
    X(ENTRY_EXEC_NOT_LAUNCHED, 17, "VM entry with non-launched executive VMCS")  \
    X(ENTRY_EXEC_NOT_VMXON, 18, "VM entry with executive-VMCS pointer not VMXON pointer") \
    X(VMCALL_NOT_CLEAR, 19, "VMCALL with non-clear VMCS")                        \
    X(VMCALL_BAD_EXIT_CTLS, 20, "VMCALL with invalid VM-exit control fields")    \
    X(VMCALL_BAD_MSEG_REV, 22, "VMCALL with incorrect MSEG revision identifier") \
    X(VMXOFF_DUAL_MONITOR, 23, "VMXOFF under dual-monitor treatment of SMIs and SMM") \
    X(VMCALL_BAD_SMM_FEATURES, 24, "VMCALL with invalid SMM-monitor features")   \
    X(ENTRY_BAD_EXEC_CTLS, 25, "VM entry with invalid VM-execution control fields in executive VMCS") \
    X(ENTRY_MOV_SS, 26, "VM entry with events blocked by MOV SS")                \
    X(INVALID_INVEPT_OPERAND, 28, "invalid operand to INVEPT/INVVPID")

#define X_INSN_ERROR(name, nr, text) VMXERR_##name = (nr),
enum vmx_insn_error { VMX_INSN_ERROR_LIST(X_INSN_ERROR) };
#undef X_INSN_ERROR
#define VMX_INSN_ERROR_MAX 29u

/* ---- Exit qualifications and information fields (SDM 27.2) -------------- */

/* I/O instruction (Table 27-5). */
#define IO_QUAL_SIZE(q) ((unsigned)((q) & 7) + 1)   /* 1, 2 or 4 bytes */
#define IO_QUAL_IN (1ull << 3)
#define IO_QUAL_STRING (1ull << 4)
#define IO_QUAL_REP (1ull << 5)
#define IO_QUAL_IMM (1ull << 6)
#define IO_QUAL_PORT(q) ((uint16_t)((q) >> 16))

/* INS/OUTS instruction information (0x440E, Table 27-8; needs BASIC[54]). */
#define IO_INFO_ADDR_SIZE(i) (((i) >> 7) & 7u)      /* 0 16-bit, 1 32-bit, 2 64-bit */
#define IO_INFO_SEGMENT(i) (((i) >> 15) & 7u)       /* 0 ES .. 5 GS */

/* Control-register access (Table 27-3). */
#define CR_QUAL_NR(q) ((unsigned)((q) & 0xF))
#define CR_QUAL_TYPE(q) ((unsigned)(((q) >> 4) & 3))  /* 0 MOV to CR, 1 MOV from CR, 2 CLTS, 3 LMSW */
#define CR_QUAL_GPR(q) ((unsigned)(((q) >> 8) & 0xF))
#define CR_QUAL_LMSW_DATA(q) ((uint16_t)((q) >> 16))

/* EPT violation (Table 27-7). */
#define EPT_QUAL_READ (1ull << 0)
#define EPT_QUAL_WRITE (1ull << 1)
#define EPT_QUAL_FETCH (1ull << 2)
#define EPT_QUAL_READABLE (1ull << 3)
#define EPT_QUAL_WRITABLE (1ull << 4)
#define EPT_QUAL_EXECUTABLE (1ull << 5)
#define EPT_QUAL_LINEAR_VALID (1ull << 7)
#define EPT_QUAL_FINAL_ADDR (1ull << 8)

/* Interruption information for injection and exits (SDM 24.8.3, 24.9.2). */
#define INTR_INFO_VECTOR(i) ((i) & 0xFFu)
#define INTR_INFO_TYPE(i) (((i) >> 8) & 7u)
#define INTR_INFO_DELIVER_CODE (1u << 11)
#define INTR_INFO_VALID (1u << 31)
#define INTR_TYPE_EXT_INTR 0u
#define INTR_TYPE_NMI 2u
#define INTR_TYPE_HW_EXCEPTION 3u
#define INTR_TYPE_SW_INTR 4u
#define INTR_TYPE_PRIV_SW_EXCEPTION 5u
#define INTR_TYPE_SW_EXCEPTION 6u
#define INTR_TYPE_OTHER 7u

/* Guest interruptibility (24.4.2) and activity states. */
#define INTERRUPTIBILITY_STI (1u << 0)
#define INTERRUPTIBILITY_MOV_SS (1u << 1)
#define INTERRUPTIBILITY_RESERVED 0xFFFFFFE0u
#define ACTIVITY_ACTIVE 0u
#define ACTIVITY_HLT 1u
#define ACTIVITY_SHUTDOWN 2u
#define ACTIVITY_WAIT_SIPI 3u

/* ---- Segment access rights (SDM 24.4.1, Table 24-2) ---------------------- */
#define AR_TYPE(a) ((a) & 0xFu)
#define AR_S (1u << 4)
#define AR_DPL(a) (((a) >> 5) & 3u)
#define AR_P (1u << 7)
#define AR_L (1u << 13)
#define AR_DB (1u << 14)
#define AR_G (1u << 15)
#define AR_UNUSABLE (1u << 16)
#define AR_RESERVED 0xFFFE0F00u


/* ---- EPT (SDM 28.2, 24.6.11) --------------------------------------------- */
#define EPT_R (1ull << 0)
#define EPT_W (1ull << 1)
#define EPT_X (1ull << 2)
#define EPT_RWX (EPT_R | EPT_W | EPT_X)
#define EPT_MEMTYPE_SHIFT 3
#define EPT_MEMTYPE_UC 0ull
#define EPT_MEMTYPE_WB 6ull
#define EPT_IGNORE_PAT (1ull << 6)
#define EPT_LARGE (1ull << 7)          /* 2 MiB page in a PDE, 1 GiB in a PDPTE */
#define EPT_ACCESSED (1ull << 8)
#define EPT_DIRTY (1ull << 9)
#define EPT_ADDR_MASK 0x000FFFFFFFFFF000ull

/* EPT pointer (24.6.11): memory type, walk length - 1, A/D enable. */
#define EPTP_MEMTYPE_WB 6ull
#define EPTP_WALK_4 (3ull << 3)
#define EPTP_AD_ENABLE (1ull << 6)

/* INVEPT / INVVPID types (SDM 30.3). */
#define INVEPT_SINGLE_CONTEXT 1ull
#define INVEPT_ALL_CONTEXTS 2ull
#define INVVPID_SINGLE_CONTEXT 1ull
#define INVVPID_ALL_CONTEXTS 2ull

/* ---- MSR bitmap layout (SDM 24.6.9) -------------------------------------- */
#define MSR_BITMAP_READ_LOW 0
#define MSR_BITMAP_READ_HIGH 1024
#define MSR_BITMAP_WRITE_LOW 2048
#define MSR_BITMAP_WRITE_HIGH 3072

/* ---- Names (vmx/names.c) -------------------------------------------------- */

/* "CPUID", "EPT_VIOLATION", ...; "(unknown)" for reserved or out-of-range numbers. */
const char *vmx_exit_reason_name(uint32_t basic_reason);
/* SDM wording of VM-instruction error nr; "(unknown VM-instruction error)" otherwise. */
const char *vmx_insn_error_name(uint32_t nr);
/* "HOST_RIP" etc. for a field encoding; NULL for an encoding this kernel does not know. */
const char *vmcs_field_name(uint32_t field);
/* The human name of bit `bit` of control word `kind`, or NULL. */
const char *vmx_ctl_bit_name(enum vmx_ctl_kind kind, unsigned bit);
/* "pin-based", "primary processor-based", ... */
const char *vmx_ctl_kind_name(enum vmx_ctl_kind kind);

/* Iterate the known VMCS fields (for tests and dumps): count and i-th encoding. */
size_t vmcs_field_count(void);
uint32_t vmcs_field_at(size_t i);

static inline bool vmx_is_canonical(uint64_t a)
{
    return (uint64_t)(((int64_t)(a << 16)) >> 16) == a;
}
