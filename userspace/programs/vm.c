/*
 * vm: create, fill, run and inspect virtual machines from the shell.
 *
 *   vm run FILE [--mode real|prot32|long64] [--load GPA] [--entry GPA]
 *          [--mem SIZE] [--vcpus N] [--map GPA:SIZE:RIGHTS]... [--timeout MS]
 *          [--reg NAME=VALUE]...
 *   vm run FIRMWARE --bios [--mem SIZE]        a PC firmware (SeaBIOS) from reset
 *   vm run BZIMAGE --linux [--initrd FILE] [--append "ARGS"] [--mem SIZE]
 *   vm create [--mem SIZE]            prints vmN; the shell owns the VM
 *   vm map N GPA SIZE RIGHTS          vm protect N GPA SIZE RIGHTS
 *   vm unmap N GPA SIZE               vm load N FILE [GPA|elf]
 *   vm start N [--mode M] [--entry GPA] [--vcpus K] [--reg NAME=VALUE]...
 *   vm wait N [--timeout MS]          vm kill N        vm destroy N
 *   vm list                           vm info N        vm trace N
 *   vm console N                      the terminal types into the guest's COM1
 *                                     until Ctrl-] (its output shows as always)
 *   vm nmi N                          an NMI for vCPU 0
 *
 * Exit status: 0 on success (run/wait: the VM halted or exited with code
 * 0), the guest's exit code for "exit code K", 1 for any other stop or
 * error, 2 for a usage error. Every form is a thin layer over libc vm.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <vm.h>

#define DEFAULT_MEM (1ull << 20)
#define DEFAULT_LOAD 0x1000ull
#define MAX_MAPS 16
#define DEFAULT_BIOS_MEM (16ull << 20)
#define DEFAULT_LINUX_MEM (128ull << 20)
#define DEFAULT_APPEND "console=ttyS0 earlyprintk=serial noapic nolapic nosmp nokaslr"
#define ONE_MIB (1ull << 20)
#define LAPIC_PAGE 0xFEE00000ull   /* the local APIC's registers (SDM Vol. 3A 10.4.1) */

struct map_option {
    uint64_t gpa, size;
    unsigned rights;
};

/* Options of `vm run` and `vm start` (fields a form does not take stay unset). */
struct run_options {
    const char *file;
    unsigned mode;            /* 0: from the file (ELF) or real */
    uint64_t load, entry, mem, timeout_ms;
    bool have_load, have_entry, have_mem;
    bool bios, linux_boot;    /* --bios, --linux */
    const char *initrd, *append;
    unsigned vcpus;
    struct map_option maps[MAX_MAPS];
    int nmaps;
    struct vm_regs regs;
};

static int usage(void)
{
    fprintf(stderr,
            "usage: vm run FILE [--mode real|prot32|long64] [--load GPA] [--entry GPA]\n"
            "              [--mem SIZE] [--vcpus N] [--map GPA:SIZE:RIGHTS]... [--timeout MS]\n"
            "              [--reg NAME=VALUE]...\n"
            "       vm run FIRMWARE --bios [--mem SIZE]\n"
            "       vm run BZIMAGE --linux [--initrd FILE] [--append \"ARGS\"] [--mem SIZE]\n"
            "       vm create [--mem SIZE] | map N GPA SIZE RIGHTS | protect N GPA SIZE RIGHTS\n"
            "       vm unmap N GPA SIZE | load N FILE [GPA|elf]\n"
            "       vm start N [--mode M] [--entry GPA] [--vcpus K] [--reg NAME=VALUE]...\n"
            "       vm wait N [--timeout MS] | kill N | destroy N | list | info N | trace N\n"
            "       vm console N      (type into the guest's COM1; Ctrl-] leaves) | nmi N\n"
            "       vm break N REASON [count K] [port=|msr=|leaf=|gpa=N] | break N clear\n"
            "       vm continue N\n"
            "RIGHTS: any of r, w, x, or - (no access); sizes: 4096, 0x1000, 4K, 1M\n");
    return 2;
}

