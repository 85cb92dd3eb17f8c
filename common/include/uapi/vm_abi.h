/*
 * VM system calls: numbers, constants and the records they fill in.
 * Shared by the kernel (vmx/vm_syscalls.c) and userspace (libc vm.h), so it
 * is plain C with fixed-width types and no kernel includes.
 * docs/vm-api.md gives each call's exact semantics and errors.
 *
 * Calling convention: as every syscall (uapi/syscall_nr.h): rax = number,
 * arguments in rdi, rsi, rdx, r10, r8; result >= 0 or -errno.
 * VM ids count up from 1 since boot and are never reused.
 */
#pragma once

#include <stdint.h>

/* ---- syscall numbers (64..95, see SYS_VM_FIRST in syscall_nr.h) ---- */
#define SYS_VM_CREATE 64       /* vm_create(flags) -> vm id */
#define SYS_VM_DESTROY 65      /* vm_destroy(vm) -> 0 */
#define SYS_VM_MAP 66          /* vm_map(vm, gpa, size, rights) -> 0 */
#define SYS_VM_UNMAP 67        /* vm_unmap(vm, gpa, size) -> 0 */
#define SYS_VM_PROTECT 68      /* vm_protect(vm, gpa, size, rights) -> 0 */
#define SYS_VM_WRITE 69        /* vm_write(vm, gpa, const void *buf, len) -> len */
#define SYS_VM_READ 70         /* vm_read(vm, gpa, void *buf, len) -> len */
#define SYS_VM_LOAD 71         /* vm_load(vm, path, gpa, struct vm_load_info *) -> 0 */
#define SYS_VM_VCPU_CREATE 72  /* vm_vcpu_create(vm, mode, entry, const struct vm_regs *) -> index */
#define SYS_VM_START 73        /* vm_start(vm) -> 0 */
#define SYS_VM_WAIT 74         /* vm_wait(vm, timeout_ms) -> 0 stopped, -ETIMEDOUT */
#define SYS_VM_KILL 75         /* vm_kill(vm) -> 0 */
#define SYS_VM_STATS 76        /* vm_stats(vm or VM_ALL, struct vm_stats *) -> 0 */
#define SYS_VM_INFO 77         /* vm_info(vm, struct vm_status *) -> 0 (also for destroyed VMs) */
#define SYS_VM_LIST 78         /* vm_list(int32_t *ids, max) -> number of VMs */
#define SYS_VM_TRACE 79        /* vm_trace(vm, struct vm_trace_entry *, max) -> count */
#define SYS_VM_SET_TIMEOUT 80  /* vm_set_timeout(vm, ms) -> 0: stop "timeout" after ms of running */
/* the virtual PC's devices (vmx/vm_platform_syscalls.c) */
#define SYS_VM_CONSOLE_INPUT 86 /* vm_console_input(vm, const char *buf, len) -> bytes the guest's
                                   COM1 took (its receive FIFO holds 16; 0: full, try again) */
#define VM_CONSOLE_INPUT_MAX 256  /* bytes looked at per call */
#define SYS_VM_NMI 87          /* vm_nmi(vm) -> 0: an NMI for vCPU 0 (a PC's front-panel NMI) */
/* guest memory views and firmware/kernel loaders (vmx/vm_boot_syscalls.c) */
#define SYS_VM_ALIAS 90        /* vm_alias(vm, gpa, size, src_gpa, rights) -> 0 */
#define SYS_VM_LOAD_FIRMWARE 91 /* vm_load_firmware(vm, path, struct vm_firmware_info *) -> 0 */
#define SYS_VM_LOAD_LINUX 92   /* vm_load_linux(vm, struct vm_linux_load *) -> 0 */
/* VM-exit breakpoints of the shell (vmx/vm_break_syscalls.c) */
#define SYS_VM_BREAK 93        /* vm_break(vm, "REASON [count K] [FILTER=N]" or "clear") -> 0 */
#define SYS_VM_CONTINUE 94     /* vm_continue(vm) -> vCPUs resumed */
#define SYS_VM_PAUSED 95       /* vm_paused(vm, char *buf, size) -> vCPUs paused (buf: where) */

