#!/usr/bin/env python3
"""
System tests: boot the real ISO headless, once per group, and check its
console. Test groups live in tests/system/*.test; `utils/sweb test` runs
them all, or run this file directly:

  tests/system/run_tests.py [--build-dir build] [-j 2] [--only REGEX] [--label NAME]
                            [--show] [FILE...]

File format (one check per line; '#' starts a comment line):

  group NAME                  a new group = one boot; settings follow
  emu qemu|bochs|kvm          emulator (default qemu)
  mem MIB                     guest memory (default 128)
  cmdline WORDS...            kernel command line (default: the built one)
  timeout SECONDS             whole boot (default 60, bochs 120)
  status ok|fail|panic|any    how the run must end (default ok): ok = powered off
                              with POWER_EXIT_OK; panic = KERNEL PANIC/EXCEPTION
  label NAME...               tags, e.g. an assignment (V4-exits); --label NAME
                              runs only the groups that carry NAME; groups
                              labelled slow run only with --label slow
  points N                    the group's weight for `utils/sweb grade` (default 1;
                              all or nothing: N when every check passes, else 0)
  extra DIR                   boot an image whose /extra is DIR (relative to the
                              build directory, e.g. linux-guest from
                              `utils/sweb guests linux`), built once in
                              BUILD/extra-build; a missing DIR fails the group

  log TEXT                    TEXT appears in the console transcript
  log~ REGEX                  REGEX (Python, multiline) matches the transcript
  nolog TEXT                  TEXT does not appear
  value REGEX LO..HI          the first group of REGEX's first match is a number
                              in [LO, HI]; LO and HI may use {mem}, e.g. {mem}-4
  $ COMMAND                   type COMMAND at the shell prompt `sweb:/> `
  $ COMMAND => TEXT           ... and its output has a line equal to TEXT
  $ COMMAND =~ REGEX          ... and REGEX matches its output
  $ COMMAND =! TEXT           ... and TEXT is not in its output
  > TEXT / >~ REGEX / >! TEXT more checks on the last command's output

  gdb> COMMAND                a line of the group's gdb script: the group then
                              boots with gdb=wait and runs `gdb -batch -x
                              utils/gdbinit -x SCRIPT` against the kernel's
                              stub (utils/sweb exec --gdb); shutdown waits
                              for gdb, which must exit 0
  gdblog TEXT / gdblog~ REGEX / nogdblog TEXT   checks on gdb's output

Commands are typed in order, each after the previous prompt; escapes in a
command: \\xNN (e.g. \\x03 = Ctrl-C), \\t, \\e, \\p{MS} (pause), a final \\c
(no Enter). A command's output is what the shell printed after echoing the
line (after the typed characters, for a \\c command, so "^C" counts), up to
the next prompt. Every check counts as one test; the group's end status too.
Transcripts are saved in BUILD/systest/GROUP.log.
"""

import argparse
import queue
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "utils"))
import emulator  # noqa: E402


class Group:
    def __init__(self, name, source):
        self.name, self.source = name, source
        self.emu, self.mem, self.cmdline = "qemu", emulator.DEFAULT_MEM, None
        self.timeout, self.status = None, "ok"
        self.labels = []
        self.points = 1
        self.extra = None
        self.checks = []      # (kind, arg, command_index or None, description)
        self.commands = []
        self.gdb_script = []  # lines of the gdb script (gdb> lines)


