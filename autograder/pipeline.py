"""Grade one assignment for a cohort through real nbgrader: in parallel, sandboxed, resumable.

The pipeline never touches the course folder it is given: it builds a working course under the
output folder (``OUT/<course_id>/``, an ordinary nbgrader course root with its own gradebook, which
the formgrader can open) and grades there.

Steps, each one nbgrader's own where nbgrader has one:

1. copy ``source/<assignment>`` and ``generate_assignment`` (skipped when the source is unchanged);
2. put every hand-in into ``submitted/<student>/<assignment>/``, rebuilt on the released skeleton
   (:mod:`autograder.normalize`);
3. ``autograde`` + ``generate_feedback`` per learner in a pool of worker processes, one per core. Each
   worker was forked after nbgrader was imported, and owns a bubblewrap sandbox with a warm kernel
   fork server (:mod:`autograder.sandbox`); the notebook runs there under
   :class:`autograder.execute.SandboxedExecute`;
4. each learner ends with a result record (``.qikit/results/<assignment>/<student>.json``), written
   atomically after the gradebook and the feedback: the commit point. A rerun skips learners whose
   record is complete and whose hand-in, source and grader settings are unchanged, and regrades the
   rest; a per-learner lock keeps two graders from racing on one learner;
5. export from the gradebook (so manual grades count): ``grades.csv`` (the contract:
   ``student_id, assignment, score, max_score, status`` plus details), ``tasks.csv``, ``lms-grades.csv``
   and ``summary.json``. Feedback is regenerated when the instructor's manual grades or comments changed.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import re
import shutil
import signal
import sys
import time
import warnings
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat

from autograder import durable

STATUS_GRADED = "graded"
STATUS_MANUAL = "needs_manual_grading"
STATUS_FAILED = "failed"

GRADER_VERSION = "qikit-grader-3"

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
    "late",
    "seconds_late",
    "late_penalty",
]
TASKS_COLUMNS = ["student_id", "assignment", "grade_id", "score", "max_score"]
LMS_COLUMNS = ["student_id", "lms_id", "name", "assignment", "score", "max_score", "percent", "status", "late"]


@dataclass
class Submission:
    """One learner's hand-in: the learner id and the folder or notebook file they handed in."""

    student_id: str
    path: Path
    timestamp: str | None = None  # e.g. "2026-11-20 12:00:00 UTC"; None = unknown (not late)
    late: bool | None = None  # the LMS said so (Canvas "_late_")
    lms_id: str = ""
    name: str = ""


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
    late: bool = False
    seconds_late: float = 0.0
    late_penalty: float = 0.0
    integrity: list[str] = field(default_factory=list)
    reused: bool = False


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
    sandbox: str = ""
    workers: int = 1
    regraded: int = 0
    reused: int = 0
    sandbox_root: str = ""

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


def read_course_config(course_root: Path):
    from traitlets.config.loader import PyFileConfigLoader

    cfg_file = course_root / "nbgrader_config.py"
    if not cfg_file.exists():
        raise FileNotFoundError(
            f"{course_root} is not an nbgrader course root: it has no nbgrader_config.py. "
            "Pass --course with a folder that holds nbgrader_config.py and source/."
        )
    return PyFileConfigLoader(cfg_file.name, path=str(course_root)).load_config()


def read_course_id(course_root: Path) -> str:
    """The course id an nbgrader course root declares (via its ``nbgrader_config.py``)."""
    cfg = read_course_config(course_root)
    course_id = cfg.CourseDirectory.get("course_id") if "CourseDirectory" in cfg else None
    return str(course_id or course_root.name)


def _source_dir(course_root: Path, assignment: str) -> Path:
    src = course_root / "source" / assignment
    if not src.is_dir():
        available = sorted(p.name for p in (course_root / "source").glob("*") if p.is_dir())
        raise FileNotFoundError(
            f"assignment {assignment!r} not found in {course_root / 'source'}; "
            f"available: {', '.join(available) or 'none'}."
        )
    return src


@dataclass
class GradingSettings:
    """What changes grades besides the hand-in (part of every learner's fingerprint)."""

    timeout: int | None = None
    notebook_wall_seconds: int = 600
    late_policy: str = "none"
    due: str | None = None
    sandbox: str = "auto"  # auto | require | off
    db_url: str | None = None

    def fingerprint(self) -> str:
        return durable.hash_text(GRADER_VERSION, self.timeout, self.notebook_wall_seconds, self.late_policy, self.due)


def write_course_config(course_root: Path, work: Path, settings: GradingSettings) -> None:
    """The working course's ``nbgrader_config.py``: the course's own configuration plus qikit's grader."""
    lines = [
        "# Written by qikit's grading pipeline: the course's own configuration, pointed at this folder.",
        "import os",
        "c = get_config()  # noqa: F821",
        f"load_subconfig({str((course_root / 'nbgrader_config.py').resolve())!r})  # noqa: F821",
        "c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))",
        "c.CourseDirectory.db_url = os.environ.get('QIKIT_GRADEBOOK_URL') or "
        + (
            repr(settings.db_url)
            if settings.db_url
            # several worker processes write the sqlite gradebook: wait for each other's short transactions
            else "'sqlite:///' + os.path.join(c.CourseDirectory.root, 'gradebook.db') + '?timeout=120'"
        ),
        # The hardened executor (sandbox, budgets, guard) and the grading fixes (autograder/preprocessors.py).
        "c.Autograde.autograde_preprocessors = ['autograder.execute.SandboxedExecute',"
        " 'autograder.preprocessors.StderrToStdoutInTests', 'nbgrader.preprocessors.IgnorePattern',"
        " 'nbconvert.preprocessors.ClearMetadataPreprocessor', 'nbgrader.preprocessors.LimitOutput',"
        " 'nbgrader.preprocessors.SaveAutoGrades', 'nbgrader.preprocessors.AssignLatePenalties',"
        " 'nbgrader.preprocessors.CheckCellMetadata', 'autograder.preprocessors.InsertRubrics']",
        f"c.SandboxedExecute.notebook_wall_seconds = {int(settings.notebook_wall_seconds)}",
        "c.GenerateFeedback.preprocessors = ['autograder.preprocessors.RemoveRubrics',"
        " 'autograder.preprocessors.RedactHiddenTests',"
        " 'nbgrader.preprocessors.ClearHiddenTests', 'autograder.preprocessors.HideTestTracebacks',"
        " 'nbgrader.preprocessors.GetGrades', 'autograder.preprocessors.FeedbackSummary',"
        " 'nbconvert.preprocessors.CSSHTMLHeaderPreprocessor']",
        "c.AssignLatePenalties.plugin_class = 'autograder.late.QikitLatePolicy'",
        f"c.QikitLatePolicy.policy = {settings.late_policy!r}",
    ]
    if settings.timeout is not None:
        lines.append(f"c.Execute.timeout = {int(settings.timeout)}")
    durable.atomic_write_text(work / "nbgrader_config.py", "\n".join(lines) + "\n")


