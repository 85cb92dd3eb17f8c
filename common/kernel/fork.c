/*
 * fork(): a new process whose address space is a copy-on-write copy of the
 * caller's and whose only thread is a copy of the calling thread, returning
 * 0 from the same system call. Thread context, in the parent's fork system
 * call.
 *
 * Copy-on-write (docs/processes.md): every page of the parent is mapped
 * into the child at the same address and gets one more reference
 * (page_ref.h); writable pages lose PTE_WRITE and gain PTE_COW in both
 * address spaces, so the first write of either side faults and
 * cow_copy_page (user_memory.c) gives the writer its own copy. Read-only
 * pages (program text) stay shared for good. Only the calling thread's
 * stack is copied: the other threads do not exist in the child.
 */
#include "cpu_state.h"
#include "errno.h"
#include "fd.h"
#include "kheap.h"
#include "kstring.h"
#include "page_ref.h"
#include "paging.h"
#include "pmm.h"
#include "process_internal.h"
#include "thread_internal.h"
#include "trapframe.h"
#include "user_memory.h"
#include "vfs.h"
#include "x86.h"

/* Share the parent's page at va with the child: the same frame, one more
   reference, and write protection plus PTE_COW on both sides when it was
   writable. A page the child already maps (two segments sharing a page)
   is left alone. 0 or -ENOMEM/-EAGAIN. Caller holds parent->lock. */
static int fork_share_page(struct process *parent, struct process *child, uint64_t va)
{
    // SOLUTION(A2-fork) BEGIN: skip unmapped (or already shared) pages; a writable page becomes read-only + PTE_COW; one more page reference (page_ref_get); map it in the child, then remap it in the parent
    // SOLUTION(A2-fork) STUB: return -ENOSYS;
    uint64_t pa, flags;
    if (!paging_lookup(parent->root, va, &pa, &flags) || paging_lookup(child->root, va, NULL, NULL))
        return 0;
    pa &= PTE_ADDR_MASK;
    flags &= PTE_PRESENT | PTE_WRITE | PTE_USER | PTE_NX | PTE_COW;
    if (flags & PTE_WRITE)
        flags = (flags & ~PTE_WRITE) | PTE_COW;
    int err = page_ref_get(pa);
    if (err)
        return err;
    if (paging_map(child->root, va, pa, flags) < 0) {
        user_page_put(pa);        /* the parent's reference remains */
        return -ENOMEM;
    }
    child->pages++;
    return paging_map(parent->root, va, pa, flags);   /* flushes the parent's TLB entry */
    // SOLUTION(A2-fork) END
}

static int fork_share_range(struct process *parent, struct process *child, uint64_t start,
                            uint64_t end)
{
    for (uint64_t va = start; va < end; va += PAGE_SIZE) {
        int err = fork_share_page(parent, child, va);
        if (err)
            return err;
    }
    return 0;
}

/*
 * Give child a copy-on-write copy of parent's user memory: the ELF
 * segments, the heap, and the stack in slot `slot` (the calling thread's).
 * The ranges are recorded in child first, so that freeing child after a
 * failure (-ENOMEM) drops exactly the references taken. Caller holds
 * parent->lock.
 */
int fork_copy_address_space(struct process *parent, struct process *child, int slot)
{
    memcpy(child->segments, parent->segments, sizeof(child->segments));
    child->nsegments = parent->nsegments;
    child->heap_start = parent->heap_start;
    child->brk = parent->brk;
    child->stack_slots = 1ull << slot;
    int err = 0;
    for (int i = 0; i < parent->nsegments && !err; i++)
        err = fork_share_range(parent, child, parent->segments[i].start, parent->segments[i].end);
    if (!err)
        err = fork_share_range(parent, child, parent->heap_start, ALIGN_UP(parent->brk, PAGE_SIZE));
    uint64_t top = process_stack_top(slot);
    if (!err)
        err = fork_share_range(parent, child, top - USER_STACK_LIMIT, top);
    return err;
}

/* The child holds its own reference to every open file of the parent. */
static void fork_copy_fds(struct process *parent, struct process *child)
{
    spin_lock(&parent->fd_lock);
    for (int fd = 0; fd < PROC_MAX_FDS; fd++)
        child->fds[fd] = vfs_file_ref(parent->fds[fd]);
    spin_unlock(&parent->fd_lock);
}

/* The child's thread: the caller's registers at the system call, with
   rax = 0 (fork's result in the child) and the caller's FPU state. */
static struct thread *fork_copy_thread(struct process *child, struct thread *self)
{
    struct thread *t = uthread_new(child, self->stack_slot, 0, 0, 0, 0);
    if (!t)
        return NULL;
    // SOLUTION(A2-fork) BEGIN: the child's saved user registers are the caller's at the system call, except rax = 0 (fork's result in the child)
    struct trap_frame *frame = thread_user_frame(t);
    *frame = *thread_user_frame(self);
    frame->rax = 0;
    // SOLUTION(A2-fork) END
    bool irq = irq_save();
    cpu_fpu_save(t->fpu);        /* the live registers are the caller's user state */
    irq_restore(irq);
    return t;
}

int process_fork(void)
{
    struct process *parent = process_current();
    struct thread *self = thread_current();
    if (parent->exiting)
        return -EINTR;
    struct process *child = process_alloc(parent->name, parent->pid);
    if (!child)
        return -ENOMEM;
    fork_copy_fds(parent, child);
    mutex_lock(&parent->lock);
    strlcpy(child->cwd, parent->cwd, sizeof(child->cwd));
    int err = fork_copy_address_space(parent, child, self->stack_slot);
    mutex_unlock(&parent->lock);
    struct thread *t = err ? NULL : fork_copy_thread(child, self);
    if (!t) {
        process_free_resources(child);   /* drops the references taken */
        kfree(child);
        return err ? err : -ENOMEM;
    }
    return process_publish(child, t);
}
