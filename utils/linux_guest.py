"""
linux_guest: `utils/sweb guests linux` - put Debian's Linux kernel and a
small initramfs into a directory for `--extra`, so that inside SWEB-VX

    vm run /extra/vmlinuz --linux --initrd /extra/initramfs.cpio

boots Linux up to its /init. The kernel comes from the Debian archive
(`apt-get download` of the package linux-image-amd64 depends on, then
`dpkg-deb -x`); the initramfs holds /init built from
userspace/guests/linux-init/init.c (a static program that prints one line
and resets the VM through the 8042) and /dev/console, written by
utils/mkinitramfs.py.
"""

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import mkinitramfs

REPO = Path(__file__).resolve().parent.parent
INIT_SOURCE = REPO / "userspace" / "guests" / "linux-init" / "init.c"
INIT_CFLAGS = ["-static", "-nostdlib", "-ffreestanding", "-fno-pie", "-no-pie", "-O2",
               "-fno-stack-protector", "-Wall", "-Wextra", "-Werror"]


def kernel_package():
    """The versioned package linux-image-amd64 depends on (linux-image-6.1.0-N-amd64)."""
    def ask():
        p = subprocess.run(["apt-cache", "depends", "linux-image-amd64"], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        return p, re.search(r"Depends:\s*(linux-image-\S+)", p.stdout)
    p, m = ask()
    if (p.returncode != 0 or not m) and os.geteuid() == 0:
        subprocess.call(["apt-get", "update", "-q"])   # a fresh machine may have no package lists
        p, m = ask()
    if p.returncode != 0 or not m:
        raise SystemExit("sweb guests: apt-cache knows no linux-image-amd64 (run apt-get update?):\n"
                         + p.stdout)
    return m.group(1)


def fetch_vmlinuz(out, tmp):
    """Download the kernel package into tmp, extract it, copy its vmlinuz to out/vmlinuz."""
    pkg = kernel_package()
    print(f"sweb guests: apt-get download {pkg}", flush=True)
    if subprocess.call(["apt-get", "download", pkg], cwd=tmp) != 0:
        raise SystemExit(f"sweb guests: apt-get download {pkg} failed")
    deb = next(Path(tmp).glob(f"{pkg}_*.deb"))
    root = Path(tmp) / "root"
    print(f"sweb guests: dpkg-deb -x {deb.name}", flush=True)
    if subprocess.call(["dpkg-deb", "-x", str(deb), str(root)]) != 0:
        raise SystemExit(f"sweb guests: dpkg-deb -x {deb.name} failed")
    kernels = sorted((root / "boot").glob("vmlinuz-*"))
    if not kernels:
        raise SystemExit(f"sweb guests: {deb.name} has no /boot/vmlinuz-*")
    shutil.copyfile(kernels[-1], out / "vmlinuz")
    return kernels[-1].name


def build_initramfs(out, tmp):
    """Compile linux-init and write out/initramfs.cpio with /init and /dev/console."""
    init = Path(tmp) / "init"
    cmd = ["gcc"] + INIT_CFLAGS + ["-o", str(init), str(INIT_SOURCE)]
    if subprocess.call(cmd) != 0:
        raise SystemExit("sweb guests: building linux-init failed: " + " ".join(cmd))
    archive = mkinitramfs.build([("dir", "/dev", None), ("chardev", "/dev/console", (5, 1)),
                                 ("file", "/init", (init.read_bytes(), 0o755))])
    (out / "initramfs.cpio").write_bytes(archive)


def make(out):
    """Fill directory out with vmlinuz and initramfs.cpio; returns the kernel's file name."""
    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sweb-linux-") as tmp:
        name = fetch_vmlinuz(out, tmp)
        build_initramfs(out, tmp)
    print(f"sweb guests: {out}/vmlinuz ({name}, {(out / 'vmlinuz').stat().st_size} bytes), "
          f"{out}/initramfs.cpio ({(out / 'initramfs.cpio').stat().st_size} bytes)")
    print(f"  boot:  SWEB_MEM=512 utils/sweb run --emu bochs --extra {out}\n"
          "  then:  vm run /extra/vmlinuz --linux --initrd /extra/initramfs.cpio")
    return name
