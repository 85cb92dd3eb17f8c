"""
SWEB-VX gdb helpers: threads, vCPUs, VM exits, page tables (loaded by
utils/gdbinit). With the kernel's own stub (make bochsgdb/kvmgdb, utils/sweb
exec --gdb) every vCPU is also a gdb thread "vmN vcpuK (guest)" whose
registers and memory are the guest's.

  sweb-guest [VM [VCPU]]   select a vCPU's guest thread (default: the vCPU
                           that stopped, else the first one)
  sweb-host                back to the thread that stopped
  sweb-exits [N] [VCPU]    the last N VM exits of a vCPU with reason names
  sweb-threads             every kernel thread: id, state, name, process
  sweb-pt ADDR             walk the page tables (current CR3) for ADDR
  sweb-help                all sweb-* commands

Pretty-printers show `p *v` (struct vcpu), `p *vm` (struct vm) and
`p *t` (struct thread) as one line; `p/r` prints the raw struct.
"""

import re

import gdb

PHYS_MAP_BASE = 0xFFFF800000000000     # arch/x86_64/include/paging.h
STATE_NAMES = ["runnable", "running", "blocked", "sleeping", "dead"]
VM_STATES = ["created", "running", "stopped"]


def reason_name(reason):
    """Name of a basic exit reason from the kernel's own table (vmx/names.c)."""
    basic = int(reason) & 0xFFFF
    try:
        names = gdb.parse_and_eval("exit_reason_names")
        if basic < names.type.range()[1] + 1 and int(names[basic]) != 0:
            return names[basic].string()
    except gdb.error:
        pass
    return "reason %d" % basic


def guest_threads():
    """[(gdb thread, vm id, vcpu index)] of the '(guest)' threads."""
    out = []
    for t in gdb.selected_inferior().threads():
        info = _extra_info(t)
        m = re.search(r"vm(\d+) vcpu(\d+) \(guest", info)
        if m:
            out.append((t, int(m.group(1)), int(m.group(2))))
    return out


def _extra_info(thread):
    """The `info threads` line of a thread: its target id carries the stub's
    description ("vm1 vcpu0 (guest), ..." or "vm1.vcpu0 (kernel), ...")."""
    text = gdb.execute("info threads %d" % thread.num, to_string=True)
    lines = text.strip().split("\n")
    return lines[-1] if len(lines) > 1 else ""


_stopped_thread = [None]


def _on_stop(event):
    _stopped_thread[0] = gdb.selected_thread()


gdb.events.stop.connect(_on_stop)


def current_vcpu_value():
    """The struct vcpu * in the selected frame (v), else the first vCPU."""
    try:
        v = gdb.parse_and_eval("v")
        if str(v.type.strip_typedefs()) == "struct vcpu *":
            return v
    except gdb.error:
        pass
    reg = gdb.parse_and_eval("registry")
    for i in range(reg.type.range()[1] + 1):
        vm = reg[i]
        if int(vm) != 0 and int(vm["nvcpus"]) > 0:
            return vm["vcpus"][0]
    raise gdb.GdbError("no vCPU: none in this frame and no VM exists")


class Guest(gdb.Command):
    """Select a vCPU's guest thread: sweb-guest [VM [VCPU]].

Registers ($pc, $rax, ...) are then the guest's and memory (x/3i $pc) is read
through the guest's page tables and the EPT. Without arguments: the vCPU whose
exit stopped the kernel, else the first vCPU. `sweb-host` goes back."""

    def __init__(self):
        super().__init__("sweb-guest", gdb.COMMAND_STACK)

    def invoke(self, arg, from_tty):
        argv = [int(a, 0) for a in gdb.string_to_argv(arg)]
        found = guest_threads()
        if not found:
            raise gdb.GdbError("no guest threads (no VM, or not the kernel's own stub)")
        pick = None
        if argv:
            vcpu = argv[1] if len(argv) > 1 else 0
            pick = next((t for t, vm, k in found if vm == argv[0] and k == vcpu), None)
            if pick is None:
                raise gdb.GdbError("no vm%d vcpu%d" % (argv[0], vcpu))
        else:
            here = _extra_info(gdb.selected_thread())
            m = re.search(r"vm(\d+)\.vcpu(\d+) \(kernel", here)   # a vCPU's host thread: vmN.vcpuK
            if m:
                pick = next((t for t, vm, k in found if vm == int(m.group(1)) and k == int(m.group(2))), None)
            pick = pick or found[0][0]
        gdb.execute("thread %d" % pick.num, from_tty)


class Host(gdb.Command):
    """Select the thread that stopped the kernel again: sweb-host."""

    def __init__(self):
        super().__init__("sweb-host", gdb.COMMAND_STACK)

    def invoke(self, arg, from_tty):
        t = _stopped_thread[0]
        if t is None or not t.is_valid():
            raise gdb.GdbError("no stop seen yet")
        gdb.execute("thread %d" % t.num, from_tty)


