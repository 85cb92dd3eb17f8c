/*
 * The first thread (init): starts the terminal, spawns the user shell
 * (`init=PATH` on the command line, default /bin/shell) and waits for it.
 * When the shell exits the machine powers off (success for status 0), so a
 * harness can end a run by exiting the shell as well as by `shutdown`; when
 * there is no shell it powers off with failure after saying why.
 */
#include "abi.h"
#include "cmdline.h"
#include "init.h"
#include "kprintf.h"
#include "power.h"
#include "process.h"
#include "sched.h"
#include "tty.h"
#include "vfs.h"

#define INIT_DEFAULT "/bin/shell"

static void init_main(void *unused)
{
    UNUSED(unused);
    tty_init();
    const char *path = cmdline_get("init");
    if (!path || !*path)
        path = INIT_DEFAULT;
    struct stat st;
    if (vfs_stat(path, &st) < 0 || st.type != S_IFREG) {
        kprintf("init: %s does not exist: no user programs in the boot image "
                "(build userspace/, or pass init=PATH)\n", path);
        power_off(POWER_EXIT_FAIL);
    }
    char *argv[] = {(char *)path, NULL};
    int pid = process_spawn(path, 1, argv, 0);
    if (pid < 0) {
        kprintf("init: cannot start %s: error %d\n", path, pid);
        power_off(POWER_EXIT_FAIL);
    }
    int status = 0;
    process_wait(0, pid, &status);
    kprintf("init: %s exited with status %d, powering off\n", path, status);
    power_off(status == 0 ? POWER_EXIT_OK : POWER_EXIT_FAIL);
}

NORETURN void init_start(void)
{
    process_init();
    sched_start(init_main, NULL);
}
