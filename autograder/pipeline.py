"""Grade one assignment for a cohort through real nbgrader, in one process.

The pipeline never touches the course folder it is given: it builds a working course under the
output folder (``OUT/<course_id>/``) with its own gradebook, so a broken or hostile submission
cannot damage the instructor's source notebooks, and a rerun starts from a known state.

Steps (each one nbgrader's own): ``generate_assignment`` → place submissions in ``submitted/`` →
``autograde`` per learner → ``generate_feedback`` per learner → read the gradebook → write
``grades.csv`` (the contract: ``student_id, assignment, score, max_score, status``), ``tasks.csv``
(one row per learner and graded cell) and a readable summary.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

STATUS_GRADED = "graded"
STATUS_MANUAL = "needs_manual_grading"
STATUS_FAILED = "failed"

GRADES_COLUMNS = [
    "student_id",
    "assignment",
    "course_id",
    "score",
    "max_score",
    "auto_score",
    "auto_max_score",
    "manual_max_score",
    "status",
    "reason",
]


@dataclass
class Submission:
    """One learner's hand-in: the learner id and the folder or notebook file they handed in."""

    student_id: str
    path: Path
    timestamp: str | None = None  # ISO 8601; None = unknown (not late)


@dataclass
class LearnerResult:
    """What the pipeline found for one learner."""

    student_id: str
    status: str
    reason: str = ""
    score: float = 0.0
    max_score: float = 0.0
    auto_score: float = 0.0
    auto_max_score: float = 0.0
    manual_max_score: float = 0.0
    tasks: dict[str, tuple[float | None, float]] = field(default_factory=dict)
    feedback: Path | None = None
    seconds: float = 0.0


@dataclass
class CohortResult:
    """All learners of one assignment, plus where the outputs went."""

    assignment: str
    course_id: str
    learners: list[LearnerResult]
    out_dir: Path
    grades_csv: Path
    tasks_csv: Path
    seconds: float

    def by_id(self) -> dict[str, LearnerResult]:
        return {r.student_id: r for r in self.learners}


STUDENT_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def check_student_id(student_id: str) -> str:
    """Refuse ids that could escape the course folder or confuse nbgrader."""
    if not STUDENT_ID_RE.match(student_id) or ".." in student_id:
        raise ValueError(
            f"student id {student_id!r} is not allowed: use letters, digits, '.', '_' and '-' only "
            "(at most 64 characters, not starting with a dot)."
        )
    return student_id


def _venv_path_env() -> None:
    # nbgrader runs `alembic` as a subprocess to upgrade the gradebook; it must be on PATH even when
    # the venv is not activated (e.g. `.venv/bin/qikit demo`).
    bindir = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if bindir not in parts:
        os.environ["PATH"] = os.pathsep.join([bindir, *parts])


def read_course_id(course_root: Path) -> str:
    """The course id an nbgrader course root declares (via its ``nbgrader_config.py``)."""
    from traitlets.config.loader import PyFileConfigLoader

    cfg_file = course_root / "nbgrader_config.py"
    if not cfg_file.exists():
        raise FileNotFoundError(
            f"{course_root} is not an nbgrader course root: it has no nbgrader_config.py. "
            "Pass --course with a folder that holds nbgrader_config.py and source/."
        )
    cfg = PyFileConfigLoader(cfg_file.name, path=str(course_root)).load_config()
    course_id = cfg.CourseDirectory.get("course_id") if "CourseDirectory" in cfg else None
    return str(course_id or course_root.name)