/* ---- limits ---- */
#define VM_PAGE_SIZE 4096ull
#define VM_GPA_LIMIT (1ull << 32)       /* guest-physical addresses below 4 GiB */
#define VM_MEM_LIMIT (256ull << 20)     /* backing memory per VM (if the host has it) */
#define VM_LONG64_IDENTITY (1ull << 30) /* VM_MODE_LONG64 maps the first 1 GiB */
#define VM_MAX_VMS 16                   /* VMs alive at once, system wide */
#define VM_MAX_VCPUS 8                  /* vCPUs per VM */
#define VM_MAX_REGIONS 32               /* vm_map calls alive per VM */
#define VM_KEPT_RECORDS 16              /* destroyed VMs whose vm_info/vm_stats/vm_trace
                                           records are kept (the newest ones) */
#define VM_RW_MAX (1ull << 20)          /* bytes per vm_read / vm_write call */
#define VM_GUEST_FILE_MAX (16ull << 20) /* largest guest file vm_load accepts */

/* vm_create flags */
#define VM_CREATE_FOR_PARENT 1u   /* owner is the caller's parent (the shell), so the
                                     VM outlives a `vm create` command */

/* EPT rights for vm_map / vm_protect (same bits as an EPT entry, SDM 28.2.2).
   0 = no access (the pages stay, every access is an EPT violation).
   Write needs read (W without R is an EPT misconfiguration, SDM 28.2.3.1). */
#define VM_R 1u
#define VM_W 2u
#define VM_X 4u
#define VM_RIGHTS_MASK 7u

/* vm_load: gpa value meaning "ELF file, segments at their physical addresses" */
#define VM_LOAD_ELF UINT64_MAX

/* start modes for vm_vcpu_create */
#define VM_MODE_REAL 1     /* 16-bit real mode (unrestricted guest), CS = 0 */
#define VM_MODE_PROT32 2   /* 32-bit protected mode, flat 4 GiB segments, no paging */
#define VM_MODE_LONG64 3   /* 64-bit long mode, identity paging built by the kernel */
#define VM_MODE_RESET 4    /* the power-on state: real mode, CS F000 base FFFF0000, IP FFF0
                              (SDM Vol. 3A 9.1.4); the entry argument is ignored */
#define VM_MODE_LINUX64 5  /* the Linux 64-bit boot protocol entry: long mode, identity
                              paging of 4 GiB and a GDT built by the kernel at
                              0x8000-0xEFFF, CS 0x10, DS/ES/SS 0x18, RSI from regs */

/* vm_wait timeout: block until the VM stops */
#define VM_WAIT_FOREVER UINT64_MAX

/* vm_stats: all VMs since boot */
#define VM_ALL 0

/* Initial general registers of a vCPU (vm_vcpu_create; NULL = all zero).
   rbx is overwritten with the vCPU index when rbx_is_index is set.
   RFLAGS always starts as 0x2 (interrupts off). */
struct vm_regs {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint32_t rbx_is_index;  /* 1: rbx = index of the new vCPU */
    uint32_t reserved;
};

/* What vm_load found (may be NULL). */
struct vm_load_info {
    uint64_t entry;      /* ELF: e_entry; flat: the load address */
    uint64_t lowest;     /* lowest guest-physical byte written */
    uint64_t highest;    /* one past the highest byte written (bss included) */
    uint32_t mode;       /* ELF32 -> VM_MODE_PROT32, ELF64 -> VM_MODE_LONG64, flat 0 */
    uint32_t segments;   /* PT_LOAD segments loaded (flat: 1) */
};

/* ---- VM state and why it stopped (struct vm_status) ---- */
#define VM_IS_CREATED 0      /* vCPUs may be added; not started yet */
#define VM_IS_RUNNING 1
#define VM_IS_STOPPED 2      /* a VM runs once; it can still be inspected */
#define VM_IS_DESTROYED 3    /* only in records of VMs that no longer exist */

