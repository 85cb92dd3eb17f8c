/*
 * linux-init: the /init of the initramfs `utils/sweb guests linux` builds for
 * Debian's Linux kernel running as a SWEB-VX guest. A static x86_64 Linux
 * program without libc: it prints one line with the kernel's release on
 * /dev/console and resets the machine through the 8042 keyboard controller
 * (command 0xFE on port 0x64 pulses the CPU's reset line, 8042 datasheet),
 * which stops the VM with "reset". If the port cannot be had it falls back
 * to reboot(2).
 *
 * Runs as PID 1 in Linux user mode (ring 3); built with the host compiler:
 *   gcc -static -nostdlib -ffreestanding -fno-pie -no-pie -O2 -o init init.c
 */
#include <stddef.h>

/* Linux x86_64 system call numbers (arch/x86/entry/syscalls/syscall_64.tbl) */
#define NR_WRITE 1
#define NR_EXIT 60
#define NR_UNAME 63
#define NR_REBOOT 169
#define NR_IOPERM 173

#define REBOOT_MAGIC1 0xfee1deadL
#define REBOOT_MAGIC2 0x28121969L
#define REBOOT_CMD_RESTART 0x01234567L

#define I8042_COMMAND 0x64
#define I8042_PULSE_RESET 0xFE

struct utsname {
    char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

static long sys3(long nr, long a, long b, long c)
{
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return ret;
}

static long sys4(long nr, long a, long b, long c, long d)
{
    long ret;
    register long r10 __asm__("r10") = d;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
    return ret;
}

static size_t length(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static void say(const char *s) { sys3(NR_WRITE, 1, (long)s, (long)length(s)); }

void _start(void)
{
    static struct utsname u;
    say("linux-init: /init is running on Linux ");
    say(sys3(NR_UNAME, (long)&u, 0, 0) == 0 ? u.release : "(uname failed)");
    say(", resetting through the 8042\n");
    if (sys3(NR_IOPERM, I8042_COMMAND, 1, 1) == 0)
        __asm__ volatile("outb %0, %1" : : "a"((unsigned char)I8042_PULSE_RESET), "Nd"((unsigned short)I8042_COMMAND));
    sys4(NR_REBOOT, REBOOT_MAGIC1, REBOOT_MAGIC2, REBOOT_CMD_RESTART, 0);
    say("linux-init: still running after the reset request\n");
    for (;;)
        sys3(NR_EXIT, 1, 0, 0);
}