def prepare_workdir(course_root: Path, assignment: str, work: Path, *, timeout: int | None) -> None:
    """Make ``work`` an nbgrader course root with a copy of ``source/<assignment>``."""
    src = course_root / "source" / assignment
    if not src.is_dir():
        available = sorted(p.name for p in (course_root / "source").glob("*") if p.is_dir())
        raise FileNotFoundError(
            f"assignment {assignment!r} not found in {course_root / 'source'}; "
            f"available: {', '.join(available) or 'none'}."
        )
    work.mkdir(parents=True, exist_ok=True)
    dest = work / "source" / assignment
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(src, dest)
    lines = [
        "# Written by qikit's grading pipeline: the course's own configuration, pointed at this folder.",
        "import os",
        "c = get_config()  # noqa: F821",
        f"load_subconfig({str((course_root / 'nbgrader_config.py').resolve())!r})  # noqa: F821",
        "c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))",
        "c.CourseDirectory.db_url = os.environ.get('QIKIT_GRADEBOOK_URL') or "
        "'sqlite:///' + os.path.join(c.CourseDirectory.root, 'gradebook.db')",
        # Grading fixes (see autograder/preprocessors.py).
        "c.Autograde.autograde_preprocessors = ['nbgrader.preprocessors.Execute',"
        " 'autograder.preprocessors.StderrToStdoutInTests', 'nbgrader.preprocessors.IgnorePattern',"
        " 'nbconvert.preprocessors.ClearMetadataPreprocessor', 'nbgrader.preprocessors.LimitOutput',"
        " 'nbgrader.preprocessors.SaveAutoGrades', 'nbgrader.preprocessors.AssignLatePenalties',"
        " 'nbgrader.preprocessors.CheckCellMetadata']",
        "c.GenerateFeedback.preprocessors = ['nbgrader.preprocessors.ClearHiddenTests',"
        " 'autograder.preprocessors.HideTestTracebacks', 'nbgrader.preprocessors.GetGrades',"
        " 'nbconvert.preprocessors.CSSHTMLHeaderPreprocessor']",
    ]
    if timeout is not None:
        lines.append(f"c.Execute.timeout = {int(timeout)}")
    (work / "nbgrader_config.py").write_text("\n".join(lines) + "\n", encoding="utf-8")


@contextlib.contextmanager
def _fd_redirect(logfile: Path):
    """Send file descriptors 1 and 2 (inherited by kernels) to ``logfile`` for the duration."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    with open(logfile, "ab") as fh:
        os.dup2(fh.fileno(), 1)
        os.dup2(fh.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)


class NbGrader:
    """nbgrader's Python API on one course root, loaded once (its import alone costs seconds)."""

    def __init__(self, root: Path):
        _venv_path_env()
        from nbgrader.apps.api import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory
        from traitlets.config.loader import PyFileConfigLoader

        self.root = root
        cfg = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
        self.config = cfg
        self.coursedir = CourseDirectory(config=cfg)
        log = logging.getLogger("qikit.nbgrader")
        log.addHandler(logging.NullHandler())
        log.propagate = False
        self.api = NbGraderAPI(coursedir=self.coursedir, config=cfg, log=log)

    def _call(self, fn: Callable[..., dict], *args: object, **kwargs: object) -> dict:
        # nbgrader and the kernels it starts write to the process's stdout/stderr; keep the user's
        # terminal clean and the text in the working folder's nbgrader.log instead.
        sink = io.StringIO()
        with _fd_redirect(self.root / "nbgrader.log"), contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            result = fn(*args, **kwargs)
        result.setdefault("log", "")
        result["log"] += sink.getvalue()
        return result

    def generate_assignment(self, assignment: str) -> None:
        res = self._call(self.api.generate_assignment, assignment, force=True, create=True)
        if not res.get("success"):
            raise RuntimeError(f"nbgrader generate_assignment {assignment} failed:\n{res.get('error') or res['log']}")

    def autograde(self, assignment: str, student_id: str) -> dict:
        return self._call(self.api.autograde, assignment, student_id, force=True, create=True)

    def generate_feedback(self, assignment: str, student_id: str) -> dict:
        return self._call(self.api.generate_feedback, assignment, student_id, force=True)

    def gradebook(self):
        from nbgrader.api import Gradebook

        return Gradebook(self.coursedir.db_url, self.coursedir.course_id)


def notebook_names(work: Path, assignment: str) -> list[str]:
    """The notebooks of an assignment (file names in ``source/<assignment>``)."""
    return sorted(p.name for p in (work / "source" / assignment).glob("*.ipynb"))


def _invalid_notebook_reason(path: Path) -> str | None:
    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as exc:  # any parse failure means: not a notebook we can grade
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"invalid notebook ({type(exc).__name__}: {first[:160]})"
    try:
        nbformat.validate(nb)
    except Exception as exc:
        first = str(exc).strip().splitlines()[0]
        return f"invalid notebook (does not follow the notebook format: {first[:160]})"
    return None


