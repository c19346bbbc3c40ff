"""Self-check for self-learners: run a notebook's visible checks in a fresh kernel, without a server.

From the shell::

    qikit check m05-run-charts/m05-run-charts.ipynb     # one notebook: a score per task, with hints
    qikit check --all ~/qikit-en                        # every assignment in a workspace, then the overview
    qikit check --progress ~/qikit-en                   # the overview from the last checks, without running

From inside a notebook (checks the *saved* file, in a separate fresh kernel)::

    from qikit.selfcheck import check; check()

What it does: it reads the notebook, leaves out every ``### BEGIN HIDDEN TESTS`` region, runs the cells
in a fresh kernel with nbclient (a time limit per cell) and, for every graded test cell (nbgrader metadata
``grade: true, solution: false``), reports passed/failed, the points and the test's own message (the hint,
written in the notebook's language). It never prints cell source, outputs or tracebacks: run on an
instructor's *source* notebook it shows neither hidden tests nor solutions. The file on disk is never changed.

Exit status of ``qikit check``: 0 when every visible check passes, 1 when one does not, 2 for bad input.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import datetime as _dt
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from qikit.i18n import Catalog

#: Set in the environment of the kernel that runs a self-check, so a ``check()`` cell inside the checked
#: notebook does not start yet another check (which would recurse).
ACTIVE_ENV = "QIKIT_SELFCHECK_ACTIVE"
#: Answer stubs nbgrader leaves in unanswered text cells (both editions).
TEXT_STUBS = ("YOUR ANSWER HERE", "SKRIV SVARET DITT HER")
DEFAULT_TIMEOUT = 60
WORKSPACE_MARKER = Path(".qikit") / "workspace.json"
PROGRESS_FILE = Path(".qikit") / "progress.json"

PASSED, FAILED, NOT_ANSWERED, ERROR, NOT_RUN, MANUAL = (
    "passed",
    "failed",
    "not_answered",
    "error",
    "not_run",
    "manual",
)

_T = Catalog(
    {
        "title": ("Egensjekk av {name}", "Self-check of {name}"),
        "saved": ("lagret {when}", "saved {when}"),
        "visible_only": (
            "Bare de synlige testene kjøres her. Skjulte tester kjøres når oppgaven rettes av kursleder.",
            "Only the visible checks run here; hidden tests run when your instructor grades the assignment.",
        ),
        "source_nb": (
            "Dette er en kildenotatbok for kursledere: skjulte tester er utelatt, og løsninger vises aldri.",
            "This is an instructor's source notebook: hidden tests were left out and solutions are never shown.",
        ),
        "h.task": ("Oppgave", "Task"),
        "h.points": ("Poeng", "Points"),
        "h.result": ("Resultat", "Result"),
        PASSED: ("bestått", "passed"),
        FAILED: ("ikke bestått", "failed"),
        NOT_ANSWERED: ("ikke besvart", "not answered yet"),
        ERROR: ("feil", "error"),
        NOT_RUN: ("ikke kjørt", "not run"),
        MANUAL: ("rettes av kursleder", "graded by your instructor"),
        "manual.answered": ("besvart – rettes av kursleder", "answered – your instructor grades it"),
        "manual.empty": ("ikke besvart ennå – rettes av kursleder", "not answered yet – your instructor grades it"),
        "hint.not_answered": (
            "Erstatt linjen `raise NotImplementedError()` med svaret ditt.",
            "Replace the line `raise NotImplementedError()` with your answer.",
        ),
        "hint.answer_error": (
            "Svarcellen din stoppet med en feil: {error}",
            "Your answer cell stopped with an error: {error}",
        ),
        "hint.no_message": (
            "En test feilet (uten melding). Les oppgaveteksten igjen.",
            "A check failed (it has no message). Read the task again.",
        ),
        "hint.timeout": (
            "Cellen brukte mer enn {seconds} sekunder og ble stoppet. Har du en løkke som aldri slutter?",
            "The cell ran for more than {seconds} seconds and was stopped. Is there a loop that never ends?",
        ),
        "hint.dead": (
            "Kjernen stoppet (krasj eller for lite minne) før denne testen ble kjørt.",
            "The kernel stopped (a crash or out of memory) before this check ran.",
        ),
        "total": (
            "Synlige tester: {points} av {max_points} poeng ({passed} av {tasks} oppgaver bestått).",
            "Visible checks: {points} of {max_points} points ({passed} of {tasks} tasks passed).",
        ),
        "manual_total": (
            "{points} poeng til rettes av kursleder.",
            "{points} more points are graded by your instructor.",
        ),
        "all_passed": (
            "Alle synlige tester er bestått. Husk: skjulte tester kan fortsatt feile.",
            "All visible checks pass. Remember: hidden tests may still fail.",
        ),
        "no_tasks": ("Notatboken har ingen oppgaver med tester.", "This notebook has no tasks with checks."),
        "ran_ok": ("Alle cellene kjørte uten feil.", "Every cell ran without an error."),
        "ran_errors": (
            "{n} celle(r) stoppet med en feil; den første: {error}",
            "{n} cell(s) stopped with an error; the first: {error}",
        ),
        "other_errors": (
            "Merk: {n} annen/andre celle(r) stoppet med en feil; den første: {error}",
            "Note: {n} other cell(s) stopped with an error; the first: {error}",
        ),
        "save_first": (
            "Sjekker den LAGREDE filen {path} i en ny, separat kjerne. Lagre først (Ctrl+S)!",
            "Checking the SAVED file {path} in a new, separate kernel. Save first (Ctrl+S)!",
        ),
        "running": ("Kjører notatboken i en ny kjerne ...", "Running the notebook in a fresh kernel ..."),
        "nested": (
            "(qikit-sjekken hopper over seg selv når notatboken sjekkes.)",
            "(the qikit check skips itself while the notebook is being checked.)",
        ),
        "no_path": (
            "Fant ikke notatbokfilen. Oppgi stien: check('min-notatbok.ipynb').",
            "Cannot tell which notebook this is. Give its path: check('my-notebook.ipynb').",
        ),
        "err.missing": ("Finner ikke filen: {path}", "No such file: {path}"),
        "err.not_nb": (
            "{path} er ikke en Jupyter-notatbok (.ipynb): {why}",
            "{path} is not a Jupyter notebook (.ipynb): {why}",
        ),
        "err.kernel": ("Kunne ikke starte en Python-kjerne: {why}", "Could not start a Python kernel: {why}"),
        "seconds": ("({seconds:.0f} s)", "({seconds:.0f} s)"),
    }
)


class SelfCheckInputError(ValueError):
    """The path is not a readable Jupyter notebook (``qikit check`` exits with status 2)."""


@dataclass
class TaskResult:
    """The outcome of one graded cell."""

    grade_id: str
    title: str
    status: str
    points: float
    max_points: float
    hint: str = ""

    @property
    def auto(self) -> bool:
        """True for an autograded test cell, False for a cell the instructor grades by hand."""
        return self.status != MANUAL


@dataclass
class Report:
    """The outcome of a self-check of one notebook."""

    path: str
    lang: str
    tasks: list[TaskResult] = field(default_factory=list)
    checked_at: str = ""
    saved_at: str = ""
    seconds: float = 0.0
    source_notebook: bool = False
    module: str = ""
    cell_errors: list[str] = field(default_factory=list)  # errors outside graded/answer cells (messages only)

    @property
    def auto_tasks(self) -> list[TaskResult]:
        """The autograded tasks (test cells)."""
        return [t for t in self.tasks if t.auto]

    @property
    def points(self) -> float:
        """Points of the visible checks that pass."""
        return sum(t.points for t in self.auto_tasks)

    @property
    def max_points(self) -> float:
        """Points of all autograded tasks."""
        return sum(t.max_points for t in self.auto_tasks)

    @property
    def manual_points(self) -> float:
        """Points the instructor grades by hand."""
        return sum(t.max_points for t in self.tasks if not t.auto)

    @property
    def passed(self) -> bool:
        """All visible checks pass (and, in a notebook without checks, every cell ran)."""
        if not self.auto_tasks:
            return not self.cell_errors
        return all(t.status == PASSED for t in self.auto_tasks)

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data (for ``--json``)."""
        data = asdict(self)
        data.update(points=self.points, max_points=self.max_points, manual_points=self.manual_points,
                    passed=self.passed)
        return data

    def format(self) -> str:
        """The table a learner sees."""
        return format_report(self)


