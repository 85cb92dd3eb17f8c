"""
Boot SWEB-VX in QEMU or Bochs, headless or interactive, and drive its serial
console: used by utils/sweb (run, exec, bench), the make targets in
cmake/run.cmake and the system tests in tests/system/.

Headless runs talk to COM1 through a pipe (QEMU -serial stdio) or a TCP
socket (Bochs com1 mode=socket-server). Every run gets its own temporary
directory and its own free port, so runs can go in parallel.

The kernel reports how it ended on the console: `power off (status N)`
(POWER_EXIT_OK = 0x10, POWER_EXIT_FAIL = 0x11, arch/x86_64/include/power.h)
or `KERNEL PANIC`. QEMU's isa-debug-exit turns status N into the exit code
(N << 1) | 1; Bochs always exits 1, so the transcript decides.
"""

import atexit
import codecs
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BANNER = "Welcome to SWEB-VX"
PROMPT_RE = re.compile(r"sweb:[^\s>]*> ")
POWER_RE = re.compile(r"power off \(status (\d+)\)")
# panic() and the kernel exception dump (arch/x86_64/exceptions.c)
PANIC_RE = re.compile(r"\*\*\* (KERNEL PANIC|KERNEL EXCEPTION|.* while reporting an earlier error)")
ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# Guest console output: every line a guest prints starts with its tag
# (vmx/vcpu_console.c); markers after a tag on the same line are the
# guest's text, never the host's.
GUEST_TAG_RE = re.compile(r"\[vm\d+\] ")
POWER_EXIT_OK = 0x10
POWER_EXIT_FAIL = 0x11
DEFAULT_MEM = 128
BOCHS_IPS = 10_000_000
QEMU = "qemu-system-x86_64"

# exit codes of `sweb exec`, one per way a run can end
EXIT_CODES = {"ok": 0, "fail": 1, "panic": 2, "triple-fault": 3,
              "timeout": 4, "no-prompt": 5, "crash": 6, "gdb-fail": 7}


# ---------------------------------------------------------------- build

def default_build_dir():
    """The build directory the user-facing commands use (env SWEB_BUILD_DIR)."""
    return Path(os.environ.get("SWEB_BUILD_DIR", REPO / "build")).resolve()


def configure(build_dir, extra_dir=None, unit_tests=True, quiet=False):
    """Run cmake for build_dir; extra_dir (or "") sets EXTRA_FILES_DIR."""
    args = ["cmake", "-S", str(REPO), "-B", str(build_dir),
            "-DBUILD_UNIT_TESTS=" + ("ON" if unit_tests else "OFF")]
    if extra_dir is not None:
        args.append("-DEXTRA_FILES_DIR=" + (str(Path(extra_dir).resolve()) if extra_dir else ""))
    run_checked(args, quiet)


def build(build_dir, jobs=None, quiet=False, target=None):
    """Build the kernel, userspace and ISO (and unit tests if configured)."""
    args = ["cmake", "--build", str(build_dir), "--parallel", str(jobs or os.cpu_count() or 2)]
    if target:
        args += ["--target", target]
    run_checked(args, quiet)


def run_checked(args, quiet):
    """Run a build command; on failure show its output and raise SystemExit."""
    if not quiet:
        print("+ " + " ".join(args), flush=True)
        if subprocess.call(args) != 0:
            raise SystemExit("sweb: command failed: " + " ".join(args))
        return
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode != 0:
        sys.stdout.write(p.stdout.decode(errors="replace"))
        raise SystemExit("sweb: command failed: " + " ".join(args))


def iso_with_cmdline(build_dir, cmdline, workdir):
    """Return an ISO booting the kernel with cmdline (None = the built one).

    Copies build_dir/isodir, rewrites the multiboot2 line of grub.cfg and
    runs utils/mkiso.sh (about 0.3 s); everything else in grub.cfg (modules)
    stays as the build made it.
    """
    build_dir = Path(build_dir)
    if cmdline is None:
        return build_dir / "sweb.iso"
    src = build_dir / "isodir"
    dst = Path(workdir) / "isodir"
    shutil.copytree(src, dst)
    cfg = dst / "boot" / "grub" / "grub.cfg"
    text, n = re.subn(r"^(\s*multiboot2\s+\S+).*$",
                      lambda m: m.group(1) + " " + cmdline, cfg.read_text(), flags=re.M)
    if n != 1:
        raise SystemExit(f"sweb: no single multiboot2 line in {cfg}")
    cfg.write_text(text)
    iso = Path(workdir) / "sweb.iso"
    subprocess.run([str(REPO / "utils" / "mkiso.sh"), str(dst), str(iso)], check=True)
    return iso


