"""
The proof that every assignment is real, run by `utils/sweb test` next to the
system tests (docs/assignments.md, "The proof in CI"). For each assignment
that utils/skeleton lists:

  1. generate its skeleton and build it with the kernel's own flags (-Werror):
     only the kernel when every region lies in the kernel (arch/, common/,
     vmx/), and the skeleton kernel then boots with the solution build's boot
     archive; the whole image when a region lies anywhere else;
  2. boot every system test group labelled with the assignment on the
     skeleton: each must fail at least one check;
  3. after the solution's own run: the same groups score full there.

One test per skeleton build, per skeleton group and per assignment (skeleton
below full and solution full). Skeleton boots have their timeout capped
(a group that fails only by hitting the cap is booted again with its own
timeout, so the cap can never be what makes a skeleton fail). Host side;
tasks run in run_tests' worker pool, their callbacks on the caller's thread.
"""

import copy
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "utils"))
import grade  # noqa: E402
import run_tests  # noqa: E402

KERNEL_DIRS = ("arch/", "common/", "vmx/")
TIMEOUT_CAP = {"qemu": 30, "bochs": 60, "kvm": 30}
BUILD_PRIORITY = -1          # builds before boots: their boots can then overlap the rest


def assignments(src=REPO):
    """The assignment names utils/skeleton finds in src, sorted."""
    p = subprocess.run([sys.executable, str(REPO / "utils" / "skeleton"), "--list", "--src", str(src)],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        raise SystemExit(f"assignment proof: utils/skeleton --list failed:\n{p.stdout}")
    return [m.group(1) for m in re.finditer(r"^(\S+): \d+ regions? in", p.stdout, re.M)]


def region_files(name, src=REPO):
    """Relative paths of the files of src with a SOLUTION(name) BEGIN marker."""
    p = subprocess.run(["git", "-C", str(src), "grep", "-l", "-E",
                        rf"^[[:space:]]*(//|;|#)[[:space:]]*SOLUTION\({re.escape(name)}\) BEGIN"],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return sorted(f for f in p.stdout.split() if not f.endswith(".md"))


def quiet(args, cwd=None):
    """Run a command; (ok, its output)."""
    p = subprocess.run(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return p.returncode == 0, p.stdout


def seed_kernel_objects(solution_build, skel_build, region_paths):
    """Copy the solution's kernel objects that the regions cannot change into the
    skeleton's fresh build directory, newer than their sources, so that make
    compiles only the rest: the region files and every file including one (as
    the solution's dependency files .o.d say). Return how many were copied."""
    sol_dir = Path(solution_build) / "CMakeFiles" / "kernel_objs.dir"
    skel_dir = Path(skel_build) / "CMakeFiles" / "kernel_objs.dir"
    changed = {str(REPO / f) for f in region_paths}
    copied = 0
    for obj in sol_dir.rglob("*.o"):
        rel = obj.relative_to(sol_dir)
        if str(REPO / str(rel)[:-2]) in changed:
            continue
        dep = obj.with_name(obj.name + ".d")
        if not dep.exists():
            continue
        deps = set(dep.read_text(errors="ignore").replace("\\\n", " ").split())
        if deps & changed:
            continue
        (skel_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(obj, skel_dir / rel)     # a new mtime: newer than the source
        copied += 1
    return copied


def build_skeleton(name, work, solution_build):
    """Generate and build name's skeleton under work; return (image dir or None,
    what happened). The image dir holds isodir/ and sweb.iso like a build dir."""
    src, bdir = work / "src", work / "build"
    ok, out = quiet([sys.executable, str(REPO / "utils" / "skeleton"), "--assignment", name, "--out", str(src)])
    if not ok:
        return None, "utils/skeleton failed:\n" + out
    files = region_files(name)
    kernel_only = all(f.startswith(KERNEL_DIRS) for f in files)
    ok, out = quiet(["cmake", "-S", str(src), "-B", str(bdir), "-DBUILD_UNIT_TESTS=OFF"])
    if ok:
        seeded = seed_kernel_objects(solution_build, bdir, files)
        target = ["--target", "kernel"] if kernel_only else []
        ok, out = quiet(["cmake", "--build", str(bdir), "--parallel", "1"] + target)
    if not ok:
        return None, "the skeleton does not build:\n" + "\n".join(out.strip().split("\n")[-15:])
    what = (f"{len(files)} file(s) with TODO({name}): {', '.join(files)}; "
            f"{seeded} unchanged kernel objects taken from the solution build")
    if not kernel_only:
        return bdir, what + "; whole image built"
    img = work / "image"
    shutil.copytree(solution_build / "isodir", img / "isodir")
    ok, out = quiet(["objcopy", "--strip-debug", str(bdir / "kernel.elf"), str(img / "isodir/boot/kernel.elf")])
    if ok:
        ok, out = quiet([str(REPO / "utils" / "mkiso.sh"), str(img / "isodir"), str(img / "sweb.iso")])
    if not ok:
        return None, "making the skeleton's ISO failed:\n" + out
    return img, what + "; kernel built, booted with the solution's boot archive"


class Proof:
    """The proof for a list of assignments, fed through one run_tests.Scheduler."""

    def __init__(self, names, solution_build):
        self.names, self.solution_build = names, Path(solution_build)
        self.groups = {n: run_tests.select(run_tests.load(), labels=[n], quiet=True) for n in names}
        self.skeleton = {n: {} for n in names}     # name -> {group: GroupScore}
        self.built = {}                            # name -> (ok, what)
        self.tmp = tempfile.TemporaryDirectory(prefix="sweb-skeletons-")

    def submit(self, sched):
        """Queue every skeleton build; each queues its boots when it is done."""
        print(f"== assignment proof: {len(self.names)} skeletons ({', '.join(self.names)}), "
              "built and booted next to the system tests", flush=True)
        for n in self.names:
            work = Path(self.tmp.name) / n
            sched.submit(BUILD_PRIORITY, build_skeleton, (n, work, self.solution_build),
                         lambda res, n=n: self._built(sched, n, res))

    def _built(self, sched, name, res):
        img, what = res
        self.built[name] = (img is not None, what)
        if img is None:
            print(f"FAIL skeleton {name}: {what}", flush=True)
            return 0, 1
        if not self.groups[name]:
            print(f"FAIL skeleton {name}: no system test group is labelled {name}", flush=True)
            return 0, 1
        print(f"PASS skeleton {name} builds ({what})", flush=True)
        for g in self.groups[name]:
            self._boot(sched, name, g, img, capped=True)
        return 1, 0

    def _boot(self, sched, name, g, img, capped):
        sg = copy.deepcopy(g)
        own = g.timeout or (120 if g.emu == "bochs" else 60)
        if capped:
            sg.timeout = min(own, TIMEOUT_CAP.get(g.emu, 60))
        sched.submit(run_tests.boot_priority(g), run_tests.run_group, (sg, img),
                     lambda res: self._booted(sched, name, g, img, res, capped and sg.timeout < own))

    def _booted(self, sched, name, g, img, res, was_capped):
        _, result, outcomes = res
        logdir = self.solution_build / "systest" / "skeleton" / name
        logdir.mkdir(parents=True, exist_ok=True)
        (logdir / (re.sub(r"[^\w.-]", "_", g.name) + ".log")).write_text(result.text())
        s = grade.score(g, outcomes, result.elapsed)
        only_cap = was_capped and result.status == "timeout" and [d for d, _ in s.failed] == [f"status {g.status}"]
        if only_cap:      # decide with the group's own timeout
            self._boot(sched, name, g, img, capped=False)
            return 0, 0
        self.skeleton[name][g.name] = s
        if s.good:
            print(f"FAIL skeleton {name}: group {g.name} passes without the student's code "
                  f"({s.checks} checks)", flush=True)
            return 0, 1
        first = s.failed[0][0]
        print(f"PASS skeleton {name}: {g.name} fails {len(s.failed)}/{s.checks} checks "
              f"(first: {first[:70]}), {result.elapsed:.1f} s", flush=True)
        return 1, 0

    def finish(self, results):
        """The score table, skeleton against solution (results: run_tests' {group:
        (group, outcomes)} of the solution); returns (passed, failed)."""
        print("== assignment proof: score on the skeleton and on the solution", flush=True)
        print(f"   {'assignment':<16} {'skeleton':>9} {'solution':>9}  groups")
        passed = failed = 0
        for n in self.names:
            groups = self.groups[n]
            sol = [grade.score(g, results[g.name][1]) if g.name in results else grade.unrun(g, "not run")
                   for g in groups]
            sk = [self.skeleton[n].get(g.name) or grade.unrun(g, "not booted") for g in groups]
            (s_got, s_max), (l_got, l_max) = grade.total(sk), grade.total(sol)
            ok = self.built.get(n, (False,))[0] and groups and s_got < s_max and l_got == l_max \
                and all(not s.good for s in sk)
            print(f"{'PASS' if ok else 'FAIL'} {n:<16} {f'{s_got}/{s_max}':>9} {f'{l_got}/{l_max}':>9}  "
                  + ", ".join(g.name for g in groups), flush=True)
            passed, failed = passed + (1 if ok else 0), failed + (0 if ok else 1)
        self.tmp.cleanup()
        return passed, failed