/* Print "vm: WHAT: ENAME (message)" for the errno of a failed call; returns 1. */
static int fail(const char *what)
{
    int err = errno;
    fprintf(stderr, "vm: %s: %s\n", what, vm_error_text(err));
    if (err == ENODEV)
        fprintf(stderr, "vm: this CPU or emulator offers no VT-x: use make bochs, "
                        "or make kvm on an Intel host\n");
    else if (err == ECHILD && strcmp(what, "wait") == 0)
        fprintf(stderr, "vm: the VM was never started (vm start N)\n");
    else if (err == EALREADY && strcmp(what, "start") == 0)
        fprintf(stderr, "vm: a VM runs once; create a new one to run the guest again\n");
    else if (err == ENOMEM && strncmp(what, "map", 3) == 0)
        fprintf(stderr, "vm: all VMs together may use the host's memory less an eighth it keeps; "
                        "destroy a VM (vm list) or use less --mem\n");
    else if (err == EALREADY && strcmp(what, "kill") == 0)
        fprintf(stderr, "vm: the VM is not running\n");
    else if (err == ENXIO)
        fprintf(stderr, "vm: part of that guest memory is not mapped (vm info N lists what is)\n");
    else if (err == EEXIST)
        fprintf(stderr, "vm: part of that range is mapped already (vm protect changes rights)\n");
    return 1;
}

/* Parse a number or size argument; prints a message and returns -1 if bad. */
static int parse_num(const char *what, const char *s, uint64_t *out)
{
    if (vm_parse_size(s, out) == 0)
        return 0;
    fprintf(stderr, "vm: bad %s '%s'\n", what, s);
    return -1;
}

/* Parse a VM id "N" or "vmN". */
static int parse_id(const char *s, int *id)
{
    uint64_t v;
    if (strncmp(s, "vm", 2) == 0)
        s += 2;
    if (parse_num("VM id", s, &v) < 0 || v == 0 || v > 0x7fffffff)
        return -1;
    *id = (int)v;
    return 0;
}

static int parse_rights_arg(const char *s, unsigned *rights)
{
    if (vm_parse_rights(s, rights) == 0)
        return 0;
    fprintf(stderr, "vm: bad rights '%s' (any of r, w, x, or -)\n", s);
    return -1;
}

/* "GPA:SIZE:RIGHTS" of --map. */
static int parse_map(const char *s, struct map_option *m)
{
    char buf[64];
    strlcpy(buf, s, sizeof(buf));
    char *size = strchr(buf, ':');
    char *rights = size ? strchr(size + 1, ':') : NULL;
    if (rights == NULL) {
        fprintf(stderr, "vm: --map wants GPA:SIZE:RIGHTS, not '%s'\n", s);
        return -1;
    }
    *size++ = '\0';
    *rights++ = '\0';
    if (parse_num("GPA", buf, &m->gpa) < 0 || parse_num("size", size, &m->size) < 0)
        return -1;
    return parse_rights_arg(rights, &m->rights);
}

/* "NAME=VALUE" of --reg: NAME is rax..r15 or rsp. */
static int parse_reg(const char *s, struct vm_regs *regs)
{
    static const char *const names[] = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi",
                                        "rbp", "rsp", "r8", "r9", "r10", "r11",
                                        "r12", "r13", "r14", "r15"};
    const char *eq = strchr(s, '=');
    uint64_t value;
    if (eq == NULL || parse_num("register value", eq + 1, &value) < 0)
        return -1;
    uint64_t *slots = &regs->rax;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strlen(names[i]) == (size_t)(eq - s) && strncmp(names[i], s, eq - s) == 0) {
            slots[i] = value;
            if (i == 1)
                regs->rbx_is_index = 0;   /* an explicit rbx wins over the index */
            return 0;
        }
    }
    fprintf(stderr, "vm: unknown register in '%s'\n", s);
    return -1;
}

