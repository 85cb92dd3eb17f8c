/*
 * Thread and time system calls: thread_create/join/exit, gettid, yield,
 * sleep, clock.
 */
#include "abi.h"
#include "errno.h"
#include "paging.h"
#include "process.h"
#include "syscall.h"
#include "thread_internal.h"
#include "timer.h"
#include "uaccess.h"

int64_t sys_thread_create(uint64_t fn, uint64_t arg, uint64_t a2, uint64_t a3, uint64_t a4)
{
    if (!fn || fn >= USER_SPACE_END)
        return -EFAULT;
    return process_thread_create(process_current(), fn, arg);
}

int64_t sys_thread_join(uint64_t tid, uint64_t uvalue, uint64_t a2, uint64_t a3, uint64_t a4)
{
    if (tid == 0 || tid > 0x7FFFFFFF)
        return -ESRCH;
    if (uvalue && !user_range_ok(uvalue, sizeof(uint64_t)))
        return -EFAULT;
    uint64_t value = 0;
    int r = process_thread_join((int)tid, &value);
    if (r == 0 && uvalue && copy_to_user(uvalue, &value, sizeof(value)) < 0)
        return -EFAULT;
    return r;
}

int64_t sys_thread_exit(uint64_t value, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    thread_current()->exit_value = value;
    thread_exit();
}

int64_t sys_gettid(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    return thread_id(thread_current());
}

int64_t sys_yield(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    thread_yield();
    return 0;
}

int64_t sys_sleep(uint64_t ms, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    return thread_sleep_ms_killable(ms) ? 0 : -EINTR;
}

int64_t sys_clock(uint64_t uci, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    if (!uci)
        return -EFAULT;
    struct clock_info ci = {timer_ticks(), TIMER_HZ, timer_ns()};
    return copy_to_user(uci, &ci, sizeof(ci));
}
