"""
SWEB-VX gdb helpers: controlling the run (loaded by utils/gdbinit).

  sweb-interrupt-on REGEX [SECONDS]   stop the kernel (like Ctrl-C) as soon as
                                      the console shows REGEX; then `continue`
  sweb-vmexit REASON [VM] [FILTER...] stop at the next matching VM exit
  sweb-vmexit-clear                   remove the VM-exit breakpoints
  sweb-try COMMAND                    run COMMAND; print an error instead of
                                      ending a gdb -batch script

sweb-interrupt-on reads the console transcript that `utils/sweb exec --gdb`
writes to $SWEB_CONSOLE_LOG, so a script can wait for a program to be
running before it interrupts it; interactively Ctrl-C does the same.
"""

import os
import re
import signal
import threading
import time

import gdb  # noqa: F401  (provided by gdb)


class InterruptOn(gdb.Command):
    """Stop the kernel when the console shows REGEX: sweb-interrupt-on REGEX [SECONDS].

Run `continue` next: the kernel runs until the text appears on COM1 (read
from $SWEB_CONSOLE_LOG, which utils/sweb exec --gdb writes), then gdb sends
Ctrl-C and `continue` returns. SECONDS (default 60) bounds the wait; after
it the kernel is interrupted anyway."""

    def __init__(self):
        super().__init__("sweb-interrupt-on", gdb.COMMAND_RUNNING)

    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        if not argv:
            raise gdb.GdbError("usage: sweb-interrupt-on REGEX [SECONDS]")
        pattern = re.compile(argv[0])
        limit = float(argv[1]) if len(argv) > 1 else 60.0
        path = os.environ.get("SWEB_CONSOLE_LOG")
        if not path:
            raise gdb.GdbError("SWEB_CONSOLE_LOG is not set (utils/sweb exec --gdb sets it)")
        start = 0
        try:
            start = os.path.getsize(path)   # only text that appears from now on
        except OSError:
            pass
        threading.Thread(target=self._watch, args=(path, start, pattern, limit),
                         daemon=True).start()

    @staticmethod
    def _watch(path, start, pattern, limit):
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            try:
                with open(path, errors="replace") as f:
                    f.seek(start)
                    if pattern.search(f.read()):
                        break
            except OSError:
                pass
            time.sleep(0.05)
        os.kill(os.getpid(), signal.SIGINT)   # what Ctrl-C at gdb's terminal does


class VmExitBreak(gdb.Command):
    """Stop at the next matching VM exit: sweb-vmexit REASON [VM] [FILTER...].

REASON as vmstat names it (CPUID, IO_INSTRUCTION, EPT_VIOLATION, HLT, ...) or
`any`; VM a VM id (default: every VM); FILTERs port=N, msr=N, leaf=N, gpa=N,
count=K (the K-th match). The kernel stops in exit_dispatch after the exit
reason is read and before the handler runs: `bt`, `step` into the handler,
`finish`, `info threads` (the vCPU's guest thread), `monitor vmcs`.
Same as: monitor vmexit break REASON [vm N] [FILTER...]"""

    def __init__(self):
        super().__init__("sweb-vmexit", gdb.COMMAND_BREAKPOINTS)

    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        if not argv:
            raise gdb.GdbError("usage: sweb-vmexit REASON [VM] [port=N|msr=N|leaf=N|gpa=N|count=K]")
        words = [argv[0]]
        for a in argv[1:]:
            words.append(f"vm {a}" if a.isdigit() else a)
        gdb.execute("monitor vmexit break " + " ".join(words), from_tty)


class VmExitClear(gdb.Command):
    """Remove every VM-exit breakpoint gdb set: sweb-vmexit-clear."""

    def __init__(self):
        super().__init__("sweb-vmexit-clear", gdb.COMMAND_BREAKPOINTS)

    def invoke(self, arg, from_tty):
        gdb.execute("monitor vmexit clear", from_tty)


class Try(gdb.Command):
    """Run a gdb command and report its error instead of stopping: sweb-try COMMAND.

In a script run with gdb -batch (utils/sweb exec --gdb) the first error ends
the script; `sweb-try x/gx 0` prints "error: Cannot access memory ..." and goes on."""

    def __init__(self):
        super().__init__("sweb-try", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        try:
            gdb.execute(arg, from_tty)
        except gdb.error as e:
            print(f"error: {e}")


InterruptOn()
Try()
VmExitBreak()
VmExitClear()
