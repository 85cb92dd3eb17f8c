#!/usr/bin/env python3
"""
Test of the grader's logic (ctest: test_grade): utils/grade.py and the
`points`/`label` handling of tests/system/run_tests.py, without an emulator.

1. `points N` lines: weights, the default of 1, bad values fail with FILE:LINE.
2. Which groups count: public groups by label, hidden groups by label or no
   label, a name defined twice is an error.
3. Scoring: all or nothing per group, the report lines and `Score X/Y` as
   exact text, the JSON document.
4. grade.run() over hand-made groups with the boot replaced by a fake that
   returns fixed transcripts: scores in group order, the timeout cap applied.
5. grade.grade() on a tree that did not build: every group BAD, exit status 1,
   the JSON written; a name nobody carries: exit status 2.
"""

import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO / "utils"))
import grade  # noqa: E402
import run_tests  # noqa: E402  (grade put tests/system on the path)
import emulator  # noqa: E402

failures = []


def expect(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


def write(path, text):
    Path(path).write_text(text)
    return Path(path)


def fails_with(fn, *words):
    """True when fn() raises SystemExit whose message holds every word."""
    try:
        fn()
    except SystemExit as e:
        return all(w in str(e) for w in words)
    return False


HIDDEN = """group hidden-a
label Z9-test
points 3
$ echo a => a

group hidden-b
$ echo b => b
> b

group hidden-other
label Y1-other
$ echo c => c
"""


def test_points(tmp):
    groups = run_tests.load([write(tmp / "h.test", HIDDEN)])
    expect([g.points for g in groups] == [3, 1, 1], "points 3 is read, the default is 1")
    expect(groups[0].labels == ["Z9-test"] and groups[1].labels == [], "labels are read")
    for bad in ("0", "-2", "x", ""):
        f = write(tmp / "bad.test", f"group g\n# comment\npoints {bad}\n")
        expect(fails_with(lambda: run_tests.load([f]), "bad.test:3", "points N"),
               f"'points {bad}' fails with bad.test:3")


def test_select(tmp):
    public = run_tests.load([write(tmp / "p.test", "group pub-z9\nlabel Z9-test other\n$ true\n"
                                                   "group pub-none\n$ true\n")])
    hidden = run_tests.load([write(tmp / "h.test", HIDDEN)])
    names = [g.name for g in grade.select("Z9-test", public, hidden)]
    expect(names == ["pub-z9", "hidden-a", "hidden-b"],
           f"public by label, hidden by label or no label (got {names})")
    expect([g.name for g in grade.select("Y1-other", public, [])] == [], "a label nobody has selects nothing")
    dup = run_tests.load([write(tmp / "d.test", "group pub-z9\n$ true\n")])
    expect(fails_with(lambda: grade.select("Z9-test", public, dup), "pub-z9", "twice"),
           "a hidden group with a public group's name is an error")


def fake_group(name, points, checks):
    g = run_tests.Group(name, "x.test:1")
    g.points = points
    return g, checks


def test_scoring():
    ga, _ = fake_group("alpha", 3, None)
    gb, _ = fake_group("beta", 2, None)
    a = grade.score(ga, [("status ok", True, ""), ("$ echo a => a", True, "")])
    b = grade.score(gb, [("status ok", True, ""), ("$ vm run x => y", False, "no such line in:\nzzz\n")])
    expect(a.good and a.earned == 3 and not b.good and b.earned == 0, "all or nothing per group")
    expect(grade.total([a, b]) == (3, 5) and grade.score_line([a, b]) == "Score 3/5", "Score 3/5")
    expect(grade.report_line(a, width=8) == "GOOD alpha      3/3 points  (2/2 checks)",
           f"GOOD line (got {grade.report_line(a, width=8)!r})")
    want_b = ("BAD  beta       0/2 points  (1/2 checks)\n"
              "       failed: $ vm run x => y  -> no such line in: zzz")
    expect(grade.report_line(b, width=8) == want_b, f"BAD line with the failed check (got {grade.report_line(b, width=8)!r})")
    many = grade.score(gb, [("status ok", True, "")] + [(f"check {i}", False, "x") for i in range(8)])
    text = grade.report_line(many, width=8).split("\n")
    expect(len(text) == 1 + grade.MAX_FAILED_SHOWN + 1 and text[-1].startswith("       ... 3 more failed checks"),
           f"at most {grade.MAX_FAILED_SHOWN} failed checks shown per group, then a count ({text[-1]!r})")
    doc = grade.json_doc("Z9-test", [a, b])
    expect(doc["score"] == 3 and doc["max"] == 5 and doc["full"] is False
           and [x["earned"] for x in doc["groups"]] == [3, 0]
           and doc["groups"][1]["failed"] == [{"check": "$ vm run x => y", "why": "no such line in:\nzzz\n"}],
           "the JSON document")
    expect(grade.json_doc("Z9-test", [a])["full"] is True, "full is true only at full score")


def fake_boot(transcripts, seen):
    """An emulator.boot stand-in: the output per group comes from transcripts."""
    def boot(emu, iso, mem, commands, timeout, **options):
        seen[tuple(commands)] = timeout
        r = emulator.Result()
        r.status = "ok"
        r.transcript = transcripts[tuple(commands)]
        r.outputs = [(c, o) for c, o in zip(commands, transcripts[tuple(commands)].split("|"))]
        return r
    return boot


def test_run(tmp):
    groups = run_tests.load([write(tmp / "r.test",
                                   "group r-bochs\nemu bochs\npoints 4\n$ one => 1\n$ two => 2\n"
                                   "group r-qemu\ntimeout 20\n$ three => 3\n")])
    seen = {}
    saved = emulator.boot, emulator.iso_with_cmdline
    emulator.boot = fake_boot({("one", "two"): "1|x", ("three",): "3"}, seen)
    emulator.iso_with_cmdline = lambda bdir, cmdline, tmp: Path(bdir) / "sweb.iso"
    try:
        scores = grade.run("Z9-test", groups, tmp, jobs=2, timeout_cap=30, quiet=True)
    finally:
        emulator.boot, emulator.iso_with_cmdline = saved
    expect([s.name for s in scores] == ["r-bochs", "r-qemu"], "scores come back in group order")
    expect([(s.earned, len(s.failed)) for s in scores] == [(0, 1), (1, 0)],
           f"a wrong output line costs the group its points (got {[(s.earned, s.failed) for s in scores]})")
    expect(seen == {("one", "two"): 30, ("three",): 20}, f"the timeout cap lowers, never raises ({seen})")


def test_grade_entry(tmp):
    hdir = tmp / "hidden"
    hdir.mkdir()
    write(hdir / "h.test", HIDDEN)
    out = tmp / "r.json"
    rc = grade.grade("Z9-test", tmp, hdir, out, build_error="the tree does not build (boom)")
    doc = json.loads(out.read_text()) if out.exists() else {}
    expect(rc == 1 and doc.get("score") == 0 and doc.get("max") == 4
           and [g["name"] for g in doc.get("groups", [])] == ["hidden-a", "hidden-b"]
           and doc["groups"][0]["failed"][0]["why"] == "the tree does not build (boom)",
           f"a tree that does not build scores 0/4 and exits 1 ({rc}, {doc})")
    expect(grade.grade("Q0-nobody", tmp) == 2, "a name no group carries exits 2")
    expect(fails_with(lambda: grade.grade("Z9-test", tmp, tmp / "nothing-here"), "no .test files"),
           "a --tests directory without .test files is an error")


def main():
    with tempfile.TemporaryDirectory(prefix="sweb-grade-test-") as tmp:
        root = Path(tmp)
        for i, t in enumerate((test_points, test_select, test_run, test_grade_entry)):
            d = root / str(i)
            d.mkdir()
            t(d)
        test_scoring()
    print(f"{len(failures)} failed" if failures else "all grader checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
