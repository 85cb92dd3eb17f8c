/*
 * Processes: creation from an ELF file, user threads, exit and teardown,
 * waitpid, kill, exit hooks, ps. Where killed threads actually leave is in
 * process_exit_paths.c; user pages and sbrk are in user_memory.c, user
 * stacks in user_stack.c, fork and exec in fork.c and exec.c.
 *
 * Locking: proc_lock (spinlock) guards the process list, every process's
 * state, exit status, parent, thread list and user-thread records; it is
 * held only for short list work (interrupts off), never across sleeping
 * calls. p->lock (mutex) serialises changes to p's memory (sbrk, stacks).
 * A process is freed by whoever reaps it: its parent in waitpid, or its
 * last thread when nobody will wait (parent gone or the kernel).
 */
#include "cmdline.h"
#include "cwd.h"
#include "elf_loader.h"
#include "errno.h"
#include "fd.h"
#include "kheap.h"
#include "kprintf.h"
#include "kstring.h"
#include "panic.h"
#include "paging.h"
#include "pmm.h"
#include "process.h"
#include "process_internal.h"
#include "thread_internal.h"
#include "tty.h"
#include "user_memory.h"
#include "usermode.h"
#include "vfs.h"
#include "x86.h"

static struct spinlock proc_lock = SPINLOCK_INIT("proc");
static struct process *proc_head;
static struct waitqueue child_exit_wq = WAITQUEUE_INIT;
static int next_pid = 1;
static bool debug_proc;   /* `debug_proc` on the command line: log spawn and exit */

void process_init(void)
{
    usermode_init();
    debug_proc = cmdline_has("debug_proc");
}

struct process *process_current(void) { return thread_current()->process; }

uint64_t process_page_root(const struct process *p) { return p->root; }

/* Lookup with proc_lock held. */
static struct process *find_locked(int pid)
{
    for (struct process *p = proc_head; p; p = p->next)
        if (p->pid == pid)
            return p;
    return NULL;
}

struct process *process_find(int pid)
{
    spin_lock(&proc_lock);
    struct process *p = find_locked(pid);
    spin_unlock(&proc_lock);
    return p;
}

static void unlink_locked(struct process *p)
{
    for (struct process **pp = &proc_head; *pp; pp = &(*pp)->next) {
        if (*pp == p) {
            *pp = p->next;
            return;
        }
    }
}

const char *process_basename(const char *path)
{
    const char *b = path;
    for (const char *s = path; *s; s++)
        if (*s == '/' && s[1])
            b = s + 1;
    return b;
}

struct process *process_alloc(const char *path, int parent)
{
    struct process *p = kzalloc(sizeof(*p));
    if (!p)
        return NULL;
    p->root = paging_create_address_space();
    if (!p->root) {
        kfree(p);
        return NULL;
    }
    strlcpy(p->name, process_basename(path), sizeof(p->name));
    strlcpy(p->cwd, "/", sizeof(p->cwd));
    p->parent = parent;
    p->state = PROC_ALIVE;
    mutex_init(&p->lock, "process");
    p->fd_lock = (struct spinlock)SPINLOCK_INIT("fd table");
    return p;
}

void process_free_memory(struct process *p)
{
    for (int i = 0; i < p->nsegments; i++)
        umem_unmap_range(p, p->segments[i].start, p->segments[i].end);
    p->nsegments = 0;
    umem_unmap_range(p, p->heap_start, ALIGN_UP(p->brk, PAGE_SIZE));
    for (int slot = 0; slot < PROC_MAX_THREADS; slot++) {
        if (p->stack_slots & (1ull << slot)) {
            uint64_t top = process_stack_top(slot);
            umem_unmap_range(p, top - USER_STACK_LIMIT, top);
        }
    }
    p->stack_slots = 0;
    if (p->pages != 0)
        kprintf("process %s: %lu user pages not accounted for\n", p->name, p->pages);
    if (p->root)
        paging_destroy_address_space(p->root);
    p->root = 0;
}

void process_free_resources(struct process *p)
{
    fd_close_all(p);
    process_free_memory(p);
    while (p->uthreads) {
        struct uthread_rec *r = p->uthreads;
        p->uthreads = r->next;
        kfree(r);
    }
}

struct trap_frame *thread_user_frame(struct thread *t)
{
    return (struct trap_frame *)(t->kstack_top - sizeof(struct trap_frame));
}