/* Parse one option at argv[*i] into o; returns -1 on a bad or unknown one. */
static int parse_option(int argc, char **argv, int *i, struct run_options *o)
{
    const char *opt = argv[*i];
    if (strcmp(opt, "--bios") == 0 || strcmp(opt, "--linux") == 0) {
        *(opt[2] == 'b' ? &o->bios : &o->linux_boot) = true;
        return 0;
    }
    if (*i + 1 >= argc) {
        fprintf(stderr, "vm: %s needs a value\n", opt);
        return -1;
    }
    const char *val = argv[++*i];
    if (strcmp(opt, "--mode") == 0) {
        if (vm_parse_mode(val, &o->mode) == 0)
            return 0;
        fprintf(stderr, "vm: bad mode '%s' (real, prot32 or long64)\n", val);
        return -1;
    }
    if (strcmp(opt, "--load") == 0) {
        o->have_load = true;
        return parse_num("load address", val, &o->load);
    }
    if (strcmp(opt, "--entry") == 0) {
        o->have_entry = true;
        return parse_num("entry", val, &o->entry);
    }
    if (strcmp(opt, "--mem") == 0) {
        o->have_mem = true;
        return parse_num("memory size", val, &o->mem);
    }
    if (strcmp(opt, "--initrd") == 0 || strcmp(opt, "--append") == 0) {
        *(opt[2] == 'i' ? &o->initrd : &o->append) = val;
        return 0;
    }
    if (strcmp(opt, "--timeout") == 0)
        return parse_num("timeout", val, &o->timeout_ms);
    if (strcmp(opt, "--reg") == 0)
        return parse_reg(val, &o->regs);
    if (strcmp(opt, "--vcpus") == 0) {
        uint64_t n;
        if (parse_num("vCPU count", val, &n) < 0)
            return -1;
        if (n == 0) {
            fprintf(stderr, "vm: --vcpus wants 1 to %d\n", VM_MAX_VCPUS);
            return -1;
        }
        o->vcpus = n > 0xffff ? 0xffff : (unsigned)n;   /* the kernel checks the limit */
        return 0;
    }
    if (strcmp(opt, "--map") == 0) {
        if (o->nmaps == MAX_MAPS) {
            fprintf(stderr, "vm: at most %d --map options\n", MAX_MAPS);
            return -1;
        }
        return parse_map(val, &o->maps[o->nmaps++]);
    }
    fprintf(stderr, "vm: unknown option %s\n", opt);
    return -1;
}

static void options_init(struct run_options *o)
{
    memset(o, 0, sizeof(*o));
    o->mem = DEFAULT_MEM;
    o->vcpus = 1;
    o->regs.rbx_is_index = 1;
}

/* Parse argv[first..] as options; returns -1 (after a message) on error. */
static int parse_options(int argc, char **argv, int first, struct run_options *o)
{
    for (int i = first; i < argc; i++)
        if (parse_option(argc, argv, &i, o) < 0)
            return -1;
    return 0;
}

/* True if the file starts with the ELF magic (then it is loaded as ELF). */
static bool file_is_elf(const char *path)
{
    unsigned char magic[4] = {0};
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, magic, sizeof(magic));
    close(fd);
    return n == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
}

/* Apply one --map: the part inside the --mem memory (from GPA 0) gets new
   rights, the part beyond it is mapped as new memory with those rights. */
static int apply_map(int id, const struct run_options *o, const struct map_option *m)
{
    uint64_t end = m->gpa + m->size;
    if (end < m->gpa) {
        errno = ERANGE;
        return fail("--map");
    }
    if (m->gpa < o->mem && vm_protect(id, m->gpa, (end < o->mem ? end : o->mem) - m->gpa, m->rights) < 0)
        return fail("--map (protect)");
    if (end > o->mem) {
        uint64_t start = m->gpa > o->mem ? m->gpa : o->mem;
        if (vm_map(id, start, end - start, m->rights) < 0)
            return fail("--map");
    }
    return 0;
}

/* Load o->file: ELF at its physical addresses, else flat at --load (0x1000). */
static int load_file(int id, const char *file, bool have_load, uint64_t load,
                     struct vm_load_info *info)
{
    uint64_t gpa = have_load ? load : file_is_elf(file) ? VM_LOAD_ELF : DEFAULT_LOAD;
    if (vm_load(id, file, gpa, info) < 0) {
        int err = errno;
        fprintf(stderr, "vm: load %s: %s\n", file, vm_error_text(err));
        if (err == ENXIO)
            fprintf(stderr, "vm: the file does not fit into the VM's mapped memory (more --mem?)\n");
        return 1;
    }
    return 0;
}

/* Create o->vcpus vCPUs (RBX = index unless --reg rbx=...). */
static int create_vcpus(int id, unsigned mode, uint64_t entry, const struct run_options *o)
{
    for (unsigned i = 0; i < o->vcpus; i++)
        if (vm_vcpu_create(id, mode, entry, &o->regs) < 0)
            return fail("vcpu create");
    return 0;
}

