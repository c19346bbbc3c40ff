"""``qikit course build``: the learner versions of the assignments, through nbgrader."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from tests.conftest import REPO

QIKIT = str(Path(sys.executable).parent / "qikit")


def test_course_build_makes_release_notebooks(tmp_path):
    course = tmp_path / "course"
    course.mkdir()
    shutil.copy2(REPO / "course" / "nbgrader_config.py", course / "nbgrader_config.py")
    en = course / "en"
    en.mkdir()
    shutil.copy2(REPO / "course" / "en" / "nbgrader_config.py", en / "nbgrader_config.py")
    shutil.copytree(REPO / "course" / "en" / "source" / "m05-run-charts", en / "source" / "m05-run-charts")
    proc = subprocess.run(
        [QIKIT, "course", "build", "--course", str(en), "--assignment", "m05-run-charts"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    release = en / "release" / "m05-run-charts" / "m05-run-charts.ipynb"
    assert release.exists()
    assert "release/m05-run-charts/m05-run-charts.ipynb" in proc.stdout
    text = release.read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
    nb = nbformat.read(str(release), as_version=4)
    assert any(c.metadata.get("nbgrader", {}).get("grade") for c in nb.cells)


def test_course_build_refuses_unknown_assignment(tmp_path):
    proc = subprocess.run(
        [QIKIT, "course", "build", "--edition", "en", "--assignment", "no-such-assignment"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 2
    assert "no such assignment" in proc.stderr