# --------------------------------------------------------------------------------------------------
# Reading and preparing the notebook


def _fmt_points(value: float) -> str:
    return f"{value:g}"


def _strip_hidden_tests(source: str) -> str:
    """Drop every ``### BEGIN HIDDEN TESTS`` ... ``### END HIDDEN TESTS`` region (an unclosed one to the end)."""
    kept: list[str] = []
    hidden = False
    for line in source.splitlines(keepends=True):
        if "BEGIN HIDDEN TESTS" in line:
            hidden = True
            continue
        if "END HIDDEN TESTS" in line:
            hidden = False
            continue
        if not hidden:
            kept.append(line)
    return "".join(kept)


def _nbgrader_meta(cell: Any) -> dict[str, Any]:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def _is_test(cell: Any) -> bool:
    m = _nbgrader_meta(cell)
    return cell.get("cell_type") == "code" and bool(m.get("grade")) and not m.get("solution")


def _is_manual(cell: Any) -> bool:
    m = _nbgrader_meta(cell)
    return bool(m.get("grade")) and bool(m.get("solution"))


def _is_answer(cell: Any) -> bool:
    m = _nbgrader_meta(cell)
    return cell.get("cell_type") == "code" and bool(m.get("solution")) and not m.get("grade")


_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.M)
_POINTS_SUFFIX = re.compile(r"\s*\((?:[^()]*\b(?:points?|poeng)\b[^()]*)\)\s*$", re.I)


