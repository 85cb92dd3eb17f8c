/*
 * struct vm, shared by the files of vmx/ only (others use vm.h).
 * Locking: vm->lock (mutex) serialises memory changes, vCPU creation, start
 * and destroy; vm->stop_lock (spinlock, interrupt-safe) protects the stop
 * state that vCPU threads update and vm_wait waits on.
 */
#pragma once

#include "ept.h"
#include "errno.h"
#include "mutex.h"
#include "platform.h"
#include "spinlock.h"
#include "vcpu.h"
#include "vm.h"
#include "waitqueue.h"

struct vm {
    int id;
    int refs;                        /* under the registry lock (vm.c) */
    bool registered;
    enum vm_state state;
    struct mutex lock;
    struct ept ept;
    struct vm_platform platform;     /* the PC devices on its port-I/O bus (platform.h) */
    uint64_t mem_pages;              /* backing pages mapped */
    int naliases;                    /* second views of mapped memory (vm_alias.c) */
    struct vm_alias_range { uint64_t gpa, src, size; } aliases[VM_MAX_ALIASES];
    uint64_t time_limit_ms;
    int nvcpus;
    struct vcpu *vcpus[VM_MAX_VCPUS];
    /* stop state, under stop_lock */
    struct spinlock stop_lock;
    struct waitqueue stopped_wq;
    int running_vcpus;
    enum vm_stop_kind stop_kind;
    int64_t exit_code;
    char stop_text[VM_STOP_TEXT_MAX];
    /* the last guest console bytes (all vCPUs), under stop_lock */
    char console[VM_CONSOLE_CAPTURE];
    size_t console_len;
};

/* Take vm->lock for a change or a consistent read and say whether the VM
   is still live: 0, or -ESRCH once vm_destroy ran (a holder of a reference
   may still call in). The lock is held either way; the caller unlocks. */
static inline int vm_lock_checked(struct vm *vm)
{
    mutex_lock(&vm->lock);
    return vm->registered ? 0 : -ESRCH;
}

/* Remember guest console bytes for vm_get_console() (the newest are kept). */
void vm_console_capture(struct vm *vm, const char *s, size_t n);

/* The vCPU thread v has finished (v->stop_kind/stop_text say why); wakes
   vm_wait when it was the last one. */
void vm_vcpu_stopped(struct vm *vm, struct vcpu *v);
/* A VM-wide stop reason: the first one recorded is the VM's; every vCPU is
   asked to stop. Any context with interrupts off or on. */
void vm_record_stop(struct vm *vm, enum vm_stop_kind kind, int64_t code, const char *text);
/* Invalidate EPT-derived translations after rights were removed (INVEPT). */
void vm_flush_ept(struct vm *vm);
/* Host pointer for guest-physical gpa (valid to the end of its 4 KiB page), NULL
   if unmapped. need: EPT rights the access needs (0: ignore rights). */
void *vm_gpa_to_host(struct vm *vm, uint64_t gpa, uint64_t need);

/* Shared all-ones I/O and MSR bitmaps (vm_bitmaps in vm.c). */
struct vmx_bitmaps {
    uint64_t io_a, io_b, msr;
};
extern struct vmx_bitmaps vmx_bitmaps;

/* True when [gpa, gpa+size) overlaps an alias or the memory an alias shows
   (such memory cannot be unmapped: the alias would outlive its pages). */
bool vm_alias_touches(const struct vm *vm, uint64_t gpa, uint64_t size);

/* Free every backing page and the EPT of a VM that no longer runs (vm_memory.c). */
void vm_free_memory(struct vm *vm);

/* Add a stopped vCPU's statistics to the system-wide totals (vm.c). */
void vm_stats_retire(const struct vmx_stats *s);

/* For the GDB stub only, with the kernel stopped (nothing else runs): the VM
   in registry slot i (0 <= i < VM_MAX_VMS) or NULL; no lock, no reference. */
struct vm *vm_debug_slot(int i);
