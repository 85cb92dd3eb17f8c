/*
 * Shell builtins: commands the shell runs itself, table-driven. ls, cat and
 * echo also exist as /bin programs; the builtins keep the shell usable when
 * a program is missing and show the same output. A builtin returns
 * NOT_BUILTIN for arguments only the program handles (ls -l, cat without
 * files reading stdin), and the shell runs /bin/NAME instead.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "shell.h"

#define PS_MAX 64
#define NOT_BUILTIN (-1000)

struct builtin {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
};

static const struct builtin builtins[];

static int do_help(int argc, char **argv);

static int do_echo(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        printf("%s%s", argv[i], i + 1 < argc ? " " : "");
    printf("\n");
    return 0;
}

static void ls_entry(const char *name, uint32_t type)
{
    printf("%s%s\n", name, type == S_IFDIR ? "/" : "");
}

static int ls_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        printf("ls: %s: %s\n", path, strerror(errno));
        return 1;
    }
    if (st.type != S_IFDIR) {
        ls_entry(path, st.type);
        return 0;
    }
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("ls: %s: %s\n", path, strerror(errno));
        return 1;
    }
    struct dirent d;
    while (readdir(fd, &d) > 0)
        ls_entry(d.name, d.type);
    close(fd);
    return 0;
}

static int do_ls(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-')
            return NOT_BUILTIN;     /* options: /bin/ls */
    }
    if (argc < 2)
        return ls_path(".");
    int status = 0;
    for (int i = 1; i < argc; i++) {
        if (argc > 2)
            printf("%s:\n", argv[i]);
        status |= ls_path(argv[i]);
    }
    return status;
}

static int cat_file(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("cat: %s: %s\n", path, strerror(errno));
        return 1;
    }
    char buf[512];
    ssize_t n;
    fflush(stdout);
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        write(STDOUT_FILENO, buf, (size_t)n);
    if (n < 0)
        printf("cat: %s: %s\n", path, strerror(errno));
    close(fd);
    return n < 0;
}

static int do_cat(int argc, char **argv)
{
    if (argc < 2)
        return NOT_BUILTIN;         /* copy stdin: /bin/cat in the foreground */
    int status = 0;
    for (int i = 1; i < argc; i++)
        status |= cat_file(argv[i]);
    return status;
}

static const char *state_name(int state)
{
    return state == 0 ? "running" : state == 1 ? "zombie" : "?";
}

static int do_ps(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    static struct proc_info procs[PS_MAX];
    int n = ps(procs, PS_MAX);
    if (n < 0) {
        printf("ps: %s\n", strerror(errno));
        return 1;
    }
    printf("  PID  PPID  THR STATE    PAGES NAME\n");
    for (int i = 0; i < n && i < PS_MAX; i++) {
        const struct proc_info *p = &procs[i];
        printf("%5d %5d %4d %-8s %5llu %.*s\n", p->pid, p->parent, p->threads,
               state_name(p->state), (unsigned long long)p->pages,
               PROC_NAME_MAX, p->name);
    }
    return 0;
}

static int do_mem(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct meminfo mi;
    if (meminfo(&mi) < 0) {
        printf("mem: %s\n", strerror(errno));
        return 1;
    }
    printf("mem: %llu free pages, %llu used pages (%llu MiB total), heap %llu bytes\n",
           (unsigned long long)mi.free_pages, (unsigned long long)mi.used_pages,
           (unsigned long long)(mi.total_pages * 4096 / (1024 * 1024)),
           (unsigned long long)mi.kheap_bytes);
    return 0;
}

static int do_uptime(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct clock_info ci;
    if (clock_get(&ci) < 0) {
        printf("uptime: %s\n", strerror(errno));
        return 1;
    }
    uint64_t ms = ci.ns / 1000000;
    printf("up %llu.%03llu s (%llu ticks at %llu Hz)\n", (unsigned long long)(ms / 1000),
           (unsigned long long)(ms % 1000), (unsigned long long)ci.ticks,
           (unsigned long long)ci.hz);
    return 0;
}

static int do_kill(int argc, char **argv)
{
    if (argc < 2) {
        printf("usage: kill PID...\n");
        return 1;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        if (kill(atoi(argv[i])) < 0) {
            printf("kill: %s: %s\n", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}

static int do_exit(int argc, char **argv)
{
    if (getppid() == 0) {
        printf("exit: this is the first shell; use shutdown to power off\n");
        return 1;
    }
    fflush(stdout);
    tty_ctl(TTY_SET_RAW, 0);
    exit(argc > 1 ? atoi(argv[1]) : 0);
}

static int do_cd(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "/";
    if (argc > 2) {
        printf("usage: cd [DIR]\n");
        return 1;
    }
    if (chdir(dir) < 0) {
        printf("cd: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    return 0;
}

static int do_pwd(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof(cwd))) {
        printf("pwd: %s\n", strerror(errno));
        return 1;
    }
    printf("%s\n", cwd);
    return 0;
}

static int do_clear(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("\033[2J\033[H");
    return 0;
}

static int do_shutdown(int argc, char **argv)
{
    int status = argc > 1 ? atoi(argv[1]) : 0;
    printf("shutting down\n");
    fflush(stdout);
    shutdown(status);
    printf("shutdown: %s\n", strerror(errno));
    return 1;
}

static const struct builtin builtins[] = {
    { "help", do_help, "list commands" },
    { "cd", do_cd, "cd [DIR]: change the working directory (default /)" },
    { "pwd", do_pwd, "print the working directory" },
    { "ls", do_ls, "ls [PATH...]: list a directory (default: the working directory)" },
    { "cat", do_cat, "cat FILE...: print files" },
    { "echo", do_echo, "echo WORD...: print the words" },
    { "ps", do_ps, "list processes" },
    { "kill", do_kill, "kill PID...: end processes (exit status 137)" },
    { "mem", do_mem, "free and used physical pages" },
    { "uptime", do_uptime, "time since boot" },
    { "clear", do_clear, "clear the screen" },
    { "shutdown", do_shutdown, "power off" },
    { "exit", do_exit, "leave a nested shell" },
    { NULL, NULL, NULL },
};

static int do_help(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("SWEB-VX shell. Builtins:\n");
    for (const struct builtin *b = builtins; b->name; b++)
        printf("  %-10s %s\n", b->name, b->help);
    printf("Any other word runs /bin/WORD with its arguments; "
           "a trailing & runs it in the background.\n");
    printf("Pipelines and redirection: a | b | c, < FILE, > FILE, >> FILE "
           "(e.g. cat /README.txt | grep SWEB | wc -l).\n");
    printf("Keys: arrows edit and recall history, Tab completes, Ctrl-C stops "
           "the running program. Programs: ls /bin\n");
    return 0;
}

const char *builtin_name(int i)
{
    if (i < 0 || i >= (int)(sizeof(builtins) / sizeof(builtins[0])))
        return NULL;
    return builtins[i].name;
}

static const struct builtin *builtin_find(const char *name)
{
    for (const struct builtin *b = builtins; b->name; b++)
        if (strcmp(name, b->name) == 0)
            return b;
    return NULL;
}

int builtin_name_known(const char *name) { return builtin_find(name) != NULL; }

int builtin_run(int argc, char **argv, int *status)
{
    const struct builtin *b = builtin_find(argv[0]);
    if (!b)
        return 0;
    *status = b->run(argc, argv);
    return *status != NOT_BUILTIN;
}
