/*
 * The self-test runner: `selftest=NAME` on the kernel command line runs the
 * test registered with SELFTEST("NAME", fn) (selftest.h) and powers the
 * emulator off with its verdict, so tests/system can boot once per test.
 *
 * Context: called once from kmain after every subsystem is up, on the boot
 * thread. Tests run with whatever interrupt state kmain has at that point.
 * The table lies between the linker symbols selftests_start/selftests_end
 * (arch/x86_64/boot/linker.ld, section .selftests).
 */
#include "selftest.h"
#include "cmdline.h"
#include "kprintf.h"
#include "kstring.h"
#include "power.h"

static char failure[200];

int selftest_fail(const char *fmt, ...)
{
    char msg[sizeof(failure)];   /* fmt's arguments may include failure itself */
    va_list ap;
    va_start(ap, fmt);
    kvsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    strlcpy(failure, msg, sizeof(failure));
    return -1;
}

const char *selftest_failure(void)
{
    return failure;
}

void selftest_failure_clear(void)
{
    failure[0] = '\0';
}

extern const struct selftest selftests_start[];
extern const struct selftest selftests_end[];

/* The registered test called name, or NULL. */
static const struct selftest *selftest_find(const char *name)
{
    for (const struct selftest *t = selftests_start; t < selftests_end; t++)
        if (strcmp(t->name, name) == 0)
            return t;
    return NULL;
}

/* Print the names of all registered tests on one line. */
static void selftest_print_list(void)
{
    kprintf("selftests:");
    for (const struct selftest *t = selftests_start; t < selftests_end; t++)
        kprintf(" %s", t->name);
    kprintf("\n");
}

void selftest_run_from_cmdline(void)
{
    const char *name = cmdline_get("selftest");
    if (!name)
        return;
    const struct selftest *t = selftest_find(name);
    if (!t) {
        kprintf("selftest %s: unknown test\n", name);
        selftest_print_list();
        power_off(POWER_EXIT_FAIL);
    }
    kprintf("selftest %s: start\n", name);
    int rc = t->run();
    if (rc == 0) {
        kprintf("selftest %s: pass\n", name);
        power_off(POWER_EXIT_OK);
    }
    kprintf("selftest %s: FAIL (%d)\n", name, rc);
    power_off(POWER_EXIT_FAIL);
}
