"""Helpers shared by the learner, browser and hub tests: learner versions, solved and broken answers."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[2]


EDITIONS = ("nb", "en")
REFLECTION = {
    "nb": "Baseline var ustabil, så nedgangen kan ha andre årsaker enn håndvask. Jeg ville hatt en lengre baseline.",
    "en": "The baseline was unstable, so the fall may have other causes than handwashing. "
    "I would use a longer baseline.",
}


def source_notebook(edition: str, assignment: str = "m05-run-charts") -> Path:
    return REPO / "course" / edition / "source" / assignment / f"{assignment}.ipynb"


def solution_code(source: str) -> str:
    """A source cell's code with nbgrader's solution markers removed (what a learner would write)."""
    return "".join(
        line for line in source.splitlines(keepends=True) if "BEGIN SOLUTION" not in line and "END SOLUTION" not in line
    )


def solve(learner_nb: Path, edition: str, *, answers: dict[str, str] | None = None) -> None:
    """Write the solutions of the source notebook into a learner version (answers override by grade_id)."""
    src = nbformat.read(str(source_notebook(edition, learner_nb.stem)), as_version=4)
    solutions = {
        c.metadata["nbgrader"]["grade_id"]: solution_code(c.source)
        for c in src.cells
        if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"
    }
    solutions.update(answers or {})
    nb = nbformat.read(str(learner_nb), as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        gid = meta.get("grade_id")
        if meta.get("solution") and cell.cell_type == "code" and gid in solutions:
            cell.source = solutions[gid]
        elif meta.get("solution") and cell.cell_type == "markdown":
            cell.source = REFLECTION[edition]
    nbformat.write(nb, str(learner_nb))


def hidden_strings(edition: str, assignment: str = "m05-run-charts") -> list[str]:
    """Lines that occur only in hidden tests or solutions of the source (they must never be printed)."""
    nb = json.loads(source_notebook(edition, assignment).read_text(encoding="utf-8"))
    secret: list[str] = []
    visible: list[str] = []
    for cell in nb["cells"]:
        text = "".join(cell["source"])
        lines = text.splitlines()
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell["cell_type"] == "markdown" and meta.get("solution"):  # the rubric
            secret += [ln.strip() for ln in lines if len(ln.strip()) > 12]
            continue
        inside = False
        for line in lines:
            if "BEGIN HIDDEN TESTS" in line or "BEGIN SOLUTION" in line:
                inside = True
                continue
            if "END HIDDEN TESTS" in line or "END SOLUTION" in line:
                inside = False
                continue
            if inside and len(line.strip()) > 12:
                secret.append(line.strip())
            elif not inside:
                visible.append(line)
    # also the hidden assertion messages on their own
    for line in list(secret):
        if "'" in line and line.startswith("assert"):
            parts = line.split("'")
            if len(parts) >= 3 and len(parts[-2]) > 12:
                secret.append(parts[-2])
    shown = "\n".join(visible)
    return [s for s in secret if s not in shown]


def lite_site(basetemp: Path) -> Path:
    """Build the JupyterLite site once per test session (shared by the build and the browser tests)."""
    from qikit.lab import build_lite

    out = basetemp / "lite-site"
    if not (out / "index.html").is_file():
        venv = Path.home() / ".cache" / "qikit" / "lite-venv"  # the build tools, kept between runs
        build_lite(REPO, out, venv=venv, log=lambda *a: None)
    return out