def _heading_of(source: str) -> str:
    match = _HEADING.search(source)
    if not match:
        return ""
    title = match.group(1).replace("*", "").replace("`", "").strip()
    return _POINTS_SUFFIX.sub("", title).strip()


def read_notebook(path: str | os.PathLike[str], lang: str | None = None) -> tuple[Any, str]:
    """Read ``path`` as a notebook; return it and its language (metadata first, then ``lang``)."""
    import nbformat

    p = Path(path)
    fallback = _lang_or_default(lang)
    if not p.is_file():
        raise SelfCheckInputError(_T.get("err.missing", fallback, path=str(p)))
    try:
        nb = nbformat.read(str(p), as_version=4)
    except Exception as exc:  # not JSON, not a notebook, unreadable: all bad input
        why = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise SelfCheckInputError(_T.get("err.not_nb", fallback, path=str(p), why=why)) from None
    if not isinstance(nb.get("cells"), list):
        raise SelfCheckInputError(_T.get("err.not_nb", fallback, path=str(p), why="no cells"))
    edition = str(nb.metadata.get("qikit", {}).get("edition", "")).strip().lower()
    return nb, edition if edition in ("nb", "en") else fallback


def _lang_or_default(lang: str | None) -> str:
    if lang in ("nb", "en"):
        return str(lang)
    from qikit.i18n import default_lang

    return default_lang()


def _kernel_name(nb: Any) -> str:
    name = str(nb.metadata.get("kernelspec", {}).get("name", "") or "python3")
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        if name in KernelSpecManager().find_kernel_specs():
            return name
    except Exception:  # pragma: no cover - broken kernelspec dirs: use the default kernel
        pass
    return "python3"  # e.g. JupyterLite's "python" (Pyodide) kernel is not available here


# --------------------------------------------------------------------------------------------------
# Running


def _error_of(cell: Any) -> dict[str, str] | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return {"ename": str(out.get("ename", "Error")), "evalue": str(out.get("evalue", ""))}
    return None


def _short(error: dict[str, str]) -> str:
    value = " ".join(error["evalue"].split())
    if len(value) > 300:
        value = value[:297] + "..."
    return f"{error['ename']}: {value}" if value else error["ename"]


def _numeric_result(cell: Any) -> float | None:
    # nbgrader scores a test cell by its last output if that is a single number (partial credit).
    for out in reversed(cell.get("outputs", [])):
        if out.get("output_type") == "execute_result":
            text = out.get("data", {}).get("text/plain", "")
            try:
                return float(text)
            except (TypeError, ValueError):
                return None
    return None


