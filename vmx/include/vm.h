/*
 * The kernel API for virtual machines (used by the VM syscalls and the VMX
 * self test). The limits are the ABI's (uapi/vm_abi.h), defined once there. A VM owns: an EPT, the host pages backing its
 * guest memory (zeroed, allocated by the kernel, freed with the VM), and up
 * to VM_MAX_VCPUS vCPUs, each a kernel thread with its own VMCS.
 *
 * Life cycle: vm_create -> vm_map/vm_write/... -> vm_vcpu_create (one or more)
 * -> vm_start -> vm_wait / vm_kill -> vm_destroy. A VM runs once: after it
 * stopped it can be inspected (stats, info, trace, memory) and destroyed.
 *
 * Ids: VMs are numbered like processes, 1, 2, 3, ... in creation order and
 * never reused during a boot (at most VM_MAX_VMS are alive at once); the id
 * is used in console prefixes "[vmN] " and by vm_lookup(). References: vm_create returns one reference,
 * vm_lookup takes another, vm_put drops one; vm_destroy stops the VM, frees
 * its memory and vCPUs, unregisters the id and drops the creator's
 * reference; the struct itself goes when the last reference is dropped.
 *
 * Context: all functions may sleep (mutex), call them from threads with
 * interrupts on, never from interrupt handlers. Errors are negative errno:
 * -ENODEV (no VT-x), -EINVAL (bad argument), -ENOMEM, -EEXIST (overlap),
 * -ENOENT (range not mapped), -EBUSY (wrong state), -ETIMEDOUT, -E2BIG (limit),
 * -ESRCH (the VM was destroyed while the caller still held a reference).
 */
#pragma once

#include "types.h"
#include "uapi/vm_abi.h"
#include "vmx_arch.h"
#include "vmx_state.h"
#include "vmx_stats.h"

#define VM_CONSOLE_CAPTURE 512        /* console bytes kept per VM */

/* Guest memory rights: VM_R, VM_W, VM_X of the ABI (the EPT bits).
   0 = present but inaccessible. */
#define VM_RWX (VM_R | VM_W | VM_X)

enum vm_state { VM_STATE_CREATED, VM_STATE_RUNNING, VM_STATE_STOPPED };

/* Why a vCPU or VM stopped. */
enum vm_stop_kind {
    VM_STOP_NONE,
    VM_STOP_HALTED,          /* "halted" */
    VM_STOP_EXIT_CODE,       /* "exit code K" (HC_EXIT) */
    VM_STOP_EPT_VIOLATION,   /* "EPT violation: read at GPA 0x... (rip 0x...)" */
    VM_STOP_EPT_MISCONFIG,   /* "EPT misconfiguration at GPA 0x... (entry ...)" */
    VM_STOP_TRIPLE_FAULT,    /* "triple fault (rip 0x...)" */
    VM_STOP_KILLED,          /* "killed" */
    VM_STOP_TIMEOUT,         /* "timeout" (time limit) */
    VM_STOP_UNHANDLED,       /* "unhandled exit NAME" */
    VM_STOP_ENTRY_FAILED,    /* "entry failed: ..." */
    VM_STOP_INIT_SIPI,       /* "INIT signal" / "SIPI" */
    VM_STOP_ERROR,           /* host-side failure, text says what */
    VM_STOP_RESET,           /* "reset": the guest reset the machine (8042, port 0x92) */
};

#define VM_STOP_TEXT_MAX VM_REASON_LEN

/* How a vCPU starts. regs are the initial GPRs in SDM order (0 RAX, 1 RCX,
   2 RDX, 3 RBX, 4 unused (rsp below), 5 RBP, 6 RSI, 7 RDI, 8-15 R8-R15). */
struct vm_vcpu_params {
    enum vmx_mode mode;      /* VMX_MODE_REAL, _PROT32, _LONG64 */
    uint64_t entry;          /* guest RIP (real mode: CS = 0, IP = entry, < 64 KiB) */
    uint64_t rsp;
    uint64_t cr3;            /* long64: guest-physical PML4 (see vm_build_long_mode_tables) */
    uint64_t gdtr_base;      /* long64: optional GDT; 0/0 = none */
    uint32_t gdtr_limit;
    uint64_t regs[16];
};

struct vm_info {
    int id;
    enum vm_state state;
    enum vm_stop_kind stop_kind;
    int64_t exit_code;                 /* for VM_STOP_EXIT_CODE */
    char stop_text[VM_STOP_TEXT_MAX];  /* "" while running */
    int vcpus;
    uint64_t mem_pages;                /* backing pages owned */
    uint64_t table_pages;              /* EPT paging-structure pages */
    uint64_t time_limit_ms;
};

struct vm;

/* Create an empty VM (enters VMX root operation on first use). */
int vm_create(struct vm **out);
/* Stop (kill) the VM if it runs, wait for its vCPU threads, free its memory,
   EPT and VMCSs, unregister its id and drop the creator's reference. */
