/*
 * vm_load: copy a guest file from the VFS into guest memory: a flat binary
 * at a guest-physical address, or an ELF32/ELF64 executable at its
 * segments' physical addresses (guest_image.h). Context: thread, the
 * vm_handles lock held (static buffers).
 */
#pragma once

#include "types.h"
#include "uapi/vm_abi.h"

struct vm_handle;

/* Load path into h's VM (gpa or VM_LOAD_ELF) and describe it in *info.
   0 or -ENOENT/-EISDIR (file), -E2BIG (file > VM_GUEST_FILE_MAX), -ENOEXEC
   (bad ELF), -ERANGE (beyond VM_GPA_LIMIT), -ENXIO (target not mapped),
   -EIO (read error). Checks everything before the first byte is written. */
int vm_load_file(struct vm_handle *h, const char *path, uint64_t gpa, struct vm_load_info *info);
