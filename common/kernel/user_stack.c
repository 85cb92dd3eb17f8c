/*
 * User stacks of a process's threads: the slots below USER_STACK_TOP, the
 * first pages of a new stack (the rest is mapped on demand by
 * umem_resolve_fault, down to USER_STACK_LIMIT), and the System V initial
 * stack with argc/argv a new program starts on. Caller holds p->lock or
 * owns p exclusively (spawn, exec).
 */
#include "errno.h"
#include "kstring.h"
#include "paging.h"
#include "pmm.h"
#include "process_internal.h"
#include "user_memory.h"

uint64_t process_stack_top(int slot) { return USER_STACK_TOP - (uint64_t)slot * USER_STACK_SLOT; }

int64_t process_stack_alloc(struct process *p, int *slot_out)
{
    for (int slot = 0; slot < PROC_MAX_THREADS; slot++) {
        if (p->stack_slots & (1ull << slot))
            continue;
        uint64_t top = process_stack_top(slot);
        /* the first pages now; the rest on demand (umem_resolve_fault) */
        int err = umem_map_range(p, top - USER_STACK_INITIAL, top, PTE_WRITE | PTE_NX);
        if (err) {
            umem_unmap_range(p, top - USER_STACK_INITIAL, top);
            return err;
        }
        p->stack_slots |= 1ull << slot;
        *slot_out = slot;
        return (int64_t)top;
    }
    return -EAGAIN;
}

void process_stack_free(struct process *p, int slot)
{
    uint64_t top = process_stack_top(slot);
    umem_unmap_range(p, top - USER_STACK_LIMIT, top);
    p->stack_slots &= ~(1ull << slot);
}

/*
 * Write argv onto the stack below top, System V style: rsp -> argc,
 * argv[0..argc-1], NULL, envp NULL, auxv AT_NULL pair; rsp 16-aligned.
 * Returns the new rsp; *argv_out = the user address of argv[0].
 */
int64_t process_push_args(struct process *p, uint64_t top, int argc, char *const argv[],
                          uint64_t *argv_out)
{
    uint64_t ptrs[SPAWN_MAX_ARGS];
    uint64_t sp = top;
    for (int i = argc - 1; i >= 0; i--) {
        size_t len = strlen(argv[i]) + 1;
        sp -= len;
        if (umem_write(p, sp, argv[i], len) < 0)
            return -EFAULT;
        ptrs[i] = sp;
    }
    sp = ALIGN_DOWN(sp, 16);
    uint64_t words = (uint64_t)argc + 5;
    if (words % 2)
        sp -= 8;
    sp -= words * 8;
    uint64_t v = (uint64_t)argc;
    int err = umem_write(p, sp, &v, 8);
    if (!err)
        err = umem_write(p, sp + 8, ptrs, (size_t)argc * 8);
    uint64_t zeros[4] = {0, 0, 0, 0};
    if (!err)
        err = umem_write(p, sp + 8 + (uint64_t)argc * 8, zeros, sizeof(zeros));
    *argv_out = sp + 8;
    return err ? err : (int64_t)sp;
}