def place_submission(work: Path, assignment: str, sub: Submission, expected: list[str]) -> str | None:
    """Copy one hand-in to ``submitted/<id>/<assignment>/``; return a failure reason or None.

    A single notebook with another name (learners rename files) is filed under the expected name.
    """
    check_student_id(sub.student_id)
    dest = work / "submitted" / sub.student_id / assignment
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    src = Path(sub.path)
    if src.is_dir():
        found = sorted(src.glob("*.ipynb"))
        for f in src.iterdir():
            if f.is_file() and f.suffix != ".ipynb" and f.name != "timestamp.txt":
                shutil.copy2(f, dest / f.name)
        if (src / "timestamp.txt").exists() and sub.timestamp is None:
            sub.timestamp = (src / "timestamp.txt").read_text(encoding="utf-8").strip()
    elif src.is_file():
        found = [src]
    else:
        return "no submission found"
    if not found:
        return "no notebook in the submission"
    by_name = {f.name: f for f in found}
    for name in expected:
        if name in by_name:
            shutil.copy2(by_name[name], dest / name)
        elif len(expected) == 1 and len(found) == 1:
            shutil.copy2(found[0], dest / name)  # renamed by the learner
        else:
            return f"missing notebook {name}"
    if sub.timestamp:
        (dest / "timestamp.txt").write_text(sub.timestamp, encoding="utf-8")
    for name in expected:
        reason = _invalid_notebook_reason(dest / name)
        if reason:
            return reason
    return None


def _failure_reason(res: Mapping[str, str]) -> str:
    text = (res.get("error") or "") + "\n" + (res.get("log") or "")
    if "Timeout waiting for execute reply" in text or "CellTimeoutError" in text:
        return "timeout: a cell ran past the time limit and could not be interrupted"
    if "Kernel died" in text or "DeadKernelError" in text:
        return "the notebook's kernel died (the code ended Python or ran out of memory)"
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line and not line.startswith("[") and not line.startswith("File "):
            return f"nbgrader could not grade the notebook: {line[:200]}"
    return "nbgrader could not grade the notebook"


def _cell_timeouts(work: Path, assignment: str, student_id: str) -> list[str]:
    """grade_ids (or cell numbers) of cells that hit the time limit in the autograded notebook."""
    hits = []
    for nb_path in sorted((work / "autograded" / student_id / assignment).glob("*.ipynb")):
        nb = nbformat.read(str(nb_path), as_version=4)
        for i, cell in enumerate(nb.cells):
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error" and (
                    out.get("ename") in ("CellTimeoutError", "KeyboardInterrupt")
                    or "Timeout" in str(out.get("evalue", ""))
                ):
                    gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                    hits.append(gid or f"cell {i + 1}")
                    break
    return hits


def read_result(nbg: NbGrader, assignment: str, student_id: str) -> LearnerResult:
    """Scores for one learner from the gradebook."""
    res = LearnerResult(student_id=student_id, status=STATUS_GRADED)
    with nbg.gradebook() as gb:
        sub = gb.find_submission(assignment, student_id)
        res.score = float(sub.score or 0.0)
        res.max_score = float(sub.max_score or 0.0)
        needs_manual = bool(sub.needs_manual_grade)
        for nb in sub.notebooks:
            for grade in nb.grades:
                cell_type = grade.cell.cell_type
                auto = cell_type == "code"  # test cells are code; reflections are markdown
                max_score = float(grade.max_score or 0.0)
                score = grade.score if not (grade.needs_manual_grade and grade.manual_score is None) else None
                res.tasks[grade.name] = (None if score is None else float(score), max_score)
                if auto:
                    res.auto_score += float(grade.score or 0.0)
                    res.auto_max_score += max_score
                else:
                    res.manual_max_score += max_score
    res.status = STATUS_MANUAL if needs_manual else STATUS_GRADED
    return res


def _write_csv(path: Path, rows: Iterable[Mapping[str, object]], columns: list[str]) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in columns})
    tmp.replace(path)  # never leave a half-written CSV behind


def _fmt(x: float) -> str:
    return f"{x:g}"


