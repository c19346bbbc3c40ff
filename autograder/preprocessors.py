"""nbconvert preprocessors that fix what stock nbgrader gets wrong for a course like this one."""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool


def _is_test_cell(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution") and cell.get("cell_type") == "code"


class StderrToStdoutInTests(Preprocessor):
    """Turn stderr stream output in test cells into stdout, before grades are determined.

    nbgrader's ``determine_grade`` scores any stderr output in a test cell as a failure, so a
    correct answer that triggers a pandas ``FutureWarning`` would score zero. The text is kept.
    """

    enabled = Bool(True).tag(config=True)  # nbconvert preprocessors are off unless enabled

    def preprocess_cell(self, cell, resources, index):
        if _is_test_cell(cell):
            for out in cell.get("outputs", []):
                if out.get("output_type") == "stream" and out.get("name") == "stderr":
                    out["name"] = "stdout"
        return cell, resources


class HideTestTracebacks(Preprocessor):
    """In feedback, reduce a failing test cell's traceback to its last line (the helpful message).

    A traceback quotes the failing line of the test cell, which for a hidden test would reveal the
    hidden assertion (jupyter/nbgrader#917). The message itself is written for the learner.
    """

    enabled = Bool(True).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if _is_test_cell(cell):
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    ename, evalue = out.get("ename", "Error"), out.get("evalue", "")
                    out["traceback"] = [f"{ename}: {evalue}" if evalue else ename]
        return cell, resources


BEGIN_HIDDEN = "BEGIN HIDDEN TESTS"
END_HIDDEN = "END HIDDEN TESTS"
MIN_LINE = 10  # hidden-test lines shorter than this are too generic to redact (e.g. "else:")


def hidden_test_fragments(cells) -> tuple[list[str], list[str]]:
    """Lines of hidden tests, and the long number literals in them, from the test cells of a notebook."""
    import io
    import tokenize

    lines: list[str] = []
    numbers: list[str] = []
    for cell in cells:
        if not _is_test_cell(cell):
            continue
        inside = False
        hidden: list[str] = []
        for line in cell.get("source", "").splitlines():
            if BEGIN_HIDDEN in line:
                inside = True
                continue
            if END_HIDDEN in line:
                inside = False
                continue
            if inside:
                hidden.append(line)
        for line in hidden:
            s = line.strip()
            if len(s) >= MIN_LINE and not s.startswith("#"):
                lines.append(s)
        try:
            for tok in tokenize.generate_tokens(io.StringIO("\n".join(hidden) + "\n").readline):
                if tok.type == tokenize.NUMBER and sum(ch.isdigit() for ch in tok.string) >= 6:
                    numbers.append(tok.string)
        except (tokenize.TokenError, IndentationError, SyntaxError):
            pass
    return sorted(set(lines), key=len, reverse=True), sorted(set(numbers), key=len, reverse=True)


def _redact_text(text: str, lines: list[str], numbers: list[str]) -> tuple[str, bool]:
    changed = False
    out = []
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if BEGIN_HIDDEN in line or END_HIDDEN in line:
            changed = True
            continue
        if len(stripped) >= MIN_LINE and any(h in line for h in lines):
            out.append("[... a line of a hidden test was removed ...]\n")
            changed = True
            continue
        for num in numbers:
            if num in line:
                line = line.replace(num, "[hidden]")
                changed = True
        out.append(line)
    return "".join(out), changed


class RedactHiddenTests(Preprocessor):
    """In feedback, remove anything of a hidden test that reached an output, in any cell.

    Runs before nbgrader's ``ClearHiddenTests`` (which removes hidden tests from the cells' code) and
    scans every output: a learner's code can print what it saw of a test (e.g. from an IPython hook,
    or in an exception message), and a traceback quotes test code. Lines of hidden tests and the long
    numbers in them (expected values) are replaced.
    """

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        lines, numbers = hidden_test_fragments(nb.cells)
        if not lines and not numbers:
            return nb, resources
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                kind = out.get("output_type")
                if kind == "stream":
                    out["text"], _ = _redact_text(out.get("text", ""), lines, numbers)
                elif kind == "error":
                    out["evalue"], _ = _redact_text(out.get("evalue", ""), lines, numbers)
                    out["traceback"] = [_redact_text(t, lines, numbers)[0] for t in out.get("traceback", [])]
                elif kind in ("execute_result", "display_data"):
                    data = out.get("data", {})
                    for mime in list(data):
                        if mime.startswith("text/") or mime in ("application/json", "application/javascript"):
                            value = data[mime]
                            text = (
                                value if isinstance(value, str) else "".join(value) if isinstance(value, list) else None
                            )
                            if text is None:
                                continue
                            new, changed = _redact_text(text, lines, numbers)
                            if changed:
                                data[mime] = new
        return nb, resources


FEEDBACK_TEXT = {
    "nb": {
        "title": "Oppsummering fra retteren",
        "task": "Oppgave",
        "points": "Poeng",
        "manual": "rettes av faglærer",
        "notes": "Merknader",
        "total": "Sum (automatisk rettet)",
    },
    "en": {
        "title": "Summary from the grader",
        "task": "Task",
        "points": "Points",
        "manual": "graded by your instructor",
        "notes": "Notes",
        "total": "Total (autograded)",
    },
}


class FeedbackSummary(Preprocessor):
    """Put a short summary at the top of the feedback: points per task and the grader's notes.

    The notes (e.g. a cell that timed out, a test cell that was restored) come from the grader's
    record for this learner (``.qikit/exec``, written by :class:`autograder.execute.SandboxedExecute`).
    Integrity findings are for the instructor and are not shown here.
    """

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        import json
        from pathlib import Path

        from nbformat.v4 import new_markdown_cell

        lang = (nb.metadata.get("qikit", {}) or {}).get("edition", "en")
        text = FEEDBACK_TEXT.get(lang, FEEDBACK_TEXT["en"])
        rows = []
        got_total = max_total = 0.0
        for cell in nb.cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if not meta.get("grade"):
                continue
            gid = meta.get("grade_id", "?")
            mx = float(meta.get("points", 0) or 0)
            score = meta.get("score")
            if cell.get("cell_type") == "code" and not meta.get("solution"):
                got = float(score or 0)
                got_total += got
                max_total += mx
                rows.append(f"| `{gid}` | {got:g} / {mx:g} |")
            else:
                shown = f"{float(score):g} / {mx:g}" if score is not None else f"– / {mx:g} ({text['manual']})"
                rows.append(f"| `{gid}` | {shown} |")
        if not rows:
            return nb, resources
        md = [f"### {text['title']}", "", f"| {text['task']} | {text['points']} |", "|---|---|", *rows]
        md.append(f"| **{text['total']}** | **{got_total:g} / {max_total:g}** |")
        path = resources.get("metadata", {}).get("path")
        notes: list[str] = []
        if path:
            p = Path(path)
            try:
                work, student, assignment = p.parents[2], p.parent.name, p.name
                rep = work / ".qikit" / "exec" / assignment / student / f"{resources.get('unique_key', '')}.json"
                if rep.is_file():
                    notes = list(json.loads(rep.read_text(encoding="utf-8")).get("events", []))
            except (IndexError, OSError, ValueError):
                notes = []
        if notes:
            md += ["", f"**{text['notes']}:**", ""] + [f"- {n}" for n in notes]
        nb.cells.insert(0, new_markdown_cell("\n".join(md), metadata={"qikit": {"feedback_summary": True}}))
        return nb, resources


RUBRIC_MARK = "qikit_rubric"


class InsertRubrics(Preprocessor):
    """Autograde: put each reflection's rubric (the instructor's source cell) under the learner's answer.

    The formgrader shows the autograded notebook, so whoever grades the reflection by hand has the
    rubric at hand. Runs after execution (the sandboxed kernel never sees it); learners never see
    autograded notebooks, and :class:`RemoveRubrics` takes the cells out of the feedback.
    """

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        from nbformat.v4 import new_markdown_cell
        from nbgrader.api import Gradebook, MissingEntry

        info = resources.get("nbgrader", {})
        db_url, assignment, notebook = info.get("db_url"), info.get("assignment"), info.get("notebook")
        if not (db_url and assignment and notebook):
            return nb, resources
        nb.cells = [c for c in nb.cells if not c.get("metadata", {}).get(RUBRIC_MARK)]
        out = []
        course_id = self.config.get("CourseDirectory", {}).get("course_id") or "default_course"
        with Gradebook(db_url, course_id) as gb:
            for cell in nb.cells:
                out.append(cell)
                meta = cell.get("metadata", {}).get("nbgrader", {})
                if cell.get("cell_type") == "markdown" and meta.get("solution") and meta.get("grade"):
                    try:
                        src = gb.find_source_cell(meta["grade_id"], notebook, assignment).source
                    except MissingEntry:
                        continue
                    text = (
                        f"> **Rubric and model answer for `{meta['grade_id']}` (instructors only: "
                        f"not in the learner's feedback)**\n>\n" + "\n".join(f"> {line}" for line in src.splitlines())
                    )
                    out.append(new_markdown_cell(text, metadata={RUBRIC_MARK: True}))
        nb.cells = out
        return nb, resources


class RemoveRubrics(Preprocessor):
    """Feedback: drop the rubric cells that :class:`InsertRubrics` added for the graders."""

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        nb.cells = [c for c in nb.cells if not c.get("metadata", {}).get(RUBRIC_MARK)]
        return nb, resources
