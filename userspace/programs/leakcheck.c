/*
 * leakcheck PROGRAM [ARGS...]: run /bin/PROGRAM (or a path), wait for it,
 * and compare the free physical pages before and after. Everything a
 * process owned must be back once it has been reaped; the kernel may free
 * some of it a moment later (a reaper thread), so we look again for up to
 * a second before calling it a leak. Prints `leakcheck: ok` when the count
 * is the same.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SETTLE_TRIES 20
#define SETTLE_MS 50

static long free_pages(void)
{
    struct meminfo mi;
    return meminfo(&mi) < 0 ? -1 : (long)mi.free_pages;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        printf("usage: leakcheck PROGRAM [ARGS...]\n");
        return 2;
    }
    char path[PATH_MAX];
    if (strchr(argv[1], '/'))
        snprintf(path, sizeof(path), "%s", argv[1]);
    else
        snprintf(path, sizeof(path), "/bin/%s", argv[1]);
    long before = free_pages();
    fflush(stdout);
    pid_t pid = spawn(path, &argv[1]);
    if (pid < 0) {
        printf("leakcheck: %s: %s\n", path, strerror(errno));
        return 1;
    }
    int status = 0;
    waitpid(pid, &status);
    long after = free_pages();
    for (int i = 0; i < SETTLE_TRIES && after != before; i++) {
        sleep_ms(SETTLE_MS);
        after = free_pages();
    }
    printf("leakcheck: %s exited with status %d; free pages before %ld, after %ld\n",
           argv[1], status, before, after);
    if (before < 0 || after != before) {
        printf("leakcheck: LEAK of %ld pages\n", before - after);
        return 1;
    }
    printf("leakcheck: ok\n");
    return 0;
}