def run_checks(
    path: str | os.PathLike[str],
    *,
    lang: str | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    save: bool = True,
) -> Report:
    """Run the visible checks of the notebook at ``path`` in a fresh kernel and return a :class:`Report`.

    The notebook file is read, never written. Hidden test regions are removed before anything runs, and
    the report holds only the tests' own messages (hints), never source code, outputs or tracebacks.
    With ``save`` the result is recorded in the learner's workspace (``.qikit/progress.json``), if the
    notebook is inside one, for :func:`qikit.progress.progress`.
    """
    nb, language = read_notebook(path, lang)
    p = Path(path).resolve()
    work = copy.deepcopy(nb)
    source_notebook = False
    timed_out: set[int] = set()
    for cell in work.cells:
        src = cell.get("source", "")
        if "BEGIN HIDDEN TESTS" in src or "BEGIN SOLUTION" in src:
            source_notebook = True
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
            if _is_test(cell):
                cell["source"] = _strip_hidden_tests(src)

    started = time.monotonic()
    dead_at = _execute(work, p.parent, timeout, timed_out)
    report = Report(
        path=str(p),
        lang=language,
        checked_at=_dt.datetime.now().isoformat(timespec="seconds"),
        saved_at=_dt.datetime.fromtimestamp(p.stat().st_mtime).isoformat(timespec="seconds"),
        source_notebook=source_notebook,
        module=str(nb.metadata.get("qikit", {}).get("module", "")),
    )
    report.tasks, report.cell_errors = _collect(work, language, timeout, timed_out, dead_at)
    report.seconds = time.monotonic() - started
    if save:
        with contextlib.suppress(OSError):
            record(report)
    return report


