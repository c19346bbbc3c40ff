"""Fast unit tests of the grader's parts (no kernels, no nbgrader runs)."""

from __future__ import annotations

import copy

import nbformat
import pytest
from autograder.pipeline import STATUS_FAILED, CohortResult, LearnerResult, sandbox_mode
from autograder.preprocessors import RedactHiddenTests, hidden_test_fragments

from autograder import late, normalize, report


def _release():
    def cell(kind, gid, src, **meta):
        c = nbformat.v4.new_code_cell(src) if kind == "code" else nbformat.v4.new_markdown_cell(src)
        c.id = gid.replace("_", "-")
        base = {"grade": False, "solution": False, "locked": True, "grade_id": gid, "schema_version": 3}
        base.update(meta)
        c.metadata["nbgrader"] = base
        return c

    return nbformat.v4.new_notebook(
        cells=[
            cell("markdown", "intro", "# Intro"),
            cell("code", "setup", "import math"),
            cell("code", "answer_x", "# YOUR CODE HERE", solution=True, locked=False),
            cell("code", "test_x", "assert x == 1", grade=True, points=2),
            cell("markdown", "reflection", "YOUR ANSWER HERE", solution=True, grade=True, locked=False, points=1),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )


def _learner(release):
    nb = copy.deepcopy(release)
    nb.cells[2].source = "x = 1"
    nb.cells[4].source = "My reflection."
    return nb


def test_normalize_keeps_answers_and_restores_everything_else():
    rel = _release()
    sub = _learner(rel)
    sub.cells[3].source = "pass"  # edited test
    sub.cells[3].metadata["nbgrader"]["grade"] = False  # and its metadata
    sub.cells.insert(3, nbformat.v4.new_code_cell("helper = 2"))  # an added cell
    sub.cells[1].cell_type = "markdown"  # retyped setup
    sub.metadata["kernelspec"] = {"name": "bash"}
    nb, notes = normalize.normalize(sub, rel)
    srcs = [c.source for c in nb.cells]
    assert srcs == ["# Intro", "import math", "x = 1", "helper = 2", "assert x == 1", "My reflection."]
    assert nb.cells[4].metadata["nbgrader"]["grade"] is True and nb.cells[1].cell_type == "code"
    assert "nbgrader" not in nb.cells[3].metadata
    assert nb.metadata["kernelspec"]["name"] == "python3"
    text = " | ".join(notes)
    for phrase in (
        "edited the locked cell test_x",
        "changed the grading metadata of test_x",
        "changed the type of the locked cell setup",
        "kernel",
    ):
        assert phrase in text, (phrase, notes)
    assert len({c.id for c in nb.cells}) == len(nb.cells)


def test_normalize_deleted_moved_and_duplicated_cells():
    rel = _release()
    sub = _learner(rel)
    dup = copy.deepcopy(sub.cells[2])
    dup.id = "dup"
    dup.source = "x = 2"
    sub.cells = [sub.cells[4], sub.cells[2], dup, sub.cells[0]]  # reordered, tests and setup deleted, duplicate
    nb, notes = normalize.normalize(sub, rel)
    assert [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells][:6] == [
        "intro",
        "setup",
        "answer_x",
        None,
        "test_x",
        "reflection",
    ]
    assert nb.cells[2].source == "x = 1" and nb.cells[3].source == "x = 2"
    text = " | ".join(notes)
    assert "moved cells" in text and "deleted the locked cell test_x" in text and "duplicated the cell answer_x" in text


def test_normalize_finds_answers_by_cell_id_when_metadata_is_gone():
    rel = _release()
    sub = _learner(rel)
    del sub.cells[2].metadata["nbgrader"]
    nb, _ = normalize.normalize(sub, rel)
    assert nb.cells[2].source == "x = 1"


@pytest.mark.parametrize(
    "content, phrase",
    [(b'{"cells": [', "not valid JSON"), (b'{"a": 1}', "no list of cells"), (b"\xff\xfe", "not UTF-8")],
)
def test_invalid_notebooks(tmp_path, content, phrase):
    p = tmp_path / "x.ipynb"
    p.write_bytes(content)
    with pytest.raises(normalize.InvalidNotebook, match=phrase):
        normalize.read_submitted(p)


def test_late_policies():
    assert late.penalty("none", 10, 3600) == 0
    assert late.penalty("zero", 10, 1) == 10
    assert late.penalty("per-day:10", 10, 3600) == 1.0
    assert late.penalty("per-day:10", 10, 86400 * 2 + 1) == 3.0
    assert late.penalty("per-day:50", 10, 86400 * 5) == 10
    assert late.penalty("grace:2,zero", 10, 3600) == 0
    assert late.penalty("grace:2,zero", 10, 3 * 3600) == 10
    assert late.penalty("zero", 10, 0) == 0
    with pytest.raises(ValueError):
        late.parse_policy("half")


def test_redaction_of_hidden_tests_in_outputs():
    test = nbformat.v4.new_code_cell(
        "assert ok\n### BEGIN HIDDEN TESTS\nassert math.isclose(value, 0.10516883192883895), 'wrong value'\n"
        "### END HIDDEN TESTS\n"
    )
    test.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "t", "points": 1}
    leak = nbformat.v4.new_code_cell("print(In[-1])")
    leak.outputs = [
        nbformat.v4.new_output(
            "stream", name="stdout", text="assert math.isclose(value, 0.10516883192883895), 'wrong value'\nok\n"
        ),
        nbformat.v4.new_output(
            "error", ename="AssertionError", evalue="wrong value", traceback=["x 0.10516883192883895"]
        ),
    ]
    nb = nbformat.v4.new_notebook(cells=[test, leak])
    lines, numbers = hidden_test_fragments(nb.cells)
    assert numbers == ["0.10516883192883895"]
    nb, _ = RedactHiddenTests().preprocess(nb, {})
    text = nb.cells[1].outputs[0].text
    assert "isclose" not in text and "ok" in text
    assert nb.cells[1].outputs[1].evalue == "wrong value"  # messages for learners stay
    assert "0.105" not in nb.cells[1].outputs[1].traceback[0]


