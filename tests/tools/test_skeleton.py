#!/usr/bin/env python3
"""
Test of utils/skeleton (ctest: test_skeleton).

1. Marker handling on a small throw-away git repository with hand-written
   input and the exact expected output: C, NASM and CMake comment styles,
   indentation, stubs, another assignment's markers, --list; and every kind
   of broken marker fails with FILE:LINE, exit status 1 and no output tree.
2. The real tree: the V4-exits skeleton has no markers left, a TODO line per
   region with the stub after it, keeps A1-threads' solution and leaves the
   source tree untouched. (That every skeleton builds, and fails its tests,
   is the assignment proof of `utils/sweb test`: tests/system/assignment_proof.py.)

Exit status 77 (ctest: skipped) in a tree without V4-exits regions, i.e. in
a skeleton handed to students.
"""

import hashlib
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
TOOL = REPO / "utils" / "skeleton"
failures = []


def expect(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


def skeleton(*args, src=None):
    cmd = [sys.executable, str(TOOL)] + list(args) + (["--src", str(src)] if src else [])
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def make_repo(root, files):
    """A git repository at root holding files {relative path: text}."""
    root.mkdir(parents=True)
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "."], check=True)


# ---------------------------------------------------------------- 1. small repository
# The texts say MARK( for SOLUTION( so that this file holds no markers itself
# (utils/skeleton reads every tracked file, this one included).

def real(text):
    return text.replace("MARK(", "SOLUTION(")


GOOD_C = """int f(int x)
{
    // MARK(A9) BEGIN: return twice x
    // MARK(A9) STUB: return 0;
    int y = x + x;
    return y;
    // MARK(A9) END
}
int g(void)
{
        // MARK(B7) BEGIN: other assignment
        return 7;
        // MARK(B7) END
}
"""
GOOD_C_A9 = """int f(int x)
{
    // TODO(A9): return twice x
    return 0;
}
int g(void)
{
        return 7;
}
"""
GOOD_ASM = """f:
  ; MARK(A9) BEGIN: load 1
  mov eax, 1
  ; MARK(A9) END
  ret
"""
GOOD_ASM_A9 = """f:
  ; TODO(A9): load 1
  ret
"""
GOOD_CMAKE = """# MARK(A9) BEGIN: add the sources
# MARK(A9) STUB: set(SRC "")
# MARK(A9) STUB: message(STATUS "todo")
set(SRC a.c b.c)
# MARK(A9) END
"""
GOOD_CMAKE_A9 = """# TODO(A9): add the sources
set(SRC "")
message(STATUS "todo")
"""
PLAIN = "no markers here: MARK(A9) in the middle of a line is text\n"
DOC = "    // MARK(A9) BEGIN: an example in the docs stays\n"

BROKEN = {   # file text (MARK = SOLUTION) -> (line, words the message must contain)
    "a\n// MARK(A9) BEGIN: x\nb\n": (2, "never closed"),
    "// MARK(A9) BEGIN: x\n// MARK(A8) BEGIN: y\n// MARK(A8) END\n// MARK(A9) END\n":
        (2, "do not nest"),
    "x\ny\n  // MARK(A9) END\n": (3, "without a BEGIN"),
    "// MARK(A9) BEGIN: x\n// MARK(A8) END\n": (2, "END closes the"),
    "// MARK(A9) STUB: return 0;\n": (1, "outside"),
    "// MARK(A9) BEGN: typo\n": (1, "malformed"),
}


def test_small_repository(tmp):
    src = tmp / "src"
    make_repo(src, {"k/f.c": real(GOOD_C), "boot/f.asm": real(GOOD_ASM),
                    "CMakeLists.txt": real(GOOD_CMAKE), "plain.txt": real(PLAIN), "doc.md": real(DOC)})
    (src / "untracked.c").write_text(real("// MARK(A9) BEGIN: not tracked, not copied\n"))
    before = {p: p.read_bytes() for p in src.rglob("*") if p.is_file()}

    r = skeleton("--list", src=src)
    expect(r.returncode == 0 and r.stdout == "A9: 3 regions in 3 files\nB7: 1 region in 1 file\n",
           f"--list counts the regions per assignment (got {r.stdout!r} {r.stderr!r})")

    out = tmp / "out"
    r = skeleton("--assignment", "A9", "--out", str(out), src=src)
    expect(r.returncode == 0, f"skeleton A9 exits 0 ({r.stderr.strip()})")
    for rel, want in (("k/f.c", GOOD_C_A9), ("boot/f.asm", GOOD_ASM_A9),
                      ("CMakeLists.txt", GOOD_CMAKE_A9), ("plain.txt", real(PLAIN)), ("doc.md", real(DOC))):
        got = (out / rel).read_text() if (out / rel).exists() else None
        expect(got == want, f"{rel}: expected skeleton text" + ("" if got == want else f", got {got!r}"))
    expect(not (out / "untracked.c").exists(), "untracked files are not copied")
    after = {p: p.read_bytes() for p in src.rglob("*") if p.is_file()}
    expect(before == after, "the source tree is unchanged")

    r = skeleton("--assignment", "A9", "--out", str(out), src=src)
    expect(r.returncode != 0 and "not an empty directory" in r.stderr, "a non-empty --out is refused")
    r = skeleton("--assignment", "A9", "--out", str(src / "skel"), src=src)
    expect(r.returncode != 0 and not (src / "skel").exists(), "an --out inside the source tree is refused")
    r = skeleton("--assignment", "A10", "--out", str(tmp / "out-unknown"), src=src)
    expect(r.returncode == 1 and "no SOLUTION(A10) regions" in r.stderr
           and not (tmp / "out-unknown").exists(), "an unknown assignment is an error")

    for i, (text, (line, words)) in enumerate(BROKEN.items()):
        bad = tmp / f"bad{i}"
        make_repo(bad, {"ok.c": real(GOOD_C), "dir/bad.c": real(text)})
        r = skeleton("--assignment", "A9", "--out", str(tmp / f"bad{i}-out"), src=bad)
        expect(r.returncode == 1 and f"dir/bad.c:{line}:" in r.stderr and words in r.stderr
               and not (tmp / f"bad{i}-out").exists(),
               f"broken markers #{i} fail with dir/bad.c:{line} '{words}' ({r.stderr.strip()})")
        r = skeleton("--list", src=bad)
        expect(r.returncode == 1 and f"dir/bad.c:{line}:" in r.stderr, f"--list reports broken markers #{i}")