int vm_destroy(struct vm *vm);
int vm_id(const struct vm *vm);
/* Find a live VM by id and take a reference (NULL if none). */
struct vm *vm_lookup(int id);
/* How many ids were handed out since boot (the highest id so far, 0: none). */
int vm_ids_issued(void);
void vm_put(struct vm *vm);
/* Fill ids with up to max live VM ids (ascending); returns how many exist. */
int vm_list(int *ids, int max);

/* Map [gpa, gpa+size) with new zeroed backing pages and rights (VM_R/W/X,
   W needs R). Page aligned, below 512 GiB, within VM_MEM_LIMIT in total, no
   overlap with mapped pages (-EEXIST). 2 MiB EPT pages where the range allows.
   -ENOMEM past vm_guest_pages_cap() or when the host runs out of pages; then
   nothing stays mapped or allocated (the rollback itself allocates nothing). */
int vm_map(struct vm *vm, uint64_t gpa, uint64_t size, unsigned rights);
/* The guest memory all VMs together may hold (pages): RAM less an eighth
   (at least 16 MiB) that the host keeps; vm_map beyond it fails with
   -ENOMEM before allocating. And how much of it is taken now. */
uint64_t vm_guest_pages_cap(void);
uint64_t vm_guest_pages_charged(void);
/* Make [gpa, gpa+size) a second view of the mapped memory at [src, src+size)
   with its own rights (at least R; W needs R); both views stay for the VM's
   life (vm_unmap of either: -EBUSY). 0, -EINVAL (alignment, rights, the
   ranges overlap), -ENOENT (source not mapped, or an alias), -EEXIST
   (target mapped), -E2BIG (VM_MAX_ALIASES), -ENOMEM. Used for firmware. */
int vm_alias(struct vm *vm, uint64_t gpa, uint64_t src, uint64_t size, unsigned rights);
/* Unmap every mapped page in the range and free its backing (INVEPT first). */
int vm_unmap(struct vm *vm, uint64_t gpa, uint64_t size);
/* Change rights of a mapped range (-ENOENT if a page is not mapped); rights 0
   keeps the memory but makes every access an EPT violation. */
int vm_protect(struct vm *vm, uint64_t gpa, uint64_t size, unsigned rights);
/* Copy between kernel memory and guest memory (any alignment; ignores EPT
   rights; -ENOENT if a page is not mapped). */
int vm_write(struct vm *vm, uint64_t gpa, const void *src, size_t len);
int vm_read(struct vm *vm, uint64_t gpa, void *dst, size_t len);
/* Write identity page tables (PML4, PDPT, one PD of 2 MiB pages = the first
   1 GiB) and a GDT (null, 64-bit code 0x08, data 0x10) into the 4 pages at
   gpa, which must be mapped writable; sets p->cr3, gdtr_base and gdtr_limit. */
int vm_build_long_mode_tables(struct vm *vm, uint64_t gpa, struct vm_vcpu_params *p);
#define VM_LONG_MODE_TABLES_SIZE 0x4000ull

/* Add a vCPU (before vm_start); returns its index (0, 1, ...) or an error. */
int vm_vcpu_create(struct vm *vm, const struct vm_vcpu_params *p);
/* Limit each vCPU's time (0 = none): guest time plus the host time spent
   handling its exits; enforced with the VMX-preemption timer and checked at
   every host tick, the VM stops with "timeout". Before vm_start. */
int vm_set_time_limit(struct vm *vm, uint64_t ms);
/* Start every vCPU thread. -EBUSY if already started, -EINVAL without vCPUs. */
int vm_start(struct vm *vm);
/* Wait until the VM stopped: 0, or -ETIMEDOUT after timeout_ms (0 = forever). */
int vm_wait(struct vm *vm, uint64_t timeout_ms);
/* Ask every vCPU to stop ("killed"); returns at once (vm_wait to wait). */
int vm_kill(struct vm *vm);

void vm_get_info(struct vm *vm, struct vm_info *info);
/* Statistics summed over the VM's vCPUs; vm == NULL: system-wide since boot. */
void vm_get_stats(struct vm *vm, struct vmx_stats *out);
/* The last exits of vCPU `vcpu`, oldest first; returns the count or -EINVAL. */
int vm_get_trace(struct vm *vm, int vcpu, struct vmx_trace_entry *out, size_t max);
/* Call fn for every traced exit of every vCPU (each vCPU's oldest first,
   e->vcpu filled in), with vm's lock held: 0 or -ESRCH. */
typedef void (*vm_trace_visitor)(const struct vmx_trace_entry *e, void *ctx);
int vm_visit_trace(struct vm *vm, vm_trace_visitor fn, void *ctx);
/* Guest GPRs of a stopped vCPU (SDM order, as in vm_vcpu_params.regs); -EBUSY while it runs. */
int vm_get_regs(struct vm *vm, int vcpu, uint64_t regs[16]);
/* The last up to VM_CONSOLE_CAPTURE bytes the guest printed (port 0xE9,
   COM1, write hypercall), NUL-terminated in buf; returns the length. */
size_t vm_get_console(struct vm *vm, char *buf, size_t size);
/* Text of a stop kind's reason ("halted", ...) for messages. */
const char *vm_stop_kind_name(enum vm_stop_kind k);
