/*
 * vmtest: checks of the VM system calls from userspace (docs/vm-api.md).
 *
 *   vmtest args     every bad-argument case gets its own errno; the expected
 *                   codes are written here, not taken from the kernel
 *   vmtest owner    a VM of another process: EPERM to change, readable,
 *                   destroyed when that process is killed
 *   vmtest leak N   create N VMs with 4 MiB each (half of them ran), and
 *                   exit without destroying them (the kernel must free it
 *                   all: compare `mem` before and after)
 *   vmtest memory   children that exit with VMs alive, or are killed with
 *                   VMs running, give every page back (meminfo before/after)
 *   vmtest ids      VM ids count up and are never reused; destroyed VMs keep
 *                   their records (the last VM_KEPT_RECORDS), older ones say
 *                   record_lost; at most VM_MAX_VMS alive at once
 *   vmtest boot     vm_alias, vm_load_firmware and vm_load_linux: errors,
 *                   what the alias shows, nothing half-created on a refusal
 *   vmtest spinner N  N VMs spinning with interrupts off, then sleep
 *   vmtest child    (used by `owner`) create a VM and sleep
 *   vmtest tables   print the GDTR and IDTR limits user mode sees (after a
 *                   VM ran they must be the kernel's, not 0xFFFF)
 *
 * Prints one line per check ("vmtest: NAME: ok" or "... FAILED (...)") and
 * "vmtest: N passed, M failed"; exit status 0 when nothing failed.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <vm.h>

#define RWX (VM_R | VM_W | VM_X)
#define MEM (1ull << 20)
#define BAD_PTR ((void *)0xffff800000001000ull)   /* kernel half */
#define LOW_PTR ((void *)0x10)                    /* the NULL guard */

static int passed, failed;
static char big[VM_RW_MAX + 4096];

/* Check that a call returned -1 with errno want (want 0: returned >= 0). */
static void expect(const char *name, long ret, int want)
{
    int got = ret < 0 ? errno : 0;
    if (got == want) {
        passed++;
        printf("vmtest: %s: ok\n", name);
        return;
    }
    failed++;
    printf("vmtest: %s: FAILED (got %s, want %s)\n", name, got ? errno_name(got) : "success",
           want ? errno_name(want) : "success");
}

static void check(const char *name, bool ok)
{
    expect(name, ok ? 0 : (errno = EINVAL, -1), 0);
}