# ---------------------------------------------------------------- emulator command lines

def qemu_argv(iso, mem=DEFAULT_MEM, kvm=False):
    """QEMU arguments shared by every QEMU run (console options added by callers)."""
    argv = [QEMU, "-cdrom", str(iso), "-boot", "d", "-m", str(mem), "-no-reboot",
            "-nic", "none", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x01"]
    if kvm:
        argv += ["-enable-kvm", "-cpu", "host"]
    return argv


def bochs_config(path, iso, mem, com1, display='rfb, options="timeout=0"', log="/dev/null",
                 com2_port=None):
    """Write a bochsrc to path from utils/bochsrc.in (COM2 a socket server on
    com2_port when given, else off)."""
    text = (REPO / "utils" / "bochsrc.in").read_text()
    com2 = (f"enabled=1, mode=socket-server, dev=localhost:{com2_port}" if com2_port
            else "enabled=0")
    for key, val in (("MEGS", mem), ("ISO", iso), ("COM1", com1), ("DISPLAY", display),
                     ("IPS", BOCHS_IPS), ("LOG", log), ("COM2", com2)):
        text = text.replace("@" + key + "@", str(val))
    Path(path).write_text(text)


def kvm_problem():
    """Why QEMU+KVM cannot work here, or None when it may."""
    if not os.path.exists("/dev/kvm"):
        return "/dev/kvm does not exist (no KVM module loaded, or not a Linux host)"
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return "/dev/kvm is not accessible to you (add yourself to group 'kvm')"
    return None


def cpu_has_vmx():
    """True when the host CPU advertises Intel VT-x (the 'vmx' cpuinfo flag)."""
    try:
        with open("/proc/cpuinfo") as f:
            return any(line.startswith("flags") and " vmx" in line for line in f)
    except OSError:
        return False


def default_emulator():
    """kvm where KVM works and the CPU has VT-x, else bochs (VMX always works there)."""
    return "kvm" if kvm_problem() is None and cpu_has_vmx() else "bochs"


def free_port():
    """A TCP port on localhost that nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- headless machines

# Machines whose emulator may still run. A tool that ends early (SIGTERM,
# an exception in a worker thread) stops them at exit, so no emulator
# outlives the command that started it and keeps a CPU busy.
_LIVE = set()


def stop_all_machines():
    for m in list(_LIVE):
        try:
            m.stop()
        except Exception:
            pass


atexit.register(stop_all_machines)


def exit_on_sigterm():
    """Turn SIGTERM into a normal exit, so the atexit cleanup runs."""
    signal.signal(signal.SIGTERM, lambda signo, frame: sys.exit(128 + signo))


class Machine:
    """A headless emulator process with its COM1 as a byte stream."""

    name = "?"

    def __init__(self, iso, mem, workdir):
        self.iso, self.mem, self.workdir = Path(iso).resolve(), mem, Path(workdir)
        self.com2_relay = None     # a Com2Relay: COM2 is then a TCP server it connects to
        self.com2_port = None
        self._proc = None
        self.exited = False
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")

    @property
    def proc(self):
        return self._proc

    @proc.setter
    def proc(self, p):
        self._proc = p
        if p is not None:
            _LIVE.add(self)

    def read(self, timeout):
        """New console text within timeout seconds ('' if none); sets exited at EOF."""
        if self.exited:
            return ""
        fd = self._fd()
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            return ""
        data = self._recv()
        if not data:
            self.exited = True
            return ""
        return self._decoder.decode(data)

    def stop(self):
        """End the emulator (SIGTERM, then SIGKILL) and return its exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(3)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._close()
        _LIVE.discard(self)
        return self.proc.returncode

    def wait_exit(self, timeout):
        """Wait up to timeout for the emulator to end by itself; its exit code or None."""
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def diagnostics(self):
        """Emulator-side log text (used to spot triple faults)."""
        out = ""
        for name in ("emu.log", "bochs.log"):
            p = self.workdir / name
            if p.exists():
                out += p.read_text(errors="replace")
        return out


class QemuMachine(Machine):
    """QEMU with COM1 on stdin/stdout pipes (-serial stdio)."""

    name = "qemu"

    def __init__(self, iso, mem, workdir, kvm=False):
        super().__init__(iso, mem, workdir)
        self.kvm = kvm
        if kvm:
            self.name = "kvm"

    def start(self):
        argv = qemu_argv(self.iso, self.mem, self.kvm) + [
            "-display", "none", "-serial", "stdio", "-monitor", "none"]
        if self.com2_relay:
            self.com2_port = free_port()
            argv += ["-serial", f"tcp:127.0.0.1:{self.com2_port},server=on,wait=off,nodelay=on"]
        self._err = open(self.workdir / "emu.log", "wb")
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self._err, start_new_session=True)
        if self.com2_relay:
            self.com2_relay.connect(self.com2_port, self.proc)

    def _fd(self):
        return self.proc.stdout.fileno()

    def _recv(self):
        return os.read(self._fd(), 65536)

    def send(self, data):
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass

    def _close(self):
        for f in (self.proc.stdin, self.proc.stdout, self._err):
            try:
                f.close()
            except OSError:
                pass

    def reset_seen(self, rc):
        # -no-reboot: a guest reset (triple fault) makes QEMU exit with 0
        return rc == 0