/* Print "vmN stopped: REASON" and return the program's exit status for it. */
static int report_stop(int id)
{
    struct vm_status info;
    if (vm_info(id, &info) < 0)
        return fail("info");
    printf("vm%d stopped: %s\n", id, info.stop_reason);
    if (info.stop_code == VM_STOPPED_HALTED)
        return 0;
    if (info.stop_code == VM_STOPPED_EXIT)
        return (int)(info.exit_code & 0xff);
    return 1;
}

static int print_stats_of(int id)
{
    static struct vm_stats st;
    if (vm_stats(id, &st) < 0)
        return fail("stats");
    vm_print_stats(&st, 0);
    return 0;
}

/* Map, load and start per the options; 0 or 1 after a message. */
static int setup_and_start(int id, struct run_options *o)
{
    if (vm_map(id, 0, o->mem, VM_R | VM_W | VM_X) < 0)
        return fail("map --mem");
    for (int i = 0; i < o->nmaps; i++)
        if (apply_map(id, o, &o->maps[i]) != 0)
            return 1;
    struct vm_load_info info;
    if (load_file(id, o->file, o->have_load, o->load, &info) != 0)
        return 1;
    unsigned mode = o->mode ? o->mode : info.mode ? info.mode : VM_MODE_REAL;
    uint64_t entry = o->have_entry ? o->entry : info.entry;
    if (create_vcpus(id, mode, entry, o) != 0)
        return 1;
    if (o->timeout_ms && vm_set_timeout(id, o->timeout_ms) < 0)
        return fail("timeout");
    if (vm_start(id) < 0)
        return fail("start");
    return 0;
}

/* ---- vm run --bios / --linux ---- */

/* The options --bios and --linux exclude (they set mode, place and entry). */
static int check_boot_options(const struct run_options *o)
{
    const char *form = o->bios ? "--bios" : "--linux";
    if (o->bios && o->linux_boot) {
        fprintf(stderr, "vm: --bios and --linux exclude each other\n");
        return -1;
    }
    if (o->mode || o->have_load || o->have_entry || o->vcpus != 1 || o->nmaps) {
        fprintf(stderr, "vm: %s sets mode, load address and entry itself and runs one vCPU "
                        "(no --mode, --load, --entry, --map, --vcpus)\n", form);
        return -1;
    }
    if (o->bios && (o->initrd || o->append)) {
        fprintf(stderr, "vm: --initrd and --append go with --linux\n");
        return -1;
    }
    if (!o->bios && !o->linux_boot && (o->initrd || o->append)) {
        fprintf(stderr, "vm: --initrd and --append go with --linux\n");
        return -1;
    }
    return 0;
}

/* A firmware image must be 64, 128 or 256 KiB: say so before a VM exists. */
static int check_firmware_file(const char *file, uint64_t *size)
{
    struct stat st;
    if (stat(file, &st) < 0) {
        fprintf(stderr, "vm: %s: %s\n", file, vm_error_text(errno));
        return -1;
    }
    *size = st.size;
    if (st.size == 64 << 10 || st.size == 128 << 10 || st.size == 256 << 10)
        return 0;
    fprintf(stderr, "vm: %s: a firmware image has 64, 128 or 256 KiB, this one %lu bytes\n", file,
            (unsigned long)st.size);
    return -1;
}

/* Map RAM from 0 to --mem for the firmware, leaving out where its alias goes
   below 1 MiB (the last min(size, 128 KiB) of the first MiB). */
static int map_bios_ram(int id, uint64_t mem, uint64_t fw_size)
{
    uint64_t low_end = ONE_MIB - (fw_size < VM_FIRMWARE_LOW_MAX ? fw_size : VM_FIRMWARE_LOW_MAX);
    if (vm_map(id, 0, mem < low_end ? mem : low_end, VM_R | VM_W | VM_X) < 0)
        return fail("map --mem");
    if (mem > ONE_MIB && vm_map(id, ONE_MIB, mem - ONE_MIB, VM_R | VM_W | VM_X) < 0)
        return fail("map --mem");
    return 0;
}

static int setup_bios(int id, struct run_options *o, uint64_t fw_size)
{
    struct vm_firmware_info fi;
    if (map_bios_ram(id, o->mem, fw_size) != 0)
        return 1;
    /* SeaBIOS reads the local APIC's version register for its MP table even
       when CPUID shows no APIC: the page reads as zeros (no APIC, version 0). */
    if (vm_map(id, LAPIC_PAGE, 0x1000, VM_R) < 0)
        return fail("map the local APIC page");
    if (vm_load_firmware(id, o->file, &fi) < 0) {
        fprintf(stderr, "vm: load firmware %s: %s\n", o->file, vm_error_text(errno));
        return 1;
    }
    o->regs.rdx = o->regs.rdx ? o->regs.rdx : 0x600;   /* EDX after RESET: family 6 (SDM Vol. 3A 9.1.4) */
    return create_vcpus(id, VM_MODE_RESET, 0, o);
}

