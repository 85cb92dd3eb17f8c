/*
 * VMX instruction wrappers (SDM Vol. 3C 30.2-30.3). Every wrapper checks the
 * result flags: VMsucceed clears CF and ZF, VMfailInvalid sets CF (no
 * current VMCS), VMfailValid sets ZF (error number in VM_INSTRUCTION_ERROR).
 * A failure is reported through vmx_op_failed() (vmcs.c), which logs the
 * instruction, the operand and the VM-instruction error by name.
 *
 * The hot-path accessors are `asm goto`: success costs one extra `jbe` that
 * is never taken. VMCS accessors are width-checked: a constant field used
 * with the wrong-width accessor is a compile-time error; a non-constant one
 * is checked at run time.
 * Kernel only (inline assembly); VMX root operation required.
 */
#pragma once

#include "types.h"
#include "vmx_arch.h"

enum vmx_op { VMXOP_VMXON, VMXOP_VMCLEAR, VMXOP_VMPTRLD, VMXOP_VMREAD, VMXOP_VMWRITE, VMXOP_INVEPT,
              VMXOP_INVVPID, VMXOP_VMXOFF };

/* Report a failed VMX instruction (CF or ZF set); returns -EIO for a tail call. */
int vmx_op_failed(enum vmx_op op, uint64_t operand);
/* Number of VMX instruction failures since boot (tests check it stays 0). */
extern uint64_t vmx_op_failures;

static inline int vmxon(uint64_t phys)
{
    __asm__ goto("vmxon %0; jbe %l[fail]" ::"m"(phys) : "cc", "memory" : fail);
    return 0;
fail:
    return vmx_op_failed(VMXOP_VMXON, phys);
}

static inline int vmxoff(void)
{
    __asm__ goto("vmxoff; jbe %l[fail]" ::: "cc", "memory" : fail);
    return 0;
fail:
    return vmx_op_failed(VMXOP_VMXOFF, 0);
}

static inline int vmclear(uint64_t phys)
{
    __asm__ goto("vmclear %0; jbe %l[fail]" ::"m"(phys) : "cc", "memory" : fail);
    return 0;
fail:
    return vmx_op_failed(VMXOP_VMCLEAR, phys);
}

static inline int vmptrld(uint64_t phys)
{
    __asm__ goto("vmptrld %0; jbe %l[fail]" ::"m"(phys) : "cc", "memory" : fail);
    return 0;
fail:
    return vmx_op_failed(VMXOP_VMPTRLD, phys);
}

static inline uint64_t vmptrst(void)
{
    uint64_t phys = 0;
    __asm__ volatile("vmptrst %0" : "=m"(phys)::"memory");
    return phys;
}

/* Raw VMREAD of any field; on failure logs and returns 0. */
static inline __attribute__((always_inline)) uint64_t vmcs_read_raw(uint64_t field)
{
    uint64_t v;
    __asm__ goto("vmread %1, %0; jbe %l[fail]" : "=r"(v) : "r"(field) : "cc" : fail);
    return v;
fail:
    vmx_op_failed(VMXOP_VMREAD, field);
    return 0;
}

/* Raw VMWRITE; 0 or -EIO (logged). */
static inline __attribute__((always_inline)) int vmcs_write_raw(uint64_t field, uint64_t value)
{
    __asm__ goto("vmwrite %1, %0; jbe %l[fail]" ::"r"(field), "rm"(value) : "cc" : fail);
    return 0;
fail:
    return vmx_op_failed(VMXOP_VMWRITE, field);
}

/* Width check: constant fields at compile time, others at run time. */
extern void vmcs_width_mismatch(void) __attribute__((error("VMCS field used with the wrong-width accessor")));
void vmcs_width_mismatch_runtime(uint32_t field, unsigned width);
#define VMCS_CHECK_WIDTH(field, width)                                   \
    do {                                                                 \
        if (__builtin_constant_p(field)) {                               \
            if (VMCS_FIELD_WIDTH(field) != (width))                      \
                vmcs_width_mismatch();                                   \
        } else if (VMCS_FIELD_WIDTH(field) != (width)) {                 \
            vmcs_width_mismatch_runtime(field, width);                   \
        }                                                                \
    } while (0)

#define vmcs_read16(f) ({ VMCS_CHECK_WIDTH(f, VMCS_WIDTH_16); (uint16_t)vmcs_read_raw(f); })
#define vmcs_read32(f) ({ VMCS_CHECK_WIDTH(f, VMCS_WIDTH_32); (uint32_t)vmcs_read_raw(f); })
#define vmcs_read64(f) ({ VMCS_CHECK_WIDTH(f, VMCS_WIDTH_64); (uint64_t)vmcs_read_raw(f); })
#define vmcs_readnat(f) ({ VMCS_CHECK_WIDTH(f, VMCS_WIDTH_NATURAL); (uint64_t)vmcs_read_raw(f); })
#define vmcs_write16(f, v) ({ VMCS_CHECK_WIDTH(f, VMCS_WIDTH_16); vmcs_write_raw(f, (uint16_t)(v)); })
#define vmcs_write32(f, v) ({ VMCS_CHECK_WIDTH(f, VMCS_WIDTH_32); vmcs_write_raw(f, (uint32_t)(v)); })
#define vmcs_write64(f, v) ({ VMCS_CHECK_WIDTH(f, VMCS_WIDTH_64); vmcs_write_raw(f, (uint64_t)(v)); })
#define vmcs_writenat(f, v) ({ VMCS_CHECK_WIDTH(f, VMCS_WIDTH_NATURAL); vmcs_write_raw(f, (uint64_t)(v)); })

struct invept_desc {
    uint64_t eptp, reserved;
};

static inline int invept(uint64_t type, uint64_t eptp)
{
    struct invept_desc d = {eptp, 0};
    __asm__ goto("invept %0, %1; jbe %l[fail]" ::"m"(d), "r"(type) : "cc", "memory" : fail);
    return 0;
fail:
    return vmx_op_failed(VMXOP_INVEPT, type);
}

struct invvpid_desc {
    uint64_t vpid, linear;
};

static inline int invvpid(uint64_t type, uint16_t vpid)
{
    struct invvpid_desc d = {vpid, 0};
    __asm__ goto("invvpid %0, %1; jbe %l[fail]" ::"m"(d), "r"(type) : "cc", "memory" : fail);
    return 0;
fail:
    return vmx_op_failed(VMXOP_INVVPID, type);
}