class Exits(gdb.Command):
    """The last VM exits of a vCPU, oldest first: sweb-exits [N] [VCPU].

N defaults to 16 (the ring holds the last VMX_TRACE_SIZE); VCPU is an
expression for a struct vcpu * (default: v in the selected frame, else the
first vCPU of the first VM)."""

    def __init__(self):
        super().__init__("sweb-exits", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        count = int(argv[0], 0) if argv else 16
        v = gdb.parse_and_eval(argv[1]) if len(argv) > 1 else current_vcpu_value()
        trace = v["trace"]
        ring = trace["ring"]
        size = ring.type.range()[1] + 1
        nxt = int(trace["next"])
        first = max(0, nxt - min(count, size))
        print("vm%d vcpu %d: exits %d..%d of %d" % (int(v["vm"]["id"]), int(v["index"]), first, nxt - 1, nxt))
        for i in range(first, nxt):
            e = ring[i % size]
            print("  #%-7d %-20s rip %#-10x qual %#-10x gpa %#-10x %6d cycles" % (
                i, reason_name(e["reason"]), int(e["rip"]), int(e["qualification"]),
                int(e["gpa"]), int(e["cycles"])))
        cur = v["exit"]
        if int(cur) != 0 and int(cur) == int(ring[nxt % size].address):
            print("  #%-7d %-20s rip %#-10x (being handled now)" % (nxt, reason_name(cur["reason"]),
                                                                   int(cur["rip"])))


class Threads(gdb.Command):
    """Every kernel thread from the kernel's own list: sweb-threads."""

    def __init__(self):
        super().__init__("sweb-threads", gdb.COMMAND_STATUS)

    def invoke(self, arg, from_tty):
        t = gdb.parse_and_eval("all_head")
        cur = gdb.parse_and_eval("current")
        print("  TID STATE     NAME                 PROCESS")
        while int(t) != 0:
            state = int(t["state"])
            proc = t["process"]
            pname = proc["name"].string() if int(proc) != 0 else "(kernel)"
            mark = "*" if int(t) == int(cur) else " "
            print("%s%4d %-9s %-20s %s" % (mark, int(t["tid"]), STATE_NAMES[state] if state < 5 else state,
                                          t["name"].string(), pname))
            t = t["all_next"]


def read_u64(addr):
    return int.from_bytes(bytes(gdb.selected_inferior().read_memory(addr, 8)), "little")


class PageWalk(gdb.Command):
    """Walk the 4-level page tables for ADDR (SDM Vol. 3A 4.5): sweb-pt ADDR.

Uses the selected thread's CR3 and reads the tables through the kernel's
direct map; prints each level's entry and the physical address."""

    def __init__(self):
        super().__init__("sweb-pt", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        if not arg:
            raise gdb.GdbError("usage: sweb-pt ADDR")
        va = int(gdb.parse_and_eval("(unsigned long)(%s)" % arg)) & 0xFFFFFFFFFFFFFFFF
        table = int(gdb.parse_and_eval("$cr3")) & 0x000FFFFFFFFFF000
        for level, shift, name in ((4, 39, "PML4"), (3, 30, "PDPT"), (2, 21, "PD"), (1, 12, "PT")):
            index = (va >> shift) & 0x1FF
            entry = read_u64(PHYS_MAP_BASE + table + 8 * index)
            flags = "".join(f for bit, f in ((0, "P"), (1, "W"), (2, "U"), (7, "H")) if (entry >> bit) & 1)
            flags += " NX" if (entry >> 63) & 1 else ""
            print("  %-4s[%3d] = %#018x  %s" % (name, index, entry, flags))
            if not entry & 1:
                print("  not present: %#x is unmapped" % va)
                return
            phys = entry & 0x000FFFFFFFFFF000
            if level > 1 and (entry >> 7) & 1:          # a 1 GiB or 2 MiB page
                offset = va & ((1 << shift) - 1)
                print("  %#x -> physical %#x (%s page)" % (va, (phys & ~((1 << shift) - 1)) + offset,
                                                            "1 GiB" if level == 3 else "2 MiB"))
                return
            table = phys
        print("  %#x -> physical %#x" % (va, table + (va & 0xFFF)))


class VcpuPrinter:
    def __init__(self, val):
        self.val = val

    def to_string(self):
        v = self.val
        n = int(v["trace"]["next"])
        last = reason_name(v["exit"]["reason"]) if int(v["exit"]) != 0 else "-"
        return "vm%d vcpu %d: launched %d, %d exits, last %s at rip %#x%s%s" % (
            int(v["vm"]["id"]), int(v["index"]), int(v["launched"]), n, last,
            int(v["exit"]["rip"]) if int(v["exit"]) != 0 else 0,
            ", stopped" if bool(v["stopped"]) else "", ", paused" if bool(v["paused"]) else "")


class VmPrinter:
    def __init__(self, val):
        self.val = val

    def to_string(self):
        vm = self.val
        state = int(vm["state"])
        text = vm["stop_text"].string()
        return "vm%d %s, %d vCPU(s), %d pages%s" % (
            int(vm["id"]), VM_STATES[state] if state < 3 else state, int(vm["nvcpus"]),
            int(vm["mem_pages"]), ": " + text if text else "")


class ThreadPrinter:
    def __init__(self, val):
        self.val = val

    def to_string(self):
        t = self.val
        state = int(t["state"])
        proc = t["process"]
        return "thread %d '%s' %s%s" % (int(t["tid"]), t["name"].string(),
                                        STATE_NAMES[state] if state < 5 else state,
                                        " of " + proc["name"].string() if int(proc) != 0 else " (kernel)")


def lookup_printer(val):
    t = val.type.strip_typedefs()
    if t.code != gdb.TYPE_CODE_STRUCT:
        return None
    return {"vcpu": VcpuPrinter, "vm": VmPrinter, "thread": ThreadPrinter}.get(t.tag, lambda v: None)(val)


gdb.pretty_printers.append(lookup_printer)
Guest()
Host()
Exits()
Threads()
PageWalk()
