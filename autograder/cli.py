"""``qikit demo`` and ``qikit grade``: the instructor's commands."""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from pathlib import Path

from autograder import speedups

speedups.skip_slow_imports()  # before nbgrader/nbformat are imported

from autograder import demo as demo_mod  # noqa: E402
from autograder.pipeline import (  # noqa: E402
    GRADES_COLUMNS,
    STATUS_FAILED,
    CohortResult,
    Grader,
    GradingSettings,
    Job,
    LearnerResult,
    Submission,
    check_student_id,
    end_of_run_summary,
    grade_cohort,
    grade_jobs,
    summary_table,
)

EDITIONS = ("nb", "en")


def repo_course_dir() -> Path:
    """The course folder: ``$QIKIT_COURSE_DIR`` or ``course/`` beside this package."""
    env = os.environ.get("QIKIT_COURSE_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[1] / "course"


def _say(msg: str) -> None:
    print(msg, flush=True)


class Progress:
    """A progress bar on a terminal; one line per learner otherwise (logs, CI)."""

    def __init__(self, label: str, stream=None):
        self.label = label
        self.stream = stream or sys.stdout
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.t0 = time.monotonic()

    def __call__(self, done: int, total: int, r: LearnerResult) -> None:
        score = f"{r.score:g}/{r.max_score:g}"
        note = f" ({r.reason})" if r.reason else ""
        if self.tty:
            width = 28
            filled = int(width * done / max(total, 1))
            bar = "#" * filled + "." * (width - filled)
            eta = ""
            if done and done < total:
                eta = f" ~{(time.monotonic() - self.t0) / done * (total - done):.0f}s left"
            line = f"\r{self.label} [{bar}] {done}/{total} {r.student_id[:24]:<24} {score:>7} {r.status}{eta}"
            self.stream.write(line[:150].ljust(150))
            if done == total:
                self.stream.write("\n")
        else:
            self.stream.write(
                f"{self.label} {done:>3}/{total} {r.student_id:<22} {score:>7} {r.status}"
                + ("" if r.reused else "")
                + note[:200]
                + "\n"
            )
        self.stream.flush()


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
    from autograder.durable import atomic_write_csv

    rows = []
    for res in results:
        with res.grades_csv.open(encoding="utf-8") as fh:
            rows.extend(r for r in csv.DictReader(fh) if r["assignment"] == res.assignment)
    atomic_write_csv(path, rows, GRADES_COLUMNS)


def _settings(args: argparse.Namespace) -> GradingSettings:
    return GradingSettings(
        timeout=args.timeout,
        notebook_wall_seconds=getattr(args, "notebook_timeout", 600),
        late_policy=getattr(args, "late_policy", None) or "none",
        due=getattr(args, "due", None),
        sandbox=args.sandbox,
        db_url=getattr(args, "db_url", None),
    )


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
    t0 = time.monotonic()
    jobs = []
    labels = []
    for edition in editions:
        for assignment in assignments:
            cohort_dir = out / "demo-submissions" / edition / assignment

            def make(work: Path, assignment: str = assignment, cohort_dir: Path = cohort_dir) -> list[Submission]:
                return demo_mod.build_cohort(assignment, work, cohort_dir)

            labels.append(edition)
            jobs.append(
                Job(
                    course / edition,
                    assignment,
                    make,
                    out,
                    _settings(args),
                    args.regrade,
                    Progress(f"[{edition} {assignment}]"),
                )
            )
    with Grader(workers=args.workers, sandbox=args.sandbox, say=_say) as grader:
        results = grade_jobs(jobs, grader, _say)
    _say("")
    for edition, edition_res in zip(labels, results, strict=True):
        diffs = compare_with_manifest(edition_res, edition)
        problems.extend(f"[{edition} {edition_res.assignment}] {d}" for d in diffs)
        _say(end_of_run_summary(edition_res) + ("; matches the manifest: yes" if not diffs else ""))
        if diffs:
            _say("matches the manifest: NO\n  " + "\n  ".join(diffs))
    write_combined_grades(results, out / "grades.csv")
    from autograder.report import write_report

    t_report = time.monotonic()
    report = write_report(results, out / "report.html")
    _say(f"cohort report written in {time.monotonic() - t_report:.0f} s")
    _say(f"grades:   {out / 'grades.csv'}")
    _say(f"feedback: {out}/<course>/feedback/<learner>/<assignment>/*.html")
    _say(f"report:   {report}")
    _say(f"done in {time.monotonic() - t0:.0f} s")
    if problems:
        _say(f"\n{len(problems)} grade(s) differ from the demo manifest: see above.")
        return 1
    return 0


def _find_submissions(folder: Path, assignment: str) -> list[Submission]:
    """Learners in ``folder/<student>/[<assignment>/]*.ipynb`` (nbgrader's submitted/ layout or flat)."""
    subs = []
    for entry in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if entry.is_symlink():
            continue
        inner = entry / assignment if (entry / assignment).is_dir() else entry
        if any(inner.glob("*.ipynb")):
            subs.append(Submission(check_student_id(entry.name), inner))
    return subs


def cmd_grade(args: argparse.Namespace) -> int:
    course_root = Path(args.course) if args.course else repo_course_dir() / args.edition
    if not (course_root / "nbgrader_config.py").exists():
        print(f"qikit grade: {course_root} is not an nbgrader course root (no nbgrader_config.py).", file=sys.stderr)
        return 2
    out = Path(args.out).resolve()
    if args.due:
        from nbgrader.utils import parse_utc

        try:
            parse_utc(args.due)
        except Exception:
            print(
                f"qikit grade: cannot read the due date {args.due!r} (e.g. '2026-11-20 23:59 Europe/Oslo').",
                file=sys.stderr,
            )
            return 2
    from autograder.late import parse_policy

    try:
        parse_policy(args.late_policy)
    except ValueError as exc:
        print(f"qikit grade: {exc}", file=sys.stderr)
        return 2
    if args.zip:
        from autograder.lms import submissions_from_zip, write_roster
        from autograder.pipeline import read_course_id

        try:
            imported = submissions_from_zip(
                Path(args.zip), args.assignment, out / "imported" / args.assignment, due=args.due
            )
        except (OSError, ValueError) as exc:
            print(f"qikit grade: cannot import {args.zip}: {exc}", file=sys.stderr)
            return 2
        subs = imported.submissions
        for line in imported.report_lines():
            _say(line)
        write_roster(out / read_course_id(course_root.resolve()), imported)
    else:
        folder = Path(args.submissions) if args.submissions else course_root / "submitted"
        if not folder.is_dir():
            print(
                f"qikit grade: no submissions folder {folder}; pass --submissions DIR or --zip FILE.", file=sys.stderr
            )
            return 2
        subs = _find_submissions(folder, args.assignment)
    if not subs:
        print(f"qikit grade: no submissions for {args.assignment} found.", file=sys.stderr)
        return 2
    from autograder.sandbox import SandboxUnavailable

    try:
        res = grade_cohort(
            course_root,
            args.assignment,
            subs,
            out,
            progress=_say,
            on_result=Progress(f"[{args.assignment}]"),
            workers=args.workers,
            settings=_settings(args),
            regrade=args.regrade,
        )
    except SandboxUnavailable as exc:
        print(f"qikit grade: {exc}", file=sys.stderr)
        return 3
    _say("")
    _say(summary_table(res))
    from autograder.report import write_report

    report = write_report([res], out / "report.html")
    _say(
        f"\ngrades:    {res.grades_csv}\nLMS CSV:   {res.out_dir / 'lms-grades.csv'}\n"
        f"feedback:  {res.out_dir}/feedback/<learner>/{args.assignment}/*.html\nreport:    {report}\n"
        f"gradebook: {res.out_dir} (manual grading: cd there and run `jupyter lab`, then open the formgrader)"
    )
    failed = [r for r in res.learners if r.status == STATUS_FAILED]
    if failed:
        _say(f"{len(failed)} learner(s) could not be graded: see the 'reason' column.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qikit", add_help=False)
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("demo", help="grade the bundled demo cohort end to end")
    d.add_argument("--out", default="out/demo", help="folder for everything the demo writes (default: out/demo)")
    d.add_argument("--edition", choices=[*EDITIONS, "all"], default="all")
    d.add_argument("--assignment", action="append", help="only this assignment (repeatable)")
    d.add_argument("--timeout", type=int, default=8, help="per-cell time limit in seconds (default 8)")
    d.add_argument("--workers", type=int, default=None, help="parallel graders (default: one per core)")
    d.add_argument(
        "--sandbox",
        choices=["auto", "require", "off"],
        default="auto",
        help="run learner code in bubblewrap: auto (default; warns if unavailable), require, off",
    )
    d.add_argument("--regrade", action="store_true", help="regrade everyone, even learners already graded")
    d.set_defaults(func=cmd_demo)
    g = sub.add_parser("grade", help="autograde a cohort, write feedback, grades and a report")
    g.add_argument("assignment")
    where = g.add_mutually_exclusive_group()
    where.add_argument("--course", help="an nbgrader course root (default: course/<edition>)")
    where.add_argument("--edition", choices=EDITIONS, default="nb")
    g.add_argument("--submissions", help="folder of submissions: <dir>/<student>/[<assignment>/]*.ipynb")
    g.add_argument("--zip", help="an LMS download zip (Canvas or Moodle naming)")
    g.add_argument("--workers", type=int, default=None, help="parallel graders (default: one per core)")
    g.add_argument("--timeout", type=int, default=None, help="per-cell time limit in seconds")
    g.add_argument("--notebook-timeout", type=int, default=600, help="time budget per notebook in seconds")
    g.add_argument(
        "--sandbox",
        choices=["auto", "require", "off"],
        default="require",
        help="require (default): refuse to grade without bubblewrap; auto: warn and go on; off: no sandbox",
    )
    g.add_argument(
        "--db-url", help="gradebook URL, e.g. postgresql+psycopg2://user@host/qikit_nb (one database per course)"
    )
    g.add_argument("--due", help="due date, e.g. '2026-11-20 23:59 Europe/Oslo' (hand-ins after it are late)")
    g.add_argument("--late-policy", default="none", help="none (flag only), zero, per-day:P, grace:H,<policy>")
    g.add_argument("--regrade", action="store_true", help="regrade everyone, even learners already graded")
    g.add_argument("--out", default="out/grading")
    g.set_defaults(func=cmd_grade)
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (FileNotFoundError, ValueError) as exc:
        # Bad input from the instructor (unknown assignment, course root, student id): one line, exit 2.
        print(f"qikit {args.command}: {exc}", file=sys.stderr)
        return 2
