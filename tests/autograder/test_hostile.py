"""Hostile and broken hand-ins, graded in one run together with honest ones.

Every honest learner's score must be exact; every hostile one must be contained (the others are
graded correctly, the gradebook stays whole, nothing outside the sandbox changes) and reported
with an honest score and a reason. Needs bubblewrap (``scripts/system-deps.sh`` installs it).
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import os
import sqlite3
import subprocess
from pathlib import Path

import nbformat
import pytest
from autograder.pipeline import GradingSettings, grade_cohort
from autograder.preprocessors import hidden_test_fragments
from autograder.sandbox import probe
from tests.autograder import hostile_corpus as H
from tests.conftest import REPO

pytestmark = pytest.mark.slow

COURSE = REPO / "course" / "en"


def _tree_hash(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(folder)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    st = probe()
    if not st.available:
        pytest.skip(f"no OS sandbox on this machine: {st.reason}")
    out = tmp_path_factory.mktemp("hostile")
    before = {"course": _tree_hash(REPO / "course"), "datasets": _tree_hash(REPO / "datasets")}
    cases: list[H.Case] = []

    def make(work: Path):
        probe_paths = {
            "SOURCE_NOTEBOOKS": [
                str(COURSE / "source" / H.ASSIGNMENT / f"{H.ASSIGNMENT}.ipynb"),
                str(work / "source" / H.ASSIGNMENT / f"{H.ASSIGNMENT}.ipynb"),
            ],
            "GRADEBOOKS": [str(work / "gradebook.db")],
            "OTHER_LEARNERS": [str(work / "submitted" / "honest-solution"), str(out / "corpus" / "honest-solution")],
            "OUT_DIR": str(out),
            "DATASETS": str(REPO / "datasets"),
            "VENV": str(Path(os.sys.prefix)),
        }
        subs, built = H.build(work, out / "corpus", probe_paths)
        cases.extend(built)
        return subs

    res = grade_cohort(
        COURSE,
        H.ASSIGNMENT,
        make,
        out,
        workers=2,
        settings=GradingSettings(timeout=5, sandbox="require", notebook_wall_seconds=120),
    )
    after = {"course": _tree_hash(REPO / "course"), "datasets": _tree_hash(REPO / "datasets")}
    return out, res, {c.id: c for c in cases}, before, after


# Case ids are static (the corpus is code); listing them here gives one test per learner.
_CASE_IDS = [
    "honest-solution",
    "honest-floor",
    "honest-warns",
    "h-loop",
    "h-ignore-interrupt",
    "h-exit",
    "h-kill-parent",
    "h-memory",
    "h-flood",
    "h-fork-bomb",
    "h-disk",
    "h-delete-tests",
    "h-edit-tests",
    "h-cell-types",
    "h-metadata",
    "h-reorder",
    "h-rename",
    "h-bad-json",
    "h-not-notebook",
    "h-cheat-isclose",
    "h-cheat-builtins",
    "h-cheat-shadow",
    "h-cheat-sysmodules",
    "h-cheat-transformer",
    "h-cheat-run-cell",
    "h-cheat-hooks",
    "h-cheat-thread",
    "h-rigged-eq",
    "h-inject-result",
    "h-leak-tests",
    "h-sandbox-probe",
]


def test_corpus_ids_are_listed(hostile_run):
    _, _, cases, _, _ = hostile_run
    assert sorted(cases) == sorted(_CASE_IDS)


@pytest.mark.parametrize("learner", _CASE_IDS)
def test_score_status_and_reason(hostile_run, learner):
    _, res, cases, _, _ = hostile_run
    case = cases[learner]
    r = res.by_id()[learner]
    assert r.status == case.status, (learner, r.status, r.reason)
    if case.auto_score is not None:
        assert r.auto_score == case.auto_score, (learner, r.auto_score, r.tasks, r.reason)
    for phrase in case.reason:
        assert phrase in r.reason, (learner, phrase, r.reason)
    if case.honest:
        assert not r.integrity and r.reason == "", (learner, r.reason)
    elif case.status == "failed":
        assert r.score == 0 and r.max_score > 0


def test_honest_learners_tasks_exact(hostile_run):
    _, res, _, _, _ = hostile_run
    got = res.by_id()
    full = {
        "test_baseline_median": 2,
        "test_after_median": 2,
        "test_anhoej_limits": 2,
        "test_longest_run": 3,
        "test_n_crossings": 2,
        "test_baseline_signal": 1,
    }
    assert {k: v[0] for k, v in got["honest-solution"].tasks.items() if k in full} == full
    assert {k: v[0] for k, v in got["honest-warns"].tasks.items() if k in full} == full
    assert got["honest-floor"].tasks["test_anhoej_limits"][0] == 0


def test_sandbox_holds(hostile_run):
    out, _, _, _, _ = hostile_run
    nb = nbformat.read(
        str(out / "qikit-en" / "autograded" / "h-sandbox-probe" / H.ASSIGNMENT / f"{H.ASSIGNMENT}.ipynb"), 4
    )
    lines = [o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    verdict_line = next(line for text in lines for line in text.splitlines() if line.startswith("PROBE:"))
    verdict = json.loads(verdict_line[len("PROBE:") :])
    uid = verdict.pop("uid_in_sandbox")
    assert uid == "1000"
    assert not any(verdict.values()), {k: v for k, v in verdict.items() if v}


def test_nothing_outside_the_sandbox_changed(hostile_run):
    out, _, _, before, after = hostile_run
    assert before == after, "a learner's code changed the course or the datasets"
    for folder in (REPO / "datasets", Path(os.sys.prefix), REPO / "course"):
        assert not list(folder.glob("pwned*")), folder
    assert not Path("/pwned.txt").exists()
    src = out / "qikit-en" / "source" / H.ASSIGNMENT / f"{H.ASSIGNMENT}.ipynb"
    assert src.read_bytes() == (COURSE / "source" / H.ASSIGNMENT / f"{H.ASSIGNMENT}.ipynb").read_bytes()


def test_gradebook_whole(hostile_run):
    out, res, cases, _, _ = hostile_run
    db = out / "qikit-en" / "gradebook.db"
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        students = {r[0] for r in con.execute("SELECT student_id FROM submitted_assignment")}
        graded = {c for c, case in cases.items() if case.status != "failed"}
        assert students == graded
        # one row per learner and graded cell, no duplicates
        n_cells = con.execute("SELECT COUNT(*) FROM grade_cells").fetchone()[0]
        n_grades = con.execute("SELECT COUNT(*) FROM grade").fetchone()[0]
        assert n_grades == n_cells * len(graded)
        dups = con.execute(
            "SELECT COUNT(*) FROM (SELECT notebook_id, cell_id, COUNT(*) c FROM grade"
            " GROUP BY notebook_id, cell_id HAVING c > 1)"
        ).fetchone()[0]
        assert dups == 0
    finally:
        con.close()
    rows = list(csv.DictReader((out / "qikit-en" / "grades.csv").open(encoding="utf-8")))
    assert sorted(r["student_id"] for r in rows) == sorted(cases)


def test_no_hidden_test_in_any_feedback(hostile_run):
    out, _, cases, _, _ = hostile_run
    source = nbformat.read(str(COURSE / "source" / H.ASSIGNMENT / f"{H.ASSIGNMENT}.ipynb"), 4)
    lines, numbers = hidden_test_fragments(source.cells)
    assert lines and numbers
    files = sorted((out / "qikit-en" / "feedback").rglob("*.html"))
    assert len(files) == sum(1 for c in cases.values() if c.status != "failed")
    for f in files:
        learner = f.parent.parent.name
        text = f.read_text(encoding="utf-8")
        plain = html.unescape(text)
        assert "BEGIN HIDDEN TESTS" not in plain, f
        for line in lines:
            assert line not in plain and html.escape(line) not in text, (learner, line)
        # A learner may type an expected value into their own code; it must not come from the tests.
        handed_in = (out / "qikit-en" / "submitted" / learner / H.ASSIGNMENT / f"{H.ASSIGNMENT}.ipynb").read_text(
            encoding="utf-8"
        )
        for num in numbers:
            if num not in handed_in:
                assert num not in plain, (learner, num)


def test_no_process_or_sandbox_left_behind(hostile_run):
    _, res, _, _, _ = hostile_run
    root = res.sandbox_root
    assert root and not Path(root).exists()
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert root not in ps
    for base in (Path("/sys/fs/cgroup/pids/qikit"), Path("/sys/fs/cgroup/memory/qikit")):
        if base.is_dir():
            assert not [d for d in base.iterdir() if d.name.startswith(Path(root).name)]
