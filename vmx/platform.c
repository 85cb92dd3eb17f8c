/*
 * The per-VM PC platform (platform.h): the bus table, the devices' clocks,
 * their interrupt wiring, console output and reset. Device access runs on
 * the vCPU thread from the I/O exit (interrupts off), serial input on the
 * thread that types it; both under pf->lock.
 */
#include "exit_io.h"
#include "platform.h"
#include "rtc.h"
#include "vcpu.h"
#include "vm_internal.h"
#include "vmx.h"
#include "x86.h"

#define IRQ_PIT 0
#define IRQ_COM1 4

/* TSC cycles -> ticks of a clock at hz, without 128-bit division. */
static uint64_t scale(uint64_t cycles, uint64_t hz, uint64_t tsc_hz)
{
    return cycles / tsc_hz * hz + cycles % tsc_hz * hz / tsc_hz;
}

/* The PIT's clock: guest-visible time (the guest reads the host TSC
   unchanged) since the VM was created. */
static uint64_t pit_clock(void *ctx)
{
    struct vm_platform *pf = ctx;
    return scale(rdtsc() - pf->tsc_base, PIT_HZ, vmx.tsc_hz);
}

/* Host wall clock, read from the host RTC once and carried on by the TSC. */
static uint64_t wall_clock(void *ctx)
{
    static uint64_t boot_seconds, boot_tsc;
    UNUSED(ctx);
    if (!boot_tsc) {
        struct rtc_time t;
        rtc_read(&t);
        struct cmos_date d = {t.year, t.month, t.day, t.hour, t.minute, t.second, 0};
        boot_seconds = cmos_epoch_from_date(&d);
        boot_tsc = rdtsc();
    }
    return boot_seconds + (rdtsc() - boot_tsc) / vmx.tsc_hz;
}

static void console_byte(void *ctx, uint8_t b)
{
    struct vm_platform *pf = ctx;
    if (pf->io_vcpu)
        vcpu_console_putc(pf->io_vcpu, (char)b);
}

static void com1_irq(void *ctx, bool level)
{
    struct vm_platform *pf = ctx;
    i8259_set_irq(&pf->pic, IRQ_COM1, level);
}

static void reset_request(void *ctx) { ((struct vm_platform *)ctx)->reset_requested = true; }

/* The PC's port map (the bus refuses overlaps, so it is checked here once). */
static void attach_devices(struct vm_platform *pf)
{
    struct io_bus *b = &pf->bus;
    io_bus_add(b, PIC_MASTER_CMD, PIC_MASTER_DATA, "pic", &pf->pic, i8259_io_read, i8259_io_write);
    io_bus_add(b, PIC_SLAVE_CMD, PIC_SLAVE_DATA, "pic", &pf->pic, i8259_io_read, i8259_io_write);
    io_bus_add(b, PIT_PORT_FIRST, PIT_PORT_CONTROL, "pit", &pf->pit, pit_io_read, pit_io_write);
    io_bus_add(b, PIT_PORT_SYSCTL_B, PIT_PORT_SYSCTL_B, "port61", &pf->pit, pit_io_read, pit_io_write);
    io_bus_add(b, CMOS_PORT_INDEX, CMOS_PORT_DATA, "cmos", &pf->cmos, cmos_io_read, cmos_io_write);
    io_bus_add(b, UART_COM1_BASE, UART_COM1_BASE + 7, "com1", &pf->com1, uart_io_read, uart_io_write);
    io_bus_add(b, DEBUGPORT_E9, DEBUGPORT_E9, "debug-e9", &pf->debug, debugport_io_read, debugport_io_write);
    io_bus_add(b, DEBUGPORT_402, DEBUGPORT_402, "debug-402", &pf->debug, debugport_io_read, debugport_io_write);
    io_bus_add(b, I8042_DATA, I8042_DATA, "i8042", &pf->kbc, i8042_io_read, i8042_io_write);
    io_bus_add(b, I8042_CMD, I8042_CMD, "i8042", &pf->kbc, i8042_io_read, i8042_io_write);
    io_bus_add(b, SYSCTL_A_PORT, SYSCTL_A_PORT, "port92", &pf->kbc, i8042_io_read, i8042_io_write);
    io_bus_add(b, POST_PORT, POST_PORT, "post", &pf->post, post_io_read, post_io_write);
    io_bus_add(b, PCI_CONFIG_ADDRESS, PCI_CONFIG_ADDRESS + 3, "pci", &pf->pci, pci_addr_io_read, pci_addr_io_write);
    io_bus_add(b, PCI_CONFIG_DATA, PCI_CONFIG_DATA + 3, "pci", &pf->pci, pci_data_io_read, pci_data_io_write);
}