# ---------------------------------------------------------------- 2. the real tree

MARKER_LINE = re.compile(r"^[ \t]*(//|;|#)[ \t]*SOLUTION\(", re.M)


def tree_digest(root):
    """sha256 over the paths and contents of the files git tracks in root."""
    names = subprocess.run(["git", "-C", str(root), "ls-files", "-z"], stdout=subprocess.PIPE,
                           check=True).stdout.decode().split("\0")
    h = hashlib.sha256()
    for n in sorted(x for x in names if x and (root / x).is_file()):
        h.update(n.encode() + b"\0" + (root / n).read_bytes())
    return h.hexdigest(), len([x for x in names if x and os.path.lexists(root / x)])


def todo_then_stub(text, name, stub):
    """True when a TODO(name) line is directly followed by stub at the same indentation."""
    m = re.search(rf"^([ \t]*)// TODO\({re.escape(name)}\): \S.*\n\1{re.escape(stub)}\n", text, re.M)
    return m is not None


def test_real_tree(tmp):
    digest_before, ntracked = tree_digest(REPO)
    out = tmp / "v4"
    r = skeleton("--assignment", "V4-exits", "--out", str(out))
    expect(r.returncode == 0, f"skeleton V4-exits of the real tree ({r.stdout.strip()} {r.stderr.strip()})")
    expect(tree_digest(REPO)[0] == digest_before, "the real tree is unchanged")
    copied = [p for p in out.rglob("*") if p.is_file() or p.is_symlink()]
    expect(len(copied) == ntracked, f"all {ntracked} tracked files copied (got {len(copied)})")

    left = [str(p.relative_to(out)) for p in copied if p.suffix != ".md" and not p.is_symlink()
            and MARKER_LINE.search(p.read_text(errors="replace"))]
    expect(not left, f"no SOLUTION marker lines left (found in {left})")
    h = (out / "vmx/include/exit_cpuid.h").read_text()
    c = (out / "vmx/cpuid_policy.c").read_text()
    s = (out / "common/kernel/sched.c").read_text()
    todos = sum(t.count("// TODO(V4-exits): ") for t in (h, c))
    expect(todos == 3, f"one TODO(V4-exits) line per region in the CPUID files (3, got {todos})")
    expect(todo_then_stub(h, "V4-exits", "(void)v;"), "exit_cpuid.h: TODO line, then the stub")
    expect("cpuid_regs(&a" not in h and "exit_cpuid_policy(v" not in h,
           "exit_cpuid.h: the solution (host CPUID, the policy) is gone")
    expect("exit_skip_instruction_at(x->rip)" in h, "exit_cpuid.h: completing the instruction stays")
    expect("r->c |= L1_ECX_HYPERVISOR" not in c and "r->c &= L1_ECX_KEEP" not in c,
           "cpuid_policy.c: leaf 1 ECX (no VMX, the hypervisor bit) is gone")
    expect("struct thread *next = rq_pop();" in s and "TODO(A1-threads)" not in s,
           "sched.c: A1-threads' solution stays in the V4-exits skeleton")



def main():
    r = skeleton("--list")
    if r.returncode == 0 and "V4-exits:" not in r.stdout:
        print("skipped: no SOLUTION(V4-exits) regions in this tree (a student skeleton)")
        return 77
    with tempfile.TemporaryDirectory(prefix="sweb-skeleton-test-") as tmp:
        test_small_repository(Path(tmp) / "small")
        test_real_tree(Path(tmp) / "real")
    print(f"{len(failures)} failed" if failures else "all skeleton checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