def _execute(nb: Any, cwd: Path, timeout: int, timed_out: set[int]) -> int | None:
    """Run ``nb`` in place; return the index of the first cell that did not run if the run broke off."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    env = dict(os.environ)
    env[ACTIVE_ENV] = "1"
    env.setdefault("MPLBACKEND", "Agg")  # nothing is displayed; skip the inline backend's PNG encoding
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=_kernel_name(nb),
        allow_errors=True,
        interrupt_on_timeout=True,
        record_timing=False,
        resources={"metadata": {"path": str(cwd)}},
    )
    executed: set[int] = set()

    def on_cell_executed(**kwargs: Any) -> None:
        cell, index = kwargs.get("cell"), kwargs.get("cell_index")
        if cell is None or index is None:
            return
        executed.add(int(index))
        err = _error_of(cell)
        # A cell stopped at the time limit is interrupted: it ends with KeyboardInterrupt.
        if err and err["ename"] in ("KeyboardInterrupt", "CellTimeoutError"):
            timed_out.add(int(index))

    client.on_cell_executed = on_cell_executed
    try:
        # the kernel's own log (e.g. ipykernel's TCP notice) is noise for a learner: discard it
        client.execute(env=env, cwd=str(cwd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except (DeadKernelError, CellTimeoutError):
        code = [i for i, c in enumerate(nb.cells) if c.get("cell_type") == "code" and c.get("source", "").strip()]
        missing = [i for i in code if i not in executed]
        return missing[0] if missing else None
    except RuntimeError as exc:  # e.g. no kernel could be started
        raise SelfCheckInputError(_T.get("err.kernel", _lang_or_default(None), why=str(exc)[:200])) from None
    return None


def _collect(
    nb: Any, lang: str, timeout: int, timed_out: set[int], dead_at: int | None
) -> tuple[list[TaskResult], list[str]]:
    tasks: list[TaskResult] = []
    other_errors: list[str] = []
    title = ""
    answers: list[tuple[int, Any]] = []  # answer cells since the last test cell
    for i, cell in enumerate(nb.cells):
        meta = _nbgrader_meta(cell)
        if cell.get("cell_type") == "markdown" and not _is_manual(cell):
            heading = _heading_of(cell.get("source", ""))
            if heading:
                title = heading
            continue
        not_reached = dead_at is not None and i >= dead_at
        if _is_manual(cell):
            text = cell.get("source", "").strip()
            answered = bool(text) and not any(stub in text for stub in TEXT_STUBS)
            tasks.append(
                TaskResult(
                    grade_id=str(meta.get("grade_id", f"cell-{i}")),
                    title=title or str(meta.get("grade_id", "")),
                    status=MANUAL,
                    points=0.0,
                    max_points=float(meta.get("points", 0) or 0),
                    hint=_T.get("manual.answered" if answered else "manual.empty", lang),
                )
            )
            continue
        if _is_answer(cell):
            answers.append((i, cell))
            continue
        if not _is_test(cell):
            err = _error_of(cell)
            if err and cell.get("cell_type") == "code":
                other_errors.append(_T.get("hint.timeout", lang, seconds=timeout) if i in timed_out else _short(err))
            continue
        max_points = float(meta.get("points", 0) or 0)
        gid = str(meta.get("grade_id", f"cell-{i}"))
        err = _error_of(cell)
        if not_reached:
            status, hint, points = NOT_RUN, _T.get("hint.dead", lang), 0.0
        elif i in timed_out:
            status, hint, points = ERROR, _T.get("hint.timeout", lang, seconds=timeout), 0.0
        elif err is None:
            partial = _numeric_result(cell)
            points = max_points if partial is None else max(0.0, min(partial, max_points))
            status, hint = (PASSED, "") if points >= max_points else (FAILED, _T.get("hint.no_message", lang))
        else:
            points = 0.0
            answer_errors: list[tuple[int, dict[str, str]]] = []
            for j, a in answers:
                a_err = _error_of(a)
                if a_err:
                    answer_errors.append((j, a_err))
            if err["ename"] == "NotImplementedError" or any(
                e["ename"] == "NotImplementedError" for _, e in answer_errors
            ):
                status, hint = NOT_ANSWERED, _T.get("hint.not_answered", lang)
            elif answer_errors:
                j, e = answer_errors[0]
                message = _T.get("hint.timeout", lang, seconds=timeout) if j in timed_out else _short(e)
                status, hint = ERROR, _T.get("hint.answer_error", lang, error=message)
            elif err["ename"] == "AssertionError":
                status = FAILED
                hint = " ".join(err["evalue"].split()) or _T.get("hint.no_message", lang)
            else:
                status, hint = ERROR, _short(err)
        tasks.append(TaskResult(gid, title or gid, status, points, max_points, hint))
        answers = []
    return tasks, other_errors


# --------------------------------------------------------------------------------------------------
# Showing


def format_report(report: Report) -> str:
    """Render a :class:`Report` as the plain-text table ``qikit check`` prints."""
    lang = report.lang
    name = Path(report.path).name
    saved = report.saved_at.replace("T", " ")
    lines = [f"{_T.get('title', lang, name=name)} ({_T.get('saved', lang, when=saved)})"]
    if report.source_notebook:
        lines.append(_T.get("source_nb", lang))
    if not report.tasks:
        lines.append(_T.get("no_tasks", lang))
        if report.cell_errors:
            lines.append(_T.get("ran_errors", lang, n=len(report.cell_errors), error=report.cell_errors[0]))
        else:
            lines.append(_T.get("ran_ok", lang))
        return "\n".join(lines)
    lines.append(_T.get("visible_only", lang))
    lines.append("")
    width = min(max(len(t.title) for t in report.tasks), 60)
    head = f"  {_T.get('h.task', lang):<{width}}  {_T.get('h.points', lang):>9}  {_T.get('h.result', lang)}"
    lines.append(head)
    lines.append("  " + "-" * (len(head) + 8))
    for t in report.tasks:
        title = t.title if len(t.title) <= width else t.title[: width - 3] + "..."
        if t.auto:
            pts = f"{_fmt_points(t.points)} / {_fmt_points(t.max_points)}"
            result = _T.get(t.status, lang)
        else:
            pts = f"- / {_fmt_points(t.max_points)}"
            result = t.hint
        lines.append(f"  {title:<{width}}  {pts:>9}  {result}")
        if t.auto and t.hint and t.status != PASSED:
            lines.append(f"  {'':<{width}}  {'':>9}  -> {t.hint}")
    lines.append("")
    auto = report.auto_tasks
    lines.append(
        _T.get(
            "total",
            lang,
            points=_fmt_points(report.points),
            max_points=_fmt_points(report.max_points),
            passed=sum(t.status == PASSED for t in auto),
            tasks=len(auto),
        )
    )
    if report.manual_points:
        lines.append(_T.get("manual_total", lang, points=_fmt_points(report.manual_points)))
    if report.cell_errors:
        lines.append(_T.get("other_errors", lang, n=len(report.cell_errors), error=report.cell_errors[0]))
    if auto and report.passed:
        lines.append(_T.get("all_passed", lang))
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# The learner's workspace: where the last results are kept


def find_workspace(start: str | os.PathLike[str]) -> Path | None:
    """The ``qikit lab`` workspace that contains ``start`` (a folder with ``.qikit/workspace.json``)."""
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        if (folder / WORKSPACE_MARKER).is_file():
            return folder
    return None


def record(report: Report) -> Path | None:
    """Store ``report`` (without hints) in its workspace's ``.qikit/progress.json``; return that file."""
    ws = find_workspace(Path(report.path).parent)
    if ws is None:
        return None
    file = ws / PROGRESS_FILE
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    notebooks = data.setdefault("notebooks", {})
    key = Path(report.path).resolve().relative_to(ws).as_posix()
    notebooks[key] = {
        "checked_at": report.checked_at,
        "saved_at": report.saved_at,
        "points": report.points,
        "max_points": report.max_points,
        "manual_points": report.manual_points,
        "passed": report.passed,
        "tasks": [
            {"grade_id": t.grade_id, "title": t.title, "status": t.status, "points": t.points,
             "max_points": t.max_points}
            for t in report.tasks
        ],
    }
    tmp = file.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    tmp.replace(file)
    return file


