#!/usr/bin/env python3
"""
mkinitramfs: write a Linux initramfs as an uncompressed cpio archive in the
"newc" format (the kernel's Documentation/driver-api/early-userspace/
buffer-format.rst), without root: device nodes are plain header entries.

  utils/mkinitramfs.py -o OUT [--file SRC:DEST[:MODE]]... [--dir DEST]...
                       [--chardev DEST:MAJOR:MINOR]...

Every entry: a 110-byte ASCII header ("070701" and 13 fields of 8 hex
digits: ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor,
rdevmajor, rdevminor, namesize including the NUL, check = 0), the name with
its NUL padded to a multiple of 4, the data padded to a multiple of 4. The
archive ends with the entry "TRAILER!!!". Names have no leading "/";
parent directories must come before their entries (the order given).
"""

import argparse
import sys
from pathlib import Path

MAGIC = b"070701"
S_IFDIR = 0o040000
S_IFREG = 0o100000
S_IFCHR = 0o020000
TRAILER = "TRAILER!!!"


def pad4(n):
    """Bytes of padding that bring n up to a multiple of 4."""
    return (4 - n % 4) % 4


def entry(ino, name, mode, data=b"", rdev=(0, 0), nlink=1):
    """One newc entry: header, name (NUL, padded), data (padded)."""
    name_bytes = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, nlink, 0, len(data), 0, 0, rdev[0], rdev[1], len(name_bytes), 0]
    header = MAGIC + b"".join(b"%08x" % f for f in fields)
    out = header + name_bytes + b"\0" * pad4(len(header) + len(name_bytes))
    return out + data + b"\0" * pad4(len(data))


def build(items):
    """The archive for items: (kind, dest, payload) with kind 'dir', 'file'
    (payload = (bytes, mode)) or 'chardev' (payload = (major, minor))."""
    out, ino = b"", 1
    for kind, dest, payload in items:
        name = dest.strip("/")
        if not name:
            raise ValueError("an entry needs a name below /")
        if kind == "dir":
            out += entry(ino, name, S_IFDIR | 0o755, nlink=2)
        elif kind == "file":
            data, mode = payload
            out += entry(ino, name, S_IFREG | mode, data)
        elif kind == "chardev":
            out += entry(ino, name, S_IFCHR | 0o600, rdev=payload)
        else:
            raise ValueError(f"unknown entry kind {kind}")
        ino += 1
    return out + entry(0, TRAILER, 0, nlink=1)


def parse(raw):
    """Read an archive back: a list of (name, mode, data, (rdevmajor, rdevminor))."""
    pos, entries = 0, []
    while True:
        head = raw[pos:pos + 110]
        if len(head) < 110 or head[:6] != MAGIC:
            raise ValueError(f"bad header at {pos}")
        f = [int(head[6 + 8 * i:14 + 8 * i], 16) for i in range(13)]
        namesize, filesize = f[11], f[6]
        name_start = pos + 110
        name = raw[name_start:name_start + namesize - 1].decode()
        data_start = name_start + namesize + pad4(110 + namesize)
        data = raw[data_start:data_start + filesize]
        pos = data_start + filesize + pad4(filesize)
        if name == TRAILER:
            return entries
        entries.append((name, f[1], data, (f[9], f[10])))


def main(argv=None):
    ap = argparse.ArgumentParser(description="write a newc cpio initramfs")
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--dir", action="append", default=[], metavar="DEST")
    ap.add_argument("--file", action="append", default=[], metavar="SRC:DEST[:MODE]")
    ap.add_argument("--chardev", action="append", default=[], metavar="DEST:MAJOR:MINOR")
    a = ap.parse_args(argv)
    items = [("dir", d, None) for d in a.dir]
    for spec in a.chardev:
        dest, major, minor = spec.split(":")
        items.append(("chardev", dest, (int(major), int(minor))))
    for spec in a.file:
        parts = spec.split(":")
        mode = int(parts[2], 8) if len(parts) > 2 else 0o755
        items.append(("file", parts[1], (Path(parts[0]).read_bytes(), mode)))
    Path(a.output).write_bytes(build(items))
    return 0


if __name__ == "__main__":
    sys.exit(main())