void platform_init(struct vm_platform *pf, struct vm *vm)
{
    pf->lock = (struct spinlock)SPINLOCK_INIT("vm platform");
    pf->wake_wq = (struct waitqueue)WAITQUEUE_INIT;
    pf->vm = vm;
    pf->tsc_base = rdtsc();
    io_bus_init(&pf->bus);
    i8259_init(&pf->pic);
    pit_init(&pf->pit, pit_clock, pf);
    cmos_init(&pf->cmos, wall_clock, pf);
    uart_init(&pf->com1, console_byte, com1_irq, pf);
    debugport_init(&pf->debug, console_byte, pf);
    i8042_init(&pf->kbc, reset_request, pf);
    attach_devices(pf);
}

void platform_set_machine(struct vm_platform *pf, uint64_t below_4g, uint64_t above_4g, unsigned cpus)
{
    spin_lock(&pf->lock);
    cmos_set_memory(&pf->cmos, below_4g, above_4g, cpus);
    spin_unlock(&pf->lock);
}

uint32_t platform_in(struct vm_platform *pf, struct vcpu *v, uint16_t port, unsigned size)
{
    spin_lock(&pf->lock);
    pf->io_vcpu = v;
    uint32_t value = io_bus_in(&pf->bus, port, size);
    spin_unlock(&pf->lock);
    return value;
}

void platform_out(struct vm_platform *pf, struct vcpu *v, uint16_t port, unsigned size, uint32_t value)
{
    spin_lock(&pf->lock);
    pf->io_vcpu = v;
    io_bus_out(&pf->bus, port, size, value);
    spin_unlock(&pf->lock);
}

/* IRQ0 is edge-triggered: each rising edge of OUT0 is one pulse. Edges that
   came while nobody looked are one request, as on hardware (the IRR holds
   one bit). */
void platform_poll(struct vm_platform *pf, uint64_t now)
{
    spin_lock(&pf->lock);
    uint64_t pit_now = scale(now - pf->tsc_base, PIT_HZ, vmx.tsc_hz);
    if (pit_new_edges(&pf->pit, 0, pit_now)) {
        i8259_set_irq(&pf->pic, IRQ_PIT, true);
        i8259_set_irq(&pf->pic, IRQ_PIT, false);
    }
    spin_unlock(&pf->lock);
}

uint64_t platform_next_deadline(struct vm_platform *pf, uint64_t now)
{
    spin_lock(&pf->lock);
    uint64_t pit_now = scale(now - pf->tsc_base, PIT_HZ, vmx.tsc_hz);
    uint64_t ticks = pit_ticks_to_edge(&pf->pit, 0, pit_now);
    spin_unlock(&pf->lock);
    if (ticks == PIT_NEVER)
        return UINT64_MAX;
    /* Round up: arriving a cycle early finds no edge and costs one more exit. */
    return now + scale(ticks, vmx.tsc_hz, PIT_HZ) + 1;
}

bool platform_interrupt_pending(struct vm_platform *pf) { return i8259_interrupt_pending(&pf->pic); }

uint8_t platform_acknowledge(struct vm_platform *pf)
{
    spin_lock(&pf->lock);
    uint8_t vector = i8259_acknowledge(&pf->pic);
    spin_unlock(&pf->lock);
    return vector;
}

size_t platform_serial_input(struct vm_platform *pf, const char *buf, size_t len)
{
    size_t n = 0;
    spin_lock(&pf->lock);
    while (n < len && uart_can_receive(&pf->com1))   /* a full FIFO takes no more: the rest waits */
        uart_receive(&pf->com1, (uint8_t)buf[n++]);
    spin_unlock(&pf->lock);
    platform_wake(pf);
    return n;
}

void platform_wake(struct vm_platform *pf)
{
    spin_lock(&pf->lock);
    waitqueue_wake_all(&pf->wake_wq);
    spin_unlock(&pf->lock);
}

uint8_t platform_post_code(struct vm_platform *pf) { return pf->post.last; }
