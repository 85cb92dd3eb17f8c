/*
 * FPU/SSE state for user code and the kernel stack used on entry from
 * ring 3. The kernel itself never touches FPU registers (-mgeneral-regs-only),
 * but user programs do; the scheduler saves and restores them with
 * FXSAVE/FXRSTOR on every switch (SDM Vol. 1 10.5). Interrupts off.
 */
#include "cpu_state.h"
#include "gdt.h"
#include "kstring.h"
#include "percpu.h"
#include "x86.h"

/* CR0.EM and CR0.TS stay clear: no x87 emulation, and the FPU state is
   switched eagerly, so no #NM is needed (SDM Vol. 3A 2.5, 13.4). */

static uint8_t fpu_initial[512] __attribute__((aligned(16)));

void cpu_fpu_init(void)
{
    write_cr0((read_cr0() | CR0_MP | CR0_NE) & ~(CR0_EM | CR0_TS));
    write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
    __asm__ volatile("fninit" ::: "memory");
    uint32_t mxcsr = 0x1F80;   /* all SSE exceptions masked, round to nearest */
    __asm__ volatile("ldmxcsr %0" ::"m"(mxcsr));
    cpu_fpu_save(fpu_initial);
}

void cpu_fpu_init_image(uint8_t *img) { memcpy(img, fpu_initial, sizeof(fpu_initial)); }

void cpu_set_kernel_stack(uint64_t top)
{
    tss_set_kernel_stack(top);
    percpu.kernel_rsp = top;
}