def prepare_workdir(
    course_root: Path,
    assignment: str,
    work: Path,
    *,
    timeout: int | None = None,
    settings: GradingSettings | None = None,
) -> str:
    """Make ``work`` an nbgrader course root with a copy of ``source/<assignment>``; returns the source hash."""
    settings = settings or GradingSettings(timeout=timeout)
    if timeout is not None:
        settings.timeout = timeout
    src = _source_dir(course_root, assignment)
    work.mkdir(parents=True, exist_ok=True)
    source_hash = durable.hash_text(durable.hash_tree(src), durable.hash_tree(course_root / "nbgrader_config.py"))
    dest = work / "source" / assignment
    if not dest.exists() or durable.hash_tree(dest) != durable.hash_tree(src):
        tmp = work / "source" / f".{assignment}.copy"
        if tmp.exists():
            shutil.rmtree(tmp)
        shutil.copytree(src, tmp, symlinks=False)
        if dest.exists():
            shutil.rmtree(dest)
        os.replace(tmp, dest)
    write_course_config(course_root, work, settings)
    return source_hash


@contextlib.contextmanager
def _fd_redirect(logfile: Path):
    """Send file descriptors 1 and 2 (inherited by subprocesses) to ``logfile`` for the duration."""
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
        # nbgrader writes to the process's stdout/stderr; keep the user's terminal clean and the text
        # in the working folder's nbgrader.log instead.
        sink = io.StringIO()
        with (
            _fd_redirect(self.root / "nbgrader.log"),
            contextlib.redirect_stdout(sink),
            contextlib.redirect_stderr(sink),
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("ignore")
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

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return Gradebook(self.coursedir.db_url, self.coursedir.course_id)


def notebook_names(work: Path, assignment: str) -> list[str]:
    """The notebooks of an assignment (file names in ``source/<assignment>``)."""
    return sorted(p.name for p in (work / "source" / assignment).glob("*.ipynb"))


def place_submission(work: Path, assignment: str, sub: Submission, expected: list[str]) -> tuple[str | None, list[str]]:
    """Put one hand-in into ``submitted/<id>/<assignment>/``, rebuilt on the release.

    Returns ``(failure reason or None, notes on what the learner changed)``. Symlinks in a hand-in are
    never followed (one could point at the gradebook).
    """
    from autograder.normalize import InvalidNotebook, match_notebooks, normalize, read_submitted

    check_student_id(sub.student_id)
    dest = work / "submitted" / sub.student_id / assignment
    staging = dest.parent / f".{assignment}.staging"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    notes: list[str] = []
    src = Path(sub.path)
    reason = None
    if src.is_symlink():
        reason = "no submission found (a symbolic link was handed in)"
        found: list[Path] = []
    elif src.is_dir():
        found = sorted(p for p in src.glob("*.ipynb") if p.is_file() and not p.is_symlink())
        for f in src.iterdir():
            if f.is_symlink():
                notes.append(f"ignored the symbolic link {f.name}")
                continue
            if f.name in ("timestamp.txt",) or f.suffix == ".ipynb" or f.name.startswith("."):
                continue
            if f.is_file():
                shutil.copyfile(f, staging / f.name)
            elif f.is_dir():
                shutil.copytree(f, staging / f.name, symlinks=True, ignore_dangling_symlinks=True)
                for p in (staging / f.name).rglob("*"):
                    if p.is_symlink():
                        p.unlink()
        ts = src / "timestamp.txt"
        if ts.is_file() and not ts.is_symlink() and sub.timestamp is None:
            sub.timestamp = ts.read_text(encoding="utf-8", errors="replace").strip()[:64]
    elif src.is_file():
        found = [src]
    else:
        reason = "no submission found"
        found = []
    if reason is None and not found:
        reason = "no notebook in the submission"
    if reason is None:
        mapping, rename_notes = match_notebooks(found, expected, work / "release" / assignment)
        notes += rename_notes
        for name in expected:
            if name not in mapping:
                reason = f"missing notebook {name}"
                break
            try:
                learner_nb = read_submitted(mapping[name])
            except InvalidNotebook as exc:
                reason = str(exc)
                break
            release_nb = nbformat.read(str(work / "release" / assignment / name), as_version=4)
            graded_nb, nb_notes = normalize(learner_nb, release_nb)
            notes += nb_notes
            nbformat.write(graded_nb, str(staging / name))
    if reason is None and sub.timestamp:
        (staging / "timestamp.txt").write_text(sub.timestamp, encoding="utf-8")
    if dest.exists():
        shutil.rmtree(dest)
    if reason is None:
        os.replace(staging, dest)
    else:
        shutil.rmtree(staging, ignore_errors=True)
    return reason, notes


def _failure_reason(res: Mapping[str, str]) -> str:
    text = (res.get("error") or "") + "\n" + (res.get("log") or "")
    if "sandbox could not start a kernel" in text:
        return "the sandbox could not start a kernel for this notebook (grader problem: see nbgrader.log)"
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


def read_result(nbg: NbGrader, assignment: str, student_id: str, gb=None) -> LearnerResult:
    """Scores for one learner from the gradebook."""
    res = LearnerResult(student_id=student_id, status=STATUS_GRADED)
    ctx = contextlib.nullcontext(gb) if gb is not None else nbg.gradebook()
    with ctx as book:
        sub = book.find_submission(assignment, student_id)
        res.score = float(sub.score or 0.0)
        res.max_score = float(sub.max_score or 0.0)
        res.late_penalty = float(sub.late_submission_penalty or 0.0)
        res.seconds_late = float(sub.total_seconds_late or 0.0)
        res.late = res.seconds_late > 0
        needs_manual = bool(sub.needs_manual_grade)
        for nb in sub.notebooks:
            for grade in nb.grades:
                auto = grade.cell.cell_type == "code"  # test cells are code; reflections are markdown
                max_score = float(grade.max_score or 0.0)
                score = grade.score if not (grade.needs_manual_grade and grade.manual_score is None) else None
                res.tasks[grade.name] = (None if score is None else float(score), max_score)
                if auto:
                    res.auto_score += float(grade.score or 0.0)
                    res.auto_max_score += max_score
                else:
                    res.manual_max_score += max_score
    res.score = max(0.0, res.score - res.late_penalty)
    res.status = STATUS_MANUAL if needs_manual else STATUS_GRADED
    return res


def _fmt(x: float) -> str:
    return f"{round(x, 6):g}"


def _assignment_max(nbg: NbGrader, assignment: str, gb=None) -> float:
    ctx = contextlib.nullcontext(gb) if gb is not None else nbg.gradebook()
    with ctx as book:
        return float(book.find_assignment(assignment).max_score)


# ---------------------------------------------------------------------------------------------------
# State on disk
# ---------------------------------------------------------------------------------------------------


class Paths:
    """Where the grader keeps its state inside the working course."""

    def __init__(self, work: Path):
        self.work = work
        self.state = work / ".qikit"

    def record(self, assignment: str, student: str) -> Path:
        return self.state / "results" / assignment / f"{student}.json"

    def records(self, assignment: str | None = None) -> list[Path]:
        base = self.state / "results"
        pattern = f"{assignment}/*.json" if assignment else "*/*.json"
        return sorted(base.glob(pattern))

    def lock(self, assignment: str, student: str) -> Path:
        return self.state / "locks" / assignment / f"{student}.lock"

    def exec_reports(self, assignment: str, student: str) -> Path:
        return self.state / "exec" / assignment / student

    def generated(self, assignment: str) -> Path:
        return self.state / "generated" / f"{assignment}.json"


# ---------------------------------------------------------------------------------------------------
# The worker side
# ---------------------------------------------------------------------------------------------------

_W: dict = {"nbg": {}}


def _worker_init(sandbox_root: str, sandboxed: bool, limits: dict, prewarm: bool = True) -> None:
    """Runs once in each forked worker: die with the parent, start this worker's sandbox."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except Exception:
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from autograder.sandbox import Limits, Zygote, set_current_zygote

    zy = Zygote(Path(sandbox_root), f"w{os.getpid()}", limits=Limits(**limits), sandboxed=sandboxed)
    _W["zygote"] = zy
    set_current_zygote(zy)
    import atexit
    from multiprocessing import util

    atexit.register(zy.close)
    util.Finalize(None, zy.close, exitpriority=10)  # pool workers exit without running atexit
    if prewarm:
        # The sandbox's fork server warms up in the background while this worker prepares
        # assignments; the first notebook waits for it. (A run with nothing to grade skips this.)
        try:
            zy.launch()
        except Exception:
            pass  # reported by the first notebook, which tries again


def _worker_nbg(work: Path) -> NbGrader:
    key = str(work)
    if key not in _W["nbg"]:
        _W["nbg"][key] = NbGrader(work)
    return _W["nbg"][key]


def grade_one(task: dict) -> dict:
    """Autograde and write feedback for one learner; returns the result record (also written to disk)."""
    work = Path(task["work"])
    nbg = _worker_nbg(work)
    paths = Paths(work)
    assignment, student = task["assignment"], task["student_id"]
    t0 = time.monotonic()
    with durable.file_lock(paths.lock(assignment, student), blocking=False) as got:
        if not got:
            return {"student_id": student, "assignment": assignment, "skipped": "another grader holds this learner"}
        key = f"qikit:{task['course_id']}:{assignment}:{student}"
        with durable.pg_advisory_lock(task.get("db_url"), key) as got_db:
            if not got_db:
                return {"student_id": student, "assignment": assignment, "skipped": "another grader holds this learner"}
            return _grade_locked(nbg, paths, task, t0)


def _grade_locked(nbg: NbGrader, paths: Paths, task: dict, t0: float) -> dict:
    work = paths.work
    assignment, student = task["assignment"], task["student_id"]
    record = {k: task[k] for k in ("student_id", "assignment", "course_id", "fingerprint", "notes", "late_lms")}
    exec_dir = paths.exec_reports(assignment, student)
    if exec_dir.exists():
        shutil.rmtree(exec_dir, ignore_errors=True)
    zy = _W.get("zygote")
    if zy is not None:
        try:
            zy.ensure()
        except Exception as exc:
            record.update(
                status=STATUS_FAILED,
                failure=f"the grader's sandbox could not start ({type(exc).__name__}: {str(exc)[:200]})",
                seconds=round(time.monotonic() - t0, 2),
                graded_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            )
            return record  # not written: the next run tries again
    t_ag = time.monotonic()
    for attempt in range(3):
        ag = nbg.autograde(assignment, student)
        text = f"{ag.get('error') or ''}\n{ag.get('log') or ''}"
        if ag.get("success") or not ("database is locked" in text or "OperationalError" in text or "e3q8" in text):
            break
        time.sleep(1 + 2 * attempt)  # a busy gradebook (another grader): try again
    t_ag = time.monotonic() - t_ag
    t_fb = 0.0
    events: list[str] = []
    integrity: list[str] = []
    exec_seconds = 0.0
    for rep in sorted(exec_dir.glob("*.json")) if exec_dir.exists() else []:
        data = durable.read_json(rep) or {}
        events += data.get("events", [])
        exec_seconds += float(data.get("seconds", 0.0))
        integrity += [f for f in data.get("integrity", []) if f not in integrity]
    record["events"] = events
    record["integrity"] = integrity
    if not ag.get("success"):
        record["status"] = STATUS_FAILED
        record["failure"] = _failure_reason(ag)
        (work / "autograded" / student / assignment).exists() and shutil.rmtree(
            work / "autograded" / student / assignment, ignore_errors=True
        )
    else:
        record["status"] = "autograded"
        record["timeouts"] = _cell_timeouts(work, assignment, student)
        t_fb = time.monotonic()
        for attempt in range(3):
            fb = nbg.generate_feedback(assignment, student)
            text = f"{fb.get('error') or ''}\n{fb.get('log') or ''}"
            if fb.get("success") or not ("database is locked" in text or "OperationalError" in text):
                break
            time.sleep(1 + 2 * attempt)
        htmls = sorted((work / "feedback" / student / assignment).glob("*.html"))
        record["feedback"] = [str(p.relative_to(work)) for p in htmls] if fb.get("success") and htmls else []
        if not record["feedback"]:
            record["feedback_error"] = (fb.get("error") or fb.get("log") or "")[-300:]
        record["feedback_fingerprint"] = feedback_fingerprint(nbg, assignment, student)
        t_fb = time.monotonic() - t_fb
    record["seconds"] = round(time.monotonic() - t0, 2)
    record["timing"] = {"autograde": round(t_ag, 2), "execute": round(exec_seconds, 2), "feedback": round(t_fb, 2)}
    record["graded_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    durable.atomic_write_json(paths.record(assignment, student), record)
    return record


def feedback_fingerprint(nbg: NbGrader, assignment: str, student: str, gb=None) -> str:
    """A fingerprint of what the feedback shows from the gradebook (scores, manual grades, comments)."""
    ctx = contextlib.nullcontext(gb) if gb is not None else nbg.gradebook()
    try:
        with ctx as book:
            sub = book.find_submission(assignment, student)
            items = []
            for nb in sub.notebooks:
                for g in nb.grades:
                    items.append(("g", nb.name, g.name, g.auto_score, g.manual_score, g.extra_credit))
                for c in nb.comments:
                    items.append(("c", nb.name, c.name, c.auto_comment, c.manual_comment))
            return durable.hash_text(sorted(items, key=str))
    except Exception:
        return ""


# ---------------------------------------------------------------------------------------------------
# The parent side
# ---------------------------------------------------------------------------------------------------


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def _ensure_generated(nbg: NbGrader, paths: Paths, assignment: str, source_hash: str, say) -> bool:
    """``generate_assignment`` unless this exact source was already generated into this gradebook."""
    state = durable.read_json(paths.generated(assignment)) or {}
    release = paths.work / "release" / assignment
    ok = state.get("source_hash") == source_hash and release.is_dir() and any(release.glob("*.ipynb"))
    if ok:
        try:
            with nbg.gradebook() as gb:
                a = gb.find_assignment(assignment)
                ok = len(a.notebooks) == len(list(release.glob("*.ipynb")))
        except Exception:
            ok = False
    if ok:
        return False
    say(f"generating {assignment} (nbgrader generate_assignment)")
    nbg.generate_assignment(assignment)
    durable.atomic_write_json(paths.generated(assignment), {"source_hash": source_hash})
    return True


def _check_one_course_per_db(nbg: NbGrader, course_id: str) -> None:
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(nbg.coursedir.db_url)
    try:
        if "course" not in inspect(engine).get_table_names():
            return
        with engine.connect() as conn:
            ids = [r[0] for r in conn.execute(text("SELECT id FROM course"))]
    finally:
        engine.dispose()
    others = [i for i in ids if i not in (course_id, "default_course")]  # nbgrader adds default_course itself
    if others:
        raise ValueError(
            f"the gradebook database already holds another course ({', '.join(others)}): nbgrader mixes "
            "courses that share a database. Use one database per course."
        )


def _sqlite_wal(nbg: NbGrader) -> None:
    """Write-ahead logging lets the workers write the sqlite gradebook while others read it."""
    url = nbg.coursedir.db_url
    if not url.startswith("sqlite:///"):
        return
    import sqlite3

    path = url[len("sqlite:///") :].split("?", 1)[0]
    con = sqlite3.connect(path, timeout=120)
    try:
        con.execute("PRAGMA journal_mode=WAL")
    finally:
        con.close()


def _set_duedate(nbg: NbGrader, assignment: str, due: str | None) -> None:
    if not due:
        return
    from nbgrader.utils import parse_utc

    with nbg.gradebook() as gb:
        gb.update_or_create_assignment(assignment, duedate=parse_utc(due))


def _record_is_current(nbg: NbGrader, gb, paths: Paths, record: dict | None, fingerprint: str) -> bool:
    """A learner is done if their record matches the hand-in and the gradebook/feedback agree with it."""
    if not record or record.get("fingerprint") != fingerprint or "status" not in record:
        return False
    if record["status"] == STATUS_FAILED:
        return True
    work, a, s = paths.work, record["assignment"], record["student_id"]
    if not any((work / "autograded" / s / a).glob("*.ipynb")):
        return False
    if not record.get("feedback") or not all((work / f).is_file() for f in record["feedback"]):
        return False
    try:
        sub = gb.find_submission(a, s)
        return (
            all(
                g.auto_score is not None or g.needs_manual_grade or g.manual_score is not None
                for nb in sub.notebooks
                for g in nb.grades
            )
            and len(sub.notebooks) > 0
        )
    except Exception:
        return False


def _submission_fingerprint(sub: Submission, source_hash: str, settings: GradingSettings) -> str:
    return durable.hash_text(
        durable.hash_tree(Path(sub.path)) if Path(sub.path).exists() and not Path(sub.path).is_symlink() else "missing",
        sub.timestamp,
        getattr(sub, "late", None),
        source_hash,
        settings.fingerprint(),
    )


def sandbox_mode(mode: str, say) -> tuple[bool, str]:
    """Decide whether kernels run in bubblewrap: ``auto`` (warn loudly if unavailable), ``require``, ``off``."""
    from autograder.sandbox import SandboxUnavailable, probe

    if mode == "off":
        say("WARNING: grading WITHOUT the OS sandbox (--sandbox off): learner code can read and write what you can.")
        return False, "off (--sandbox off)"
    st = probe()
    if st.available:
        return True, "bubblewrap"
    if mode == "require":
        raise SandboxUnavailable(
            f"qikit will not grade untrusted notebooks without a sandbox: {st.reason} "
            "(use --sandbox off only for notebooks you trust)."
        )
    bar = "!" * 78
    say(
        f"{bar}\nWARNING: no OS sandbox available ({st.reason})\n"
        "Grading continues WITHOUT isolation: learner code runs with your permissions.\n" + bar
    )
    return False, f"off (unavailable: {st.reason})"


class Grader:
    """A pool of grading workers, each with a warm sandbox; reusable across assignments and courses.

    The workers are forked from this process once nbgrader is imported, so none of them pays
    nbgrader's start-up again; each starts its sandbox's fork server once.
    """

    def __init__(self, workers: int | None = None, sandbox: str = "auto", say=None, limits=None, prewarm=True):
        self.n = max(1, workers or default_workers())
        self.prewarm = prewarm
        self.mode = sandbox
        self.say = say or (lambda m: None)
        self.limits = limits
        self.pool: ProcessPoolExecutor | None = None
        self.root: Path | None = None
        self.sandboxed = False
        self.label = ""

    def __enter__(self) -> Grader:
        from autograder.sandbox import Limits, short_root

        self.sandboxed, self.label = sandbox_mode(self.mode, self.say)
        self.root = short_root()
        from autograder.sandbox import mpl_cache_dir, process_limit_check

        mpl_cache_dir(self.root / "mpl")  # built once per environment, before the workers need it
        if self.sandboxed:
            limit = process_limit_check()
            if limit.startswith("WARNING"):
                self.say(limit)
        self.limits = self.limits or Limits()
        # Import what the workers need before forking them: they inherit it instead of importing.
        _venv_path_env()
        import nbconvert.exporters.html  # noqa: F401
        import nbgrader.apps.api  # noqa: F401

        import autograder.execute  # noqa: F401
        import autograder.preprocessors  # noqa: F401
        from autograder import speedups

        speedups.install()
        self.start_pool()
        return self

    def start_pool(self) -> None:
        import multiprocessing as mp

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            self.pool = ProcessPoolExecutor(
                max_workers=self.n,
                mp_context=mp.get_context("fork"),
                initializer=_worker_init,
                initargs=(str(self.root), self.sandboxed, asdict(self.limits), self.prewarm),
            )

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        if self.root is not None:
            from autograder.sandbox import remove_cgroups

            remove_cgroups(self.root.name)
            shutil.rmtree(self.root, ignore_errors=True)

    def map(self, fn, items: list) -> list:
        """Run ``fn`` on each item in the workers (e.g. generate assignments in parallel)."""
        if self.pool is None:
            self.start_pool()
        assert self.pool is not None
        return [f.result() for f in [self.pool.submit(fn, it) for it in items]]

    def run(self, tasks: list[dict], done) -> None:
        """Grade ``tasks`` (each names its working course); call ``done(task, record)`` as each finishes."""
        attempts: dict[tuple, int] = {}
        pending = list(tasks)
        while pending:
            if self.pool is None:
                self.start_pool()
            assert self.pool is not None
            retry: list[dict] = []
            broken = False
            try:
                futures = {self.pool.submit(grade_one, t): t for t in pending}
            except BrokenProcessPool:
                self.pool = None
                continue
            not_done = set(futures)
            while not_done:
                finished, not_done = wait(not_done, return_when=FIRST_COMPLETED)
                for fut in finished:
                    task = futures[fut]
                    work, sid = Path(task["work"]), task["student_id"]
                    key = (task["work"], task["assignment"], sid)
                    try:
                        rec = fut.result()
                    except BrokenProcessPool:
                        broken = True
                        attempts[key] = attempts.get(key, 0) + 1
                        if attempts[key] >= 2:
                            rec = _crash_record(work, task, "the grader's worker crashed twice on this notebook")
                        else:
                            retry.append(task)
                            continue
                    except Exception as exc:
                        rec = _crash_record(work, task, f"grader error: {type(exc).__name__}: {str(exc)[:200]}")
                    if rec.get("skipped"):
                        self.say(f"  {sid}: skipped ({rec['skipped']})")
                        rec = {**task, "status": "skipped", "failure": f"skipped: {rec['skipped']}"}
                    done(task, rec)
            if broken:
                self.pool.shutdown(wait=False, cancel_futures=True)
                self.pool = None
            pending = retry


@dataclass
class Job:
    """One assignment of one course to grade for a cohort."""

    course_root: Path
    assignment: str
    submissions: list[Submission] | Callable[[Path], list[Submission]]
    out_dir: Path
    settings: GradingSettings = field(default_factory=GradingSettings)
    regrade: bool = False
    on_result: Callable[[int, int, LearnerResult], None] | None = None
    # filled in while grading
    course_id: str = ""
    work: Path | None = None
    source_hash: str = ""
    records: dict = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    tasks: list[dict] = field(default_factory=list)
    done: int = 0
    nbg: NbGrader | None = None


def _prepare_job(item: dict) -> dict:
    """In a worker (or the parent): set up the working course and generate the assignment."""
    course_root, work, assignment = Path(item["course_root"]), Path(item["work"]), item["assignment"]
    settings = GradingSettings(**item["settings"])
    paths = Paths(work)
    work.mkdir(parents=True, exist_ok=True)
    durable.remove_stale_temp_files(paths.state)
    with durable.file_lock(paths.state / "locks" / "course.lock", blocking=True):
        source_hash = prepare_workdir(course_root, assignment, work, settings=settings)
        nbg = NbGrader(work)
        _check_one_course_per_db(nbg, item["course_id"])
        generated = _ensure_generated(nbg, paths, assignment, source_hash, lambda m: None)
        _set_duedate(nbg, assignment, settings.due)
        _sqlite_wal(nbg)
    return {"source_hash": source_hash, "generated": generated}


def grade_jobs(jobs: list[Job], grader: Grader, progress: Callable[[str], None] | None = None) -> list[CohortResult]:
    """Grade several assignments (of one or more courses) in one go through ``grader``'s pool.

    Assignments are generated in parallel by the workers, then every learner of every assignment
    is queued at once, so no worker idles between assignments.
    """
    say = progress or (lambda msg: None)
    t0 = time.monotonic()
    for job in jobs:
        job.course_root = Path(job.course_root).resolve()
        job.course_id = read_course_id(job.course_root)
        job.work = Path(job.out_dir).resolve() / job.course_id
    # 1. working courses and generate_assignment, in parallel (a lock per course keeps them in order)
    items = [
        {
            "course_root": str(j.course_root),
            "work": str(j.work),
            "assignment": j.assignment,
            "course_id": j.course_id,
            "settings": asdict(j.settings),
        }
        for j in jobs
    ]
    for job in jobs:
        say(f"[{job.course_id}] preparing {job.assignment} (nbgrader generate_assignment if the source changed)")
    for job, info in zip(jobs, grader.map(_prepare_job, items), strict=True):
        job.source_hash = info["source_hash"]
    t_prep = time.monotonic()
    # 2. hand-ins: which learners need (re)grading?
    nbgs: dict[Path, NbGrader] = {}
    for job in jobs:
        assert job.work is not None
        job.nbg = nbgs.setdefault(job.work, NbGrader(job.work))
        _plan_job(job)
    # 3. grade every learner of every job
    by_key = {(str(j.work), j.assignment): j for j in jobs}
    all_tasks = [t for j in jobs for t in j.tasks]
    if all_tasks:
        n = min(grader.n, len(all_tasks))
        say(f"grading {len(all_tasks)} notebook set(s) with {n} worker(s), sandbox: {grader.label}")

        def done(task: dict, rec: dict) -> None:
            job = by_key[(task["work"], task["assignment"])]
            job.records[task["student_id"]] = rec
            _report(job, task["student_id"])

        grader.run(all_tasks, done)
    t_grade = time.monotonic()
    # 4. feedback with the latest manual grades, exports
    results = []
    exported: set[Path] = set()
    for job in jobs:
        _refresh_feedback(job)
    for job in jobs:
        assert job.work is not None and job.nbg is not None
        if job.work not in exported:
            export_course(job.work, job.nbg)
            exported.add(job.work)
        learners = [_learner_from_record(job.nbg, job.records[sid]) for sid in job.order if sid in job.records]
        res = CohortResult(
            job.assignment,
            job.course_id,
            learners,
            job.work,
            job.work / "grades.csv",
            job.work / "tasks.csv",
            time.monotonic() - t0,
            sandbox=grader.label,
            workers=min(grader.n, len(job.tasks)) if job.tasks else 0,
            regraded=sum(1 for t in job.tasks if job.records.get(t["student_id"], {}).get("status") != "skipped"),
            reused=sum(1 for r in job.records.values() if r.get("reused")),
            sandbox_root=str(grader.root or ""),
        )
        _write_summary(Paths(job.work), res)
        results.append(res)
    t_end = time.monotonic()
    say(
        f"prepared {len(jobs)} assignment(s) in {t_prep - t0:.0f} s, graded {len(all_tasks)} learner(s) "
        f"in {t_grade - t_prep:.0f} s, exported in {t_end - t_grade:.0f} s"
    )
    return results


def _report(job: Job, student_id: str) -> None:
    job.done += 1
    if job.on_result is not None and job.nbg is not None:
        job.on_result(job.done, len(job.order), _learner_from_record(job.nbg, job.records[student_id]))


def _plan_job(job: Job) -> None:
    assert job.work is not None and job.nbg is not None
    work, nbg, assignment, settings = job.work, job.nbg, job.assignment, job.settings
    paths = Paths(work)
    expected = notebook_names(work, assignment)
    subs = job.submissions(work) if callable(job.submissions) else list(job.submissions)
    seen: set[str] = set()
    for sub in subs:
        check_student_id(sub.student_id)
        if sub.student_id in seen:
            raise ValueError(f"student id {sub.student_id!r} appears twice in the cohort")
        seen.add(sub.student_id)
    job.order = [s.student_id for s in subs]
    with nbg.gradebook() as gb:
        for sub in subs:
            fp = _submission_fingerprint(sub, job.source_hash, settings)
            rec = durable.read_json(paths.record(assignment, sub.student_id))
            if not job.regrade and _record_is_current(nbg, gb, paths, rec, fp):
                rec["reused"] = True
                job.records[sub.student_id] = rec
                continue
            reason, notes = place_submission(work, assignment, sub, expected)
            task = {
                "work": str(work),
                "student_id": sub.student_id,
                "assignment": assignment,
                "course_id": job.course_id,
                "fingerprint": fp,
                "notes": notes,
                "late_lms": getattr(sub, "late", None),
                "db_url": nbg.coursedir.db_url,
            }
            if reason:
                rec = {
                    k: task[k] for k in ("student_id", "assignment", "course_id", "fingerprint", "notes", "late_lms")
                }
                rec.update(status=STATUS_FAILED, failure=reason, graded_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"))
                for stale in (
                    work / "autograded" / sub.student_id / assignment,
                    work / "feedback" / sub.student_id / assignment,
                ):
                    shutil.rmtree(stale, ignore_errors=True)
                durable.atomic_write_json(paths.record(assignment, sub.student_id), rec)
                job.records[sub.student_id] = rec
            else:
                job.tasks.append(task)
    for sid in job.order:
        if sid in job.records:
            _report(job, sid)


def _refresh_feedback(job: Job) -> None:
    """Regenerate feedback whose gradebook content (manual grades, comments) changed since it was made."""
    assert job.work is not None and job.nbg is not None
    stale = []
    with job.nbg.gradebook() as gb:
        for sid in job.order:
            rec = job.records.get(sid)
            if rec and rec.get("status") not in (STATUS_FAILED, "skipped") and not rec.get("skipped"):
                fp = feedback_fingerprint(job.nbg, job.assignment, sid, gb)
                if fp and fp != rec.get("feedback_fingerprint"):
                    stale.append((sid, fp))
    for sid, fp in stale:
        job.nbg.generate_feedback(job.assignment, sid)
        rec = job.records[sid]
        rec["feedback_fingerprint"] = fp
        durable.atomic_write_json(
            Paths(job.work).record(job.assignment, sid), {k: v for k, v in rec.items() if k != "reused"}
        )


def _probably_all_current(job: Job) -> bool:
    """A cheap look before starting: is every learner's record already current? (then no sandbox is warmed)"""
    if callable(job.submissions):
        return False
    try:
        course_root = Path(job.course_root).resolve()
        work = Path(job.out_dir).resolve() / read_course_id(course_root)
        src = _source_dir(course_root, job.assignment)
        source_hash = durable.hash_text(durable.hash_tree(src), durable.hash_tree(course_root / "nbgrader_config.py"))
        for sub in job.submissions:
            rec = durable.read_json(Paths(work).record(job.assignment, sub.student_id))
            if not rec or rec.get("fingerprint") != _submission_fingerprint(sub, source_hash, job.settings):
                return False
        return True
    except Exception:
        return False


def grade_cohort(
    course_root: Path,
    assignment: str,
    submissions: list[Submission] | Callable[[Path], list[Submission]],
    out_dir: Path,
    *,
    timeout: int | None = None,
    progress: Callable[[str], None] | None = None,
    on_result: Callable[[int, int, LearnerResult], None] | None = None,
    workers: int | None = None,
    settings: GradingSettings | None = None,
    regrade: bool = False,
    grader: Grader | None = None,
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
    workers
        Parallel grading workers (default: one per core).
    settings
        Sandbox mode, gradebook URL, due date and late policy, notebook time budget.
    regrade
        Regrade every learner even when their result is current.
    grader
        A running :class:`Grader` (its pool is reused across assignments); by default one is made.
    """
    settings = settings or GradingSettings()
    if timeout is not None:
        settings.timeout = timeout
    job = Job(Path(course_root), assignment, submissions, Path(out_dir), settings, regrade, on_result)
    if grader is None:
        prewarm = regrade or not _probably_all_current(job)
        with Grader(workers=workers, sandbox=settings.sandbox, say=progress, prewarm=prewarm) as g:
            return grade_jobs([job], g, progress)[0]
    return grade_jobs([job], grader, progress)[0]


def _crash_record(work: Path, task: dict, why: str) -> dict:
    rec = {k: task.get(k) for k in ("student_id", "assignment", "course_id", "fingerprint", "notes")}
    rec.update(
        status=STATUS_FAILED, failure=why, late_lms=task.get("late_lms"), graded_at=time.strftime("%Y-%m-%dT%H:%M:%S%z")
    )
    durable.atomic_write_json(Paths(work).record(task["assignment"], task["student_id"]), rec)
    return rec


def _compose_reason(rec: dict) -> str:
    parts: list[str] = []
    if rec.get("failure"):
        parts.append(rec["failure"])
    if rec.get("timeouts"):
        parts.append("timeout in " + ", ".join(rec["timeouts"]) + " (the other cells were graded)")
    for e in rec.get("events", []):
        if not any(t in e for t in rec.get("timeouts", [])) or "stopped" in e or "budget" in e:
            parts.append(e)
    if rec.get("integrity"):
        parts.append("integrity: " + "; ".join(rec["integrity"][:6]) + (" ..." if len(rec["integrity"]) > 6 else ""))
    if rec.get("notes"):
        parts.append("; ".join(rec["notes"][:4]))
    if rec.get("status") != STATUS_FAILED and rec.get("feedback") == []:
        parts.append("feedback not generated")
    text = "; ".join(p for p in parts if p)
    return text[:600]


def _learner_from_record(nbg: NbGrader, rec: dict, gb=None) -> LearnerResult:
    sid = rec["student_id"]
    assignment = rec["assignment"]
    if rec.get("status") in (STATUS_FAILED, "skipped"):
        res = LearnerResult(sid, STATUS_FAILED, _compose_reason(rec))
        try:
            res.max_score = _assignment_max(nbg, assignment, gb)
        except Exception:
            res.max_score = 0.0
    else:
        try:
            res = read_result(nbg, assignment, sid, gb)
        except Exception as exc:
            res = LearnerResult(sid, STATUS_FAILED, f"no gradebook entry ({type(exc).__name__}); regrade this learner")
            return res
        res.reason = _compose_reason(rec)
        fb = rec.get("feedback") or []
        res.feedback = (nbg.root / fb[0]) if fb else None
    if rec.get("late_lms") and not res.late:
        res.late = True
    res.integrity = list(rec.get("integrity", []))
    res.seconds = float(rec.get("seconds", 0.0))
    res.reused = bool(rec.get("reused"))
    return res


def export_course(work: Path, nbg: NbGrader | None = None) -> None:
    """Write ``grades.csv``, ``tasks.csv`` and ``lms-grades.csv`` for every assignment graded in ``work``."""
    nbg = nbg or NbGrader(work)
    paths = Paths(work)
    roster = _read_roster(work)
    grades, tasks, lms = [], [], []
    with nbg.gradebook() as gb:
        for rec_path in paths.records():
            rec = durable.read_json(rec_path)
            if not rec or "status" not in rec:
                continue
            r = _learner_from_record(nbg, rec, gb)
            a = rec["assignment"]
            grades.append(
                {
                    "student_id": r.student_id,
                    "assignment": a,
                    "course_id": rec.get("course_id", ""),
                    "score": _fmt(r.score),
                    "max_score": _fmt(r.max_score),
                    "auto_score": _fmt(r.auto_score),
                    "auto_max_score": _fmt(r.auto_max_score),
                    "manual_max_score": _fmt(r.manual_max_score),
                    "status": r.status,
                    "reason": r.reason,
                    "late": "yes" if r.late else "no",
                    "seconds_late": _fmt(r.seconds_late),
                    "late_penalty": _fmt(r.late_penalty),
                }
            )
            for gid, (score, mx) in r.tasks.items():
                tasks.append(
                    {
                        "student_id": r.student_id,
                        "assignment": a,
                        "grade_id": gid,
                        "score": "" if score is None else _fmt(score),
                        "max_score": _fmt(mx),
                    }
                )
            who = roster.get(r.student_id, {})
            lms.append(
                {
                    "student_id": r.student_id,
                    "lms_id": who.get("lms_id", r.student_id),
                    "name": who.get("name", ""),
                    "assignment": a,
                    "score": _fmt(r.score) if r.status != STATUS_MANUAL else "",
                    "max_score": _fmt(r.max_score),
                    "percent": _fmt(round(100 * r.score / r.max_score, 1))
                    if r.max_score and r.status != STATUS_MANUAL
                    else "",
                    "status": r.status,
                    "late": "yes" if r.late else "no",
                }
            )
    durable.atomic_write_csv(work / "grades.csv", grades, GRADES_COLUMNS)
    durable.atomic_write_csv(work / "tasks.csv", tasks, TASKS_COLUMNS)
    durable.atomic_write_csv(work / "lms-grades.csv", lms, LMS_COLUMNS)


def _read_roster(work: Path) -> dict[str, dict]:
    import csv

    path = work / ".qikit" / "roster.csv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as fh:
        return {row["student_id"]: row for row in csv.DictReader(fh)}


def _write_summary(paths: Paths, res: CohortResult) -> None:
    counts: dict[str, int] = {}
    for r in res.learners:
        counts[r.status] = counts.get(r.status, 0) + 1
    summary = durable.read_json(paths.work / "summary.json") or {}
    runs = summary.get("assignments", {}) if isinstance(summary.get("assignments"), dict) else {}
    runs[res.assignment] = {
        "learners": len(res.learners),
        "status_counts": counts,
        "regraded": res.regraded,
        "reused": res.reused,
        "workers": res.workers,
        "sandbox": res.sandbox,
        "seconds": round(res.seconds, 1),
        "integrity_flags": sum(1 for r in res.learners if r.integrity),
        "late": sum(1 for r in res.learners if r.late),
    }
    durable.atomic_write_json(
        paths.work / "summary.json",
        {
            "course_id": res.course_id,
            "assignment": res.assignment,
            "learners": len(res.learners),
            "seconds": round(res.seconds, 1),
            "assignments": runs,
        },
    )


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
    lines.append("")
    lines.append(end_of_run_summary(result))
    return "\n".join(lines)


def end_of_run_summary(result: CohortResult) -> str:
    counts: dict[str, int] = {}
    for r in result.learners:
        counts[r.status] = counts.get(r.status, 0) + 1
    flagged = sum(1 for r in result.learners if r.integrity)
    late = sum(1 for r in result.learners if r.late)
    parts = [f"{n} {s}" for s, n in sorted(counts.items())]
    extra = []
    if flagged:
        extra.append(f"{flagged} flagged for integrity")
    if late:
        extra.append(f"{late} late")
    return (
        f"{result.assignment} [{result.course_id}]: {len(result.learners)} learners, "
        + ", ".join(parts)
        + (f" ({', '.join(extra)})" if extra else "")
        + f"; {result.regraded} graded now, {result.reused} unchanged since the last run; "
        + f"{result.seconds:.0f} s, {result.workers or 0} worker(s), sandbox: {result.sandbox}"
    )


def learner_json(r: LearnerResult) -> str:
    d = asdict(r)
    d["feedback"] = str(r.feedback) if r.feedback else None
    return json.dumps(d)