/* Kernel half of every user thread: jump to ring 3 through the frame that
   process code prepared at the top of this thread's kernel stack. */
static void user_thread_entry(void *arg)
{
    struct thread *t = arg;
    cli();
    usermode_enter(thread_user_frame(t));
}

/*
 * A new (not yet started) user thread of p entering at rip with rdi = a0,
 * rsi = a1 and rsp = sp on stack slot `slot`. Links it into p and records
 * it for thread_join. NULL on out-of-memory.
 */
struct thread *uthread_new(struct process *p, int slot, uint64_t rip, uint64_t sp,
                                  uint64_t a0, uint64_t a1)
{
    struct uthread_rec *rec = kzalloc(sizeof(*rec));
    struct thread *t = rec ? thread_alloc(p->name, user_thread_entry, NULL) : NULL;
    if (!t) {
        kfree(rec);
        return NULL;
    }
    t->arg = t;
    t->process = p;
    t->stack_slot = slot;
    thread_detach(t);   /* user joins go through uthread_rec */
    usermode_frame_init(thread_prepare_user_frame(t), rip, sp, a0, a1);
    rec->tid = t->tid;
    spin_lock(&proc_lock);
    t->kill_pending = p->exiting;
    t->proc_next = p->threads;
    p->threads = t;
    p->nthreads++;
    rec->next = p->uthreads;
    p->uthreads = rec;
    spin_unlock(&proc_lock);
    return t;
}

int process_load_image(struct process *p, const char *path, int argc, char *const argv[],
                       struct user_entry *e)
{
    void *file;
    size_t size;
    int err = vfs_read_all(path, &file, &size);
    if (err)
        return err;
    uint64_t image_end;
    err = elf_load(p, file, size, &e->rip, &image_end);
    kfree(file);
    if (err)
        return err;
    p->heap_start = p->brk = image_end + PAGE_SIZE;   /* one unmapped page as a gap */
    int64_t top = process_stack_alloc(p, &e->slot);
    if (top < 0)
        return (int)top;
    int64_t sp = process_push_args(p, (uint64_t)top, argc, argv, &e->argv);
    if (sp < 0)
        return (int)sp;
    e->rsp = (uint64_t)sp;
    e->argc = (uint64_t)argc;
    return 0;
}

/* Load the program and build the main thread of p (not started). */
static int process_build(struct process *p, const char *path, int argc, char *const argv[],
                         struct thread **main_out)
{
    struct user_entry e;
    int err = process_load_image(p, path, argc, argv, &e);
    if (!err)
        err = fd_init_std(p);
    if (err)
        return err;
    *main_out = uthread_new(p, e.slot, e.rip, e.rsp, e.argc, e.argv);
    return *main_out ? 0 : -ENOMEM;
}

int process_publish(struct process *p, struct thread *main)
{
    spin_lock(&proc_lock);
    p->pid = next_pid++;
    p->next = proc_head;
    proc_head = p;
    int pid = p->pid;
    spin_unlock(&proc_lock);
    if (debug_proc)
        kprintf("[proc] new %s: pid %d, parent %d, %lu pages\n", p->name, pid, p->parent, p->pages);
    thread_start(main);
    return pid;
}

/* The working directory a new child of the calling context starts in. */
static void inherit_cwd(struct process *child)
{
    struct process *self = process_current();
    if (self)
        cwd_get(self, child->cwd);
}

int process_spawn(const char *path, int argc, char *const argv[], int parent)
{
    if (argc < 0 || argc > SPAWN_MAX_ARGS)
        return -E2BIG;
    if (parent < 0)
        return -EINVAL;
    struct process *p = process_alloc(path, parent);
    if (!p)
        return -ENOMEM;
    inherit_cwd(p);
    struct thread *main = NULL;
    int err = process_build(p, path, argc, argv, &main);
    if (err) {
        if (debug_proc)
            kprintf("[proc] spawn %s failed: %d\n", path, err);
        process_free_resources(p);
        kfree(p);
        return err;
    }
    return process_publish(p, main);
}

/* Start p's exit with status unless it has started already; tell every
   thread to leave and wake those that wait interruptibly. proc_lock held. */
static void kill_locked(struct process *p, int status)
{
    if (!p->exiting) {
        p->exiting = true;
        p->exit_status = status;
    }
    for (struct thread *t = p->threads; t; t = t->proc_next) {
        t->kill_pending = true;
        sched_wake_if_interruptible(t);
    }
}

