/*
 * System calls of the virtual PC's devices: typing into a guest's COM1
 * (`vm console N`), the NMI button (`vm nmi N`). Thread context, interrupts on; the handle lock is held
 * while the VM is looked up, the platform lock inside platform.c.
 */
#include "errno.h"
#include "kstring.h"
#include "platform.h"
#include "syscall.h"
#include "uaccess.h"
#include "uapi/vm_abi.h"
#include "vm.h"
#include "vm_handles.h"
#include "vm_internal.h"
#include "vm_platform_syscalls.h"

/* The running VM id names, if the caller may change it; with the handles
   lock held (the caller takes and drops it). 0, -ESRCH/-EPERM as for every
   change, -EINVAL unless the VM is running. */
static int64_t running_vm(uint64_t id, struct vm **vm)
{
    if (id == 0 || id > 0x7FFFFFFF)
        return -ESRCH;
    struct vm_handle *h;
    int64_t err = vm_handle_get((int)id, true, &h);
    if (err)
        return err;
    struct vm_info info;
    vm_get_info(h->vm, &info);
    if (info.state != VM_STATE_RUNNING)
        return -EINVAL;
    *vm = h->vm;
    return 0;
}

/* vm_console_input(vm, buf, len): the bytes go into the guest UART's
   receive FIFO as if typed on its serial line; returns how many it took
   (the rest is for the next call, once the guest has read some).
   -EFAULT for a bad buffer, else as running_vm. */
static int64_t sys_vm_console_input(uint64_t id, uint64_t ubuf, uint64_t len, uint64_t a3, uint64_t a4)
{
    char buf[VM_CONSOLE_INPUT_MAX];
    len = MIN(len, (uint64_t)sizeof(buf));
    if (!user_range_ok(ubuf, len) || (len && ubuf == 0) || copy_from_user(buf, ubuf, len) < 0)
        return -EFAULT;
    struct vm *vm;
    vm_handles_lock();
    int64_t ret = running_vm(id, &vm);
    if (!ret)
        ret = (int64_t)platform_serial_input(&vm->platform, buf, (size_t)len);
    vm_handles_unlock();
    return ret;
}

/* vm_nmi(vm): raise an NMI on vCPU 0; it is injected as soon as the guest
   is not blocking NMIs (vcpu_events.c), whatever its IF. Errors as
   running_vm. */
static int64_t sys_vm_nmi(uint64_t id, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    struct vm *vm;
    vm_handles_lock();
    int64_t ret = running_vm(id, &vm);
    if (!ret) {
        vm->vcpus[0]->nmi_pending = true;   /* before the wake: a halted vCPU checks it */
        platform_wake(&vm->platform);
    }
    vm_handles_unlock();
    return ret;
}

void vm_platform_syscalls_init(void)
{
    syscall_register(SYS_VM_CONSOLE_INPUT, sys_vm_console_input);
    syscall_register(SYS_VM_NMI, sys_vm_nmi);
}