#define VM_STOPPED_NONE 0
#define VM_STOPPED_HALTED 1          /* "halted": every vCPU executed HLT */
#define VM_STOPPED_EXIT 2            /* "exit code K": HC_EXIT, exit_code = K */
#define VM_STOPPED_EPT_VIOLATION 3   /* "EPT violation: write at GPA 0x... (rip 0x...)" */
#define VM_STOPPED_EPT_MISCONFIG 4   /* "EPT misconfiguration at GPA ..." */
#define VM_STOPPED_TRIPLE_FAULT 5    /* "triple fault (rip 0x...)" */
#define VM_STOPPED_KILLED 6          /* "killed": vm_kill, vm_destroy or owner exit */
#define VM_STOPPED_TIMEOUT 7         /* "timeout": vm_set_timeout limit reached */
#define VM_STOPPED_UNHANDLED 8       /* "unhandled exit NAME" */
#define VM_STOPPED_ENTRY_FAILED 9    /* "entry failed: ..." */
#define VM_STOPPED_INIT_SIPI 10      /* INIT or SIPI signal */
#define VM_STOPPED_ERROR 11          /* host-side failure, the text says what */
#define VM_STOPPED_RESET 12          /* "reset": the guest reset the machine (8042 0xFE, port 0x92) */

#define VM_NAME_LEN 24            /* exit-reason names (NUL terminated) */
#define VM_REASON_LEN 160         /* stop reason text */

/* vm_alias: at most this many aliases per VM; they live as long as the VM */
#define VM_MAX_ALIASES 4

struct vm_alias_info {
    uint64_t gpa, size;       /* the second view [gpa, gpa + size) ... */
    uint64_t src;             /* ... of the memory mapped at [src, src + size) */
    uint32_t rights;          /* its own EPT rights */
    uint32_t reserved;
};

/* vm_load_firmware: a 64, 128 or 256 KiB image, mapped read/execute-only so
   that it ends at 4 GiB, its last 128 KiB (all of a smaller one) also
   visible, writable, below 1 MiB (0xE0000 or 0xF0000 up to 0x100000). */
#define VM_FIRMWARE_LOW_MAX (128ull << 10)
struct vm_firmware_info {
    uint64_t rom_gpa, rom_size;     /* the image below 4 GiB */
    uint64_t low_gpa, low_size;     /* its alias below 1 MiB */
};

/* vm_load_linux: a bzImage (boot protocol 2.12 or later) with an optional
   initrd and command line into RAM the caller mapped (docs/vm-api.md).
   On success the outputs say where everything went; start the vCPU with
   VM_MODE_LINUX64 at entry with RSI = boot_params. On a refused image,
   error says why (also when the call fails). */
#define VM_LINUX_CHECK_ONLY 1u   /* only open the files and check the bzImage header
                                    (no memory needed, nothing written) */
struct vm_linux_load {
    uint64_t kernel;          /* in: path of the bzImage (user pointer) */
    uint64_t initrd;          /* in: path of the initrd, 0 = none */
    uint64_t cmdline;         /* in: the command line, 0 = empty */
    uint32_t flags;           /* in: VM_LINUX_CHECK_ONLY */
    uint32_t reserved;
    uint64_t entry;           /* out: 64-bit entry point (load address + 0x200) */
    uint64_t boot_params;     /* out: guest-physical address of boot_params */
    uint64_t kernel_gpa, kernel_size;   /* out: where the protected-mode kernel went */
    uint64_t initrd_gpa, initrd_size;   /* out */
    uint32_t protocol;        /* out: boot protocol version, 0x020f = 2.15 */
    uint32_t e820_entries;    /* out */
    char error[VM_REASON_LEN];  /* out: why it was refused ("" on success) */
};

/* One exit as recorded in a vCPU's trace ring (newest last). */
struct vm_trace_entry {
    uint32_t reason;          /* basic exit reason (SDM App. C) */
    uint32_t vcpu;
    uint64_t rip;             /* guest RIP of the exiting instruction */
    uint64_t qualification;   /* exit qualification (SDM 27.2.1) where the handler
                                 reads one, else 0; CPUID: the leaf (guest EAX);
                                 RDMSR/WRMSR: the MSR index (guest ECX) */
    uint64_t gpa;             /* guest-physical address (EPT exits), else 0 */
    uint64_t cycles;          /* TSC cycles the host spent handling it */
    char name[VM_NAME_LEN];
};

#define VM_INFO_TRACE 8
#define VM_INFO_REGIONS 16

struct vm_region_info {
    uint64_t gpa, size;
    uint32_t rights;          /* VM_R | VM_W | VM_X of the mapping as created */
    uint32_t reserved;
};