int process_stop_other_threads(struct process *p, struct thread *self)
{
    spin_lock(&proc_lock);
    for (;;) {
        /* again on every round: a thread_create may have raced with us */
        for (struct thread *t = p->threads; t; t = t->proc_next) {
            if (t != self) {
                t->kill_pending = true;
                sched_wake_if_interruptible(t);
            }
        }
        if (p->nthreads <= 1)
            break;
        if (!waitqueue_wait_killable(&p->thread_exit_wq, &proc_lock)) {
            spin_unlock(&proc_lock);
            return -EINTR;
        }
    }
    spin_unlock(&proc_lock);
    return 0;
}

void process_forget_other_threads(struct process *p, struct thread *self)
{
    struct uthread_rec *gone = NULL;
    spin_lock(&proc_lock);
    for (struct uthread_rec **pp = &p->uthreads; *pp;) {
        struct uthread_rec *r = *pp;
        if (r->tid == self->tid) {
            pp = &r->next;
            continue;
        }
        *pp = r->next;
        r->next = gone;
        gone = r;
    }
    spin_unlock(&proc_lock);
    while (gone) {
        struct uthread_rec *r = gone;
        gone = r->next;
        kfree(r);
    }
}

int process_kill(int pid, int status)
{
    spin_lock(&proc_lock);
    struct process *p = find_locked(pid);
    if (!p || p->state != PROC_ALIVE) {
        spin_unlock(&proc_lock);
        return -ESRCH;
    }
    kill_locked(p, status);
    spin_unlock(&proc_lock);
    return 0;
}

/* Run and free p's exit hooks, including any a hook adds; afterwards
   process_add_exit_hook refuses p. */
static void run_exit_hooks(struct process *p)
{
    for (;;) {
        spin_lock(&proc_lock);
        struct exit_hook *list = p->exit_hooks;
        p->exit_hooks = NULL;
        if (!list)
            p->hooks_done = true;
        spin_unlock(&proc_lock);
        if (!list)
            return;
        while (list) {
            struct exit_hook *h = list;
            list = h->next;
            h->fn(p, h->data);
            kfree(h);
        }
    }
}

/* The last thread of p is leaving: run the exit hooks, free everything
   but the struct, become a zombie (or disappear if nobody will wait). */
static void process_teardown(struct process *p, struct thread *last)
{
    run_exit_hooks(p);
    if (debug_proc)
        kprintf("[proc] exit %s: pid %d, status %d, freeing %lu image+heap pages\n", p->name, p->pid,
                p->exit_status, p->pages);
    bool irq = irq_save();
    last->process = NULL;                 /* from now on a kernel thread */
    paging_switch(paging_kernel_root());
    irq_restore(irq);
    process_free_resources(p);

    struct process *free_list = NULL;
    spin_lock(&proc_lock);
    p->state = PROC_ZOMBIE;
    for (struct process **pp = &proc_head; *pp;) {
        struct process *c = *pp;
        if (c->parent == p->pid && c->state == PROC_ZOMBIE) {
            *pp = c->next;                 /* nobody will wait for it now */
            c->next = free_list;
            free_list = c;
            continue;
        }
        if (c->parent == p->pid)
            c->parent = PARENT_NONE;       /* orphan: reaps itself */
        pp = &c->next;
    }
    /* the kernel (parent 0) always collects what it spawned */
    struct process *parent = p->parent > 0 ? find_locked(p->parent) : NULL;
    bool orphan = p->parent == PARENT_NONE || (p->parent > 0 && (!parent || parent->state != PROC_ALIVE));
    if (orphan)
        unlink_locked(p);
    waitqueue_wake_all(&child_exit_wq);
    spin_unlock(&proc_lock);
    if (orphan)
        kfree(p);
    while (free_list) {
        struct process *c = free_list;
        free_list = c->next;
        kfree(c);
    }
}

void process_thread_exiting(struct thread *t)
{
    struct process *p = t->process;
    mutex_lock(&p->lock);
    process_stack_free(p, t->stack_slot);
    mutex_unlock(&p->lock);

    spin_lock(&proc_lock);
    for (struct thread **pp = &p->threads; *pp; pp = &(*pp)->proc_next) {
        if (*pp == t) {
            *pp = t->proc_next;
            break;
        }
    }
    bool last = --p->nthreads == 0;
    for (struct uthread_rec *r = p->uthreads; r; r = r->next) {
        if (r->tid == t->tid) {
            r->done = true;
            r->value = t->exit_value;
        }
    }
    if (!p->exiting && last) {
        p->exiting = true;    /* the last thread left without exit(): status 0 */
        p->exit_status = 0;
    }
    waitqueue_wake_all(&p->thread_exit_wq);
    spin_unlock(&proc_lock);
    if (last)
        process_teardown(p, t);
}

