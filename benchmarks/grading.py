"""Grading speed: stock ``nbgrader autograde`` vs ``qikit grade`` on the same hand-ins and machine.

    .venv/bin/python benchmarks/grading.py                  # 60 learners, m05-run-charts, 1 round
    .venv/bin/python benchmarks/grading.py --learners 20 --rounds 2 --json out/bench.json

The cohort cycles through the demo manifest's learners (solution, blank, wrong answers, warnings;
not the one whose loop never ends, which would only measure the time limit). Each round runs, back
to back on the same submissions:

* **stock**: ``nbgrader generate_assignment`` (not timed), then ``nbgrader autograde`` (timed) and
  ``nbgrader generate_feedback`` (timed separately), in a copy of the course with its own gradebook;
* **qikit**: ``qikit grade`` (timed as a whole: start-up, generate, sandboxed parallel autograde,
  feedback, export and the cohort report), into a fresh output folder.

The headline ratio is qikit's total wall time over stock ``nbgrader autograde`` alone (the issue's
target: at most 1/3). Rounds alternate the order to spread out a busy machine's noise.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
BIN = Path(sys.executable).parent
SKIP = {"demo-timeout"}


def build_cohort(assignment: str, edition: str, n: int, dest: Path) -> list[str]:
    """Write ``n`` hand-ins to ``dest/<student>/<assignment>/`` (nbgrader's submitted layout)."""
    from autograder.pipeline import NbGrader, prepare_workdir

    from autograder import demo

    scratch = dest.parent / "scratch"
    prepare_workdir(REPO / "course" / edition, assignment, scratch)
    NbGrader(scratch).generate_assignment(assignment)
    made = demo.build_cohort(assignment, scratch, dest.parent / "templates")
    templates = [s for s in made if s.student_id not in SKIP]
    ids = []
    for i in range(n):
        t = templates[i % len(templates)]
        sid = f"learner{i + 1:03d}"
        target = dest / sid / assignment
        target.mkdir(parents=True)
        for f in Path(t.path).iterdir():
            shutil.copy2(f, target / f.name)
        (target / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC", encoding="utf-8")
        ids.append(sid)
    return ids


def stock_course(edition: str, assignment: str, root: Path) -> Path:
    (root / "course").mkdir(parents=True)
    shutil.copy2(REPO / "course" / "nbgrader_config.py", root / "course" / "nbgrader_config.py")
    course = root / "course" / edition
    course.mkdir()
    shutil.copy2(REPO / "course" / edition / "nbgrader_config.py", course / "nbgrader_config.py")
    shutil.copytree(REPO / "course" / edition / "source" / assignment, course / "source" / assignment)
    return course


def run(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.monotonic()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    return time.monotonic() - t0, proc


def stock_round(edition: str, assignment: str, handins: Path, root: Path) -> dict:
    course = stock_course(edition, assignment, root)
    env = {**os.environ, "PATH": f"{BIN}:{os.environ.get('PATH', '')}"}
    _, gen = run([str(BIN / "nbgrader"), "generate_assignment", assignment, "--force"], cwd=course, env=env)
    if gen.returncode != 0:
        raise RuntimeError(gen.stderr[-2000:])
    shutil.copytree(handins, course / "submitted")
    t_auto, auto = run([str(BIN / "nbgrader"), "autograde", assignment], cwd=course, env=env)
    t_fb, fb = run([str(BIN / "nbgrader"), "generate_feedback", assignment], cwd=course, env=env)
    graded = len(list((course / "autograded").glob(f"*/{assignment}/*.ipynb")))
    return {
        "autograde_s": round(t_auto, 1),
        "feedback_s": round(t_fb, 1),
        "notebooks": graded,
        "exit": [auto.returncode, fb.returncode],
    }


def qikit_round(edition: str, assignment: str, handins: Path, root: Path, workers: int | None) -> dict:
    out = root / "out"
    cmd = [
        str(BIN / "qikit"),
        "grade",
        assignment,
        "--edition",
        edition,
        "--submissions",
        str(handins),
        "--out",
        str(out),
        "--sandbox",
        "require",
    ]
    if workers:
        cmd += ["--workers", str(workers)]
    t, proc = run(cmd)
    if proc.returncode != 0:
        raise RuntimeError(proc.stdout[-2000:] + proc.stderr[-2000:])
    course_dirs = [p for p in out.iterdir() if p.is_dir() and (p / "grades.csv").exists()]
    graded = len(list(course_dirs[0].glob(f"autograded/*/{assignment}/*.ipynb"))) if course_dirs else 0
    return {"total_s": round(t, 1), "notebooks": graded}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--learners", type=int, default=60)
    ap.add_argument("--assignment", default="m05-run-charts")
    ap.add_argument("--edition", default="en", choices=["nb", "en"])
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--workers", type=int, default=None, help="qikit workers (default: one per core)")
    ap.add_argument("--json", help="write the measurements here")
    args = ap.parse_args(argv)
    os.environ["PATH"] = f"{BIN}:{os.environ.get('PATH', '')}"
    base = Path(tempfile.mkdtemp(prefix="qikit-bench-"))
    try:
        handins = base / "handins"
        build_cohort(args.assignment, args.edition, args.learners, handins)
        rows = []
        for r in range(args.rounds):
            order = ["stock", "qikit"] if r % 2 == 0 else ["qikit", "stock"]
            row: dict = {"round": r + 1, "load_before": os.getloadavg()[0]}
            for which in order:
                root = base / f"r{r}-{which}"
                root.mkdir()
                if which == "stock":
                    row["stock"] = stock_round(args.edition, args.assignment, handins, root)
                else:
                    row["qikit"] = qikit_round(args.edition, args.assignment, handins, root, args.workers)
                print(f"round {r + 1} {which}: {row[which]}", flush=True)
            row["ratio"] = round(row["qikit"]["total_s"] / row["stock"]["autograde_s"], 3)
            row["ratio_incl_feedback"] = round(
                row["qikit"]["total_s"] / (row["stock"]["autograde_s"] + row["stock"]["feedback_s"]), 3
            )
            rows.append(row)
        summary = {
            "learners": args.learners,
            "assignment": args.assignment,
            "cores": os.cpu_count(),
            "stock_autograde_s": statistics.median(r["stock"]["autograde_s"] for r in rows),
            "stock_feedback_s": statistics.median(r["stock"]["feedback_s"] for r in rows),
            "qikit_total_s": statistics.median(r["qikit"]["total_s"] for r in rows),
            "ratio": statistics.median(r["ratio"] for r in rows),
            "ratio_incl_feedback": statistics.median(r["ratio_incl_feedback"] for r in rows),
            "rounds": rows,
        }
        print(
            f"\n{args.learners} learners of {args.assignment} on {os.cpu_count()} cores (median of {args.rounds}):\n"
            f"  stock nbgrader autograde        {summary['stock_autograde_s']:7.1f} s"
            f"  (+ generate_feedback {summary['stock_feedback_s']:.1f} s)\n"
            f"  qikit grade (everything)        {summary['qikit_total_s']:7.1f} s\n"
            f"  ratio qikit / stock autograde   {summary['ratio']:7.2f}"
            f"   (vs autograde + feedback: {summary['ratio_incl_feedback']:.2f})"
        )
        if args.json:
            Path(args.json).parent.mkdir(parents=True, exist_ok=True)
            Path(args.json).write_text(json.dumps(summary, indent=2), encoding="utf-8")
        return 0
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
