"""The course's notebooks: clean in git, valid nbgrader metadata, and the two editions in step."""

import json
import subprocess
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[2]

COURSE = REPO / "course"
EDITIONS = ("nb", "en")


def tracked_notebooks():
    out = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=REPO, capture_output=True, text=True).stdout.split()
    untracked = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard", "*.ipynb"], cwd=REPO, capture_output=True, text=True
    ).stdout.split()
    return sorted(set(out) | set(untracked))


def source_notebooks(edition):
    return sorted((COURSE / edition / "source").glob("*/*.ipynb"))


def grade_cells(path):
    nb = nbformat.read(str(path), as_version=4)
    cells = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if meta:
            cells[meta["grade_id"]] = (cell.cell_type, meta.get("grade", False), meta.get("solution", False),
                                       meta.get("locked", False), meta.get("points"))
    return nb, cells


def test_committed_notebooks_have_no_outputs():
    dirty = []
    for rel in tracked_notebooks():
        nb = json.loads((REPO / rel).read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count")):
                dirty.append(rel)
                break
    assert not dirty, f"notebooks committed with outputs: {dirty}"


def test_every_edition_has_the_same_assignments():
    names = {ed: sorted(p.parent.name for p in source_notebooks(ed)) for ed in EDITIONS}
    assert names["nb"] and names["nb"] == names["en"]


@pytest.mark.parametrize("nb_path", source_notebooks("nb"), ids=lambda p: p.parent.name)
def test_editions_share_grade_ids_and_points(nb_path):
    en_path = COURSE / "en" / "source" / nb_path.parent.name / nb_path.name
    nb_nb, cells_nb = grade_cells(nb_path)
    nb_en, cells_en = grade_cells(en_path)
    assert list(cells_nb) == list(cells_en), "the two editions must have the same graded cells in the same order"
    assert cells_nb == cells_en, "grade cells differ in type, points or flags between editions"
    assert nb_nb.metadata["qikit"]["edition"] == "nb" and nb_en.metadata["qikit"]["edition"] == "en"
    for key in ("module", "domain", "level"):
        assert nb_nb.metadata["qikit"][key] == nb_en.metadata["qikit"][key]


@pytest.mark.parametrize("nb_path", source_notebooks("nb") + source_notebooks("en"), ids=str)
def test_assignment_structure(nb_path):
    nb, cells = grade_cells(nb_path)
    nbformat.validate(nb)
    tests = {g: c for g, c in cells.items() if c[1] and not c[2]}
    manual = {g: c for g, c in cells.items() if c[1] and c[2]}
    answers = {g: c for g, c in cells.items() if c[2] and not c[1]}
    assert len(tests) >= 4, "at least four autograded tasks"
    assert manual, "at least one manually graded reflection"
    assert all(c[4] and c[4] > 0 for c in tests.values())
    assert all(c[3] for c in tests.values()), "test cells must be locked"
    srcs = {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells if "nbgrader" in c.metadata}
    for gid in tests:
        assert "### BEGIN HIDDEN TESTS" in srcs[gid], f"{gid} has no hidden tests"
        assert "warnings.simplefilter" in srcs[gid], f"{gid} must silence warnings"
        visible = srcs[gid].split("### BEGIN HIDDEN TESTS")[0]
        assert "assert" in visible, f"{gid} has no visible tests"
    for gid in answers:
        assert "### BEGIN SOLUTION" in srcs[gid], f"{gid} has no solution region"
