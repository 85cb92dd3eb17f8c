/*
 * The shell's VM-exit breakpoints (numbers in uapi/vm_abi.h, semantics in
 * docs/vm-api.md): vm_break sets one for a VM ("CPUID leaf=1", or "clear"),
 * the VM's vCPU then pauses at the next matching exit, before its handler
 * runs; vm_paused describes where its vCPUs wait; vm_continue lets them go
 * on. The breakpoints are those gdb uses (exit_break.h), owned by the shell.
 *
 * Context: the calling user thread, interrupts on; each call holds the
 * vm_handles lock while it works, checks as in vm_syscalls.c (ESRCH, EPERM,
 * EFAULT, EINVAL).
 */
#include "errno.h"
#include "exit_break.h"
#include "format.h"
#include "kstring.h"
#include "syscall.h"
#include "uaccess.h"
#include "vcpu.h"
#include "vm_handles.h"
#include "vm_internal.h"
#include "vm_syscalls.h"

#define VM_BREAK_SPEC_MAX 128

/* Lock and find VM id for a change by the caller; the lock is held only on success. */
static int get_locked(uint64_t id, bool modify, struct vm_handle **h)
{
    if (id == 0 || id > 0x7FFFFFFF)
        return -ESRCH;
    vm_handles_lock();
    int err = vm_handle_get((int)id, modify, h);
    if (err)
        vm_handles_unlock();
    return err;
}

/* vm_break(vm, spec): "REASON [count K] [port=|msr=|leaf=|gpa=N]" or "clear". */
static int64_t sys_vm_break(uint64_t id, uint64_t uspec, uint64_t a2, uint64_t a3, uint64_t a4)
{
    char spec[VM_BREAK_SPEC_MAX], err_text[96];
    struct vm_handle *h;
    int err = get_locked(id, true, &h);
    if (err)
        return err;
    int64_t len = strncpy_from_user(spec, uspec, sizeof(spec));
    struct exit_break_spec b;
    if (len < 0)
        err = (int)len;
    else if (strcmp(spec, "clear") == 0)
        err = exit_break_clear(EXIT_BREAK_SHELL, (int)id);
    else if (exit_break_parse(spec, &b, err_text, sizeof(err_text)) < 0 || b.vm_id != 0)
        err = -EINVAL;                  /* the VM is the call's, not the text's */
    else {
        b.vm_id = (int)id;
        err = exit_break_add(&b, EXIT_BREAK_SHELL);
    }
    vm_handles_unlock();
    return err;
}

/* vm_continue(vm): resume its paused vCPUs; returns how many there were. */
static int64_t sys_vm_continue(uint64_t id, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    struct vm_handle *h;
    int err = get_locked(id, true, &h);
    if (err)
        return err;
    int n = 0;
    for (int i = 0; i < h->vm->nvcpus; i++) {
        if (h->vm->vcpus[i] && h->vm->vcpus[i]->paused) {
            exit_break_resume(h->vm->vcpus[i]);
            n++;
        }
    }
    vm_handles_unlock();
    return n;
}

/* vm_paused(vm, buf, size): one line per paused vCPU into buf (NUL-terminated);
   returns how many vCPUs wait (0: none). */
static int64_t sys_vm_paused(uint64_t id, uint64_t ubuf, uint64_t size, uint64_t a3, uint64_t a4)
{
    char text[VM_MAX_VCPUS * (EXIT_BREAK_TEXT + 32)];
    struct vm_handle *h;
    if (size == 0 || !user_range_ok(ubuf, size))
        return -EFAULT;
    int err = get_locked(id, false, &h);
    if (err)
        return err;
    int n = 0;
    size_t used = 0;
    text[0] = '\0';
    for (int i = 0; i < h->vm->nvcpus; i++) {
        const struct vcpu *v = h->vm->vcpus[i];
        if (!v || !v->paused || used >= sizeof(text))
            continue;
        int w = ksnprintf(text + used, sizeof(text) - used, "%svcpu %d at %s", n ? "\n" : "", v->index, v->paused_at);
        used += w > 0 ? (size_t)w : 0;
        n++;
    }
    vm_handles_unlock();
    text[MIN(sizeof(text), (size_t)size) - 1] = '\0';
    err = copy_to_user(ubuf, text, MIN(strlen(text) + 1, (size_t)size));
    return err ? err : n;
}

void vm_break_syscalls_init(void)
{
    syscall_register(SYS_VM_BREAK, sys_vm_break);
    syscall_register(SYS_VM_CONTINUE, sys_vm_continue);
    syscall_register(SYS_VM_PAUSED, sys_vm_paused);
}