static int setup_linux(int id, struct run_options *o)
{
    static struct vm_linux_load l;
    memset(&l, 0, sizeof(l));
    l.kernel = (uint64_t)(uintptr_t)o->file;
    l.initrd = (uint64_t)(uintptr_t)o->initrd;
    l.cmdline = (uint64_t)(uintptr_t)(o->append ? o->append : DEFAULT_APPEND);
    l.flags = VM_LINUX_CHECK_ONLY;           /* a bad image is refused before memory is asked for */
    if (vm_load_linux(id, &l) == 0) {
        l.flags = 0;
        if (vm_map(id, 0, o->mem, VM_R | VM_W | VM_X) < 0)
            return fail("map --mem");
    }
    if (l.flags || vm_load_linux(id, &l) < 0) {
        int err = errno;
        if (l.error[0])
            fprintf(stderr, "vm: %s: %s (%s)\n", o->file, l.error, vm_error_text(err));
        else
            fprintf(stderr, "vm: load %s: %s\n", o->file, vm_error_text(err));
        return 1;
    }
    printf("vm%d: Linux boot protocol %u.%02u, kernel 0x%lx (%lu bytes), ", id, (unsigned)l.protocol >> 8,
           (unsigned)l.protocol & 0xff, (unsigned long)l.kernel_gpa, (unsigned long)l.kernel_size);
    if (l.initrd_size)
        printf("initrd 0x%lx (%lu bytes), ", (unsigned long)l.initrd_gpa, (unsigned long)l.initrd_size);
    printf("%u e820 entries, entry 0x%lx\n", (unsigned)l.e820_entries, (unsigned long)l.entry);
    o->regs.rsi = l.boot_params;           /* the boot protocol's pointer to boot_params */
    return create_vcpus(id, VM_MODE_LINUX64, l.entry, o);
}

/* Everything of `vm run --bios|--linux` up to vm_start; 0, 1 after a message. */
static int setup_boot(int id, struct run_options *o, uint64_t fw_size)
{
    int status = o->bios ? setup_bios(id, o, fw_size) : setup_linux(id, o);
    if (status == 0 && o->timeout_ms && vm_set_timeout(id, o->timeout_ms) < 0)
        return fail("timeout");
    if (status == 0 && vm_start(id) < 0)
        return fail("start");
    return status;
}

static int cmd_run(int argc, char **argv)
{
    static struct run_options o;
    options_init(&o);
    if (argc < 3)
        return usage();
    o.file = argv[2];
    if (parse_options(argc, argv, 3, &o) < 0)
        return 2;
    bool boot = o.bios || o.linux_boot;
    uint64_t fw_size = 0;
    if ((boot || o.initrd || o.append) && check_boot_options(&o) < 0)
        return 2;
    if (o.bios && check_firmware_file(o.file, &fw_size) < 0)
        return 1;
    if (boot && !o.have_mem)
        o.mem = o.bios ? DEFAULT_BIOS_MEM : DEFAULT_LINUX_MEM;
    int id = vm_create(0);
    if (id < 0)
        return fail("create");
    int status = boot ? setup_boot(id, &o, fw_size) : setup_and_start(id, &o);
    if (status == 0) {
        if (vm_wait(id, VM_WAIT_FOREVER) < 0)
            status = fail("wait");
        else
            status = report_stop(id);
        print_stats_of(id);
    }
    vm_destroy(id);
    return status;
}

static int cmd_create(int argc, char **argv)
{
    static struct run_options o;
    options_init(&o);
    o.mem = 0;
    if (parse_options(argc, argv, 2, &o) < 0)
        return 2;
    int id = vm_create(VM_CREATE_FOR_PARENT);
    if (id < 0)
        return fail("create");
    if (o.mem && vm_map(id, 0, o.mem, VM_R | VM_W | VM_X) < 0) {
        int err = errno;
        vm_destroy(id);
        errno = err;
        return fail("map --mem");
    }
    printf("vm%d\n", id);
    return 0;
}

