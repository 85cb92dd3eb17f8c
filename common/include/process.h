/*
 * User processes: an address space (kernel half shared, user half private),
 * the user threads running in it, a file-descriptor table, and an exit
 * status the parent collects with waitpid.
 *
 * User address-space layout (all below USER_SPACE_END):
 *   0 .. USER_IMAGE_MIN          never mapped (NULL dereferences fault)
 *   ELF segments                 within [USER_IMAGE_MIN, USER_IMAGE_END)
 *   heap (sbrk)                  from the first page after the image, at most USER_HEAP_MAX
 *   thread stacks                slots below USER_STACK_TOP, USER_STACK_SLOT apart;
 *                                each grows on demand down to USER_STACK_LIMIT,
 *                                so unmapped gaps stay between them
 *
 * After fork, parent and child share their pages copy-on-write (PTE_COW,
 * page_ref.h); the page-fault handler copies a page on the first write.
 *
 * Locking: proc_lock (process.c) guards the process list, states and
 * parent links; p->lock (a mutex) guards p's memory ranges, heap and
 * thread list; fd.c has its own lock for the fd table.
 */
#pragma once

#include "mutex.h"
#include "types.h"
#include "abi.h"

struct process;
struct thread;
struct file;
struct trap_frame;

#include "elf.h"
#define USER_IMAGE_MIN ELF_USER_MIN               /* lowest address a segment may use */
#define USER_IMAGE_END ELF_USER_END               /* segments end below this */
#define USER_HEAP_MAX (1ull << 30)                /* sbrk may grow the heap to 1 GiB */
#define USER_STACK_TOP 0x00007FFFFFFFF000ull      /* top of the main thread's stack */
#define USER_STACK_INITIAL (8ull * 1024)          /* mapped when a thread starts */
#define USER_STACK_LIMIT (512ull * 1024)          /* a stack grows on demand to this size */
#define USER_STACK_SLOT (1ull << 20)              /* distance between stack tops */
#define PROC_MAX_THREADS 64
#define PROC_MAX_FDS 32
#define PROC_MAX_SEGMENTS ELF_MAX_SEGMENTS
#define SPAWN_MAX_ARGS 64                         /* argv entries */
#define SPAWN_MAX_ARG_BYTES 4096                  /* all argv strings together */

/* Exit status of a process killed by kill()/Ctrl-C, and by a fault. */
#define EXIT_STATUS_KILLED 137   /* 128 + SIGKILL, as a shell reports it */
#define EXIT_STATUS_FAULT 139    /* 128 + SIGSEGV */

#define PARENT_NONE (-1)     /* parent exited: the process reaps itself */

enum process_state { PROC_ALIVE, PROC_ZOMBIE };

struct mem_range {
    uint64_t start, end;     /* page aligned, [start, end) */
};

struct exit_hook {
    void (*fn)(struct process *p, void *data);
    void *data;
    struct exit_hook *next;
};

/* A user thread's exit record, so thread_join can collect its value. */
struct uthread_rec {
    int tid;
    bool done;
    uint64_t value;
    struct uthread_rec *next;
};

struct process {
    int pid;
    int parent;                          /* pid; 0: the kernel (waits); PARENT_NONE */
    char name[PROC_NAME_MAX];
    enum process_state state;
    int exit_status;
    bool exiting;                        /* exit or kill started: threads leave */
    uint64_t root;                       /* PML4 physical address */

    struct mutex lock;                   /* memory ranges, heap, threads below */
    struct mem_range segments[PROC_MAX_SEGMENTS];
    int nsegments;
    uint64_t heap_start, brk;            /* heap is [heap_start, ALIGN_UP(brk)) */
    uint64_t pages;                      /* user pages mapped (not page tables) */
    struct thread *threads;              /* live threads, linked by proc_next */
    int nthreads;
    uint64_t stack_slots;                /* bit i: stack slot i in use */
    struct uthread_rec *uthreads;
    struct waitqueue thread_exit_wq;     /* user thread_join waiters */

    struct spinlock fd_lock;
    struct file *fds[PROC_MAX_FDS];
    char cwd[PATH_MAX];                  /* canonical working directory (p->lock) */

    struct exit_hook *exit_hooks;
    bool hooks_done;                     /* exit hooks have run: no new ones */
    struct process *next;                /* global list */
};

/* Boot: the process subsystem (syscall MSRs included). */
void process_init(void);

/*
 * Create a process running the ELF file at path with the given argv
 * (kernel copies; argc entries). parent is the creating process's pid
 * (0 for the kernel). Returns the pid or a negative errno; on failure
 * nothing of the new process remains.
 */
int process_spawn(const char *path, int argc, char *const argv[], int parent);

/* Wait for child pid of parent (-1: any child) to exit; the status goes to
   *status. Returns the pid, -ECHILD when there is no such child, -EINTR
   when the waiter is killed. */
int process_wait(int parent, int pid, int *status);

/* Ask every thread of pid to exit with status. 0 or -ESRCH. */
int process_kill(int pid, int status);

/* Current thread's process (NULL for kernel threads). */
struct process *process_current(void);
/* Lookup by pid with the process list lock held briefly; the process may
   go away afterwards unless the caller is it or its parent. */
struct process *process_find(int pid);

/* Register fn(p, data) to run when p exits (before its memory is freed,
   in the context of p's last thread), e.g. to destroy the VMs it owns.
   Thread context. 0, -ENOMEM, or -ESRCH when p's hooks have already run. */
int process_add_exit_hook(struct process *p, void (*fn)(struct process *p, void *data), void *data);

/* Start a user thread in p at rip with rdi = arg on a new stack. Returns
   the tid or a negative errno (-EAGAIN: too many threads, -ENOMEM). */
int process_thread_create(struct process *p, uint64_t rip, uint64_t arg);
/* User thread_join: wait for tid of the current process. */
int process_thread_join(int tid, uint64_t *value);

/* Fill up to max entries of info; returns the number of processes. */
int process_list(struct proc_info *info, int max);

/* Grow or shrink the heap by incr bytes; returns the old break or -ENOMEM/-EINVAL. */
int64_t process_sbrk(struct process *p, int64_t incr);

/* Hooks for the scheduler and the thread code. */
uint64_t process_page_root(const struct process *p);
/* At the IRQ preempt point (interrupts off): a killed thread that was
   interrupted in user mode exits here. */
void process_preempt_check(void);
/* Called by thread_exit for a user thread (interrupts on). */
void process_thread_exiting(struct thread *t);
/* Called at the end of every syscall: exits the thread if it was killed. */
void process_syscall_exit_check(void);
