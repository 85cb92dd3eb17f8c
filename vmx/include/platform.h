/*
 * The virtual PC platform of one VM: its port-I/O bus and the devices on
 * it (8259A pair, 8254 + port 0x61, CMOS/RTC, COM1 16550A, debug ports
 * 0xE9/0x402, 8042 + port 0x92, POST port 0x80, PCI configuration with no
 * device), the glue that gives them time (guest-visible TSC -> PIT clock,
 * host RTC -> CMOS clock) and wires their interrupt lines to the PIC, whose
 * output goes to vCPU 0 (a PC's bootstrap processor in virtual-wire mode).
 * Every VM has one; the devices are pure C (vmx/dev_*.c), this file is the
 * only one that knows about vCPUs.
 *
 * Locking: pf->lock (spinlock, interrupt-safe) serialises the devices
 * between the VM's vCPU threads and other threads (console input). A vCPU
 * thread calls in with interrupts off.
 */
#pragma once

#include "dev_cmos.h"
#include "dev_debugport.h"
#include "dev_i8042.h"
#include "dev_pci.h"
#include "dev_pic.h"
#include "dev_pit.h"
#include "dev_post.h"
#include "dev_uart.h"
#include "io_bus.h"
#include "key_counts.h"
#include "spinlock.h"
#include "waitqueue.h"

struct vcpu;
struct vm;

struct vm_platform {
    struct spinlock lock;
    struct io_bus bus;
    struct i8259 pic;
    struct pit pit;
    struct cmos cmos;
    struct uart com1;
    struct debugport debug;
    struct i8042 kbc;
    struct post_port post;
    struct pci_host pci;
    struct vm *vm;
    struct vcpu *io_vcpu;        /* the vCPU whose I/O is being handled */
    bool reset_requested;        /* the guest asked for a reset (8042 or port 0x92) */
    uint64_t tsc_base;           /* TSC when the VM was created: the PIT clock's origin */
    struct waitqueue wake_wq;    /* vCPUs halted until an interrupt (or a kill) */
    struct key_counts ports;     /* I/O exits per port over the run (vmstat -d; exit_io.c) */
};

/* Wire up the devices of a new VM. */
void platform_init(struct vm_platform *pf, struct vm *vm);
/* Tell the firmware-visible registers (CMOS) the VM's memory and CPU count. */
void platform_set_machine(struct vm_platform *pf, uint64_t below_4g, uint64_t above_4g, unsigned cpus);
/* One IN or OUT of v (size 1, 2, 4) through the bus. */
uint32_t platform_in(struct vm_platform *pf, struct vcpu *v, uint16_t port, unsigned size);
void platform_out(struct vm_platform *pf, struct vcpu *v, uint16_t port, unsigned size, uint32_t value);
/* Let time-driven devices raise what is due by TSC now (PIT channel 0 -> IRQ0). */
void platform_poll(struct vm_platform *pf, uint64_t now);
/* The TSC at which the next timer interrupt is due (UINT64_MAX: none). */
uint64_t platform_next_deadline(struct vm_platform *pf, uint64_t now);
/* The PIC has an interrupt for vCPU 0. */
bool platform_interrupt_pending(struct vm_platform *pf);
/* The PIC's INTA cycle: the vector to inject. */
uint8_t platform_acknowledge(struct vm_platform *pf);
/* Bytes typed for the guest's COM1: how many the receive FIFO took. Wakes a
   halted vCPU. Any thread. */
size_t platform_serial_input(struct vm_platform *pf, const char *buf, size_t len);
/* Wake the VM's halted vCPUs (a kill, new input). Any context. */
void platform_wake(struct vm_platform *pf);
/* The last POST code the guest wrote to port 0x80 (0: none). */
uint8_t platform_post_code(struct vm_platform *pf);