def parse(path):
    """The groups defined in one .test file."""
    groups, g = [], None
    for lineno, raw in enumerate(Path(path).read_text().splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{Path(path).name}:{lineno}"
        word, _, rest = line.partition(" ")
        rest = rest.strip()
        if word == "gdb>" and g is not None:
            g.gdb_script.append(raw.strip()[4:].strip())
            continue
        if word == "group":
            g = Group(rest, where)
            groups.append(g)
            continue
        if g is None:
            raise SystemExit(f"{where}: '{word}' before the first 'group' line")
        parse_line(g, word, rest, line, where)
    return groups


def parse_line(g, word, rest, line, where):
    """Add one setting or check line to group g."""
    if word == "emu":
        g.emu = rest
    elif word == "mem":
        g.mem = int(rest)
    elif word == "cmdline":
        g.cmdline = rest
    elif word == "timeout":
        g.timeout = float(rest)
    elif word == "status":
        if rest not in ("ok", "fail", "panic", "any"):
            raise SystemExit(f"{where}: status must be ok, fail, panic or any")
        g.status = rest
    elif word == "extra":
        g.extra = rest
    elif word == "label":
        if not rest:
            raise SystemExit(f"{where}: label NAME...")
        g.labels += rest.split()
    elif word == "points":
        if not re.fullmatch(r"[0-9]+", rest) or int(rest) == 0:
            raise SystemExit(f"{where}: points N (a whole number above 0)")
        g.points = int(rest)
    elif word in ("log", "log~", "nolog", "gdblog", "gdblog~", "nogdblog"):
        g.checks.append((word, rest, None, f"{word} {rest}"))
    elif word == "value":
        m = re.match(r"(.*\S)\s+(\S+)\.\.(\S+)$", rest)
        if not m:
            raise SystemExit(f"{where}: value REGEX LO..HI")
        g.checks.append(("value", (m.group(1), m.group(2), m.group(3)), None, f"value {rest}"))
    elif line.startswith("$"):
        parse_command(g, line[1:].strip())
    elif word in (">", ">~", ">!"):
        if not g.commands:
            raise SystemExit(f"{where}: '{word}' without a '$ command' before it")
        kind = {">": "out", ">~": "out~", ">!": "out!"}[word]
        idx = len(g.commands) - 1
        g.checks.append((kind, rest, idx, f"$ {g.commands[idx]} {word} {rest}"))
    else:
        raise SystemExit(f"{where}: unknown line '{line}'")


def parse_command(g, text):
    """'$ cmd', '$ cmd => line', '$ cmd =~ regex', '$ cmd =! text'."""
    m = re.match(r"(.*?)\s+(=>|=~|=!)\s+(.*)$", text)
    cmd = m.group(1) if m else text
    g.commands.append(cmd)
    idx = len(g.commands) - 1
    if m:
        kind = {"=>": "out", "=~": "out~", "=!": "out!"}[m.group(2)]
        g.checks.append((kind, m.group(3), idx, f"$ {text}"))
    else:
        g.checks.append(("ran", None, idx, f"$ {cmd}"))


# ---------------------------------------------------------------- checking

def number_bound(expr, g):
    """Evaluate a bound like '{mem}-4' (digits, + - * / and {mem} only)."""
    e = expr.replace("{mem}", str(g.mem))
    if not re.fullmatch(r"[0-9+\-*/(). ]+", e):
        raise SystemExit(f"{g.source}: bad bound '{expr}'")
    return eval(e)  # noqa: S307 -- only arithmetic survives the filter above


def check(g, kind, arg, idx, result):
    """(ok, why) for one check against a run's Result."""
    text = result.console_text()
    gdb_text = result.gdb_output or ""
    if kind == "gdblog":
        return arg in gdb_text, "not in gdb's output"
    if kind == "gdblog~":
        return re.search(arg, gdb_text, re.M) is not None, "no match in gdb's output"
    if kind == "nogdblog":
        return arg not in gdb_text, "present in gdb's output"
    if kind == "log":
        return arg in text, "not in the transcript"
    if kind == "log~":
        return re.search(arg, text, re.M) is not None, "no match in the transcript"
    if kind == "nolog":
        return arg not in text, "present in the transcript"
    if kind == "value":
        regex, lo, hi = arg
        m = re.search(regex, text, re.M)
        if not m:
            return False, "no match in the transcript"
        v, lo_v, hi_v = float(m.group(1)), number_bound(lo, g), number_bound(hi, g)
        return lo_v <= v <= hi_v, f"got {m.group(1)}, want {lo_v}..{hi_v}"
    if idx >= len(result.outputs):
        return False, "command never ran (no prompt before it, or the run ended)"
    out = result.outputs[idx][1]
    if kind == "ran":
        return True, ""
    if kind == "out":
        return arg.strip() in [ln.strip() for ln in out.split("\n")], "no such line in:\n" + out
    if kind == "out~":
        return re.search(arg, out, re.M) is not None, "no match in:\n" + out
    if kind == "out!":
        return arg not in out, "present in:\n" + out
    raise AssertionError(kind)


def status_ok(g, result):
    if g.status == "any":
        return True
    return result.status == g.status


_extra_lock = threading.Lock()


def extra_build(build_dir, extra):
    """The build directory whose image carries build_dir/extra as /extra
    (BUILD/extra-build, configured and built on first use)."""
    src = (Path(build_dir) / extra).resolve()
    if not src.is_dir():
        raise SystemExit(f"no directory {src} for /extra (for linux-guest: utils/sweb guests linux)")
    ebdir = Path(build_dir) / "extra-build"
    with _extra_lock:
        emulator.configure(ebdir, extra_dir=src, unit_tests=False, quiet=True)
        emulator.build(ebdir, quiet=True)
    return ebdir


def run_group(g, build_dir):
    """Boot once for group g; return (group, result, [(desc, ok, why)])."""
    timeout = g.timeout or (120 if g.emu == "bochs" else 60)
    with tempfile.TemporaryDirectory(prefix="sweb-systest-") as tmp:
        try:
            if g.extra:
                build_dir = extra_build(build_dir, g.extra)
            cmdline, script = g.cmdline, None
            if g.gdb_script:
                script = Path(tmp) / "script.gdb"
                script.write_text("\n".join(g.gdb_script) + "\n")
                if "gdb=" not in (cmdline or ""):
                    cmdline = ((cmdline or "") + " gdb=wait").strip()
            iso = emulator.iso_with_cmdline(build_dir, cmdline, tmp)
            result = emulator.boot(g.emu, iso, g.mem, g.commands, timeout, gdb_script=script,
                                   kernel_elf=Path(build_dir) / "kernel.elf")
        except (Exception, SystemExit) as e:     # one broken group must not stop the rest
            result = emulator.Result()
            result.detail = f"could not boot: {e}"
    outcomes = [(f"status {g.status}", status_ok(g, result),
                 f"ended '{result.status}' {result.detail}")]
    for kind, arg, idx, desc in g.checks:
        ok, why = check(g, kind, arg, idx, result)
        outcomes.append((desc, ok, why))
    return g, result, outcomes


def report(g, result, outcomes, build_dir, show):
    """Print one group's outcome; save its transcript; return (passed, failed)."""
    logdir = Path(build_dir) / "systest"
    logdir.mkdir(parents=True, exist_ok=True)
    log = logdir / (re.sub(r"[^\w.-]", "_", g.name) + ".log")
    log.write_text(result.text())
    failed = [o for o in outcomes if not o[1]]
    verdict = "PASS" if not failed else "FAIL"
    print(f"{verdict} {g.name} [{g.emu}{' ' + g.cmdline if g.cmdline else ''}] "
          f"{len(outcomes) - len(failed)}/{len(outcomes)} checks, {result.elapsed:.1f} s")
    for desc, _, why in failed:
        print(f"     failed: {desc}\n       -> {why}")
    if failed or show:
        tail = result.text().rstrip().split("\n")[-25:]
        print(f"     transcript ({log}), last lines:")
        print("\n".join("       | " + ln for ln in tail))
    sys.stdout.flush()
    return len(outcomes) - len(failed), len(failed)


class Scheduler:
    """A pool of worker threads running tasks by priority (lower first, then in
    order of submission); a task's `then(result)` runs on the caller's thread in
    drain(), returns (passed, failed) and may submit follow-up tasks."""

    def __init__(self, jobs):
        self.jobs, self.queue, self.done = max(1, jobs), queue.PriorityQueue(), queue.Queue()
        self.seq, self.outstanding = 0, 0

    def submit(self, priority, fn, args, then):
        self.seq += 1
        self.outstanding += 1
        self.queue.put((priority, self.seq, fn, args, then))

    def _worker(self):
        while True:
            _, _, fn, args, then = self.queue.get()
            if fn is None:
                return
            try:
                self.done.put((then, fn(*args), None))
            except BaseException as e:      # reported by drain(), the pool lives on
                self.done.put((then, None, e))

    def drain(self):
        """Run until no task is left; return the summed (passed, failed)."""
        workers = [threading.Thread(target=self._worker, daemon=True) for _ in range(self.jobs)]
        for w in workers:
            w.start()
        passed = failed = 0
        try:
            while self.outstanding:
                then, result, error = self.done.get()
                self.outstanding -= 1
                if error is not None:
                    print(f"FAIL internal error in a test task: {error!r}", flush=True)
                    failed += 1
                    continue
                p, f = then(result)
                passed, failed = passed + p, failed + f
        finally:
            for i in range(len(workers)):      # sorts after every task: workers stop
                self.queue.put((float("inf"), i, None, None, None))
        return passed, failed


def load(files=None):
    """Every group of files (default tests/system/*.test)."""
    files = files or sorted(HERE.glob("*.test"))
    return [g for f in files for g in parse(f)]


def select(groups, only=None, labels=None, quiet=False, with_slow=False):
    """The groups whose name matches the regex only and that carry one of labels
    (those labelled slow only when labels has slow or with_slow is set)."""
    if only:
        groups = [g for g in groups if re.search(only, g.name)]
    if not with_slow and (not labels or "slow" not in labels):
        slow = [g for g in groups if "slow" in g.labels]
        if slow and not quiet:
            print(f"== system tests: {len(slow)} group(s) labelled slow left out "
                  "(--slow or --label slow runs them)", flush=True)
        groups = [g for g in groups if "slow" not in g.labels]
    if labels:
        groups = [g for g in groups if set(labels) & set(g.labels)]
    return groups


def boot_priority(g):
    """The slow emulator first, so that parallel jobs end together."""
    return 0 if g.emu == "bochs" else 1


def run(build_dir, jobs=2, only=None, files=None, show=False, labels=None, side=None,
        results=None, with_slow=False):
    """Run the groups of files (default tests/system/*.test), only those whose name
    matches only and that carry one of labels if given; return (passed, failed).
    side(scheduler), if given, submits more tasks to the same worker pool (they run
    in parallel with the boots); results, if a dict, receives {group name: (group,
    [(desc, ok, why)])}."""
    if not (Path(build_dir) / "sweb.iso").exists():
        print(f"== system tests: no {Path(build_dir) / 'sweb.iso'}; build first", flush=True)
        return 0, 1
    groups = select(load(files), only, labels, with_slow=with_slow)
    if labels and not groups:
        print(f"== system tests: no group carries label {' or '.join(labels)}", flush=True)
        return 0, 1
    print(f"== system tests: {len(groups)} boots, {jobs} in parallel", flush=True)
    t0 = time.monotonic()
    sched = Scheduler(jobs)

    def then(res):
        g, result, outcomes = res
        if results is not None:
            results[g.name] = (g, outcomes)
        return report(g, result, outcomes, build_dir, show)

    for g in groups:
        sched.submit(boot_priority(g), run_group, (g, Path(build_dir)), then)
    if side is not None:
        side(sched)
    passed, failed = sched.drain()
    print(f"== system tests: {passed} passed, {failed} failed "
          f"({time.monotonic() - t0:.1f} s)", flush=True)
    return passed, failed


def main():
    ap = argparse.ArgumentParser(description="SWEB-VX system tests")
    ap.add_argument("--build-dir", default=str(emulator.default_build_dir()))
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--only", metavar="REGEX")
    ap.add_argument("--label", metavar="NAME", action="append",
                    help="only groups with this label (repeatable: any of them)")
    ap.add_argument("--show", action="store_true", help="print every transcript tail")
    ap.add_argument("files", nargs="*")
    a = ap.parse_args()
    p, f = run(Path(a.build_dir).resolve(), a.jobs, a.only, a.files or None, a.show, a.label)
    print(f"{p} passed, {f} failed")
    return 1 if f or not p else 0


if __name__ == "__main__":
    sys.exit(main())