struct vm_status {
    int32_t id;
    int32_t owner;            /* pid */
    uint32_t state;           /* VM_IS_* */
    uint32_t stop_code;       /* VM_STOPPED_* */
    int64_t exit_code;        /* VM_STOPPED_EXIT: the guest's code */
    uint32_t vcpus;
    uint32_t regions;         /* mappings alive (first VM_INFO_REGIONS listed) */
    uint64_t mem_bytes;       /* backing memory mapped */
    uint64_t exits;           /* VM exits so far */
    uint64_t load_entry;      /* entry of the last vm_load (0: none) */
    uint32_t load_mode;       /* mode of the last ELF vm_load (0: flat or none) */
    uint32_t timeout_ms;      /* vm_set_timeout value (0: none) */
    char stop_reason[VM_REASON_LEN];  /* e.g. "halted", "EPT violation: write at ..." */
    struct vm_region_info region[VM_INFO_REGIONS];
    uint32_t ntrace;          /* valid entries in trace (oldest first) */
    uint32_t record_lost;     /* 1: destroyed, and its record was dropped (only the
                                 last VM_KEPT_RECORDS destroyed VMs are kept): only
                                 id and state (VM_IS_DESTROYED) are valid */
    struct vm_trace_entry trace[VM_INFO_TRACE];
    uint32_t naliases;        /* vm_alias views (listed in alias[]) */
    uint32_t reserved2;
    struct vm_alias_info alias[VM_MAX_ALIASES];
    uint32_t post_code;       /* last byte the guest wrote to POST port 0x80 */
    uint32_t post_writes;     /* 0: the guest never wrote one */
};

/* ---- statistics ---- */
#define VM_STAT_ROWS 96       /* >= the number of basic exit reasons */
#define VM_STAT_TOP 8

struct vm_exit_stat {
    uint32_t reason;
    uint32_t reserved;
    uint64_t count;
    uint64_t total_cycles;    /* host TSC cycles handling these exits */
    uint64_t min_cycles, max_cycles;
    char name[VM_NAME_LEN];
};

struct vm_stat_top {
    uint64_t key;             /* port, CPUID leaf, MSR index or GPA page */
    uint64_t count;
};

#define VM_STAT_DEVICES 24
#define VM_DEVICE_NAME_LEN 16

struct vm_device_stat {
    char name[VM_DEVICE_NAME_LEN];   /* "pic", "pit", "com1", ... */
    uint16_t first_port, last_port;
    uint32_t reserved;
    uint64_t reads, writes;          /* IN / OUT accesses (string elements count one each) */
};

struct vm_stats {
    int32_t vm;               /* id, or VM_ALL */
    uint32_t nrows;           /* rows with count > 0, sorted by count, descending */
    uint64_t exits;
    uint64_t entries;         /* VM entries (launch + resume) */
    uint64_t guest_cycles;    /* TSC cycles spent in the guest */
    uint64_t host_cycles;     /* TSC cycles spent in exit handling */
    uint64_t run_ns;          /* wall time the VM was running (VM_ALL: sum) */
    uint64_t tsc_hz;          /* TSC frequency if the kernel knows it, else 0 */
    struct vm_exit_stat row[VM_STAT_ROWS];
    /* Breakdowns behind the counts (most frequent first, count 0 = unused).
       Taken from the exit trace rings when the core keeps no counters. */
    uint32_t breakdown_from_trace;   /* 1: breakdowns cover only the last exits */
    uint32_t reserved;
    struct vm_stat_top io_ports[VM_STAT_TOP];
    struct vm_stat_top cpuid_leaves[VM_STAT_TOP];
    struct vm_stat_top msrs[VM_STAT_TOP];
    struct vm_stat_top ept_gpas[VM_STAT_TOP];
    /* The VM's port-I/O devices over the whole run (vm_stats of one VM):
       one row per port range on its bus, in bus order. With these, the
       I/O port, CPUID and MSR breakdowns above count the whole run too
       (breakdown_from_trace = 0; EPT GPAs still come from the trace). */
    uint32_t ndevices;
    uint32_t post_code;              /* last byte written to port 0x80 */
    uint64_t io_unclaimed;           /* accesses to ports no device claims */
    uint64_t io_other_ports;         /* accesses to ports beyond the counted ones */
    struct vm_device_stat devices[VM_STAT_DEVICES];
};