/* vm map|protect N GPA SIZE RIGHTS, vm unmap N GPA SIZE */
static int cmd_range(int argc, char **argv)
{
    bool unmap = strcmp(argv[1], "unmap") == 0;
    int id;
    uint64_t gpa, size;
    unsigned rights = 0;
    if (argc != (unmap ? 5 : 6))
        return usage();
    if (parse_id(argv[2], &id) < 0 || parse_num("GPA", argv[3], &gpa) < 0 ||
        parse_num("size", argv[4], &size) < 0 || (!unmap && parse_rights_arg(argv[5], &rights) < 0))
        return 2;
    int r = unmap ? vm_unmap(id, gpa, size)
            : strcmp(argv[1], "map") == 0 ? vm_map(id, gpa, size, rights)
                                          : vm_protect(id, gpa, size, rights);
    return r < 0 ? fail(argv[1]) : 0;
}

static int cmd_load(int argc, char **argv)
{
    int id;
    uint64_t gpa = 0;
    bool have_gpa = argc == 5 && strcmp(argv[4], "elf") != 0;
    if (argc != 4 && argc != 5)
        return usage();
    if (parse_id(argv[2], &id) < 0 || (have_gpa && parse_num("GPA", argv[4], &gpa) < 0))
        return 2;
    if (argc == 5 && !have_gpa) {
        have_gpa = true;
        gpa = VM_LOAD_ELF;
    }
    struct vm_load_info info;
    if (load_file(id, argv[3], have_gpa, gpa, &info) != 0)
        return 1;
    printf("vm%d: loaded %s at 0x%lx-0x%lx, entry 0x%lx%s%s\n", id, argv[3],
           (unsigned long)info.lowest, (unsigned long)info.highest, (unsigned long)info.entry,
           info.mode ? ", mode " : "", info.mode ? vm_mode_name(info.mode) : "");
    return 0;
}

/* `vm CMD N [options]`: the VM id and the options after it. Returns 0, or
   the exit status the command ends with (usage, or 2 for a bad value). */
static int parse_id_and_options(int argc, char **argv, struct run_options *o, int *id)
{
    options_init(o);
    if (argc < 3)
        return usage();
    if (parse_id(argv[2], id) < 0 || parse_options(argc, argv, 3, o) < 0)
        return 2;
    return 0;
}

static int cmd_start(int argc, char **argv)
{
    static struct run_options o;
    int id, status = parse_id_and_options(argc, argv, &o, &id);
    if (status)
        return status;
    struct vm_status info;
    if (vm_info(id, &info) < 0)
        return fail("start");
    unsigned mode = o.mode ? o.mode : info.load_mode ? info.load_mode : VM_MODE_REAL;
    uint64_t entry = o.have_entry ? o.entry : info.load_entry ? info.load_entry : DEFAULT_LOAD;
    if (info.state == VM_IS_CREATED && create_vcpus(id, mode, entry, &o) != 0)
        return 1;
    return vm_start(id) < 0 ? fail("start") : 0;   /* a VM runs once: EALREADY */
}

static int cmd_wait(int argc, char **argv)
{
    static struct run_options o;
    int id, status = parse_id_and_options(argc, argv, &o, &id);
    if (status)
        return status;
    if (vm_wait(id, o.timeout_ms ? o.timeout_ms : VM_WAIT_FOREVER) < 0) {
        struct vm_status info;
        int err = errno;
        if (err == ESRCH && vm_info(id, &info) == 0 && info.state == VM_IS_DESTROYED &&
            !info.record_lost)
            return report_stop(id);   /* e.g. a `vm run ... &` that ended: its kept record */
        errno = err;
        if (errno != ETIMEDOUT)
            return fail("wait");
        printf("vm%d still running after %lu ms\n", id, (unsigned long)o.timeout_ms);
        return 1;
    }
    return report_stop(id);
}

/* vm kill N, vm destroy N */
static int cmd_simple(int argc, char **argv)
{
    int id;
    if (argc != 3)
        return usage();
    if (parse_id(argv[2], &id) < 0)
        return 2;
    int r = strcmp(argv[1], "kill") == 0 ? vm_kill(id) : strcmp(argv[1], "nmi") == 0 ? vm_nmi(id) : vm_destroy(id);
    return r < 0 ? fail(argv[1]) : 0;
}