def test_item_rest_discrimination_and_follow_up():
    def learner(i, a, b, status="graded", **kw):
        r = LearnerResult(f"l{i}", status, auto_score=a + b, auto_max_score=3, **kw)
        r.tasks = {"easy": (a, 1.0), "hard": (b, 2.0)}
        return r

    learners = [learner(0, 1, 2), learner(1, 1, 2), learner(2, 0, 0), learner(3, 1, 0), learner(4, 0, 0)]
    learners.append(LearnerResult("broken", STATUS_FAILED, "invalid notebook"))
    learners[3].integrity = ["replaced math.isclose"]
    res = CohortResult("a", "c", learners, None, None, None, 1.0)
    stats = {s["grade_id"]: s for s in report.task_statistics(res)}
    assert stats["easy"]["difficulty"] == pytest.approx(0.6)
    assert stats["hard"]["difficulty"] == pytest.approx(0.4)
    assert stats["easy"]["discrimination"] > 0.5
    assert report.pearson([1, 1, 1], [1, 2, 3]) is None
    who = dict(report.follow_up(res))
    assert "broken" in who and "l2" in who and "integrity" in who["l3"]


def test_report_is_written(tmp_path):
    r = LearnerResult("a", "graded", auto_score=1, auto_max_score=2, score=1, max_score=3)
    r.tasks = {"t": (1.0, 2.0), "reflection": (None, 1.0)}
    res = CohortResult("m05", "qikit-en", [r], tmp_path, tmp_path / "g.csv", tmp_path / "t.csv", 1.0)
    path = report.write_report([res], tmp_path / "report.html")
    html = path.read_text(encoding="utf-8")
    assert "Difficulty" not in html or "data:image/png;base64" in html
    assert "discrimination" in html and "Needs follow-up" in html


def test_sandbox_modes(monkeypatch):
    from autograder import sandbox

    monkeypatch.setattr(sandbox, "_STATUS", sandbox.SandboxStatus(False, None, "bubblewrap is not installed"))
    said = []
    with pytest.raises(sandbox.SandboxUnavailable, match="will not grade"):
        sandbox_mode("require", said.append)
    ok, label = sandbox_mode("auto", said.append)
    assert ok is False and "unavailable" in label and "WARNING" in said[-1]
    ok, label = sandbox_mode("off", said.append)
    assert ok is False and label.startswith("off")


def test_grade_unknown_assignment_is_one_line_exit_2(tmp_path, capsys):
    from autograder.cli import main

    learner = tmp_path / "subs" / "kari"
    learner.mkdir(parents=True)
    (learner / "no-such-assignment.ipynb").write_text("{}", encoding="utf-8")
    status = main(
        [
            "grade",
            "no-such-assignment",
            "--edition",
            "nb",
            "--submissions",
            str(tmp_path / "subs"),
            "--out",
            str(tmp_path / "out"),
        ]
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2
    assert err and "no-such-assignment" in err[-1] and "m05-run-charts" in err[-1]
    assert "Traceback" not in "\n".join(err)
