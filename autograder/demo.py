"""The bundled demo cohort: learners made from the released notebook and a manifest.

Each manifest (``autograder/demo_cohort/<assignment>.toml``) declares its learners as edits of the
release: which answer cells they filled in and with what, plus the grades they must get. Building
the hand-ins from the *current* release keeps the cohort in step with the assignment.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder.pipeline import Submission

COHORT_DIR = Path(__file__).resolve().parent / "demo_cohort"
_SOLUTION_RE = re.compile(r"^[ \t]*### BEGIN SOLUTION[ \t]*\n(.*?)^[ \t]*### END SOLUTION[ \t]*\n?", re.M | re.S)


@dataclass
class DemoLearner:
    """One demo learner as the manifest declares them."""

    id: str
    about: str
    base: str
    answers: dict[str, str] = field(default_factory=dict)
    reflection: str | None = None
    expected: dict = field(default_factory=dict)


def manifests() -> dict[str, Path]:
    """Assignment id → manifest path, for every bundled demo cohort."""
    return {p.stem: p for p in sorted(COHORT_DIR.glob("*.toml"))}


def load_manifest(assignment: str) -> list[DemoLearner]:
    """The learners of one assignment's demo cohort."""
    path = manifests().get(assignment)
    if path is None:
        raise FileNotFoundError(
            f"no demo cohort for {assignment!r}; bundled: {', '.join(manifests()) or 'none'}"
        )
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    learners = []
    for item in data["learner"]:
        learners.append(
            DemoLearner(
                id=item["id"],
                about=item.get("about", ""),
                base=item.get("base", "release"),
                answers={k: v.strip("\n") for k, v in item.get("answers", {}).items()},
                reflection=item.get("reflection"),
                expected=item.get("expected", {}),
            )
        )
    return learners


def solution_of(source_cell_text: str) -> str:
    """The instructor's solution code of one answer cell: the source with the markers removed."""
    return _SOLUTION_RE.sub(lambda m: m.group(1), source_cell_text)


def _cells_by_id(nb) -> dict[str, nbformat.NotebookNode]:
    out = {}
    for cell in nb.cells:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid:
            out[gid] = cell
    return out


def build_submission(learner: DemoLearner, release_nb: Path, source_nb: Path, dest: Path) -> Path:
    """Write one demo learner's notebook to ``dest/<notebook name>`` and return its path."""
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / release_nb.name
    if learner.base == "broken":
        text = release_nb.read_text(encoding="utf-8")
        target.write_text(text[: len(text) // 2], encoding="utf-8")  # cut off mid-save
        return target
    nb = nbformat.read(str(release_nb), as_version=4)
    cells = _cells_by_id(nb)
    if learner.base == "solution":
        source_cells = _cells_by_id(nbformat.read(str(source_nb), as_version=4))
        for gid, cell in cells.items():
            meta = cell.metadata["nbgrader"]
            if meta.get("solution") and cell.cell_type == "code":
                cell.source = solution_of(source_cells[gid].source)
    elif learner.base != "release":
        raise ValueError(f"demo learner {learner.id}: base must be solution, release or broken")
    for gid, code in learner.answers.items():
        if gid not in cells:
            raise KeyError(f"demo learner {learner.id}: no cell with grade_id {gid!r} in {release_nb.name}")
        cells[gid].source = code
    if learner.reflection:
        for cell in cells.values():
            meta = cell.metadata["nbgrader"]
            if meta.get("solution") and meta.get("grade") and cell.cell_type == "markdown":
                cell.source = learner.reflection
    nbformat.write(nb, str(target))
    return target


def build_cohort(assignment: str, work: Path, dest: Path) -> list[Submission]:
    """Make every demo learner's hand-in from ``work``'s release and source of ``assignment``."""
    learners = load_manifest(assignment)
    release = sorted((work / "release" / assignment).glob("*.ipynb"))
    if len(release) != 1:
        raise RuntimeError(f"the demo cohort expects one notebook in release/{assignment}, found {len(release)}")
    source = work / "source" / assignment / release[0].name
    subs = []
    for learner in learners:
        folder = dest / learner.id
        build_submission(learner, release[0], source, folder)
        subs.append(Submission(learner.id, folder, timestamp="2026-11-20 12:00:00.000000 UTC"))
    return subs
