/*
 * exec(path, argv): replace the calling process's program. The new image
 * is built completely in a separate address space first (held by a
 * scratch struct process), so a missing file, a bad ELF or a lack of
 * memory leaves the old image untouched and exec just returns the error.
 * Only then are the other threads stopped, the address spaces swapped, and
 * the calling thread's saved user registers set to the new entry point,
 * so that the system call "returns" into the new program. The pid, the
 * parent, the open files and the working directory stay.
 * Thread context, in the exec system call of the process itself.
 */
#include "cpu_state.h"
#include "errno.h"
#include "kheap.h"
#include "kstring.h"
#include "paging.h"
#include "process_internal.h"
#include "thread_internal.h"
#include "trapframe.h"
#include "usermode.h"
#include "x86.h"

#define SWAP(x, y)              \
    do {                        \
        __typeof__(x) t_ = (x); \
        (x) = (y);              \
        (y) = t_;               \
    } while (0)

/* Exchange the user memory of a and b (page tables, ranges, page count). */
static void swap_memory(struct process *a, struct process *b)
{
    SWAP(a->root, b->root);
    for (int i = 0; i < PROC_MAX_SEGMENTS; i++)
        SWAP(a->segments[i], b->segments[i]);
    SWAP(a->nsegments, b->nsegments);
    SWAP(a->heap_start, b->heap_start);
    SWAP(a->brk, b->brk);
    SWAP(a->pages, b->pages);
    SWAP(a->stack_slots, b->stack_slots);
}

/* Make self's return to user mode enter the new program: entry point,
   stack with argc/argv, every other register zero, a fresh FPU state. */
static void exec_start_frame(struct thread *self, const struct user_entry *e)
{
    // SOLUTION(A3-exec) BEGIN: self's saved user frame: the new entry, the stack with argc/argv (usermode_frame_init), still in the system call; a fresh FPU state, loaded
    struct trap_frame *f = thread_user_frame(self);
    usermode_frame_init(f, e->rip, e->rsp, e->argc, e->argv);
    f->vector = SYSCALL_VECTOR;   /* still in the system call (process_exit_paths.c) */
    bool irq = irq_save();
    cpu_fpu_init_image(self->fpu);
    cpu_fpu_restore(self->fpu);
    irq_restore(irq);
    // SOLUTION(A3-exec) END
}

/*
 * Give p the image loaded into img (the only thread left is self): swap
 * the address spaces, load the new one, name p after the program, and
 * set self up to start it. Afterwards img holds p's old memory, which the
 * caller frees.
 */
void exec_replace_image(struct process *p, struct process *img, struct thread *self,
                        const struct user_entry *e)
{
    // SOLUTION(A3-exec) BEGIN: under p->lock swap p's and img's memory, switch to the new page tables (interrupts off) and take the new stack slot; rename p and self; forget the other threads; set up self's start frame
    // SOLUTION(A3-exec) STUB: (void)swap_memory;
    // SOLUTION(A3-exec) STUB: (void)exec_start_frame;
    mutex_lock(&p->lock);
    swap_memory(p, img);
    bool irq = irq_save();
    paging_switch(p->root);       /* the old root is freed next */
    self->stack_slot = e->slot;
    irq_restore(irq);
    strlcpy(p->name, img->name, sizeof(p->name));
    strlcpy(self->name, img->name, sizeof(self->name));
    mutex_unlock(&p->lock);
    process_forget_other_threads(p, self);
    exec_start_frame(self, e);
    // SOLUTION(A3-exec) END
}

int process_exec(const char *path, int argc, char *const argv[])
{
    struct process *p = process_current();
    struct thread *self = thread_current();
    if (argc < 0 || argc > SPAWN_MAX_ARGS)
        return -E2BIG;
    if (p->exiting)
        return -EINTR;
    struct process *img = process_alloc(path, p->pid);   /* holds the new image */
    if (!img)
        return -ENOMEM;
    struct user_entry e;
    int err = process_load_image(img, path, argc, argv, &e);
    if (!err)
        err = process_stop_other_threads(p, self);
    if (!err)
        exec_replace_image(p, img, self, &e);
    process_free_resources(img);   /* the new image on failure, else the old one */
    kfree(img);
    return err;
}