static int cmd_list(void)
{
    int32_t ids[VM_MAX_VMS];
    int n = vm_list(ids, VM_MAX_VMS);
    if (n < 0)
        return fail("list");
    printf("%-6s %-8s %5s %8s %6s %9s  %s\n", "VM", "STATE", "VCPUS", "MEMORY", "OWNER",
           "EXITS", "REASON");
    for (int i = 0; i < n && i < VM_MAX_VMS; i++) {
        struct vm_status info;
        char name[16], mem[24];
        if (vm_info(ids[i], &info) < 0)
            continue;                 /* destroyed meanwhile */
        snprintf(name, sizeof(name), "vm%d", (int)info.id);
        char where[64];
        bool paused = info.state == VM_IS_RUNNING && vm_paused(ids[i], where, sizeof(where)) > 0;
        printf("%-6s %-8s %5u %8s %6d %9lu  %s\n", name, paused ? "paused" : vm_state_name(info.state),
               (unsigned)info.vcpus, vm_format_size(info.mem_bytes, mem, sizeof(mem)),
               (int)info.owner, (unsigned long)info.exits, paused ? where : info.stop_reason);
    }
    return 0;
}

static void print_trace_entry(const struct vm_trace_entry *t)
{
    printf("%4u %-20s %#12lx %#12lx %#12lx %8lu\n", (unsigned)t->vcpu, t->name,
           (unsigned long)t->rip, (unsigned long)t->qualification, (unsigned long)t->gpa,
           (unsigned long)t->cycles);
}

static void print_trace_header(void)
{
    printf("%4s %-20s %12s %12s %12s %8s\n", "VCPU", "REASON", "RIP", "QUAL", "GPA", "CYCLES");
}

static int cmd_info(int id)
{
    struct vm_status info;
    char mem[24], rights[4];
    if (vm_info(id, &info) < 0)
        return fail("info");
    if (info.record_lost) {
        printf("vm%d: destroyed; its record is no longer kept (only the last %d are)\n", id,
               VM_KEPT_RECORDS);
        return 0;
    }
    char where[1024];
    bool paused = info.state == VM_IS_RUNNING && vm_paused(id, where, sizeof(where)) > 0;
    printf("vm%d: %s, owner pid %d, %u vCPU(s), %s memory, %lu exits\n", id,
           paused ? "paused" : vm_state_name(info.state), (int)info.owner, (unsigned)info.vcpus,
           vm_format_size(info.mem_bytes, mem, sizeof(mem)), (unsigned long)info.exits);
    if (info.state == VM_IS_STOPPED || info.state == VM_IS_DESTROYED)
        printf("stop reason: %s\n", info.stop_reason);
    if (info.post_writes)
        printf("POST code: 0x%02x (%u written)\n", (unsigned)info.post_code, (unsigned)info.post_writes);
    if (paused)
        printf("paused (vm continue %d): %s\n", id, where);
    for (uint32_t i = 0; i < info.regions && i < VM_INFO_REGIONS; i++)
        printf("map 0x%lx-0x%lx %s\n", (unsigned long)info.region[i].gpa,
               (unsigned long)(info.region[i].gpa + info.region[i].size),
               vm_format_rights(info.region[i].rights, rights));
    for (uint32_t i = 0; i < info.naliases && i < VM_MAX_ALIASES; i++)
        printf("alias 0x%lx-0x%lx %s = 0x%lx-0x%lx\n", (unsigned long)info.alias[i].gpa,
               (unsigned long)(info.alias[i].gpa + info.alias[i].size),
               vm_format_rights(info.alias[i].rights, rights), (unsigned long)info.alias[i].src,
               (unsigned long)(info.alias[i].src + info.alias[i].size));
    if (info.ntrace > 0) {
        printf("last exits:\n");
        print_trace_header();
        for (uint32_t i = 0; i < info.ntrace && i < VM_INFO_TRACE; i++)
            print_trace_entry(&info.trace[i]);
    }
    return 0;
}

static int cmd_trace(int id)
{
    static struct vm_trace_entry trace[VM_MAX_VCPUS * 64];
    int n = vm_trace(id, trace, sizeof(trace) / sizeof(trace[0]));
    const char *gone = n < 0 && errno == ESRCH ? vm_gone_text(id) : NULL;
    if (gone) {
        fprintf(stderr, "vm: trace: %s\n", gone);
        return 1;
    }
    if (n < 0)
        return fail("trace");
    print_trace_header();
    for (int i = 0; i < n; i++)
        print_trace_entry(&trace[i]);
    return 0;
}

