"""The instructor's loop end to end: a Canvas zip with a late hand-in, grading, the LMS export, the
rubric in the formgrader's notebook, manual grading of a reflection and the comment in the feedback."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from autograder.pipeline import NbGrader, prepare_workdir
from autograder.sandbox import probe
from tests.conftest import REPO

from autograder import demo

pytestmark = pytest.mark.slow

ASSIGNMENT = "m05-run-charts"
QIKIT = str(Path(sys.executable).parent / "qikit")


def qikit(*args, cwd=None):
    proc = subprocess.run(
        [QIKIT, *args], capture_output=True, text=True, timeout=600, env={**os.environ, "PYTHONWARNINGS": "ignore"}
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout


def rows(path):
    with open(path, encoding="utf-8") as fh:
        return {r["student_id"]: r for r in csv.DictReader(fh)}


def test_canvas_zip_late_lms_export_rubric_and_manual_grading(tmp_path):
    if not probe().available:
        pytest.skip(f"no OS sandbox on this machine: {probe().reason}")
    scratch = tmp_path / "scratch"
    prepare_workdir(REPO / "course" / "en", ASSIGNMENT, scratch)
    NbGrader(scratch).generate_assignment(ASSIGNMENT)
    subs = {s.student_id: s for s in demo.build_cohort(ASSIGNMENT, scratch, tmp_path / "built")}
    nb_name = f"{ASSIGNMENT}.ipynb"
    z = tmp_path / "canvas.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(subs["demo-solution"].path / nb_name, f"nordmannkari_1001_5001_{nb_name}")
        zf.write(subs["demo-solution"].path / nb_name, f"hansenola_late_1002_5002_{nb_name}")
        zf.write(subs["demo-floor"].path / nb_name, f"berglise_1003_5003_{nb_name}")
        zf.writestr("../../escape.ipynb", "{}")
    out = tmp_path / "out"
    stdout = qikit(
        "grade",
        ASSIGNMENT,
        "--edition",
        "en",
        "--zip",
        str(z),
        "--out",
        str(out),
        "--workers",
        "2",
        "--due",
        "2026-11-20 23:59:00 UTC",
        "--late-policy",
        "zero",
    )
    assert "imported 3 learner(s) from a Canvas download" in stdout
    assert "hansenola-1002" in stdout  # reported as late by the LMS
    work = out / "qikit-en"
    grades = rows(work / "grades.csv")
    assert set(grades) == {"nordmannkari-1001", "hansenola-1002", "berglise-1003"}
    on_time, late = grades["nordmannkari-1001"], grades["hansenola-1002"]
    assert on_time["late"] == "no" and float(on_time["auto_score"]) == 12
    assert late["late"] == "yes" and float(late["seconds_late"]) > 0
    assert float(late["score"]) == 0 and float(late["late_penalty"]) > 0  # --late-policy zero
    assert float(grades["berglise-1003"]["auto_score"]) == 10
    lms = rows(work / "lms-grades.csv")
    assert lms["nordmannkari-1001"]["lms_id"] == "1001" and lms["nordmannkari-1001"]["name"] == "nordmannkari"
    assert lms["nordmannkari-1001"]["score"] == ""  # a reflection still waits for the instructor
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "Needs follow-up" in report and "late" in report and "discrimination" in report

    # The formgrader's notebook carries the rubric; the learner's feedback does not.
    autograded = (work / "autograded" / "nordmannkari-1001" / ASSIGNMENT / nb_name).read_text(encoding="utf-8")
    assert "Rubric and model answer for" in autograded
    fb = work / "feedback" / "nordmannkari-1001" / ASSIGNMENT / f"{ASSIGNMENT}.html"
    assert "Rubric" not in fb.read_text(encoding="utf-8")
    assert "Summary from the grader" in fb.read_text(encoding="utf-8")

    # The instructor grades the reflection (as in the formgrader) and comments; the next run picks it up.
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{work / 'gradebook.db'}", "qikit-en") as gb:
        grade = gb.find_grade("reflection_baseline", ASSIGNMENT, ASSIGNMENT, "nordmannkari-1001")
        grade.manual_score = 2
        grade.needs_manual_grade = False  # what the formgrader does when a score is saved
        comment = gb.find_comment("reflection_baseline", ASSIGNMENT, ASSIGNMENT, "nordmannkari-1001")
        comment.manual_comment = "Good use of the run chart; say more about special causes."
        gb.db.commit()
    stdout = qikit(
        "grade",
        ASSIGNMENT,
        "--edition",
        "en",
        "--zip",
        str(z),
        "--out",
        str(out),
        "--workers",
        "2",
        "--due",
        "2026-11-20 23:59:00 UTC",
        "--late-policy",
        "zero",
    )
    assert "0 graded now, 3 unchanged" in stdout
    grades = rows(work / "grades.csv")
    assert grades["nordmannkari-1001"]["status"] == "graded"
    assert float(grades["nordmannkari-1001"]["score"]) == 14
    assert "say more about special causes" in fb.read_text(encoding="utf-8")
    assert rows(work / "lms-grades.csv")["nordmannkari-1001"]["score"] == "14"
