/*
 * The process code's own interface between its files: process.c (life
 * cycle), fork.c, exec.c. Nothing outside common/kernel/ includes this.
 * Locking as in process.h: p->lock for p's memory, proc_lock (process.c)
 * for the process list and thread lists.
 */
#pragma once

#include "process.h"

struct trap_frame;

/* Where a freshly loaded program starts (process_load_image). */
struct user_entry {
    uint64_t rip, rsp;      /* entry point; stack pointer at argc */
    uint64_t argc, argv;    /* rdi and rsi of _start; argv is a user address */
    int slot;               /* the main thread's stack slot */
};

/* A new process struct named after path's last component, with an empty
   address space (kernel half shared) and cwd "/"; not on the process list.
   NULL on out-of-memory. */
struct process *process_alloc(const char *path, int parent);
/* Free p's descriptors, user memory, page tables and thread records
   (p is not running, or is being torn down). */
void process_free_resources(struct process *p);
/* Free only p's user memory and page tables (p->root becomes 0). */
void process_free_memory(struct process *p);
/* Give p a pid, put it on the process list and start its first thread;
   returns the pid. */
int process_publish(struct process *p, struct thread *main);
/* The last component of path ("/bin/ls" -> "ls"). */
const char *process_basename(const char *path);

/* Read and load the ELF file at path into p's (empty) address space, map
   a main stack and write argv onto it; *e says where to start. 0 or a
   negative errno (the caller frees p's memory). */
int process_load_image(struct process *p, const char *path, int argc, char *const argv[],
                       struct user_entry *e);
/* Map the first pages of a free stack slot; its top, or -EAGAIN/-ENOMEM. */
int64_t process_stack_alloc(struct process *p, int *slot_out);
/* Unmap stack slot `slot` and mark it free. */
void process_stack_free(struct process *p, int slot);
/* The top (highest address + 1) of stack slot `slot`. */
uint64_t process_stack_top(int slot);
/* Write argc/argv System V style below top; the new rsp, *argv_out = argv. */
int64_t process_push_args(struct process *p, uint64_t top, int argc, char *const argv[],
                          uint64_t *argv_out);

/* A new, not yet started user thread of p on stack slot `slot` that
   enters ring 3 at rip with rsp = sp, rdi = a0, rsi = a1. NULL on
   out-of-memory. */
struct thread *uthread_new(struct process *p, int slot, uint64_t rip, uint64_t sp, uint64_t a0,
                           uint64_t a1);
/* The user register frame at the top of t's kernel stack: what the syscall
   entry saved while t is in a system call, and what t's first entry into
   ring 3 loads for a thread that has not run yet. */
struct trap_frame *thread_user_frame(struct thread *t);

/* Make every thread of p except self leave (as a kill does, but p goes on)
   and wait until they have: 0, or -EINTR when self is killed meanwhile. */
int process_stop_other_threads(struct process *p, struct thread *self);
/* Drop the join records of threads other than self (exec: they are gone). */
void process_forget_other_threads(struct process *p, struct thread *self);

/* fork.c: share parent's user memory copy-on-write with the (empty) child,
   the calling thread's stack slot `slot` included. Caller holds
   parent->lock. 0 or -ENOMEM/-EAGAIN; the child is freed on failure. */
int fork_copy_address_space(struct process *parent, struct process *child, int slot);

/* exec.c: give p the image loaded into img, with self the only thread
   left; afterwards img holds p's old memory for the caller to free. */
void exec_replace_image(struct process *p, struct process *img, struct thread *self,
                        const struct user_entry *e);

/* fork.c / exec.c, called by their system calls. */
int process_fork(void);
int process_exec(const char *path, int argc, char *const argv[]);
