/*
 * System-wide calls: meminfo and shutdown.
 */
#include "abi.h"
#include "errno.h"
#include "kheap.h"
#include "kprintf.h"
#include "pmm.h"
#include "power.h"
#include "syscall.h"
#include "uaccess.h"

int64_t sys_meminfo(uint64_t umi, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    if (!umi)
        return -EFAULT;
    struct meminfo mi = {pmm_total_pages(), pmm_free_pages(), pmm_used_pages(), kheap_used_bytes()};
    return copy_to_user(umi, &mi, sizeof(mi));
}

/* shutdown(status): 0 powers off with the harness's success code, 1..255
   with that code (POWER_EXIT_FAIL is the usual failure). */
int64_t sys_shutdown(uint64_t status, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    if (status > 255)
        return -EINVAL;
    kprintf("shutdown: powering off\n");
    power_off(status == 0 ? POWER_EXIT_OK : (uint8_t)status);
}
