"""
guest_bench: `utils/sweb bench-guests` - how much a real guest costs.

SeaBIOS (/guests/seabios.bin) runs inside a VM in Bochs until it prints
"No bootable device."; Linux (with --linux DIR from `utils/sweb guests
linux`) until its /init prints. For each it prints

  wall      host seconds from typing `vm run` to the guest's line
  guest     cycles the vCPU spent in the guest (Bochs: one TSC tick per
            guest instruction, so this is the guest's own work)
  host      cycles spent handling its exits
  overhead  host / guest cycles (1.0 = the VM takes twice the guest's own time)
  exits     per reason, and per device / port (vmstat -d)

The numbers come from the transcript: `vm run` prints vmstat's table with
"total: N exits, M entries; guest G cycles (..), host H cycles (..)".
SeaBIOS runs with a 5 s VM time limit: it prints its line after about 3.5 s
of VM time, then waits 60 s to retry, and the limit ends that wait (its
timer interrupts in the rest add about 1% to the counts). Linux ends itself:
its /init resets the VM.
"""

import re
import time

import emulator as emu_lib

TOTAL_RE = re.compile(r"total: (\d+) exits, (\d+) entries; guest (\d+) cycles .*?host (\d+) cycles")


class Clock:
    """Echo callback that notes when each marker first appears on the console."""

    def __init__(self, markers):
        self.markers, self.seen, self.buf, self.t0 = markers, {}, "", None

    def __call__(self, chunk):
        self.buf += chunk
        now = time.monotonic()
        for m in self.markers:
            if m not in self.seen and m in self.buf:
                self.seen[m] = now


def measure(iso, mem, command, start, end, timeout):
    """Boot iso, run command, return (wall seconds from start to end marker or None, output)."""
    clock = Clock([start, end])
    r = emu_lib.boot("bochs", iso, mem, [command, "vmstat -d 1"], timeout, echo=clock)
    wall = clock.seen[end] - clock.seen[start] if start in clock.seen and end in clock.seen else None
    return wall, r


def report(name, wall, r):
    """Print the figures of one run."""
    text = r.text()
    m = TOTAL_RE.search(text)
    print(f"== {name}")
    if wall is None or not m:
        print(f"  did not reach its line ({r.status}: {r.detail}); transcript tail:")
        print("\n".join("  | " + line for line in text.splitlines()[-15:]))
        return False
    exits, _, guest, host = (int(x) for x in m.groups())
    print(f"  wall {wall:.2f} s (Bochs, from typing vm run to the line)")
    print(f"  guest {guest} cycles, host {host} cycles in {exits} exits: "
          f"overhead {host / guest:.2f} host cycles per guest cycle")
    out = r.outputs[-1][1] if r.outputs else ""
    print("\n".join("  " + line for line in out.splitlines() if line.strip()))
    return True


def run(build_dir, linux_dir=None, mem=512):
    iso = build_dir / "sweb.iso"
    ok = True
    wall, r = measure(iso, mem, "vm run /guests/seabios.bin --bios --timeout 5000",
                      "vm run /guests/seabios.bin", "No bootable device.", 600)
    ok &= report("SeaBIOS to 'No bootable device.'", wall, r)
    if linux_dir:
        wall, r = measure(iso, mem, "vm run /extra/vmlinuz --linux --initrd /extra/initramfs.cpio "
                          "--timeout 3000000", "vm run /extra/vmlinuz", "linux-init:", 3000)
        ok &= report("Linux to /init", wall, r)
    return 0 if ok else 1
