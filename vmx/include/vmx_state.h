/*
 * The VMCS contents this kernel writes before a VM entry, as plain C structs:
 * execution controls, host state and guest state. Built by pure code
 * (guest_state.c, and host_state.c from the live registers), written to and
 * read back from the VMCS by table (vmcs_state.c), and checked against the
 * SDM 26.2/26.3 VM-entry rules by entry_check.c, which is pure and
 * unit-tested on good and deliberately broken states.
 */
#pragma once

#include "types.h"
#include "vmx_caps.h"

struct vmx_segment {
    uint16_t selector;
    uint64_t base;
    uint32_t limit;
    uint32_t ar;     /* access rights as in the VMCS (AR_* bits, AR_UNUSABLE) */
};

struct vmx_ctl_state {
    uint32_t pin, proc, proc2, exit, entry;
    uint32_t exception_bitmap, cr3_target_count;
    uint32_t exit_msr_store_count, exit_msr_load_count, entry_msr_load_count;
    uint32_t entry_intr_info, entry_exception_error_code, entry_instruction_len;
    uint16_t vpid;
    uint64_t io_bitmap_a, io_bitmap_b, msr_bitmap, ept_pointer;
    uint64_t cr0_mask, cr4_mask, cr0_shadow, cr4_shadow;
};

struct vmx_host_state {
    uint64_t cr0, cr3, cr4;
    uint16_t es, cs, ss, ds, fs, gs, tr;
    uint64_t fs_base, gs_base, tr_base, gdtr_base, idtr_base;
    uint32_t sysenter_cs;
    uint64_t sysenter_esp, sysenter_eip;
    uint64_t efer, pat;
    uint64_t rsp, rip;
};

struct vmx_guest_state {
    uint64_t cr0, cr3, cr4, dr7;
    uint64_t rsp, rip, rflags;
    struct vmx_segment seg[SEG_COUNT];   /* ES CS SS DS FS GS LDTR TR */
    uint64_t gdtr_base, idtr_base;
    uint32_t gdtr_limit, idtr_limit;
    uint64_t debugctl, pat, efer;
    uint32_t sysenter_cs;
    uint64_t sysenter_esp, sysenter_eip;
    uint32_t interruptibility, activity;
    uint64_t pending_dbg;
    uint64_t link_pointer;
    uint32_t preemption_timer;
};

struct vmx_entry_state {
    struct vmx_ctl_state ctl;
    struct vmx_host_state host;
    struct vmx_guest_state guest;
    bool host_ia32e;    /* the host runs in IA-32e mode (EFER.LMA) */
};

/* Start modes of a vCPU. RESET is the processor's power-on state (real mode
   at CS:IP F000:FFF0 with CS base FFFF0000, SDM Vol. 3A 9.1.4), LINUX64 the
   64-bit entry of the Linux boot protocol (long64 with the selectors
   __BOOT_CS 0x10 and __BOOT_DS 0x18). */
enum vmx_mode { VMX_MODE_REAL, VMX_MODE_PROT32, VMX_MODE_LONG64, VMX_MODE_RESET, VMX_MODE_LINUX64 };

/* True for the modes that start in IA-32e mode (long64, linux64). */
static inline bool vmx_mode_is_long(enum vmx_mode m)
{
    return m == VMX_MODE_LONG64 || m == VMX_MODE_LINUX64;
}

/* Guest state for a vCPU that starts in mode at rip/rsp (SDM 26.3; recipes in
   VMX-FACTS 9). cr3 is used for long64/linux64 only (guest PML4); gdtr_base/limit
   give them a GDT (0/0: no GDT, segments must not be reloaded). caps decide
   the CR0/CR4 fixed bits. Adds VM_ENTRY_IA32E_MODE_GUEST to *entry_ctl for the
   long modes. RESET ignores rip and rsp (the reset vector is fixed). */
void vmx_guest_state_init(struct vmx_guest_state *g, const struct vmx_caps *caps, enum vmx_mode mode,
                          uint64_t rip, uint64_t rsp, uint64_t cr3, uint64_t gdtr_base, uint32_t gdtr_limit,
                          uint32_t *entry_ctl);

/* Host state from the running kernel and thread (host_state.c, kernel only). */
void vmx_host_state_capture(struct vmx_host_state *h);

/* Result of the VM-entry check: how many rules failed and the first few, each
   "SDM 26.3.1.2: CS access rights: type must be 9, 11, 13 or 15 (is 3)". */
#define ENTRY_CHECK_MAX_MSGS 4
#define ENTRY_CHECK_MSG_LEN 128
struct entry_check_result {
    int failures;
    char msg[ENTRY_CHECK_MAX_MSGS][ENTRY_CHECK_MSG_LEN];
};

/* Check the SDM 26.2 (controls, host state) and 26.3.1 (guest state) rules
   that this kernel can get wrong; returns the number of broken rules. */
int vmx_entry_check(const struct vmx_entry_state *s, const struct vmx_caps *caps, struct entry_check_result *r);
