"""End to end through real nbgrader: the demo cohort's grades match its manifest exactly.

This proves every graded task three ways: the solution scores full marks, the untouched release
scores zero, and each plausible wrong answer loses exactly its task's points with a helpful message.
"""

import csv

import pytest
from autograder.demo import load_manifest, manifests

pytestmark = pytest.mark.slow

EDITIONS = {"nb": "qikit-nb", "en": "qikit-en"}


def read_csv(path):
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_demo_command_succeeds(demo_run):
    out, proc = demo_run
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    assert "matches the manifest: yes" in proc.stdout
    assert "matches the manifest: NO" not in proc.stdout
    assert (out / "report.html").exists()


def test_grades_csv_contract(demo_run):
    out, _ = demo_run
    rows = read_csv(out / "grades.csv")
    assert set(["student_id", "assignment", "score", "max_score", "status"]) <= set(rows[0])
    n_learners = sum(len(load_manifest(a)) for a in manifests())
    assert len(rows) == n_learners * len(EDITIONS)
    assert {r["status"] for r in rows} <= {"graded", "needs_manual_grading", "failed"}


@pytest.mark.parametrize("edition", list(EDITIONS))
@pytest.mark.parametrize("assignment", list(manifests()))
def test_every_learner_and_task_matches_the_manifest(demo_run, edition, assignment):
    out, _ = demo_run
    work = out / EDITIONS[edition]
    grades = {r["student_id"]: r for r in read_csv(work / "grades.csv") if r["assignment"] == assignment}
    tasks = {}
    for r in read_csv(work / "tasks.csv"):
        if r["assignment"] == assignment:
            tasks.setdefault(r["student_id"], {})[r["grade_id"]] = r["score"]
    for learner in load_manifest(assignment):
        exp, got = learner.expected, grades[learner.id]
        assert got["status"] == exp["status"], (learner.id, got)
        assert float(got["auto_score"]) == float(exp["auto_score"]), (learner.id, got)
        if exp.get("reason"):
            assert exp["reason"] in got["reason"], (learner.id, got["reason"])
        for gid, pts in exp.get("tasks", {}).items():
            assert float(tasks[learner.id][gid]) == float(pts), (learner.id, gid, tasks[learner.id][gid])
        if exp["status"] == "failed":
            assert float(got["score"]) == 0 and float(got["max_score"]) > 0


@pytest.mark.parametrize("edition", list(EDITIONS))
def test_feedback_for_every_graded_learner_without_hidden_tests(demo_run, edition):
    out, _ = demo_run
    work = out / EDITIONS[edition]
    for assignment in manifests():
        for learner in load_manifest(assignment):
            files = list((work / "feedback" / learner.id / assignment).glob("*.html"))
            if learner.expected["status"] == "failed":
                assert not files
                continue
            assert files, f"no feedback for {learner.id}"
            html = files[0].read_text(encoding="utf-8")
            assert "BEGIN HIDDEN TESTS" not in html and "_reference_limits" not in html
            assert "0.10516883192883895" not in html, "a hidden expected value leaked into feedback"
            for phrase in learner.expected.get("messages", {}).get(edition, []):
                assert phrase in html or phrase.replace("'", "&#39;") in html, (learner.id, phrase)


def test_source_notebooks_untouched_by_grading(demo_run):
    from pathlib import Path

    REPO = Path(__file__).resolve().parents[2]

    out, _ = demo_run
    for ed, course_id in EDITIONS.items():
        for step in ("autograded", "submitted", "feedback"):
            assert not (REPO / "course" / ed / step).exists(), f"grading wrote into the repository's course/{ed}/{step}"
        for src in (REPO / "course" / ed / "source").glob("*/*.ipynb"):
            copy = out / course_id / "source" / src.parent.name / src.name
            if copy.exists():
                assert copy.read_bytes() == src.read_bytes()
