#!/usr/bin/env python3
"""
Test of utils/mkinitramfs.py (ctest: test_mkinitramfs): the newc bytes of
a small archive against a header written out by hand from the kernel's
buffer-format.rst, 4-byte alignment of names and data, the device node, the
trailer, and a round trip through its reader.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / "utils"))
import mkinitramfs  # noqa: E402

failures = []


def check(name, ok):
    print(f"{'ok  ' if ok else 'FAIL'} {name}")
    if not ok:
        failures.append(name)


def main():
    one = mkinitramfs.entry(1, "init", 0o100755, b"ABCDE")
    # 070701, ino 1, mode 0100755, uid 0, gid 0, nlink 1, mtime 0, size 5,
    # dev 0/0, rdev 0/0, namesize 5 ("init" + NUL), check 0
    want_header = (b"070701" b"00000001" b"000081ed" b"00000000" b"00000000" b"00000001"
                   b"00000000" b"00000005" b"00000000" b"00000000" b"00000000" b"00000000"
                   b"00000005" b"00000000")
    check("header fields", one[:110] == want_header)
    check("name, NUL, padded to 4 (110 + 5 -> 116)", one[110:116] == b"init\0\0")
    check("data padded to 4", one[116:] == b"ABCDE\0\0\0")
    archive = mkinitramfs.build([("dir", "/dev", None), ("chardev", "/dev/console", (5, 1)),
                                 ("file", "/init", (b"\x7fELF", 0o755))])
    check("ends with the trailer", b"TRAILER!!!\0" in archive[-124:] and len(archive) % 4 == 0)
    got = mkinitramfs.parse(archive)
    check("three entries in order", [e[0] for e in got] == ["dev", "dev/console", "init"])
    check("directory mode", got[0][1] == 0o040755)
    check("console is char 5:1", got[1][1] == 0o020600 and got[1][3] == (5, 1))
    check("file contents", got[2][2] == b"\x7fELF" and got[2][1] == 0o100755)
    try:
        mkinitramfs.build([("file", "/", (b"", 0o644))])
        check("empty name refused", False)
    except ValueError:
        check("empty name refused", True)
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