int process_wait(int parent, int pid, int *status)
{
    spin_lock(&proc_lock);
    for (;;) {
        bool have_child = false;
        struct process *zombie = NULL;
        for (struct process *c = proc_head; c; c = c->next) {
            if (c->parent != parent || (pid != -1 && c->pid != pid))
                continue;
            have_child = true;
            if (c->state == PROC_ZOMBIE) {
                zombie = c;
                break;
            }
        }
        if (!have_child) {
            spin_unlock(&proc_lock);
            return -ECHILD;
        }
        if (zombie) {
            unlink_locked(zombie);
            spin_unlock(&proc_lock);
            int zpid = zombie->pid;
            *status = zombie->exit_status;
            kfree(zombie);
            return zpid;
        }
        if (!waitqueue_wait_killable(&child_exit_wq, &proc_lock)) {
            spin_unlock(&proc_lock);
            return -EINTR;
        }
    }
}

int process_add_exit_hook(struct process *p, void (*fn)(struct process *p, void *data), void *data)
{
    struct exit_hook *h = kzalloc(sizeof(*h));
    if (!h)
        return -ENOMEM;
    h->fn = fn;
    h->data = data;
    spin_lock(&proc_lock);
    bool closed = p->hooks_done || p->state != PROC_ALIVE;
    if (!closed) {
        h->next = p->exit_hooks;
        p->exit_hooks = h;
    }
    spin_unlock(&proc_lock);
    if (closed) {
        kfree(h);
        return -ESRCH;
    }
    return 0;
}

int process_thread_create(struct process *p, uint64_t rip, uint64_t arg)
{
    if (p->exiting)
        return -EINTR;
    mutex_lock(&p->lock);
    int slot;
    int64_t top = process_stack_alloc(p, &slot);
    mutex_unlock(&p->lock);
    if (top < 0)
        return (int)top;
    /* as if called: rsp % 16 == 8 at entry, return address 0 (faults) */
    uint64_t sp = (uint64_t)top - 16;
    uint64_t zero = 0;
    umem_write(p, sp, &zero, 8);
    struct thread *t = uthread_new(p, slot, rip, sp, arg, 0);
    if (!t) {
        mutex_lock(&p->lock);
        process_stack_free(p, slot);
        mutex_unlock(&p->lock);
        return -ENOMEM;
    }
    int tid = t->tid;
    thread_start(t);
    return tid;
}

static struct uthread_rec *uthread_find_locked(struct process *p, int tid)
{
    for (struct uthread_rec *r = p->uthreads; r; r = r->next)
        if (r->tid == tid)
            return r;
    return NULL;
}

int process_thread_join(int tid, uint64_t *value)
{
    struct process *p = process_current();
    if (tid == thread_current()->tid)
        return -EDEADLK;
    spin_lock(&proc_lock);
    for (;;) {
        struct uthread_rec *r = uthread_find_locked(p, tid);
        if (!r) {
            spin_unlock(&proc_lock);
            return -ESRCH;
        }
        if (r->done) {
            for (struct uthread_rec **pp = &p->uthreads; *pp; pp = &(*pp)->next) {
                if (*pp == r) {
                    *pp = r->next;
                    break;
                }
            }
            spin_unlock(&proc_lock);
            *value = r->value;
            kfree(r);
            return 0;
        }
        if (!waitqueue_wait_killable(&p->thread_exit_wq, &proc_lock)) {
            spin_unlock(&proc_lock);
            return -EINTR;
        }
    }
}

int process_list(struct proc_info *info, int max)
{
    int n = 0;
    spin_lock(&proc_lock);
    for (struct process *p = proc_head; p; p = p->next, n++) {
        if (n >= max)
            continue;
        info[n] = (struct proc_info){
            .pid = p->pid,
            .parent = p->parent,
            .threads = p->nthreads,
            .state = p->state == PROC_ZOMBIE ? 1 : 0,
            .pages = p->pages,
        };
        strlcpy(info[n].name, p->name, sizeof(info[n].name));
    }
    spin_unlock(&proc_lock);
    return n;
}
