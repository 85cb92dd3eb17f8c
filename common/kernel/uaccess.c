/*
 * Checked user-memory access (uaccess.h) and the fault-recovery hook the
 * exception handler calls for kernel-mode faults (fault.h). The copying
 * itself is in arch/x86_64/uaccess_copy.asm.
 */
#include "errno.h"
#include "fault.h"
#include "paging.h"
#include "uaccess.h"

struct fixup {
    uint64_t insn, resume;
};

extern const struct fixup uaccess_fixup_table[];
extern const uint64_t uaccess_fixup_count;
int64_t uaccess_copy_raw(void *dst, const void *src, size_t n);
int64_t uaccess_strncpy_raw(char *dst, const void *src, size_t max);

bool user_range_ok(uint64_t addr, size_t n)
{
    if (n == 0)
        return true;
    return addr < USER_SPACE_END && n <= USER_SPACE_END - addr;
}

int copy_from_user(void *dst, uint64_t usrc, size_t n)
{
    if (!user_range_ok(usrc, n))
        return -EFAULT;
    if (n == 0)
        return 0;
    return (int)uaccess_copy_raw(dst, (const void *)usrc, n);
}

int copy_to_user(uint64_t udst, const void *src, size_t n)
{
    if (!user_range_ok(udst, n))
        return -EFAULT;
    if (n == 0)
        return 0;
    return (int)uaccess_copy_raw((void *)udst, src, n);
}

int64_t strncpy_from_user(char *dst, uint64_t usrc, size_t size)
{
    if (size == 0 || usrc >= USER_SPACE_END)
        return -EFAULT;
    size_t max = MIN(size, USER_SPACE_END - usrc);
    int64_t len = uaccess_strncpy_raw(dst, (const void *)usrc, max);
    if (len < 0)
        return len;
    if ((size_t)len == max) {
        dst[size - 1] = '\0';
        return max < size ? -EFAULT : -ENAMETOOLONG;  /* ran into the end of user space */
    }
    return len;
}

bool uaccess_is_user_access(uint64_t rip)
{
    for (uint64_t i = 0; i < uaccess_fixup_count; i++)
        if (rip == uaccess_fixup_table[i].insn)
            return true;
    return false;
}

bool uaccess_fixup(struct trap_frame *f)
{
    for (uint64_t i = 0; i < uaccess_fixup_count; i++) {
        if (f->rip == uaccess_fixup_table[i].insn) {
            f->rip = uaccess_fixup_table[i].resume;
            return true;
        }
    }
    return false;
}
