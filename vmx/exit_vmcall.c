/*
 * VMCALL exits: the hypercall ABI of common/include/uapi/hypercall.h.
 * RAX = number, RBX/RCX/RDX = arguments, result in RAX (negative errno on
 * failure). Only the guest's kernel may call: from CPL > 0 (its user
 * programs, virtual-8086 mode) every hypercall answers -EPERM, as KVM does,
 * so a guest's user code can neither stop the VM nor write to the console.
 * vCPU thread, interrupts off.
 */
#include "errno.h"
#include "exit.h"
#include "exit_io.h"
#include "hypercall.h"
#include "timer.h"
#include "vm_internal.h"

#define HC_WRITE_MAX 4096   /* bytes per write hypercall */

/* write(gpa, len): print guest bytes on the console, a page at a time
   (bytes before an unreadable page are printed, then -EFAULT). */
static int64_t hc_write(struct vcpu *v, uint64_t gpa, uint64_t len)
{
    // SOLUTION(V5-hypercalls) BEGIN: at most HC_WRITE_MAX bytes (else -EINVAL); each byte through vm_gpa_to_host (readable, else -EFAULT) to vcpu_console_putc; return len
    // SOLUTION(V5-hypercalls) STUB: return -ENOSYS;
    if (len > HC_WRITE_MAX)
        return -EINVAL;
    for (uint64_t done = 0; done < len;) {
        uint64_t g = gpa + done;
        size_t n = (size_t)MIN(len - done, VM_PAGE_SIZE - (g & (VM_PAGE_SIZE - 1)));
        const char *p = g < gpa ? NULL : vm_gpa_to_host(v->vm, g, EPT_R);   /* g < gpa: wrapped */
        if (!p)
            return -EFAULT;
        vcpu_console_write(v, p, n);
        done += n;
    }
    return (int64_t)len;
    // SOLUTION(V5-hypercalls) END
}

/* RAX = ret, past the VMCALL. */
static enum exit_action hypercall_done(struct vcpu *v, int64_t ret)
{
    v->gpr[GPR_RAX] = (uint64_t)ret;
    exit_skip_instruction(v);
    return EXIT_RESUME;
}

enum exit_action exit_vmcall(struct vcpu *v)
{
    // SOLUTION(V5-hypercalls) BEGIN: RAX = number, RBX/RCX = arguments: HC_EXIT stops with exit code RBX; HC_WRITE, HC_CLOCK; else -ENOSYS; result in RAX, skip the VMCALL
    // SOLUTION(V5-hypercalls) STUB: (void)hc_write;
    // SOLUTION(V5-hypercalls) STUB: (void)hypercall_done;
    // SOLUTION(V5-hypercalls) STUB: return exit_unexpected(v);
    uint64_t nr = v->gpr[GPR_RAX], a1 = v->gpr[GPR_RBX], a2 = v->gpr[GPR_RCX];
    int64_t ret;
    if (exit_guest_cpl() != 0)
        return hypercall_done(v, -EPERM);
    switch (nr) {
    case HC_EXIT:
        exit_skip_instruction(v);
        v->exit_code = (int64_t)a1;
        return vcpu_stop(v, VM_STOP_EXIT_CODE, "exit code %ld", (int64_t)a1);
    case HC_WRITE:
        ret = hc_write(v, a1, a2);
        break;
    case HC_CLOCK:
        ret = (int64_t)timer_ns();
        break;
    default:
        ret = -ENOSYS;
        break;
    }
    return hypercall_done(v, ret);
    // SOLUTION(V5-hypercalls) END
}