class BochsMachine(Machine):
    """Bochs with COM1 as a TCP server socket we connect to (Bochs waits for us)."""

    name = "bochs"

    def start(self):
        for _ in range(3):          # another run may grab our port first
            if self._try_start():
                return
        raise RuntimeError("bochs did not open its serial socket; see " +
                           str(self.workdir / "emu.log"))

    def _try_start(self):
        port = free_port()
        rc = self.workdir / "bochsrc"
        self.com2_port = free_port() if self.com2_relay else None
        bochs_config(rc, self.iso, self.mem, f"mode=socket-server, dev=localhost:{port}",
                     log=self.workdir / "bochs.log", com2_port=self.com2_port)
        (self.workdir / "bochs.rc").write_text("continue\nquit\n")
        self._log = open(self.workdir / "emu.log", "wb")
        self.proc = subprocess.Popen(["bochs", "-q", "-f", str(rc), "-rc",
                                      str(self.workdir / "bochs.rc")],
                                     stdin=subprocess.DEVNULL, stdout=self._log,
                                     stderr=subprocess.STDOUT, cwd=self.workdir,
                                     start_new_session=True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                self.sock = socket.create_connection(("127.0.0.1", port), timeout=1)
                self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                if self.com2_relay:
                    # Bochs opens COM2 after COM1 and waits for a client there too
                    self.com2_relay.connect(self.com2_port, self.proc)
                return True
            except OSError:
                time.sleep(0.01)
        self.stop_process_only()
        return False

    def stop_process_only(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self._log.close()

    def _fd(self):
        return self.sock.fileno()

    def _recv(self):
        try:
            return self.sock.recv(65536)
        except OSError:
            return b""

    def send(self, data):
        try:
            self.sock.sendall(data)
        except OSError:
            pass

    def _close(self):
        for f in (self.sock, self._log):
            try:
                f.close()
            except OSError:
                pass

    def reset_seen(self, rc):
        # reset_on_triple_fault=0 turns a triple fault into a Bochs panic
        log = self.diagnostics()
        return "exception with no resolution" in log or "triple fault" in log.lower()


class Com2Relay:
    """The emulator's COM2 (a TCP server) relayed to a port gdb connects to.

    Connecting to the emulator at once matters for Bochs, which waits for a
    client on COM2 before it runs; gdb attaches later, when the kernel's stub
    is up. Bytes from the kernel before gdb is there are dropped."""

    def __init__(self, listen_port=0):
        self.listen = socket.socket()
        self.listen.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listen.bind(("127.0.0.1", listen_port))
        self.listen.listen(1)
        self.port = self.listen.getsockname()[1]
        self.emu = None
        self.stopped = False
        self.error = None

    def connect(self, emu_port, proc, limit=15):
        """Connect to the emulator's COM2 server and start relaying."""
        self.emu = _connect(emu_port, proc, limit)
        if self.emu is None:
            raise RuntimeError(f"no COM2 server on port {emu_port}")
        self.emu.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        client = None
        try:
            while not self.stopped:
                fds = [self.emu, self.listen] + ([client] if client else [])
                ready, _, _ = select.select(fds, [], [], 0.2)
                if self.listen in ready:
                    if client:
                        client.close()
                    client, _ = self.listen.accept()
                    client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                if self.emu in ready:
                    data = self.emu.recv(65536)
                    if not data:
                        break              # the emulator ended
                    # ACK at once: the emulators write byte by byte without
                    # TCP_NODELAY, so Nagle holds each next byte until our
                    # (otherwise delayed, 40 ms) ACK comes
                    self.emu.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
                    if client:
                        client.sendall(data)
                if client and client in ready:
                    data = client.recv(65536)
                    if data:
                        self.emu.sendall(data)
                    else:
                        client.close()
                        client = None
        except OSError as e:
            self.error = str(e)
        finally:
            for sk in (client, self.emu, self.listen):
                if sk:
                    try:
                        sk.close()
                    except OSError:
                        pass

    def close(self):
        self.stopped = True


GDB_READY = "gdb: stub on COM2"


class GdbRun:
    """`gdb -batch -x utils/gdbinit -x SCRIPT build/kernel.elf` against the
    kernel's stub, started once the kernel says the stub is up."""

    def __init__(self, script, kernel_elf, workdir, console_log):
        self.script, self.kernel_elf = Path(script).resolve(), Path(kernel_elf)
        self.workdir, self.console_log = Path(workdir), console_log
        self.relay = Com2Relay()
        self.proc = None
        self.output = ""
        self.exit_code = None
        self._out = None

    def start(self):
        self._out = open(self.workdir / "gdb.out", "w+b")
        argv = ["gdb", "-q", "-nx", "-batch", "-ex", f"set $sweb_port = {self.relay.port}",
                "-x", str(REPO / "utils" / "gdbinit"), "-x", str(self.script), str(self.kernel_elf)]
        env = dict(os.environ, SWEB_CONSOLE_LOG=str(self.console_log))
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self._out,
                                     stderr=subprocess.STDOUT, cwd=REPO, env=env,
                                     start_new_session=True)

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def finish(self, wait=0.0):
        """Collect gdb's output and exit status (killing it if it is still there)."""
        if self.proc is not None:
            try:
                self.proc.wait(wait)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.exit_code = self.proc.returncode
            self._out.seek(0)
            self.output = self._out.read().decode(errors="replace")
            if self.exit_code < 0:
                self.output += f"\n(gdb did not end by itself; killed, status {self.exit_code})\n"
            if self.relay.error:
                self.output += f"\n(COM2 relay: {self.relay.error})\n"
            self._out.close()
            self.proc = None
        self.relay.close()


def make_machine(emu, iso, mem, workdir):
    """A headless Machine for emulator name emu (qemu, kvm or bochs)."""
    if emu == "bochs":
        return BochsMachine(iso, mem, workdir)
    if emu in ("qemu", "kvm"):
        return QemuMachine(iso, mem, workdir, kvm=(emu == "kvm"))
    raise SystemExit(f"sweb: unknown emulator '{emu}' (use qemu, kvm or bochs)")


# ---------------------------------------------------------------- driving the console

def on_host_line(text, m):
    """True when match m is host output: no guest tag before it on its line."""
    start = max(text.rfind("\n", 0, m.start()), text.rfind("\r", 0, m.start())) + 1
    return not GUEST_TAG_RE.search(text, start, m.start())


def host_search(regex, text, pos=0):
    """The first match of regex in text from pos on that is host output, or None."""
    for m in regex.finditer(text, pos):
        if on_host_line(text, m):
            return m
    return None


def host_findall(regex, text):
    """group(1) of every match of regex that is host output."""
    return [m.group(1) for m in regex.finditer(text) if on_host_line(text, m)]


def clean(text):
    """Console text without carriage returns and ANSI escape sequences."""
    return ANSI_RE.sub("", text.replace("\r", ""))


def parse_keys(command):
    """Split a command into (bytes, pause_seconds) steps.

    Escapes: \\n \\r \\t \\e \\\\ \\xNN, \\p{MS} pauses MS milliseconds, a trailing
    \\c suppresses the newline that otherwise ends the command.
    """
    steps, cur, i, newline = [], bytearray(), 0, True
    simple = {"n": b"\n", "r": b"\r", "t": b"\t", "e": b"\x1b", "\\": b"\\"}
    while i < len(command):
        c = command[i]
        if c != "\\" or i + 1 == len(command):
            cur += c.encode()
            i += 1
            continue
        n = command[i + 1]
        if n in simple:
            cur += simple[n]
            i += 2
        elif n == "x" and re.match(r"[0-9a-fA-F]{2}", command[i + 2:i + 4]):
            cur.append(int(command[i + 2:i + 4], 16))
            i += 4
        elif n == "p" and re.match(r"\{\d+\}", command[i + 2:]):
            m = re.match(r"\{(\d+)\}", command[i + 2:])
            steps.append((bytes(cur), int(m.group(1)) / 1000))
            cur = bytearray()
            i += 2 + len(m.group(0))
        elif n == "c" and i + 2 == len(command):
            newline = False
            i += 2
        else:
            cur += b"\\"
            i += 1
    if newline:
        cur += b"\n"
    steps.append((bytes(cur), 0))
    return steps


def strip_echo(command, text):
    """A command's output: text without the shell's echo of the typed line.

    Normally the echo is the first line. A command typed without Enter (\\c)
    is ended by a control key whose effect (e.g. "^C") follows the echo on
    the same line; there only the typed characters before the first escape
    are removed.
    """
    if command.endswith("\\c"):
        typed = command.split("\\", 1)[0]
        return text[len(typed):] if text.startswith(typed) else text
    return text.split("\n", 1)[1] if "\n" in text else ""


class Result:
    """How a run ended: status (a key of EXIT_CODES), detail, transcript, outputs."""

    def __init__(self):
        self.status = "crash"
        self.detail = ""
        self.transcript = ""
        self.outputs = []          # [(command, output text)] in order
        self.power_status = None
        self.banner_time = None    # seconds from launch to the banner
        self.elapsed = 0.0
        self.exit_code = None
        self.gdb_output = None     # `exec --gdb`: what gdb printed, and its exit status
        self.gdb_exit = None

    def text(self):
        """The console transcript, then gdb's output after a `== gdb ==` line."""
        text = clean(self.transcript)
        if self.gdb_output is not None:
            text += "\n== gdb ==\n" + self.gdb_output
        return text

    def console_text(self):
        return clean(self.transcript)


class Driver:
    """Reads the console, types commands at each prompt, then shuts down."""

    def __init__(self, machine, commands, timeout, echo=None, pace=None, prompt_re=PROMPT_RE,
                 gdb=None):
        self.m, self.commands, self.timeout, self.echo = machine, list(commands), timeout, echo
        self.gdb = gdb             # a GdbRun, started when the kernel's stub is up
        self.hold = False          # all commands done, shutdown waits for gdb to end
        self._console = None
        self.pace = pace if pace is not None else (0.002 if machine.name == "bochs" else 0.0)
        self.prompt_re = prompt_re
        self.r = Result()
        self.buf = ""
        self.scan = 0          # where to look for the next prompt
        self.out_start = None  # where the running command's output starts
        self.next_cmd = 0
        self.shutdown_at = None
        self.panic_at = None

    def run(self):
        t0 = time.monotonic()
        if self.gdb:
            self.m.com2_relay = self.gdb.relay
            self._console = open(self.gdb.console_log, "w")
        try:
            self.m.start()
        except (OSError, RuntimeError) as e:
            self.r.status, self.r.detail = "crash", f"{self.m.name} did not start: {e}"
            return self.r
        deadline = t0 + self.timeout
        last_data = t0
        try:
            while True:
                now = time.monotonic()
                if now > deadline:
                    self.r.status, self.r.detail = "timeout", f"no end after {self.timeout} s"
                    break
                chunk = self.m.read(min(0.05, deadline - now))
                now = time.monotonic()
                if chunk:
                    last_data = now
                    self._take(chunk, now - t0)
                if self.m.exited:
                    break
                if self.panic_at is None and host_search(PANIC_RE, self.buf):
                    self.panic_at = now
                if self.panic_at and now - last_data > 1.0:
                    break               # the dump is complete; the kernel halted
                if self.shutdown_at and now - self.shutdown_at > 10:
                    self.r.detail = "shutdown did not power off within 10 s"
                    break
                if chunk and not self.panic_at:
                    self._at_prompt()
                if self.hold and not self._gdb_busy():
                    self.hold = False
                    self._shutdown()
        finally:
            self.r.exit_code = self._finish()
        self.r.elapsed = time.monotonic() - t0
        self.r.transcript = self.buf
        self._classify()
        return self.r

    def _take(self, chunk, t):
        self.buf += chunk
        if self.echo:
            self.echo(chunk.replace("\r", ""))
        if self.r.banner_time is None and BANNER in self.buf:
            self.r.banner_time = t
        if self._console:
            self._console.write(clean(chunk))
            self._console.flush()
        if self.gdb and self.gdb.proc is None and self.gdb.exit_code is None and GDB_READY in self.buf:
            self.gdb.start()

    def _gdb_busy(self):
        """gdb has not started yet or is still running its script."""
        return self.gdb is not None and (self.gdb.exit_code is None and
                                         (self.gdb.proc is None or self.gdb.running()))

    def _at_prompt(self):
        """If a prompt appeared, close the running command and type the next one."""
        m = host_search(self.prompt_re, self.buf, self.scan)
        if not m or self.shutdown_at:
            return
        if self.out_start is not None:
            command = self.commands[self.next_cmd - 1]
            out = strip_echo(command, clean(self.buf[self.out_start:m.start()]))
            self.r.outputs.append((command, out))
        self.out_start, self.scan = None, m.end()
        if self.next_cmd < len(self.commands):
            self._type(self.commands[self.next_cmd])
            self.next_cmd += 1
            self.out_start = m.end()
        elif self._gdb_busy():
            self.hold = True       # gdb's script may still need the running system
        else:
            self._shutdown()

    def _shutdown(self):
        self._type("shutdown")
        self.shutdown_at = time.monotonic()

    def _type(self, command):
        for data, pause in parse_keys(command):
            if self.pace:
                for b in data:
                    self.m.send(bytes([b]))
                    time.sleep(self.pace)
            else:
                self.m.send(data)
            if pause:
                time.sleep(pause)

    def _finish(self):
        rc = self.m.wait_exit(0.5) if self.m.exited else None
        if rc is None:
            rc = self.m.stop()
        else:
            self.m.stop()
        if self.gdb:
            self.gdb.finish(wait=3)
            self.r.gdb_output, self.r.gdb_exit = self.gdb.output, self.gdb.exit_code
            self._console.close()
        # drain nothing more: the process is gone
        return rc

    def _classify(self):
        r, text = self.r, clean(self.buf)
        powers = host_findall(POWER_RE, text)
        r.power_status = int(powers[-1]) if powers else None
        if r.status == "timeout":
            return
        if host_search(PANIC_RE, text):
            r.status, r.detail = "panic", "kernel panic"
        elif r.power_status == POWER_EXIT_OK:
            r.status = "ok"
        elif r.power_status is not None:
            r.status, r.detail = "fail", f"power off with status {r.power_status:#x}"
        elif self.m.reset_seen(r.exit_code):
            r.status, r.detail = "triple-fault", "the guest reset (triple fault)"
        else:
            r.status = "crash"
            r.detail = r.detail or f"emulator ended (exit code {r.exit_code}) without power off"
        if r.status == "ok" and self.gdb and r.gdb_exit != 0:
            r.status = "gdb-fail"
            r.detail = (f"gdb exited with status {r.gdb_exit}" if r.gdb_exit is not None
                        else "gdb never started (no 'gdb: stub on COM2' line)")
        if r.status == "ok" and self.next_cmd < len(self.commands):
            r.status = "no-prompt"
            r.detail = (f"powered off before command {self.next_cmd + 1} "
                        f"('{self.commands[self.next_cmd]}') was typed")
            if self.next_cmd == 0:
                r.detail += "; no shell prompt 'sweb:/> ' was seen"


def boot(emu, iso, mem=DEFAULT_MEM, commands=(), timeout=60, echo=None, keep_dir=None,
         gdb_script=None, kernel_elf=None):
    """Boot iso headless in emu, type commands at prompts, return a Result.

    gdb_script: run gdb with it against the kernel's stub on COM2 (the ISO
    must boot with gdb=wait or gdb=com2); the shell's shutdown waits for gdb."""
    work = Path(keep_dir) if keep_dir else Path(tempfile.mkdtemp(prefix="sweb-run-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        gdb = GdbRun(gdb_script, kernel_elf, work, work / "console.log") if gdb_script else None
        return Driver(make_machine(emu, iso, mem, work), commands, timeout, echo, gdb=gdb).run()
    finally:
        if not keep_dir:
            shutil.rmtree(work, ignore_errors=True)


# ---------------------------------------------------------------- interactive runs

GDB_PORT = 1234


def interactive(emu, iso, mem=DEFAULT_MEM, gdb_wait=False, bochs_debugger=False,
                kernel_elf=None, workdir=None, stub=False):
    """Boot iso with the serial console on this terminal.

    gdb_wait: QEMU's own gdb stub, halted at the first instruction (-s -S).
    stub: COM2, where the kernel's GDB stub runs (iso booting with gdb=wait),
    on localhost:1234 for `make rungdb`.

    Returns 0 when the kernel powered off with POWER_EXIT_OK or the user quit,
    1 for a failure status, else the emulator's own exit code."""
    work = Path(workdir or tempfile.mkdtemp(prefix="sweb-run-"))
    iso = Path(iso).resolve()
    gui = bool(os.environ.get("DISPLAY"))
    if stub:
        print(f"The kernel waits for gdb on localhost:{GDB_PORT} (COM2): run 'make rungdb' "
              "in another terminal", flush=True)
    if emu == "bochs":
        return _interactive_bochs(iso, mem, work, gui, bochs_debugger, kernel_elf, stub)
    argv = qemu_argv(iso, mem, kvm=(emu == "kvm")) + ["-serial", "mon:stdio"]
    if stub:
        argv += ["-serial", f"tcp:127.0.0.1:{GDB_PORT},server=on,wait=off,nodelay=on"]
    if not gui:
        argv += ["-display", "none"]
    if gdb_wait:
        argv += ["-s", "-S"]
        print("QEMU waits for gdb on localhost:1234: run 'make rungdb' in another terminal")
    print("Serial console below; quit QEMU with Ctrl-A then X.", flush=True)
    rc = subprocess.call(argv) if emu != "kvm" else _run_kvm(argv)
    return {(POWER_EXIT_OK << 1) | 1: 0, (POWER_EXIT_FAIL << 1) | 1: 1}.get(rc, rc)


def _run_kvm(argv):
    """Run QEMU+KVM, passing its stderr through, and explain a KVM failure."""
    p = subprocess.Popen(argv, stderr=subprocess.PIPE)
    err = b""
    for line in p.stderr:
        err += line
        sys.stderr.buffer.write(line)
        sys.stderr.flush()
    rc = p.wait()
    if rc not in (0, 33, 35) and (b"kvm" in err.lower() or b"msr" in err.lower()):
        print(f"\nsweb: QEMU with KVM failed (exit code {rc}). KVM with '-cpu host' needs an "
              "Intel CPU with VT-x and, inside a VM, nested virtualization.\n"
              "      Use 'make qemu' (fast, no VMX) or 'make bochs' (emulates VMX).",
              file=sys.stderr)
    return rc


def _interactive_bochs(iso, mem, work, gui, debugger, kernel_elf, stub=False):
    """Bochs with COM1 relayed to this terminal, or stopped in its debugger;
    with stub, COM2 relayed to localhost:1234 for gdb."""
    display = "x" if gui else 'rfb, options="timeout=0"'
    rc, script = work / "bochsrc", work / "bochs.rc"
    if debugger:
        return _bochs_debugger(iso, mem, work, display, kernel_elf)
    port = free_port()
    relay = Com2Relay(GDB_PORT) if stub else None
    com2_port = free_port() if stub else None
    bochs_config(rc, iso, mem, f"mode=socket-server, dev=localhost:{port}", display=display,
                 log=work / "bochs.log", com2_port=com2_port)
    script.write_text("continue\nquit\n")
    with open(work / "emu.log", "wb") as log:
        proc = subprocess.Popen(["bochs", "-q", "-f", str(rc), "-rc", str(script)], cwd=work,
                                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        sock = _connect(port, proc)
        if sock and relay:
            relay.connect(com2_port, proc)
        print("Serial console below (Bochs, VMX available); quit Bochs with Ctrl-A then X.",
              flush=True)
        seen = bytearray()
        user_quit = _relay(sock, proc, seen) if sock else False
        try:
            proc.wait(0.1 if user_quit else 3)
        except subprocess.TimeoutExpired:
            proc.terminate()
        code = 0 if user_quit else proc.wait()
        proc.wait()
    text = (work / "emu.log").read_text(errors="replace")
    m = re.search(r"Bochs is exiting with the following message:\n(.*)\n", text)
    if m:
        print(f"\r\nbochs: {m.group(1).strip()}", flush=True)
    powers = host_findall(POWER_RE, seen.decode(errors="replace"))
    if user_quit or (powers and int(powers[-1]) == POWER_EXIT_OK):
        return 0
    return 1 if powers else code


def _connect(port, proc, limit=15):
    """Connect to Bochs' COM1 server socket; None if Bochs died first."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=1)
        except OSError:
            time.sleep(0.01)
    return None


def _relay(sock, proc, seen):
    """Copy the terminal to COM1 and back until Bochs ends or Ctrl-A X is typed.

    Console output is also kept in the bytearray seen (its last 4 KiB).
    Returns True when the user quit with Ctrl-A X."""
    import termios
    import tty
    fd_in = sys.stdin.fileno()
    saved = termios.tcgetattr(fd_in) if os.isatty(fd_in) else None
    if saved:
        tty.setraw(fd_in)
    escape = False
    try:
        while proc.poll() is None:
            ready, _, _ = select.select([sock, fd_in], [], [], 0.2)
            if sock in ready:
                data = sock.recv(65536)
                if not data:
                    break
                os.write(sys.stdout.fileno(), data)
                seen += data
                del seen[:-4096]
            if fd_in in ready:
                data = os.read(fd_in, 1024)
                if not data:
                    fd_in = -1
                    continue
                out = bytearray()
                for b in data:
                    if escape:
                        escape = False
                        if b in (ord("x"), ord("X")):
                            return True
                        out.append(b)          # Ctrl-A Ctrl-A sends one Ctrl-A
                    elif b == 1:
                        escape = True
                    else:
                        out.append(b)
                sock.sendall(bytes(out))
    except OSError:
        pass
    finally:
        if saved:
            termios.tcsetattr(sys.stdin.fileno(), termios.TCSADRAIN, saved)
        sock.close()
    return False


def _bochs_debugger(iso, mem, work, display, kernel_elf):
    """Bochs stopped at its first instruction in the debugger, kernel symbols loaded."""
    serial = (Path(kernel_elf).parent if kernel_elf else work) / "bochsdbg-serial.txt"
    rc, script = work / "bochsrc", work / "bochs.rc"
    bochs_config(rc, iso, mem, f"mode=file, dev={serial}", display=display,
                 log=work / "bochs.log")
    lines = []
    if kernel_elf and Path(kernel_elf).exists():
        syms = work / "kernel.sym"
        write_bochs_symbols(kernel_elf, syms)
        lines.append(f'ldsym global "{syms}"')
    script.write_text("\n".join(lines) + "\n")
    print(f"Bochs debugger, kernel symbols loaded. COM1 goes to {serial} (tail -f it).\n"
          "'c' continues, Ctrl-C stops, 'help' lists commands, 'q' quits; "
          "see docs/debugging.md.", flush=True)
    return subprocess.call(["bochs", "-q", "-f", str(rc), "-rc", str(script)], cwd=work)


def write_bochs_symbols(kernel_elf, out):
    """Write a Bochs symbol file ('ADDRESS NAME' per line) from nm output."""
    nm = subprocess.run(["nm", "-n", "--defined-only", str(kernel_elf)], check=True,
                        stdout=subprocess.PIPE, text=True).stdout
    with open(out, "w") as f:
        for line in nm.splitlines():
            parts = line.split()
            # skip the symbol table's string labels and linker address markers
            if (len(parts) == 3 and parts[1] in "tTdDbBrR"
                    and not parts[2].startswith(("ksym_name_", "kernel_phys_"))):
                f.write(f"0x{parts[0]} {parts[2]}\n")
