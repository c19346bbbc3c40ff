"""``qikit demo`` and ``qikit grade``: the instructor's commands."""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path

from autograder import demo as demo_mod
from autograder.pipeline import (
    GRADES_COLUMNS,
    STATUS_FAILED,
    CohortResult,
    Submission,
    check_student_id,
    grade_cohort,
    summary_table,
)

EDITIONS = ("nb", "en")


def repo_course_dir() -> Path:
    """The course folder: ``$QIKIT_COURSE_DIR`` or ``course/`` beside this package."""
    env = os.environ.get("QIKIT_COURSE_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[1] / "course"


def _say(msg: str) -> None:
    print(msg, flush=True)


def compare_with_manifest(result: CohortResult, edition: str) -> list[str]:
    """Differences between the grades and the demo manifest (empty when they match)."""
    problems = []
    got = result.by_id()
    for learner in demo_mod.load_manifest(result.assignment):
        exp = learner.expected
        r = got.get(learner.id)
        if r is None:
            problems.append(f"{learner.id}: not graded")
            continue
        if exp.get("status") and r.status != exp["status"]:
            problems.append(f"{learner.id}: status {r.status!r}, manifest says {exp['status']!r} ({r.reason})")
        if "auto_score" in exp and abs(r.auto_score - float(exp["auto_score"])) > 1e-9:
            problems.append(f"{learner.id}: autograded score {r.auto_score:g}, manifest says {exp['auto_score']}")
        if exp.get("reason") and exp["reason"] not in r.reason:
            problems.append(f"{learner.id}: reason {r.reason!r} lacks {exp['reason']!r}")
        for gid, pts in exp.get("tasks", {}).items():
            score = r.tasks.get(gid, (None, 0))[0]
            if score is None or abs(score - float(pts)) > 1e-9:
                problems.append(f"{learner.id}: {gid} scored {score}, manifest says {pts}")
        for phrase in exp.get("messages", {}).get(edition, []):
            html = r.feedback.read_text(encoding="utf-8") if r.feedback else ""
            if phrase not in html and phrase.replace("'", "&#39;") not in html:
                problems.append(f"{learner.id}: feedback lacks the message {phrase!r}")
    return problems


def write_combined_grades(results: list[CohortResult], path: Path) -> None:
    """One CSV for every edition and assignment graded in this run (the contract's columns first)."""
    rows = []
    for res in results:
        with res.grades_csv.open(encoding="utf-8") as fh:
            rows.extend(csv.DictReader(fh))
    tmp = path.with_suffix(".csv.tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=GRADES_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(path)


def cmd_demo(args: argparse.Namespace) -> int:
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    course = repo_course_dir()
    editions = EDITIONS if args.edition == "all" else (args.edition,)
    assignments = args.assignment or list(demo_mod.manifests())
    _say(f"qikit demo: grading the bundled demo cohort ({', '.join(assignments)}; editions {', '.join(editions)})")
    _say(f"output: {out}\n")
    results: list[CohortResult] = []
    problems: list[str] = []
    for edition in editions:
        for assignment in assignments:
            cohort_dir = out / "demo-submissions" / edition / assignment

            def make(work: Path, assignment: str = assignment, cohort_dir: Path = cohort_dir) -> list[Submission]:
                return demo_mod.build_cohort(assignment, work, cohort_dir)

            res = grade_cohort(course / edition, assignment, make, out, timeout=args.timeout, progress=_say)
            results.append(res)
            _say("")
            _say(summary_table(res))
            diffs = compare_with_manifest(res, edition)
            problems.extend(f"[{edition}] {d}" for d in diffs)
            _say("matches the manifest: yes\n" if not diffs else "matches the manifest: NO\n  " + "\n  ".join(diffs))
    write_combined_grades(results, out / "grades.csv")
    from autograder.report import write_report

    report = write_report(results, out / "report.html")
    _say(f"grades:   {out / 'grades.csv'}")
    _say(f"feedback: {out}/<course>/feedback/<learner>/<assignment>/*.html")
    _say(f"report:   {report}")
    if problems:
        _say(f"\n{len(problems)} grade(s) differ from the demo manifest: see above.")
        return 1
    return 0


def _find_submissions(folder: Path, assignment: str) -> list[Submission]:
    """Learners in ``folder/<student>/[<assignment>/]*.ipynb`` (nbgrader's submitted/ layout or flat)."""
    subs = []
    for entry in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        inner = entry / assignment if (entry / assignment).is_dir() else entry
        if any(inner.glob("*.ipynb")):
            subs.append(Submission(check_student_id(entry.name), inner))
    return subs


def cmd_grade(args: argparse.Namespace) -> int:
    if args.course:
        course_root = Path(args.course)
    else:
        course_root = repo_course_dir() / args.edition
    if not (course_root / "nbgrader_config.py").exists():
        print(f"qikit grade: {course_root} is not an nbgrader course root (no nbgrader_config.py).", file=sys.stderr)
        return 2
    if args.zip:
        from autograder.lms import submissions_from_zip

        subs = submissions_from_zip(Path(args.zip), args.assignment, Path(args.out) / "imported")
    else:
        folder = Path(args.submissions) if args.submissions else course_root / "submitted"
        if not folder.is_dir():
            print(f"qikit grade: no submissions folder {folder}; pass --submissions DIR or --zip FILE.", file=sys.stderr)
            return 2
        subs = _find_submissions(folder, args.assignment)
    if not subs:
        print(f"qikit grade: no submissions for {args.assignment} found.", file=sys.stderr)
        return 2
    out = Path(args.out).resolve()
    res = grade_cohort(course_root, args.assignment, subs, out, timeout=args.timeout, progress=_say)
    _say("")
    _say(summary_table(res))
    from autograder.report import write_report

    report = write_report([res], out / "report.html")
    _say(f"\ngrades:   {res.grades_csv}\nreport:   {report}")
    return 0 if not any(r.status == STATUS_FAILED for r in res.learners) else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qikit", add_help=False)
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("demo", help="grade the bundled demo cohort end to end")
    d.add_argument("--out", default="out/demo", help="folder for everything the demo writes (default: out/demo)")
    d.add_argument("--edition", choices=[*EDITIONS, "all"], default="all")
    d.add_argument("--assignment", action="append", help="only this assignment (repeatable)")
    d.add_argument("--timeout", type=int, default=8, help="per-cell time limit in seconds (default 8)")
    d.set_defaults(func=cmd_demo)
    g = sub.add_parser("grade", help="autograde a cohort, write feedback, grades and a report")
    g.add_argument("assignment")
    where = g.add_mutually_exclusive_group()
    where.add_argument("--course", help="an nbgrader course root (default: course/<edition>)")
    where.add_argument("--edition", choices=EDITIONS, default="nb")
    g.add_argument("--submissions", help="folder of submissions: <dir>/<student>/[<assignment>/]*.ipynb")
    g.add_argument("--zip", help="an LMS download zip (Canvas or Moodle naming)")
    g.add_argument("--workers", type=int, default=1)
    g.add_argument("--timeout", type=int, default=None, help="per-cell time limit in seconds")
    g.add_argument("--out", default="out/grading")
    g.set_defaults(func=cmd_grade)
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))
