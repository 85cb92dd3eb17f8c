/*
 * cwdtest: working directories from user space (kernel side:
 * common/kernel/cwd.c). Each check compares with values fixed here: every
 * path-taking call (open, stat, mkdir, unlink, spawn, exec, chdir)
 * resolves a relative path against the working directory, "." and ".."
 * included; fork and spawn children start in the parent's directory and
 * exec keeps it; chdir and getcwd return their own errno for every bad
 * argument. Works in /tmp/cwdtest, which it removes again. Prints
 * `cwdtest: ok` when all pass.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <unistd.h>

#define TEST_DIR "/tmp/cwdtest"

static int failures;
static volatile uintptr_t bad_address = 8;   /* never mapped (below 0x10000) */

static void check(int ok, const char *what)
{
    printf("cwdtest: %-58s %s\n", what, ok ? "ok" : "FAIL");
    if (!ok)
        failures++;
}

static int cwd_is(const char *want)
{
    char buf[PATH_MAX];
    return getcwd(buf, sizeof(buf)) && strcmp(buf, want) == 0;
}

static long err_of(long r) { return r < 0 ? -r : 0; }

static int wait_status(pid_t pid)
{
    int status = -1;
    return waitpid(pid, &status) == pid ? status : -1;
}

static void check_relative_calls(void)
{
    check(chdir("/tmp") == 0 && cwd_is("/tmp"), "chdir /tmp");
    check(mkdir("cwdtest") == 0, "mkdir relative");
    check(chdir("cwdtest") == 0 && cwd_is(TEST_DIR), "chdir relative");
    int fd = open("file", O_WRONLY | O_CREAT);
    check(fd >= 0 && write(fd, "data", 4) == 4, "open(O_CREAT) relative");
    close(fd);
    struct stat st;
    check(stat(TEST_DIR "/file", &st) == 0 && st.size == 4, "the file is where the absolute path says");
    check(stat("./file", &st) == 0 && st.size == 4, "stat ./file");
    check(mkdir("sub") == 0 && chdir("sub") == 0 && cwd_is(TEST_DIR "/sub"), "mkdir sub, chdir sub");
    char buf[8] = { 0 };
    fd = open("../file", O_RDONLY);
    check(fd >= 0 && read(fd, buf, 4) == 4 && strcmp(buf, "data") == 0, "open ../file reads it");
    close(fd);
    check(stat("../../cwdtest/sub/.", &st) == 0 && st.type == S_IFDIR, "stat ../../cwdtest/sub/.");
    check(chdir("..") == 0 && cwd_is(TEST_DIR), "chdir ..");
    check(unlink("sub") == 0 && unlink("file") == 0, "unlink relative");
    check(err_of(syscall2(SYS_STAT, (long)"file", (long)&st)) == ENOENT, "gone: stat says ENOENT");
    check(chdir("../../..") == 0 && cwd_is("/"), "chdir ../../.. stops at /");
}

static void check_programs(void)
{
    chdir("/bin");
    char *argv[] = { "true", NULL };
    pid_t pid = spawn("true", argv);
    check(pid > 0 && wait_status(pid) == 0, "spawn relative to /bin");
    char *pwd_argv[] = { "cwdtest", "pwd", TEST_DIR, NULL };
    chdir(TEST_DIR);
    pid = spawn("../../bin/cwdtest", pwd_argv);
    check(pid > 0 && wait_status(pid) == 0, "a spawned child starts in the parent's directory");
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        if (!cwd_is(TEST_DIR))
            _exit(1);
        exec("../../bin/cwdtest", pwd_argv);   /* relative exec, cwd kept */
        _exit(2);
    }
    check(wait_status(pid) == 0, "fork keeps the directory, exec relative and keeps it");
    pid = fork();
    if (pid == 0)
        _exit(chdir("/bin") == 0 && cwd_is("/bin") ? 0 : 1);
    check(wait_status(pid) == 0 && cwd_is(TEST_DIR), "a child's chdir does not move the parent");
    chdir("/tmp");
    check(unlink("cwdtest") == 0, "rmdir relative");
    chdir("/");
}

static void check_errors(void)
{
    char buf[PATH_MAX];
    static char longpath[PATH_MAX + 10];
    memset(longpath, 'a', sizeof(longpath) - 1);
    check(err_of(syscall1(SYS_CHDIR, (long)"/nonexistent")) == ENOENT, "chdir to a missing dir: ENOENT");
    check(err_of(syscall1(SYS_CHDIR, (long)"/README.txt")) == ENOTDIR, "chdir to a file: ENOTDIR");
    check(err_of(syscall1(SYS_CHDIR, (long)"")) == ENOENT, "chdir(\"\"): ENOENT");
    check(err_of(syscall1(SYS_CHDIR, 0)) == EFAULT, "chdir(NULL): EFAULT");
    check(err_of(syscall1(SYS_CHDIR, (long)longpath)) == ENAMETOOLONG, "chdir to a 265-byte path: ENAMETOOLONG");
    check(cwd_is("/"), "failed chdirs left the directory alone");
    chdir("/tmp");
    check(syscall2(SYS_GETCWD, (long)buf, sizeof(buf)) == 4, "getcwd returns the length (4 for /tmp)");
    check(err_of(syscall2(SYS_GETCWD, (long)buf, 4)) == ERANGE, "getcwd into 4 bytes: ERANGE");
    check(err_of(syscall2(SYS_GETCWD, (long)buf, 0)) == EINVAL, "getcwd size 0: EINVAL");
    check(err_of(syscall2(SYS_GETCWD, 0, 16)) == EFAULT, "getcwd(NULL): EFAULT");
    check(err_of(syscall2(SYS_GETCWD, (long)bad_address, 16)) == EFAULT, "getcwd(bad pointer): EFAULT");
    chdir("/");
}

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "pwd") == 0)
        return cwd_is(argv[2]) ? 0 : 1;   /* child role: are we in argv[2]? */
    check_relative_calls();
    check_programs();
    check_errors();
    printf(failures ? "cwdtest: %d FAILED\n" : "cwdtest: ok\n", failures);
    return failures != 0;
}
