"""
The long fuzzing run outside CI (`utils/sweb fuzz`, `make fuzz-long`).

Boots the image again and again and runs, in batches, the guest fuzzer
`vmfuzz` in Bochs (VT-x) over every guest mode and the system-call fuzzer
`fuzz` (under `leakcheck`) in QEMU TCG, each batch with its own seed, so any
failure can be replayed with the one command printed for it. Counts what
ran (VMs, calls), host crashes (panic, triple fault, hang, emulator death,
or a batch that did not report its end) and pages not given back, and
prints one summary. CI runs only a small sample of the same commands
(tests/system/vm.test, userspace.test).
"""

import re
import sys
import time
from dataclasses import dataclass, field

VM_DONE_RE = re.compile(r"^vmfuzz: (\d+) runs done \(seed (\d+), mode (\w+)", re.M)
VM_PAGES_RE = re.compile(r"^vmfuzz: pages before (\d+) after (\d+)", re.M)
VM_OK_RE = re.compile(r"^vmfuzz: ok$", re.M)
CALLS_DONE_RE = re.compile(r"^fuzz: (\d+) calls done$", re.M)
LEAK_RE = re.compile(r"^leakcheck: .*free pages before (\d+), after (\d+)", re.M)
LEAK_OK_RE = re.compile(r"^leakcheck: ok$", re.M)

MODES = ("real", "prot32", "long64")


@dataclass
class Tally:
    """What one fuzzer did over all its batches."""
    what: str                 # "VMs" or "calls"
    asked: int = 0
    done: int = 0
    crashes: int = 0          # boots that ended in a panic, triple fault, hang or death
    failures: int = 0         # batches that finished but reported a problem
    leaked: int = 0           # pages missing after a batch (sum)
    boots: int = 0
    seconds: float = 0.0
    problems: list = field(default_factory=list)   # (replay command, what happened)


def batches(total, per):
    """Sizes of the batches that make up total."""
    while total > 0:
        n = min(per, total)
        yield n
        total -= n


def vm_commands(seed, size, per_command):
    """The shell commands of one vmfuzz boot: one command per mode in turn."""
    cmds, k = [], 0
    for n in batches(size, per_command):
        mode = MODES[(seed + k) % len(MODES)]
        cmds.append(f"vmfuzz {n} {seed * 100 + k} --mode {mode}")
        k += 1
    return cmds


def call_commands(seed, size, per_command):
    cmds, k = [], 0
    for n in batches(size, per_command):
        cmds.append(f"leakcheck fuzz {n} {seed * 100 + k}")
        k += 1
    return cmds


def judge_vm(out, cmd, n):
    """(runs done, leaked pages, problem text or None) from one vmfuzz output."""
    m = VM_DONE_RE.search(out)
    if not m:
        return 0, 0, "no end report"
    done = int(m.group(1))
    p = VM_PAGES_RE.search(out)
    leaked = max(0, int(p.group(1)) - int(p.group(2))) if p else 0
    if done != n:
        return done, leaked, f"{done} of {n} runs"
    if not VM_OK_RE.search(out):
        bad = [ln for ln in out.splitlines() if ln.startswith("vmfuzz:") and
               ("HANG" in ln or "error" in ln or "FAIL" in ln or "pages" in ln)]
        return done, leaked, "not ok: " + ("; ".join(bad[:3]) or "see the transcript")
    return done, leaked, None


def judge_calls(out, cmd, n):
    m = CALLS_DONE_RE.search(out)
    p = LEAK_RE.search(out)
    leaked = max(0, int(p.group(1)) - int(p.group(2))) if p else 0
    if not m:
        return 0, leaked, "no end report"
    done = int(m.group(1))
    if not LEAK_OK_RE.search(out):
        return done, leaked, "leakcheck not ok"
    return done, leaked, None


def run_boot(emu_lib, emu, iso, mem, cmds, sizes, judge, tally, timeout, log):
    """Boot once, run cmds, add what happened to tally."""
    t0 = time.monotonic()
    r = emu_lib.boot(emu, iso, mem, cmds, timeout)
    tally.seconds += time.monotonic() - t0
    tally.boots += 1
    outputs = dict(r.outputs)
    for cmd, n in zip(cmds, sizes):
        if cmd not in outputs:
            continue                  # the boot ended before it; counted below
        done, leaked, problem = judge(outputs[cmd], cmd, n)
        tally.done += done
        tally.leaked += leaked
        if problem:
            tally.failures += 1
            tally.problems.append((cmd, problem))
    if r.status != "ok":
        tally.crashes += 1
        missing = [c for c in cmds if c not in outputs]
        where = missing[0] if missing else cmds[-1]
        tally.problems.append((where, f"host {r.status}: {r.detail}"))
        if log:
            log.write(f"==== {emu} {r.status}: {cmds}\n{r.text()}\n")
    print(f"  {emu}: {tally.done}/{tally.asked} {tally.what}, {tally.crashes} crashes, "
          f"{tally.failures} failed batches, {tally.leaked} pages leaked "
          f"({tally.seconds:.0f} s)", flush=True)


def run(emu_lib, bdir, vms, calls, vms_per_command, calls_per_command, commands_per_boot,
        seed, mem, log_path):
    iso = bdir / "sweb.iso"
    log = open(log_path, "w") if log_path else None
    vm_t, call_t = Tally("VMs", asked=vms), Tally("calls", asked=calls)
    print(f"fuzz: {vms} guests (vmfuzz, Bochs) and {calls} system calls (fuzz, QEMU TCG), "
          f"seed {seed}", flush=True)
    plans = [("bochs", vm_t, vms, vms_per_command, vm_commands, judge_vm, 30, 2.0),
             ("qemu", call_t, calls, calls_per_command, call_commands, judge_calls, 30, 0.002)]
    for emu, tally, total, per_cmd, make, judge, base_s, s_per_item in plans:
        per_boot = per_cmd * commands_per_boot
        for b, size in enumerate(batches(total, per_boot)):
            cmds = make(seed + b, size, per_cmd)
            sizes = list(batches(size, per_cmd))
            timeout = base_s + s_per_item * size
            run_boot(emu_lib, emu, iso, mem, cmds, sizes, judge, tally, timeout, log)
    if log:
        log.close()
    print("\nfuzz summary")
    for t, emu in ((vm_t, "vmfuzz"), (call_t, "fuzz")):
        print(f"  {emu:7s} {t.done} of {t.asked} {t.what} in {t.boots} boots ({t.seconds:.0f} s): "
              f"{t.crashes} host crashes, {t.failures} failed batches, {t.leaked} leaked pages")
        for cmd, what in t.problems:
            print(f"    replay: utils/sweb exec --emu {'bochs' if t is vm_t else 'qemu'} "
                  f"--timeout 600 -- '{cmd}'   # {what}")
    bad = vm_t.crashes + vm_t.failures + vm_t.leaked + call_t.crashes + call_t.failures + call_t.leaked
    short = vm_t.done < vm_t.asked or call_t.done < call_t.asked
    print("fuzz: ok" if not bad and not short else "fuzz: FAILED")
    return 0 if not bad and not short else 1
