"""
Grading an assignment: which system test groups count, how many points each
earns, and the GOOD/BAD report with the final score (`utils/sweb grade`,
docs/assignments.md). Runs on the host; the pure parts (selection, scoring,
report lines, JSON) are unit-tested in tests/tools/test_grade.py.

A group of tests/system/*.test counts for assignment NAME when it carries
`label NAME`; groups of hidden .test files (--tests DIR) count when they carry
NAME or no label at all. A group earns its `points N` (default 1) when every
check passes, the end status included, else 0: partial credit is a matter of
splitting a group.
"""

import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "system"))
import run_tests  # noqa: E402


class GroupScore:
    """One graded group: its points and the checks that failed."""

    def __init__(self, name, points, checks, failed, source, elapsed=0.0):
        self.name, self.points, self.source, self.elapsed = name, points, source, elapsed
        self.checks, self.failed = checks, failed       # failed: [(desc, why)]

    @property
    def good(self):
        return not self.failed

    @property
    def earned(self):
        return self.points if self.good else 0


def hidden_groups(tests_dir):
    """The groups of every .test file in tests_dir (sorted by file name)."""
    files = sorted(Path(tests_dir).glob("*.test"))
    if not files:
        raise SystemExit(f"grade: no .test files in {tests_dir}")
    return run_tests.load(files)


def select(name, public, hidden=()):
    """The groups that count for assignment name: public ones labelled name, hidden
    ones labelled name or not labelled. Two groups with one name are an error."""
    chosen = [g for g in public if name in g.labels]
    chosen += [g for g in hidden if name in g.labels or not g.labels]
    seen = {}
    for g in chosen:
        if g.name in seen:
            raise SystemExit(f"grade: group {g.name} defined twice ({seen[g.name]}, {g.source})")
        seen[g.name] = g.source
    return chosen


def score(g, outcomes, elapsed=0.0):
    """The GroupScore of group g from run_tests' [(desc, ok, why)]."""
    failed = [(desc, why) for desc, ok, why in outcomes if not ok]
    return GroupScore(g.name, g.points, len(outcomes), failed, g.source, elapsed)


def unrun(g, why):
    """A GroupScore for a group that could not run at all (e.g. the build failed)."""
    return GroupScore(g.name, g.points, 1, [("build", why)], g.source)


def total(scores):
    """(earned, possible) over scores."""
    return sum(s.earned for s in scores), sum(s.points for s in scores)


MAX_FAILED_SHOWN = 5      # per group; --json and the transcript have all of them


def report_line(s, width=32):
    """'GOOD name  3/3 points  (12/12 checks)' for one group, plus one indented
    line per failed check: the first line of why it failed (and, when that
    introduces the output, the output's first line)."""
    pts = f"{s.earned}/{s.points}"
    head = (f"{'GOOD' if s.good else 'BAD '} {s.name:<{width}} {pts:>5} points  "
            f"({s.checks - len(s.failed)}/{s.checks} checks)")
    lines = [head]
    for desc, why in s.failed[:MAX_FAILED_SHOWN]:
        parts = [ln.strip() for ln in (why or "").strip().split("\n") if ln.strip()]
        first = parts[0] if parts else ""
        if first.endswith(":") and len(parts) > 1:
            first = f"{first} {parts[1][:100]}"
        lines.append(f"       failed: {desc}" + (f"  -> {first}" if first else ""))
    if len(s.failed) > MAX_FAILED_SHOWN:
        lines.append(f"       ... {len(s.failed) - MAX_FAILED_SHOWN} more failed checks "
                     f"(--json FILE lists them; transcript: build/systest/{s.name}.log)")
    return "\n".join(lines)


def score_line(scores):
    earned, possible = total(scores)
    return f"Score {earned}/{possible}"


def json_doc(name, scores, tree=None):
    """The --json document: assignment, score, and every group with its failures."""
    earned, possible = total(scores)
    return {
        "assignment": name, "tree": str(tree) if tree else None,
        "score": earned, "max": possible, "full": earned == possible,
        "groups": [{"name": s.name, "source": s.source, "points": s.points, "earned": s.earned,
                    "checks": s.checks, "elapsed": round(s.elapsed, 1),
                    "failed": [{"check": d, "why": w} for d, w in s.failed]}
                   for s in scores]}


def run(name, groups, build_dir, jobs=2, timeout_cap=None, quiet=False):
    """Boot every group on build_dir's image (jobs at a time); return the
    GroupScores in the order of groups. Prints each GOOD/BAD line as its group
    ends unless quiet. timeout_cap (seconds) lowers every group's timeout."""
    sched = run_tests.Scheduler(jobs)
    by_name = {}

    def then(res):
        g, result, outcomes = res
        s = score(g, outcomes, result.elapsed)
        by_name[g.name] = s
        if not quiet:
            print(report_line(s), flush=True)
        return (1, 0) if s.good else (0, 1)

    for g in groups:
        if timeout_cap is not None:
            g.timeout = min(g.timeout or (120 if g.emu == "bochs" else 60), timeout_cap)
        sched.submit(run_tests.boot_priority(g), run_tests.run_group, (g, Path(build_dir)), then)
    sched.drain()
    return [by_name[g.name] for g in groups]


def write_json(path, name, scores, tree=None):
    Path(path).write_text(json.dumps(json_doc(name, scores, tree), indent=1) + "\n")


def grade(name, build_dir, tests_dir=None, json_path=None, jobs=2, build_error=None):
    """`utils/sweb grade`: run name's groups (public and hidden), print the report
    and the score; return 0 at full score, 1 below, 2 when nothing is labelled name."""
    public = run_tests.load()
    hidden = hidden_groups(tests_dir) if tests_dir else []
    groups = select(name, public, hidden)
    if not groups:
        known = sorted({lb for g in public for lb in g.labels})
        print(f"grade: no test group is labelled {name} (labels: {', '.join(known)})")
        return 2
    n_hidden = len([g for g in groups if g in hidden])
    print(f"== grading {name}: {len(groups)} test groups, {sum(g.points for g in groups)} points"
          + (f" ({n_hidden} of them from {tests_dir})" if tests_dir else ""), flush=True)
    t0 = time.monotonic()
    if build_error is not None:
        scores = [unrun(g, build_error) for g in groups]
        for s in scores:
            print(report_line(s))
    else:
        scores = run(name, groups, build_dir, jobs)
    print(f"{score_line(scores)}  ({time.monotonic() - t0:.0f} s)", flush=True)
    if json_path:
        write_json(json_path, name, scores, REPO)
    earned, possible = total(scores)
    return 0 if earned == possible else 1