static int finish(void)
{
    printf("vmtest: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

static void memory_args(int id)
{
    expect("map unaligned gpa", vm_map(id, 0x1001, 0x1000, RWX), EINVAL);
    expect("map unaligned size", vm_map(id, 0x1000, 0x1800, RWX), EINVAL);
    expect("map size 0", vm_map(id, 0x1000, 0, RWX), EINVAL);
    expect("map past the GPA limit", vm_map(id, VM_GPA_LIMIT - 0x1000, 0x2000, RWX), ERANGE);
    expect("map wrapping around", vm_map(id, 0xfffffffffffff000ull, 0x2000, RWX), ERANGE);
    expect("map past the memory limit", vm_map(id, 0, VM_MEM_LIMIT + 0x1000, RWX), EFBIG);
    expect("map W without R", vm_map(id, 0, 0x1000, VM_W), EACCES);
    expect("map unknown rights bit", vm_map(id, 0, 0x1000, 8), EACCES);
    expect("map 1M rwx", vm_map(id, 0, MEM, RWX), 0);
    expect("map overlapping", vm_map(id, 0x80000, 0x1000, RWX), EEXIST);
    expect("map unknown vm", vm_map(9999, 0x200000, 0x1000, RWX), ESRCH);
    expect("unmap unmapped", vm_unmap(id, MEM, 0x1000), ENXIO);
    expect("protect partly mapped", vm_protect(id, MEM - 0x1000, 0x2000, VM_R), ENXIO);
    expect("protect bad rights", vm_protect(id, 0x1000, 0x1000, VM_W | VM_X), EACCES);
    expect("protect r", vm_protect(id, 0x8000, 0x1000, VM_R), 0);
    expect("map x only above", vm_map(id, MEM, 0x1000, VM_X), 0);
    expect("unmap it", vm_unmap(id, MEM, 0x1000), 0);
}

static void copy_args(int id)
{
    char buf[8] = "abcdefg";
    expect("write kernel pointer", vm_write(id, 0x1000, BAD_PTR, 4), EFAULT);
    expect("write NULL", vm_write(id, 0x1000, NULL, 4), EFAULT);
    expect("write too long", vm_write(id, 0x1000, big, VM_RW_MAX + 1), E2BIG);
    expect("write unmapped", vm_write(id, 2 * MEM, buf, 4), ENXIO);
    expect("read across the end", vm_read(id, MEM - 2, buf, 4), ENXIO);
    expect("read past the GPA limit", vm_read(id, VM_GPA_LIMIT - 2, buf, 4), ERANGE);
    expect("write 8 bytes", vm_write(id, 0x3000, "guest!!", 8), 0);
    memset(buf, 0, sizeof(buf));
    expect("read them back", vm_read(id, 0x3000, buf, 8), 0);
    check("read returns the bytes", strcmp(buf, "guest!!") == 0);
    check("read ignores EPT rights", vm_read(id, 0x8000, buf, 4) == 4);
}

static void load_args(int id)
{
    static char long_path[400];
    struct vm_load_info info;
    memset(long_path, 'a', sizeof(long_path) - 1);
    long_path[0] = '/';
    expect("load missing file", vm_load(id, "/guests/nope.bin", 0x1000, NULL), ENOENT);
    expect("load a directory", vm_load(id, "/guests", 0x1000, NULL), EISDIR);
    expect("load flat as ELF", vm_load(id, "/guests/hello.bin", VM_LOAD_ELF, NULL), ENOEXEC);
    expect("load bad path pointer", vm_load(id, LOW_PTR, 0x1000, NULL), EFAULT);
    expect("load path too long", vm_load(id, long_path, 0x1000, NULL), ENAMETOOLONG);
    expect("load across the end", vm_load(id, "/guests/hello.bin", MEM - 8, NULL), ENXIO);
    expect("load bad info pointer", vm_load(id, "/guests/hello.bin", 0x1000, BAD_PTR), EFAULT);
    expect("load ELF64", vm_load(id, "/guests/hello64.elf", VM_LOAD_ELF, &info), 0);
    check("ELF64 entry 0x10000 long64", info.entry == 0x10000 && info.mode == VM_MODE_LONG64);
    expect("load flat", vm_load(id, "/guests/hello.bin", 0x1000, &info), 0);
    check("flat entry = load address", info.entry == 0x1000 && info.mode == 0 &&
                                       info.highest == 0x1000 + 43);
}

/* vCPU and run-state errors; the guest is one HLT per vCPU. */
static void run_args(int id)
{
    static const unsigned char hlt = 0xF4;
    struct vm_regs regs = {.rbx_is_index = 1};
    expect("vcpu bad mode", vm_vcpu_create(id, 9, 0x1000, NULL), EINVAL);
    expect("vcpu real entry >= 64K", vm_vcpu_create(id, VM_MODE_REAL, 0x10000, NULL), EINVAL);
    expect("vcpu bad regs pointer", vm_vcpu_create(id, VM_MODE_REAL, 0x1000, LOW_PTR), EFAULT);
    expect("start without vcpus", vm_start(id), ECHILD);
    expect("wait never started", vm_wait(id, 0), ECHILD);
    expect("kill not running", vm_kill(id), EALREADY);
    expect("write a HLT", vm_write(id, 0x1000, &hlt, 1), 0);
    for (int i = 0; i < VM_MAX_VCPUS; i++)
        if (vm_vcpu_create(id, VM_MODE_REAL, 0x1000, &regs) != i)
            expect("vcpu create", -1, 0);
    expect("vcpu beyond the limit", vm_vcpu_create(id, VM_MODE_REAL, 0x1000, &regs), ENOSPC);
    expect("start", vm_start(id), 0);
    expect("start twice", vm_start(id), EALREADY);
    expect("vcpu while started", vm_vcpu_create(id, VM_MODE_REAL, 0x1000, NULL), EBUSY);
    expect("timeout while started", vm_set_timeout(id, 100), EBUSY);
    expect("wait", vm_wait(id, VM_WAIT_FOREVER), 0);
    expect("kill stopped", vm_kill(id), EALREADY);
}

static void record_args(int id)
{
    static struct vm_stats st;
    static struct vm_status info;
    int32_t ids[4];
    expect("stats NULL", vm_stats(id, NULL), EFAULT);
    expect("stats negative id", vm_stats(-5, &st), EINVAL);
    expect("info unknown vm", vm_info(9999, &info), ESRCH);
    expect("info kernel pointer", vm_info(id, BAD_PTR), EFAULT);
    expect("list NULL", vm_list(NULL, 4), EFAULT);
    expect("trace bad pointer", vm_trace(id, LOW_PTR, 8), EFAULT);
    expect("stats", vm_stats(id, &st), 0);
    check("8 HLT exits", st.nrows >= 1 && strcmp(st.row[0].name, "HLT") == 0 &&
                         st.row[0].count == VM_MAX_VCPUS);
    expect("info", vm_info(id, &info), 0);
    check("info: stopped, halted, 8 vCPUs, 1M", info.state == VM_IS_STOPPED &&
              info.stop_code == VM_STOPPED_HALTED && info.vcpus == VM_MAX_VCPUS &&
              info.mem_bytes == MEM && strcmp(info.stop_reason, "halted") == 0);
    check("list has the vm", vm_list(ids, 4) >= 1 && ids[0] >= 1);
}

static void create_args(void)
{
    int ids[VM_MAX_VMS + 1], n = 0;
    struct vm_status info;
    expect("create unknown flags", vm_create(0x80), EINVAL);
    int id = vm_create(VM_CREATE_FOR_PARENT);
    expect("create for the parent", id, 0);
    check("owner is the parent", vm_info(id, &info) == 0 && info.owner == getppid());
    expect("destroy the parent's vm", vm_destroy(id), 0);
    expect("destroy it again", vm_destroy(id), ESRCH);
    while (n <= VM_MAX_VMS && (ids[n] = vm_create(0)) > 0)
        n++;
    expect("too many vms", n <= VM_MAX_VMS ? -1 : 0, ENOSPC);
    while (n > 0)
        vm_destroy(ids[--n]);
}

static int test_args(void)
{
    int id = vm_create(0);
    if (id < 0) {
        printf("vmtest: vm_create: %s\n", vm_error_text(errno));
        return 1;
    }
    memory_args(id);
    copy_args(id);
    load_args(id);
    run_args(id);
    record_args(id);
    expect("destroy", vm_destroy(id), 0);
    expect("destroyed: ESRCH", vm_map(id, 0, 0x1000, RWX), ESRCH);
    create_args();
    return finish();
}

/* Ids work like pids: a destroyed VM's id is not given out again, even
   when its slot among the VM_MAX_VMS alive is free again. */
static int test_ids(void)
{
    struct vm_status info;
    static struct vm_stats st;
    int first = vm_create(0), last = first;
    expect("create", first, 0);
    expect("map", vm_map(first, 0, 0x1000, RWX), 0);
    expect("destroy", vm_destroy(first), 0);
    for (int i = 0; i < VM_KEPT_RECORDS + 2; i++) {      /* push first's record out */
        int id = vm_create(0);
        check("the next id is one more", id == last + 1);
        last = id;
        vm_destroy(id);
    }
    check("info of a forgotten vm: destroyed, record lost",
          vm_info(first, &info) == 0 && info.state == VM_IS_DESTROYED && info.record_lost == 1 &&
              info.id == first && info.mem_bytes == 0);
    expect("stats of a forgotten vm", vm_stats(first, &st), ESRCH);
    check("info of the newest destroyed vm: kept", vm_info(last, &info) == 0 &&
              info.state == VM_IS_DESTROYED && info.record_lost == 0 && info.id == last);
    expect("stats of the newest destroyed vm", vm_stats(last, &st), 0);
    expect("info of an id never handed out", vm_info(last + 1000, &info), ESRCH);
    int ids[VM_MAX_VMS + 1], n = 0;
    while (n <= VM_MAX_VMS && (ids[n] = vm_create(0)) > 0)
        n++;
    check("VM_MAX_VMS alive at once, then ENOSPC", n == VM_MAX_VMS && errno == ENOSPC);
    while (n > 0)
        vm_destroy(ids[--n]);
    int again = vm_create(0);
    check("after ENOSPC the next id still counts up", again == last + VM_MAX_VMS + 1);
    vm_destroy(again);
    return finish();
}

/* The VM of process pid (the first one it owns), or -1. */
static int vm_of(int pid)
{
    int32_t ids[VM_MAX_VMS];
    struct vm_status info;
    int n = vm_list(ids, VM_MAX_VMS);
    for (int i = 0; i < n && i < VM_MAX_VMS; i++)
        if (vm_info(ids[i], &info) == 0 && info.owner == pid)
            return ids[i];
    return -1;
}

static int test_owner(void)
{
    static struct vm_status info;
    char *argv[] = {"vmtest", "child", NULL};
    int status, id = -1;
    pid_t child = spawn("/bin/vmtest", argv);
    expect("spawn the child", child, 0);
    for (int i = 0; i < 100 && id < 0; i++, sleep_ms(50))
        id = vm_of(child);
    check("the child created a vm", id > 0);
    expect("map another's vm", vm_map(id, 0x100000, 0x1000, RWX), EPERM);
    expect("destroy another's vm", vm_destroy(id), EPERM);
    expect("kill another's vm", vm_kill(id), EPERM);
    expect("info of another's vm", vm_info(id, &info), 0);
    expect("kill the child", kill(child), 0);
    waitpid(child, &status);
    expect("info after the owner died", vm_info(id, &info), 0);
    check("destroyed with its owner", info.state == VM_IS_DESTROYED);
    check("no vm left of the child", vm_of(child) < 0);
    return finish();
}

static int child(void)
{
    int id = vm_create(0);
    if (id < 0 || vm_map(id, 0, MEM, RWX) < 0)
        return 1;
    sleep_ms(30000);
    return 0;
}

/* N VMs with 4 MiB and 2 vCPUs each; the even ones ran (a HLT guest), the
   odd ones never started. Exit without cleanup: the kernel frees them. */
static int test_leak(int n)
{
    static const unsigned char hlt = 0xF4;
    for (int i = 0; i < n; i++) {
        int id = vm_create(0);
        if (id < 0 || vm_map(id, 0, 4 * MEM, RWX) < 0 || vm_write(id, 0x1000, &hlt, 1) < 0 ||
            vm_vcpu_create(id, VM_MODE_REAL, 0x1000, NULL) < 0 ||
            vm_vcpu_create(id, VM_MODE_REAL, 0x1000, NULL) < 0 ||
            (i % 2 == 0 && (vm_start(id) < 0 || vm_wait(id, VM_WAIT_FOREVER) < 0))) {
            printf("vmtest: leak: %s\n", vm_error_text(errno));
            return 1;
        }
    }
    printf("vmtest: leaving %d vms behind\n", n);
    return 0;
}

/* N VMs with 2 vCPUs each spinning with interrupts off (spin.bin's
   bytes), then sleep until killed. */
static int spinner(int n)
{
    static const unsigned char spin[] = {0xFA, 0xEB, 0xFE};   /* cli; jmp $ */
    for (int i = 0; i < n; i++) {
        int id = vm_create(0);
        if (id < 0 || vm_map(id, 0, 2 * MEM, RWX) < 0 || vm_write(id, 0x1000, spin, 3) < 0 ||
            vm_vcpu_create(id, VM_MODE_REAL, 0x1000, NULL) < 0 ||
            vm_vcpu_create(id, VM_MODE_REAL, 0x1000, NULL) < 0 || vm_start(id) < 0)
            return 1;
    }
    sleep_ms(60000);
    return 0;
}

/* Run "vmtest ARG N" as a child; kill it after kill_ms unless 0; wait. */
static void run_child(const char *arg, const char *n, int kill_ms)
{
    char *argv[] = {"vmtest", (char *)arg, (char *)n, NULL};
    int status;
    pid_t pid = spawn("/bin/vmtest", argv);
    if (pid < 0) {
        expect("spawn", pid, 0);
        return;
    }
    if (kill_ms) {
        sleep_ms((uint64_t)kill_ms);
        expect("kill the owner of running vms", kill(pid), 0);
    }
    waitpid(pid, &status);
}

/* Every page comes back: after children that exit with VMs alive and that
   are killed with VMs running, the free page count is what it was. */
static int test_memory(void)
{
    struct meminfo before, after;
    run_child("leak", "1", 0);            /* warm-up: first-use allocations */
    run_child("spinner", "1", 300);
    meminfo(&before);
    run_child("leak", "3", 0);
    run_child("spinner", "2", 500);
    meminfo(&after);
    printf("vmtest: free pages before %lu, after %lu\n", (unsigned long)before.free_pages,
           (unsigned long)after.free_pages);
    check("every page returned", before.free_pages == after.free_pages);
    return finish();
}

/* vm_alias: a second view of mapped memory, with its own rights. */
static void boot_alias(void)
{
    int id = vm_create(0);
    uint32_t word = 0x12345678, back = 0;
    struct vm_status st;
    expect("boot: map source", vm_map(id, 0x10000, 0x4000, VM_R | VM_X), 0);
    expect("boot: alias unaligned", vm_alias(id, 0x20001, 0x1000, 0x10000, RWX), EINVAL);
    expect("boot: alias past 4 GiB", vm_alias(id, 0xFFFFF000ull, 0x2000, 0x10000, RWX), ERANGE);
    expect("boot: alias without R", vm_alias(id, 0x20000, 0x1000, 0x10000, VM_X), EACCES);
    expect("boot: alias of a hole", vm_alias(id, 0x20000, 0x5000, 0x10000, RWX), ENXIO);
    expect("boot: alias onto itself", vm_alias(id, 0x12000, 0x4000, 0x10000, RWX), EINVAL);
    expect("boot: alias onto memory", vm_alias(id, 0x10000, 0x1000, 0x12000, RWX), EEXIST);
    expect("boot: alias", vm_alias(id, 0xE0000, 0x4000, 0x10000, RWX), 0);
    expect("boot: alias twice", vm_alias(id, 0xE2000, 0x1000, 0x10000, RWX), EEXIST);
    expect("boot: map over the alias", vm_map(id, 0xE0000, 0x1000, RWX), EEXIST);
    expect("boot: write the source", vm_write(id, 0x11004, &word, 4), 0);
    check("boot: alias in vm_info", vm_info(id, &st) == 0 && st.naliases == 1 &&
          st.alias[0].gpa == 0xE0000 && st.alias[0].src == 0x10000 && st.alias[0].size == 0x4000 &&
          st.alias[0].rights == RWX && st.mem_bytes == 0x4000);
    expect("boot: read through the alias (not a region)", vm_read(id, 0xE1004, &back, 4), ENXIO);
    expect("boot: unmap an aliased source", vm_unmap(id, 0x10000, 0x1000), EBUSY);
    expect("boot: unmap the alias", vm_unmap(id, 0xE0000, 0x1000), ENXIO);
    vm_destroy(id);
}

/* vm_load_firmware: size rule, places, and a clean refusal. */
static void boot_firmware(void)
{
    struct vm_firmware_info fi;
    struct vm_status st;
    int id = vm_create(0);
    expect("boot: firmware of 43 bytes", vm_load_firmware(id, "/guests/hello.bin", &fi), ENOEXEC);
    check("boot: refused firmware maps nothing", vm_info(id, &st) == 0 && st.regions == 0 && st.naliases == 0);
    expect("boot: firmware missing", vm_load_firmware(id, "/guests/none.bin", &fi), ENOENT);
    expect("boot: firmware path", vm_load_firmware(id, BAD_PTR, &fi), EFAULT);
    expect("boot: firmware info", vm_load_firmware(id, "/guests/seabios.bin", BAD_PTR), EFAULT);
    expect("boot: RAM where the alias goes", vm_map(id, 0xF0000, 0x1000, RWX), 0);
    expect("boot: firmware onto RAM", vm_load_firmware(id, "/guests/seabios.bin", &fi), EEXIST);
    check("boot: nothing half-created", vm_info(id, &st) == 0 && st.regions == 1 && st.naliases == 0 &&
          st.mem_bytes == 0x1000);
    vm_destroy(id);
    id = vm_create(0);
    expect("boot: firmware", vm_load_firmware(id, "/guests/seabios.bin", &fi), 0);
    check("boot: firmware places", fi.rom_gpa == 0xFFFE0000ull && fi.rom_size == 0x20000 &&
          fi.low_gpa == 0xE0000 && fi.low_size == 0x20000);
    check("boot: firmware regions", vm_info(id, &st) == 0 && st.regions == 1 &&
          st.region[0].gpa == 0xFFFE0000ull && st.region[0].rights == (VM_R | VM_X) &&
          st.naliases == 1 && st.alias[0].src == 0xFFFE0000ull && st.load_mode == VM_MODE_RESET);
    uint8_t sig[2] = {0};
    expect("boot: reset vector readable", vm_read(id, 0xFFFFFFF0ull, sig, 1), 0);
    check("boot: reset vector is a far jump", sig[0] == 0xEA);
    expect("boot: firmware twice", vm_load_firmware(id, "/guests/seabios.bin", &fi), EEXIST);
    vm_destroy(id);
}

/* vm_load_linux: refusals carry a reason and change nothing. */
static void boot_linux(void)
{
    static struct vm_linux_load l;
    struct vm_status st;
    int id = vm_create(0);
    memset(&l, 0, sizeof(l));
    l.kernel = (uint64_t)(uintptr_t)"/guests/seabios.bin";
    expect("boot: linux non-bzImage", vm_load_linux(id, &l), ENOEXEC);
    check("boot: linux reason", strstr(l.error, "not a Linux bzImage") != NULL);
    l.kernel = (uint64_t)(uintptr_t)"/guests/linux_tiny.bin";
    l.flags = VM_LINUX_CHECK_ONLY;
    expect("boot: linux check only", vm_load_linux(id, &l), 0);
    check("boot: linux check protocol", l.protocol == 0x020F && l.error[0] == 0);
    l.flags = 0;
    expect("boot: linux without RAM", vm_load_linux(id, &l), ENXIO);
    expect("boot: map 2M", vm_map(id, 0, 2 << 20, RWX), 0);
    l.initrd = (uint64_t)(uintptr_t)"/guests/none";
    expect("boot: linux initrd missing", vm_load_linux(id, &l), ENOENT);
    l.initrd = (uint64_t)(uintptr_t)BAD_PTR;
    expect("boot: linux initrd pointer", vm_load_linux(id, &l), EFAULT);
    l.initrd = 0;
    expect("boot: linux request pointer", vm_load_linux(id, BAD_PTR), EFAULT);
    expect("boot: linux", vm_load_linux(id, &l), 0);
    check("boot: linux places", l.entry == 0x100200 && l.boot_params == 0x7000 && l.kernel_gpa == 0x100000 &&
          l.e820_entries == 3 && vm_info(id, &st) == 0 && st.load_entry == 0x100200 &&
          st.load_mode == VM_MODE_LINUX64);
    expect("boot: linux64 entry past 4 GiB", vm_vcpu_create(id, VM_MODE_LINUX64, 1ull << 32, NULL), EINVAL);
    vm_destroy(id);
}

static int test_boot(void)
{
    boot_alias();
    boot_firmware();
    boot_linux();
    return finish();
}

/* The host's descriptor tables as user mode sees them (SGDT/SIDT work at
   CPL 3 without UMIP): every VM exit sets both limits to 0xFFFF (SDM Vol. 3C
   27.5.2), and the hypervisor must put the real ones back before user code
   runs, else LSL/LAR/VERR accept selectors made of kernel data. */
static int show_tables(void)
{
    struct __attribute__((packed)) {
        uint16_t limit;
        uint64_t base;
    } gdtr, idtr;
    __asm__ volatile("sgdt %0\n\tsidt %1" : "=m"(gdtr), "=m"(idtr));
    printf("gdtr limit 0x%x, idtr limit 0x%x\n", gdtr.limit, idtr.limit);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "tables") == 0)
        return show_tables();
    if (argc >= 2 && strcmp(argv[1], "args") == 0)
        return test_args();
    if (argc >= 2 && strcmp(argv[1], "owner") == 0)
        return test_owner();
    if (argc >= 2 && strcmp(argv[1], "child") == 0)
        return child();
    if (argc >= 3 && strcmp(argv[1], "leak") == 0)
        return test_leak(atoi(argv[2]));
    if (argc >= 3 && strcmp(argv[1], "spinner") == 0)
        return spinner(atoi(argv[2]));
    if (argc >= 2 && strcmp(argv[1], "memory") == 0)
        return test_memory();
    if (argc >= 2 && strcmp(argv[1], "ids") == 0)
        return test_ids();
    if (argc >= 2 && strcmp(argv[1], "boot") == 0)
        return test_boot();
    fprintf(stderr, "usage: vmtest args | owner | memory | ids | boot | tables | leak N | spinner N\n");
    return 2;
}
