/*
 * The syscall layer's view of a VM (vmx/vm_handles.c): which process owns
 * it, the mappings it was given, what vm_load found, and the records of
 * destroyed VMs that vm_info/vm_stats still report. The VMX core (vm.h)
 * knows nothing of processes; this is where ownership lives.
 *
 * Locking: one mutex (vm_handles_lock / vm_handles_unlock) guards every
 * handle and the archive; the VM syscalls hold it for everything except
 * the blocking part of vm_wait. Everything is static: no allocation, so
 * creating and destroying VMs leaves the heap as it was.
 */
#pragma once

#include "types.h"
#include "uapi/vm_abi.h"
#include "vm_args.h"

struct vm;

struct vm_handle {
    bool used;
    int id;                        /* = vm_id(vm) */
    int owner;                     /* pid */
    int owner_parent;              /* the owner's parent pid (0: the kernel) */
    struct vm *vm;                 /* the creator's reference (vm_create) */
    struct vm_region_set regions;  /* what vm_map/unmap/protect made */
    uint32_t naliases;             /* what vm_alias made (vm_boot_syscalls.c) */
    struct vm_alias_info aliases[VM_MAX_ALIASES];
    uint64_t load_entry;           /* last vm_load */
    unsigned load_mode;
    uint64_t timeout_ms;
    uint64_t start_tsc;            /* TSC at vm_start, 0 before */
};

void vm_handles_lock(void);
void vm_handles_unlock(void);

/* A free handle for vm, owned by the caller or (for_parent) by the caller's
   parent; lock held. 0, -ENOSPC, -ESRCH (no parent). Registers an exit hook
   on the owner so its exit destroys the VM. */
int vm_handle_add(struct vm *vm, bool for_parent, struct vm_handle **out);
/* The handle of VM id for the calling process, lock held: 0, -ESRCH (no
   such VM), -EPERM (modify, and the caller is not the owner, not a child of
   the owner, and not a sibling of the owner: commands started by the same
   shell may change each other's VMs, other processes may not). */
int vm_handle_get(int id, bool modify, struct vm_handle **out);
/* Kill, archive and destroy the VM of h and free h (lock held). */
void vm_handle_destroy(struct vm_handle *h);
/* Fill ids with the live VM ids (ascending), up to max; returns how many. */
int vm_handle_list(int32_t *ids, int max);

/* Records of destroyed VMs (the last VM_ARCHIVE_SIZE). */
#define VM_ARCHIVE_SIZE VM_KEPT_RECORDS
struct vm_archived {
    struct vm_status status;
    struct vm_stats stats;
};
/* The archived records of VM id, or NULL (lock held). */
const struct vm_archived *vm_archive_find(int id);
