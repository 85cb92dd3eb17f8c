/*
 * vm.h: create and run virtual machines (wrappers of the VM system calls,
 * numbers and records in uapi/vm_abi.h; semantics in docs/vm-api.md).
 *
 * Every call returns >= 0 on success; on failure it returns -1 and sets
 * errno (each bad argument has its own code, see docs/vm-api.md).
 * A VM belongs to the process that created it (or to its parent with
 * VM_CREATE_FOR_PARENT) and is destroyed when that process exits.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <vm_abi.h>   /* the shared ABI: common/include/uapi/vm_abi.h */

int vm_create(unsigned flags);
int vm_destroy(int vm);
int vm_map(int vm, uint64_t gpa, uint64_t size, unsigned rights);
int vm_unmap(int vm, uint64_t gpa, uint64_t size);
int vm_protect(int vm, uint64_t gpa, uint64_t size, unsigned rights);
ssize_t vm_write(int vm, uint64_t gpa, const void *buf, size_t len);
ssize_t vm_read(int vm, uint64_t gpa, void *buf, size_t len);
/* gpa = VM_LOAD_ELF loads an ELF file at its physical addresses; info may be NULL. */
int vm_load(int vm, const char *path, uint64_t gpa, struct vm_load_info *info);
/* Returns the new vCPU's index; regs may be NULL (all zero). */
int vm_vcpu_create(int vm, unsigned mode, uint64_t entry, const struct vm_regs *regs);
int vm_start(int vm);
/* 0 once the VM stopped; -1 with errno ETIMEDOUT if it still runs after timeout_ms
   (0: just ask; VM_WAIT_FOREVER: no limit). */
int vm_wait(int vm, uint64_t timeout_ms);
int vm_kill(int vm);
/* Type len bytes into the running VM's COM1 (its 16550A receive FIFO):
   returns how many it took (0: the FIFO is full, the guest has not read). */
ssize_t vm_console_input(int vm, const char *buf, size_t len);
/* An NMI for the running VM's vCPU 0 (delivered whatever its IF). */
int vm_nmi(int vm);
int vm_set_timeout(int vm, uint64_t ms);
/* [gpa, gpa + size) becomes a second view, with its own rights, of the
   memory mapped at [src, src + size); it lives as long as the VM. */
int vm_alias(int vm, uint64_t gpa, uint64_t size, uint64_t src, unsigned rights);
/* A 64/128/256 KiB firmware image below 4 GiB (r-x) and its last 128 KiB
   below 1 MiB (rwx alias); start it with vm_vcpu_create(vm, VM_MODE_RESET, 0, ...). */
int vm_load_firmware(int vm, const char *path, struct vm_firmware_info *info);
/* A bzImage (+ initrd, command line) into the VM's RAM per the Linux boot
   protocol; load->error says why on a refusal. Start it with
   vm_vcpu_create(vm, VM_MODE_LINUX64, load->entry, regs with rsi = load->boot_params). */
int vm_load_linux(int vm, struct vm_linux_load *load);
/* vm = VM_ALL: every VM since boot. */
int vm_stats(int vm, struct vm_stats *st);
int vm_info(int vm, struct vm_status *info);
/* Ids of the VMs alive, up to max of them; returns how many there are. */
int vm_list(int32_t *ids, size_t max);
/* The last exits of vm (all vCPUs, oldest first), up to max; returns the count. */
int vm_trace(int vm, struct vm_trace_entry *buf, size_t max);
/* Pause vm's vCPU at its next exit matching spec ("CPUID", "IO_INSTRUCTION
   port=0xe9", "any count 100", ...; one-shot), or remove them ("clear"). */
int vm_break(int vm, const char *spec);
/* Resume the paused vCPUs; returns how many there were. */
int vm_continue(int vm);
/* Where vm's vCPUs are paused, one line each, into buf; returns how many (0: none). */
int vm_paused(int vm, char *buf, size_t size);

/* ---- helpers for programs (no system calls) ---- */

/* "4096", "0x1000", "4K", "1M", "1G" -> bytes; -1 with errno EINVAL if malformed. */
int vm_parse_size(const char *s, uint64_t *out);
/* "rwx", "rw", "r-x", "x", "-" -> VM_R|VM_W|VM_X bits (a "-" is a right not
   given); -1 with errno EINVAL. */
int vm_parse_rights(const char *s, unsigned *out);
/* rights -> "rwx" / "r--" style text in buf (at least 4 bytes); returns buf. */
char *vm_format_rights(unsigned rights, char *buf);
/* "real" / "prot32" / "long64" / "reset" / "linux64" -> VM_MODE_*; -1 with errno EINVAL. */
int vm_parse_mode(const char *s, unsigned *out);
const char *vm_mode_name(unsigned mode);
const char *vm_state_name(unsigned state);
/* bytes -> "1M", "4K", "12345" (exact units only) in buf (at least 24 bytes). */
char *vm_format_size(uint64_t bytes, char *buf, size_t len);

/* ---- printing shared by the vm and vmstat programs ---- */

/* The statistics table: one row per exit reason (sorted by count) with
   count, share, mean and max handling cycles and a bar, then the totals.
   detail != 0 adds the I/O port, CPUID leaf, MSR and EPT GPA breakdowns. */
void vm_print_stats(const struct vm_stats *st, int detail);
/* Machine-readable: one line "NAME COUNT TOTAL_CYCLES" per reason, nothing else. */
void vm_print_stats_raw(const struct vm_stats *st);
/* After vm_stats/vm_trace failed with ESRCH: a sentence saying vm existed
   but its record was dropped (ids are never reused), or NULL if there never
   was such a VM. */
const char *vm_gone_text(int vm);
/* errno as "ENAME (message)", for error lines. */
const char *vm_error_text(int err);