def grade_cohort(
    course_root: Path,
    assignment: str,
    submissions: list[Submission] | Callable[[Path], list[Submission]],
    out_dir: Path,
    *,
    timeout: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> CohortResult:
    """Grade every submission of one assignment and write grades, tasks and feedback.

    Parameters
    ----------
    course_root
        An nbgrader course root (holds ``nbgrader_config.py`` and ``source/<assignment>/``).
    assignment
        Assignment id, e.g. ``"m05-run-charts"``.
    submissions
        One :class:`Submission` per learner, or a function that makes them from the working
        course folder once the release exists (the demo cohort is built from the release).
    out_dir
        Everything goes under ``out_dir/<course_id>/``: the working course with its gradebook,
        ``feedback/<student>/<assignment>/*.html``, ``grades.csv`` and ``tasks.csv``.
    timeout
        Per-cell time limit in seconds (default: the course's ``Execute.timeout``).
    """
    t0 = time.monotonic()
    say = progress or (lambda msg: None)
    course_root = Path(course_root).resolve()
    course_id = read_course_id(course_root)
    work = Path(out_dir).resolve() / course_id
    prepare_workdir(course_root, assignment, work, timeout=timeout)
    nbg = NbGrader(work)
    say(f"[{course_id}] generating {assignment} (nbgrader generate_assignment)")
    nbg.generate_assignment(assignment)
    expected = notebook_names(work, assignment)
    if callable(submissions):
        submissions = submissions(work)

    learners: list[LearnerResult] = []
    seen: set[str] = set()
    for i, sub in enumerate(submissions, 1):
        if sub.student_id in seen:
            raise ValueError(f"student id {sub.student_id!r} appears twice in the cohort")
        seen.add(sub.student_id)
        t1 = time.monotonic()
        reason = place_submission(work, assignment, sub, expected)
        if reason:
            result = LearnerResult(sub.student_id, STATUS_FAILED, reason)
        else:
            ag = nbg.autograde(assignment, sub.student_id)
            if not ag.get("success"):
                result = LearnerResult(sub.student_id, STATUS_FAILED, _failure_reason(ag))
            else:
                result = read_result(nbg, assignment, sub.student_id)
                timeouts = _cell_timeouts(work, assignment, sub.student_id)
                if timeouts:
                    result.reason = "timeout in " + ", ".join(timeouts) + " (the other cells were graded)"
                fb = nbg.generate_feedback(assignment, sub.student_id)
                fb_dir = work / "feedback" / sub.student_id / assignment
                htmls = sorted(fb_dir.glob("*.html"))
                if fb.get("success") and htmls:
                    result.feedback = htmls[0]
                else:
                    result.reason = (result.reason + "; " if result.reason else "") + "feedback not generated"
        if result.status == STATUS_FAILED:
            # A failed learner keeps an honest zero of the assignment's full marks.
            result.max_score = _assignment_max(nbg, assignment)
        result.seconds = time.monotonic() - t1
        learners.append(result)
        say(
            f"[{course_id}] {i:>3}/{len(submissions)} {sub.student_id:<22} "
            f"{_fmt(result.score):>5}/{_fmt(result.max_score):<4} {result.status}"
            + (f" ({result.reason})" if result.reason else "")
        )

    grades_csv = work / "grades.csv"
    tasks_csv = work / "tasks.csv"
    _write_csv(
        grades_csv,
        (
            {
                "student_id": r.student_id,
                "assignment": assignment,
                "course_id": course_id,
                "score": _fmt(r.score),
                "max_score": _fmt(r.max_score),
                "auto_score": _fmt(r.auto_score),
                "auto_max_score": _fmt(r.auto_max_score),
                "manual_max_score": _fmt(r.manual_max_score),
                "status": r.status,
                "reason": r.reason,
            }
            for r in learners
        ),
        GRADES_COLUMNS,
    )
    _write_csv(
        tasks_csv,
        (
            {
                "student_id": r.student_id,
                "assignment": assignment,
                "grade_id": gid,
                "score": "" if score is None else _fmt(score),
                "max_score": _fmt(mx),
            }
            for r in learners
            for gid, (score, mx) in r.tasks.items()
        ),
        ["student_id", "assignment", "grade_id", "score", "max_score"],
    )
    (work / "summary.json").write_text(
        json.dumps(
            {
                "assignment": assignment,
                "course_id": course_id,
                "learners": len(learners),
                "seconds": round(time.monotonic() - t0, 1),
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    return CohortResult(assignment, course_id, learners, work, grades_csv, tasks_csv, time.monotonic() - t0)


def _assignment_max(nbg: NbGrader, assignment: str) -> float:
    with nbg.gradebook() as gb:
        return float(gb.find_assignment(assignment).max_score)


def summary_table(result: CohortResult) -> str:
    """A plain-text table of the cohort's grades, for the terminal."""
    rows = [("learner", "score", "auto", "status", "note")]
    for r in result.learners:
        rows.append(
            (
                r.student_id,
                f"{_fmt(r.score)}/{_fmt(r.max_score)}",
                f"{_fmt(r.auto_score)}/{_fmt(r.auto_max_score)}" if r.status != STATUS_FAILED else "-",
                r.status,
                r.reason,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = []
    for j, row in enumerate(rows):
        cells = [row[i].ljust(widths[i]) for i in range(4)] + [row[4]]
        lines.append("  ".join(cells).rstrip())
        if j == 0:
            lines.append("  ".join("-" * w for w in widths))
    counts: dict[str, int] = {}
    for r in result.learners:
        counts[r.status] = counts.get(r.status, 0) + 1
    lines.append("")
    lines.append(
        f"{result.assignment} [{result.course_id}]: {len(result.learners)} learners, "
        + ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        + f"; {result.seconds:.0f} s"
    )
    return "\n".join(lines)
