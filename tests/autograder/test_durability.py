"""Kill the grader at any moment and run it again: no grade lost, none duplicated, nothing half-written.

Also: re-grading is idempotent, and a per-learner lock keeps two graders off one learner.
These run ``qikit grade`` as a user would, on a small cohort built from the demo manifest.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from autograder.durable import file_lock
from autograder.pipeline import NbGrader, prepare_workdir
from autograder.sandbox import probe
from tests.conftest import REPO

from autograder import demo

pytestmark = pytest.mark.slow

ASSIGNMENT = "m05-run-charts"
LEARNERS = ["demo-solution", "demo-blank", "demo-broken", "demo-floor", "demo-warns", "demo-raises"]
QIKIT = str(Path(sys.executable).parent / "qikit")


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    if not probe().available:
        pytest.skip(f"no OS sandbox on this machine: {probe().reason}")
    base = tmp_path_factory.mktemp("durable")
    scratch = base / "scratch"
    prepare_workdir(REPO / "course" / "en", ASSIGNMENT, scratch)
    NbGrader(scratch).generate_assignment(ASSIGNMENT)
    subs = demo.build_cohort(ASSIGNMENT, scratch, base / "all")
    folder = base / "handins"
    folder.mkdir()
    for s in subs:
        if s.student_id in LEARNERS:
            os.rename(s.path, folder / s.student_id)
    expected = {le.id: le.expected for le in demo.load_manifest(ASSIGNMENT) if le.id in LEARNERS}
    return base, folder, expected


def run_grade(folder: Path, out: Path, tmpdir: Path, *extra: str, wait: bool = True):
    env = {**os.environ, "TMPDIR": str(tmpdir), "PYTHONWARNINGS": "ignore"}
    cmd = [
        QIKIT,
        "grade",
        ASSIGNMENT,
        "--edition",
        "en",
        "--submissions",
        str(folder),
        "--out",
        str(out),
        "--workers",
        "2",
        "--timeout",
        "5",
        *extra,
    ]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, start_new_session=True
    )
    if wait:
        stdout, _ = proc.communicate(timeout=600)
        return proc.returncode, stdout
    return proc


def ours_alive(marker: str) -> list[str]:
    found = []
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            cmd = (p / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if marker in cmd:
            found.append(f"{p.name}: {cmd[:120]}")
    return found


def check_outputs(out: Path, expected: dict) -> None:
    work = out / "qikit-en"
    rows = {r["student_id"]: r for r in csv.DictReader((work / "grades.csv").open(encoding="utf-8"))}
    assert sorted(rows) == sorted(expected)
    for sid, exp in expected.items():
        assert rows[sid]["status"] == exp["status"], (sid, rows[sid])
        assert float(rows[sid]["auto_score"]) == float(exp["auto_score"]), (sid, rows[sid])
    con = sqlite3.connect(work / "gradebook.db")
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        subs = [r[0] for r in con.execute("SELECT student_id FROM submitted_assignment")]
        assert sorted(subs) == sorted(s for s, e in expected.items() if e["status"] != "failed")
        n_cells = con.execute("SELECT COUNT(*) FROM grade_cells").fetchone()[0]
        assert con.execute("SELECT COUNT(*) FROM grade").fetchone()[0] == n_cells * len(subs)
    finally:
        con.close()
    for rec in (work / ".qikit" / "results" / ASSIGNMENT).glob("*.json"):
        json.loads(rec.read_text(encoding="utf-8"))  # complete, parseable
    assert not [p for p in out.rglob("*.tmp")], "half-written files were left behind"
    for sid, exp in expected.items():
        html = list((work / "feedback" / sid / ASSIGNMENT).glob("*.html"))
        assert bool(html) == (exp["status"] != "failed"), sid


@pytest.fixture(scope="module")
def killed_and_resumed(cohort):
    """Kill ``qikit grade`` twice (while preparing, then while grading), then let it finish."""
    base, folder, expected = cohort
    out = base / "killed"
    tmpdir = Path(tempfile.mkdtemp(prefix="qkt-", dir="/tmp"))
    try:
        # 1. killed while preparing the course
        proc = run_grade(folder, out, tmpdir, wait=False)
        time.sleep(2.0)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        # 2. killed while grading, after some learners were done
        proc = run_grade(folder, out, tmpdir, wait=False)
        results = out / "qikit-en" / ".qikit" / "results" / ASSIGNMENT
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and len(list(results.glob("*.json"))) < 3:
            time.sleep(0.05)
        n_before_kill = len(list(results.glob("*.json")))
        proc.send_signal(signal.SIGKILL)  # only the main process: workers and sandboxes must follow it
        proc.wait()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and ours_alive(str(tmpdir)) + ours_alive(str(out)):
            time.sleep(0.2)
        survivors = ours_alive(str(tmpdir)) + ours_alive(str(out))
        # 3. run again to the end
        code, stdout = run_grade(folder, out, tmpdir)
        yield out, tmpdir, folder, expected, n_before_kill, survivors, code, stdout
    finally:
        subprocess.run(["rm", "-rf", str(tmpdir)], check=False)


def test_kill_at_any_moment_then_resume(killed_and_resumed):
    out, _, _, expected, n_before_kill, survivors, code, stdout = killed_and_resumed
    assert n_before_kill >= 3, "the grader did not get going before it was killed"
    assert not survivors, f"processes of the killed grader survived: {survivors}"
    assert code == 0, stdout[-3000:]
    check_outputs(out, expected)
    assert "unchanged since the last run" in stdout  # the learners finished before the kill were kept


def test_regrading_is_idempotent(killed_and_resumed):
    out, tmpdir, folder, expected, *_ = killed_and_resumed
    work = out / "qikit-en"
    first = (work / "grades.csv").read_bytes()
    # a rerun with nothing changed grades nobody and changes nothing
    code, stdout = run_grade(folder, out, tmpdir)
    assert code == 0, stdout[-3000:]
    assert f"0 graded now, {len(expected)} unchanged" in stdout
    assert (work / "grades.csv").read_bytes() == first
    # --regrade grades everyone again: the same grades, no duplicates in the gradebook
    code, stdout = run_grade(folder, out, tmpdir, "--regrade")
    assert code == 0, stdout[-3000:]
    assert f"{len(expected) - 1} graded now" in stdout  # all but the broken notebook (fails before grading)
    assert (work / "grades.csv").read_bytes() == first
    check_outputs(out, expected)


def test_a_learner_locked_by_another_grader_is_left_alone(killed_and_resumed):
    out, tmpdir, folder, expected, *_ = killed_and_resumed
    work = out / "qikit-en"
    (work / ".qikit" / "results" / ASSIGNMENT / "demo-floor.json").unlink()  # demo-floor needs grading again
    nb = folder / "demo-blank" / f"{ASSIGNMENT}.ipynb"  # and demo-blank handed in again
    nb.write_text(nb.read_text(encoding="utf-8").replace('"metadata": {', '"metadata": {"x": 1, ', 1), encoding="utf-8")
    lock = work / ".qikit" / "locks" / ASSIGNMENT / "demo-floor.lock"
    with file_lock(lock, blocking=True):  # "another grader" is busy with demo-floor
        code, stdout = run_grade(folder, out, tmpdir)
    assert code == 0, stdout[-3000:]
    assert "demo-floor: skipped (another grader holds this learner)" in stdout
    assert f"1 graded now, {len(expected) - 2} unchanged" in stdout
    assert not (work / ".qikit" / "results" / ASSIGNMENT / "demo-floor.json").exists()
    code, stdout = run_grade(folder, out, tmpdir)
    assert code == 0, stdout[-3000:]
    assert f"1 graded now, {len(expected) - 1} unchanged" in stdout
    check_outputs(out, expected)
