/*
 * Argument checks and small record helpers of the VM system calls
 * (vmx/vm_syscalls.c), kept pure so the host unit tests can check every
 * error case (tests/unit/test_vm_args.c). Errors are those of
 * docs/vm-api.md: each bad-argument case has its own errno.
 */
#pragma once

#include "types.h"
#include "uapi/vm_abi.h"

/* A guest-physical range for map/unmap/protect: 0, -EINVAL (gpa or size not
   4 KiB aligned, size 0), -ERANGE (wraps or ends above VM_GPA_LIMIT). */
int vm_args_check_range(uint64_t gpa, uint64_t size);
/* A byte range for read/write/load (no alignment): 0, -E2BIG (len > max),
   -ERANGE (wraps or ends above VM_GPA_LIMIT). len 0 is fine. */
int vm_args_check_bytes(uint64_t gpa, uint64_t len, uint64_t max);
/* EPT rights: 0, -EACCES (unknown bits, or W without R). */
int vm_args_check_rights(uint64_t rights);
/* Start mode and entry point: 0, -EINVAL (unknown mode, entry unreachable:
   real mode >= 64 KiB, prot32 >= 4 GiB, long64 >= 1 GiB, linux64 >= 4 GiB;
   reset ignores the entry). */
int vm_args_check_mode(uint64_t mode, uint64_t entry);

/* Sort stats rows by count (descending; equal counts by reason number). */
void vm_args_sort_rows(struct vm_exit_stat *rows, size_t n);
/* Count key in a top list (most frequent first after vm_args_top_sort);
   when the list is full, a new key replaces the least frequent entry seen. */
void vm_args_top_add(struct vm_stat_top *top, size_t n, uint64_t key, uint64_t count);
void vm_args_top_sort(struct vm_stat_top *top, size_t n);

/* Copy a NUL-terminated name into a fixed field, truncating. */
void vm_args_copy_name(char *dst, size_t size, const char *src);

/*
 * The set of guest-physical mappings of one VM as the syscalls created
 * them (for ENXIO/EEXIST/ENOSPC checks before the VMX core is asked, and
 * for vm_info): ranges sorted by address, never overlapping.
 */
struct vm_region_set {
    struct vm_region_info r[VM_MAX_REGIONS];
    int n;
};

bool vm_regions_overlap(const struct vm_region_set *s, uint64_t gpa, uint64_t size);
/* True when every byte of [gpa, gpa + size) lies in some range (size > 0). */
bool vm_regions_cover(const struct vm_region_set *s, uint64_t gpa, uint64_t size);
/* End of the run of adjacent ranges that starts at 0 (0 if 0 is unmapped). */
uint64_t vm_regions_low_end(const struct vm_region_set *s);
/* Add a range that overlaps nothing: 0 or -ENOSPC. */
int vm_regions_add(struct vm_region_set *s, uint64_t gpa, uint64_t size, unsigned rights);
/* Into *out (s unchanged): s without [gpa, gpa + size) (remove) or with its
   rights set to rights (protect), ranges split at the edges. 0 or -ENOSPC. */
int vm_regions_remove(const struct vm_region_set *s, uint64_t gpa, uint64_t size,
                      struct vm_region_set *out);
int vm_regions_protect(const struct vm_region_set *s, uint64_t gpa, uint64_t size,
                       unsigned rights, struct vm_region_set *out);
/* Bytes mapped in total. */
uint64_t vm_regions_bytes(const struct vm_region_set *s);