# --------------------------------------------------------------------------------------------------
# From inside a notebook


def _current_notebook() -> Path | None:
    candidates: list[str] = []
    with contextlib.suppress(Exception):
        from IPython import get_ipython

        shell = get_ipython()
        if shell is not None and shell.user_ns.get("__session__"):
            candidates.append(str(shell.user_ns["__session__"]))
    if os.environ.get("JPY_SESSION_NAME"):
        candidates.append(os.environ["JPY_SESSION_NAME"])
    for name in candidates:
        p = Path(name)
        for option in (p, Path.cwd() / p, Path.cwd() / p.name):
            if option.suffix == ".ipynb" and option.is_file():
                return option.resolve()
    return None


def check(path: str | os.PathLike[str] | None = None, *, lang: str | None = None,
          timeout: int = DEFAULT_TIMEOUT) -> None:
    """Check the saved notebook (this one by default) in a separate fresh kernel and print the table.

    Use it in a cell: ``from qikit.selfcheck import check; check()``. It checks the file as last *saved*,
    so save first. Inside a running self-check it does nothing (it would otherwise check itself forever).
    """
    if os.environ.get(ACTIVE_ENV):
        print(_T.get("nested", _lang_or_default(lang)))
        return
    target = Path(path) if path is not None else _current_notebook()
    if target is None:
        print(_T.get("no_path", _lang_or_default(lang)))
        return
    try:
        _, language = read_notebook(target, lang)
    except SelfCheckInputError as exc:
        print(exc)
        return
    print(_T.get("save_first", language, path=target.name))
    print(_T.get("running", language), flush=True)
    try:
        report = run_checks(target, lang=lang, timeout=timeout)
    except SelfCheckInputError as exc:
        print(exc)
        return
    print()
    print(report.format())


# --------------------------------------------------------------------------------------------------
# The command


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qikit check",
        description=(
            "Run a notebook's visible checks in a fresh kernel and print a score per task with hints, in the "
            "notebook's language. Hidden tests and solutions are never shown. No server needed."
        ),
        epilog=(
            "Exit status: 0 all visible checks pass, 1 some do not, 2 bad input. "
            "In a notebook: from qikit.selfcheck import check; check()"
        ),
    )
    parser.add_argument("notebook", nargs="?", help="the notebook (.ipynb) to check")
    parser.add_argument("--lang", choices=("nb", "en"),
                        help="language when the notebook does not say (default $QIKIT_LANG or nb)")
    parser.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT, help="seconds per cell (default %(default)s)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON (no hints are dropped)")
    parser.add_argument("--no-save", action="store_true", help="do not record the result in the workspace")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--all", metavar="DIR", nargs="?", const="", default=None,
                       help="check every assignment in a qikit lab workspace, then show the progress overview")
    group.add_argument("--progress", metavar="DIR", nargs="?", const="", default=None,
                       help="show the progress overview from the last checks (runs nothing)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """``qikit check``: see the module docstring. Returns the exit status."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help is 0, a usage error is 2
        return int(exc.code or 0)
    with contextlib.suppress(AttributeError, ValueError):
        sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]
    if args.all is not None or args.progress is not None:
        from qikit import progress

        folder = args.all if args.all is not None else args.progress
        return progress.main(
            ([folder] if folder else []) + (["--run"] if args.all is not None else [])
            + (["--lang", args.lang] if args.lang else []) + ["--timeout", str(args.timeout)]
        )
    if not args.notebook:
        parser.print_usage(sys.stderr)
        print("qikit check: give a notebook, or --all / --progress.", file=sys.stderr)
        return 2
    try:
        report = run_checks(args.notebook, lang=args.lang, timeout=args.timeout, save=not args.no_save)
    except SelfCheckInputError as exc:
        print(f"qikit check: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.to_dict(), indent=1, ensure_ascii=False))
    else:
        print(report.format())
        print(_T.get("seconds", report.lang, seconds=report.seconds))
    return 0 if report.passed else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
