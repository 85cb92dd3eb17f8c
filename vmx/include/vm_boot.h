/*
 * Firmware and Linux loaders of the VM system calls (vmx/vm_bios.c,
 * vmx/linux_load.c, syscalls in vmx/vm_boot_syscalls.c). They work on a
 * VM handle (its region set says what is RAM) and write guest memory with
 * the core's vm_write. Context: thread, the vm_handles lock held.
 */
#pragma once

#include "types.h"
#include "uapi/vm_abi.h"

struct vm_handle;
struct vm_vcpu_params;

#define VM_LINUX_KERNEL_MAX (64ull << 20)    /* largest bzImage vm_load_linux reads */
#define VM_LINUX_INITRD_MAX (192ull << 20)   /* largest initrd */

/* Map the firmware at path read/execute-only just below 4 GiB and its last
   128 KiB writable below 1 MiB (an alias of the same pages), fill *info.
   0, or -ENOEXEC (not 64, 128 or 256 KiB), file errors (-ENOENT, -EISDIR),
   -EEXIST (the places are mapped already), -ENOSPC, -EFBIG, -ENOMEM;
   on an error nothing stays mapped. */
int vm_firmware_load(struct vm_handle *h, const char *path, struct vm_firmware_info *info);

/* Load a bzImage with an optional initrd (NULL) and command line (cmdline,
   cmdline_len bytes without NUL) into h's RAM per the Linux boot protocol;
   out's output fields are filled, out->error says why on a refusal.
   0, or -ENOEXEC (not a bzImage for the 64-bit entry), -ENXIO (too little
   RAM), -E2BIG (command line, or a file over its limit), -ENOSPC (the initrd
   does not fit), file errors, -ENOMEM, -EIO. Everything is checked before the
   first byte is written. With VM_LINUX_CHECK_ONLY in out->flags only the
   files and the header are checked. */
int vm_linux_load(struct vm_handle *h, const char *kernel, const char *initrd, const char *cmdline,
                  size_t cmdline_len, struct vm_linux_load *out);

/* Write the Linux boot GDT and the 4 GiB identity tables (0x8000-0xEFFF)
   and point p's CR3/GDTR at them. 0 or -ENXIO (not mapped), -ENOMEM. */
int vm_linux_boot_tables(struct vm_handle *h, struct vm_vcpu_params *p);
