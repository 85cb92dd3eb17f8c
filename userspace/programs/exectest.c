/*
 * exectest: exec from user space (kernel side: common/kernel/exec.c).
 * A forked child execs this program again in a role (argv[1]) and reports
 * back through its exit status, which is compared with values fixed here:
 * argv arrives intact on the new stack; the pid, parent and open files
 * stay; a multi-threaded process keeps only the calling thread; a failed
 * exec returns its own errno (ENOEXEC for a file that is no ELF or a cut
 * one, ENOENT, EISDIR, EFAULT, E2BIG) and leaves the old image untouched.
 * Prints `exectest: ok` when all pass.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <unistd.h>

#define SELF "/bin/exectest"
#define CUT_ELF "/tmp/exectest-cut"
#define CUT_BYTES 200            /* the ELF header, not the program headers' targets */

static int failures;
static volatile int g_marker = 0x5eb;
static volatile uintptr_t bad_address = 8;   /* never mapped (below 0x10000) */
static char g_text[] = "the old image";

static void check(int ok, const char *what)
{
    printf("exectest: %-58s %s\n", what, ok ? "ok" : "FAIL");
    if (!ok)
        failures++;
}

static int wait_status(pid_t pid)
{
    int status = -1;
    return waitpid(pid, &status) == pid ? status : -1;
}

/* Fork a child that execs SELF with argv; its exit status. */
static int run_self(char *const argv[])
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        exec(SELF, argv);
        printf("exectest: exec %s: %s\n", SELF, strerror(errno));
        _exit(99);
    }
    return pid < 0 ? -1 : wait_status(pid);
}

/* ---- roles of the exec'd child ---- */

/* Print argv; exit with argc. */
static int role_args(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        printf("exectest: argv[%d] = \"%s\"\n", i, argv[i]);
    return argv[argc] == NULL ? argc : 100;
}

/* The pid and parent pid given in argv[2], argv[3] are still ours: 6. */
static int role_pid(char **argv)
{
    return getpid() == atoi(argv[2]) && getppid() == atoi(argv[3]) ? 6 : 1;
}

/* fd argv[2] is still open on /README.txt, at offset 4: 7. */
static int role_fd(char **argv)
{
    char buf[4];
    int fd = atoi(argv[2]);
    return read(fd, buf, 4) == 4 && lseek(fd, 0, SEEK_CUR) == 8 ? 7 : 1;
}

static int my_threads(void)
{
    static struct proc_info procs[64];
    int n = ps(procs, 64);
    for (int i = 0; i < n; i++)
        if (procs[i].pid == getpid())
            return procs[i].threads;
    return -1;
}

/* Only the thread that called exec is left: 8. */
static int role_threads(void) { return my_threads() == 1 ? 8 : 10 + my_threads(); }

static void *sleeper(void *arg)
{
    (void)arg;
    for (;;)
        sleep_ms(1000);
    return NULL;
}

/* ---- checks in the parent ---- */

static void check_args(void)
{
    char *argv[] = { "exectest", "args", "two words", "", "last", NULL };
    check(run_self(argv) == 5, "argv arrives intact (5 strings, one empty)");
    char *none[] = { NULL };
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        exec("/bin/true", none);      /* argc 0 is allowed */
        _exit(99);
    }
    check(wait_status(pid) == 0, "exec with an empty argv runs the program");
}

static void check_identity(void)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char me[16], parent[16];
        snprintf(me, sizeof(me), "%d", getpid());
        snprintf(parent, sizeof(parent), "%d", getppid());
        char *argv[] = { "exectest", "pid", me, parent, NULL };
        exec(SELF, argv);
        _exit(99);
    }
    check(wait_status(pid) == 6, "pid and parent stay across exec");
}

static void check_fd_kept(void)
{
    int fd = open("/README.txt", O_RDONLY);
    char skip[4];
    read(fd, skip, 4);
    char num[16];
    snprintf(num, sizeof(num), "%d", fd);
    char *argv[] = { "exectest", "fd", num, NULL };
    check(fd >= 3 && run_self(argv) == 7, "open files (and their offsets) stay across exec");
    check(lseek(fd, 0, SEEK_CUR) == 8, "the parent shares the offset the child advanced");
    close(fd);
}

static void check_threads(void)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        pthread_t t[2];
        pthread_create(&t[0], NULL, sleeper, NULL);
        pthread_create(&t[1], NULL, sleeper, NULL);
        if (my_threads() != 3)
            _exit(98);
        char *argv[] = { "exectest", "threads", NULL };
        exec(SELF, argv);
        _exit(99);
    }
    check(wait_status(pid) == 8, "exec in a 3-thread process leaves 1 thread");
}

/* Write the first CUT_BYTES of /bin/true to CUT_ELF: a valid ELF header
   whose program headers point beyond the end of the file. */
static int make_cut_elf(void)
{
    char buf[CUT_BYTES];
    int in = open("/bin/true", O_RDONLY);
    int out = open(CUT_ELF, O_WRONLY | O_CREAT | O_TRUNC);
    int ok = in >= 0 && out >= 0 && read(in, buf, sizeof(buf)) == sizeof(buf) &&
             write(out, buf, sizeof(buf)) == sizeof(buf);
    close(in);
    close(out);
    return ok;
}

/* exec(path, argv) fails with errno want and this image goes on intact. */
static void check_failure(const char *path, char *const argv[], int want, const char *what)
{
    char *heap = malloc(64);
    strcpy(heap, "heap before");
    int stack_value = 0x1234;
    errno = 0;
    int r = exec(path, argv);
    int err = errno;
    int intact = g_marker == 0x5eb && strcmp(g_text, "the old image") == 0 &&
                 strcmp(heap, "heap before") == 0 && stack_value == 0x1234;
    char line[96];
    snprintf(line, sizeof(line), "%s: %s, old image intact", what, errno_name(want));
    check(r == -1 && err == want && intact, line);
    if (r != -1 || err != want)
        printf("exectest: got %d, errno %d (%s)\n", r, err, strerror(err));
    free(heap);
}

static void check_failures(void)
{
    char *argv[] = { "x", NULL };
    check_failure("/README.txt", argv, ENOEXEC, "a text file");
    check(make_cut_elf(), "made a cut ELF file in /tmp");
    check_failure(CUT_ELF, argv, ENOEXEC, "an ELF file cut after 200 bytes");
    unlink(CUT_ELF);
    check_failure("/bin/no-such-program", argv, ENOENT, "a missing file");
    check_failure("/bin", argv, EISDIR, "a directory");
    check_failure((const char *)bad_address, argv, EFAULT, "a bad path pointer");
    check_failure(SELF, (char *const *)bad_address, EFAULT, "a bad argv pointer");
    static char *many[70];
    for (int i = 0; i < 69; i++)
        many[i] = "a";
    check_failure(SELF, many, E2BIG, "69 arguments (limit 64)");
    check(syscall2(SYS_EXEC, (long)"/README.txt", 0) == -ENOEXEC, "raw syscall returns -ENOEXEC");
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "args") == 0)
        return role_args(argc, argv);
    if (argc > 3 && strcmp(argv[1], "pid") == 0)
        return role_pid(argv);
    if (argc > 2 && strcmp(argv[1], "fd") == 0)
        return role_fd(argv);
    if (argc > 1 && strcmp(argv[1], "threads") == 0)
        return role_threads();
    check_args();
    check_identity();
    check_fd_kept();
    check_threads();
    check_failures();
    printf(failures ? "exectest: %d FAILED\n" : "exectest: ok\n", failures);
    return failures != 0;
}