/* vm info N, vm trace N */
static int cmd_show(int argc, char **argv)
{
    int id;
    if (argc != 3)
        return usage();
    if (parse_id(argv[2], &id) < 0)
        return 2;
    return strcmp(argv[1], "info") == 0 ? cmd_info(id) : cmd_trace(id);
}

/* vm break N SPEC... (the words joined) | vm break N clear */
static int cmd_break(int argc, char **argv)
{
    int id;
    char spec[128] = "";
    if (argc < 4)
        return usage();
    if (parse_id(argv[2], &id) < 0)
        return 2;
    for (int i = 3; i < argc; i++) {
        if (strlen(spec) + strlen(argv[i]) + 2 > sizeof(spec))
            return usage();
        if (i > 3)
            strcat(spec, " ");
        strcat(spec, argv[i]);
    }
    int r = vm_break(id, spec);
    if (r < 0)
        return fail("break");
    if (strcmp(spec, "clear") == 0)
        printf("vm%d: %d breakpoint(s) removed\n", id, r);
    else
        printf("vm%d: pauses at its next %s exit (vm list, vm info %d, vm continue %d)\n", id, spec, id, id);
    return 0;
}

static int cmd_continue(int argc, char **argv)
{
    int id;
    if (argc != 3)
        return usage();
    if (parse_id(argv[2], &id) < 0)
        return 2;
    int n = vm_continue(id);
    if (n < 0)
        return fail("continue");
    printf(n ? "vm%d: %d vCPU(s) continue\n" : "vm%d: nothing was paused\n", id, n);
    return 0;
}

#define CONSOLE_ESCAPE 0x1D     /* Ctrl-] (telnet's and QEMU's choice) */
#define CONSOLE_RETRY_MS 10
#define CONSOLE_RETRIES 300     /* a guest that reads nothing for 3 s ends the session */

/* Hand one typed byte to the guest's COM1, waiting while its receive FIFO
   is full; false if the VM stopped or never made room. */
static bool console_send(int id, char c)
{
    for (int i = 0; i < CONSOLE_RETRIES; i++) {
        ssize_t n = vm_console_input(id, &c, 1);
        if (n == 1)
            return true;
        if (n < 0)
            return false;
        sleep_ms(CONSOLE_RETRY_MS);
    }
    errno = EAGAIN;
    return false;
}

/* vm console N: raw terminal bytes go to the guest's serial line until
   Ctrl-]; the guest's output reaches the screen as "[vmN] ..." lines as it
   always does. */
static int cmd_console(int argc, char **argv)
{
    int id;
    if (argc != 3)
        return usage();
    if (parse_id(argv[2], &id) < 0)
        return 2;
    struct vm_status info;
    if (vm_info(id, &info) < 0)
        return fail("console");
    if (info.state != VM_IS_RUNNING) {
        fprintf(stderr, "vm: console: vm%d is not running\n", id);
        return 1;
    }
    printf("vm console %d: typing goes to the guest's COM1; Ctrl-] leaves\n", id);
    int was_raw = tty_ctl(TTY_GET_RAW, 0);
    tty_ctl(TTY_SET_RAW, 1);
    bool sent = true;
    char c;
    while (sent && read(STDIN_FILENO, &c, 1) == 1 && c != CONSOLE_ESCAPE)
        sent = console_send(id, c);
    int err = errno;
    tty_ctl(TTY_SET_RAW, was_raw > 0);
    if (!sent) {
        printf("\nvm console %d: %s\n", id,
               err == EAGAIN ? "the guest does not read its serial port" : "the VM stopped");
        return 1;
    }
    printf("\nvm console %d: disconnected\n", id);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(int argc, char **argv);
    } commands[] = {
        {"run", cmd_run},         {"create", cmd_create}, {"map", cmd_range},
        {"protect", cmd_range},   {"unmap", cmd_range},   {"load", cmd_load},
        {"start", cmd_start},     {"wait", cmd_wait},     {"kill", cmd_simple},
        {"destroy", cmd_simple},  {"info", cmd_show},     {"trace", cmd_show},
        {"break", cmd_break},     {"continue", cmd_continue},
        {"console", cmd_console}, {"nmi", cmd_simple},
    };
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return argc == 2 ? cmd_list() : usage();
    for (size_t i = 0; argc >= 2 && i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc, argv);
    return usage();
}
