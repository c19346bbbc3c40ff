"""The gradebook in PostgreSQL (several graders), against a real server started on loopback by the test.

The cluster lives in a temporary folder on a free port; as root, ``initdb`` must run as another user,
so the test uses the ``postgres`` account that Debian's package creates. Skipped only if PostgreSQL
is not installed (``scripts/system-deps.sh`` installs it).
"""

from __future__ import annotations

import csv
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from autograder.pipeline import GradingSettings, NbGrader, grade_cohort, prepare_workdir
from autograder.sandbox import probe
from tests.conftest import REPO

from autograder import demo

pytestmark = pytest.mark.slow

ASSIGNMENT = "m05-run-charts"
LEARNERS = ["demo-solution", "demo-blank", "demo-floor"]


def _pg_bin() -> Path | None:
    for cand in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(cand, "initdb").exists():
            return Path(cand)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres():
    pg = _pg_bin()
    if pg is None:
        pytest.skip("PostgreSQL is not installed (scripts/system-deps.sh installs it)")
    as_user: list[str] = []
    if os.geteuid() == 0:
        if subprocess.run(["id", "postgres"], capture_output=True).returncode != 0:
            pytest.skip("running as root and there is no 'postgres' user to run initdb as")
        as_user = ["runuser", "-u", "postgres", "--"]
    base = Path(tempfile.mkdtemp(prefix="qikit-pg-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    if as_user:
        shutil.chown(base, "postgres")
        shutil.chown(sock, "postgres")
    port = _free_port()
    run = lambda *cmd: subprocess.run([*as_user, *cmd], capture_output=True, text=True, timeout=120)  # noqa: E731
    r = run(str(pg / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
    assert r.returncode == 0, r.stderr
    r = run(
        str(pg / "pg_ctl"),
        "-D",
        str(data),
        "-l",
        str(base / "log"),
        "-w",
        "-t",
        "60",
        "-o",
        f"-p {port} -h 127.0.0.1 -k {sock} -c fsync=off",
        "start",
    )
    assert r.returncode == 0, r.stderr + (base / "log").read_text() if (base / "log").exists() else r.stderr
    try:
        from sqlalchemy import create_engine, text

        admin = create_engine(f"postgresql+psycopg2://postgres@127.0.0.1:{port}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text("CREATE DATABASE qikit_en"))
        admin.dispose()
        yield f"postgresql+psycopg2://postgres@127.0.0.1:{port}/qikit_en"
    finally:
        run(str(pg / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(base, ignore_errors=True)


def test_grading_into_postgresql(postgres, tmp_path):
    if not probe().available:
        pytest.skip(f"no OS sandbox on this machine: {probe().reason}")
    scratch = tmp_path / "scratch"
    prepare_workdir(REPO / "course" / "en", ASSIGNMENT, scratch)
    NbGrader(scratch).generate_assignment(ASSIGNMENT)
    subs = [s for s in demo.build_cohort(ASSIGNMENT, scratch, tmp_path / "handins") if s.student_id in LEARNERS]
    expected = {le.id: le.expected for le in demo.load_manifest(ASSIGNMENT) if le.id in LEARNERS}
    out = tmp_path / "out"
    settings = GradingSettings(timeout=10, sandbox="require", db_url=postgres)
    res = grade_cohort(REPO / "course" / "en", ASSIGNMENT, subs, out, workers=2, settings=settings)
    got = res.by_id()
    for sid, exp in expected.items():
        assert got[sid].status == exp["status"] and got[sid].auto_score == exp["auto_score"], (sid, got[sid])
    work = out / "qikit-en"
    assert not (work / "gradebook.db").exists(), "the sqlite default won over the PostgreSQL URL"
    assert postgres in (work / "nbgrader_config.py").read_text(encoding="utf-8")

    from sqlalchemy import create_engine, text

    eng = create_engine(postgres)
    with eng.connect() as c:
        students = sorted(r[0] for r in c.execute(text("SELECT student_id FROM submitted_assignment")))
        courses = [r[0] for r in c.execute(text("SELECT id FROM course"))]
        n_cells = c.execute(text("SELECT COUNT(*) FROM grade_cells")).scalar()
        n_grades = c.execute(text("SELECT COUNT(*) FROM grade")).scalar()
    eng.dispose()
    assert students == sorted(LEARNERS)
    assert "qikit-en" in courses
    assert n_grades == n_cells * len(LEARNERS)
    rows = list(csv.DictReader((work / "grades.csv").open(encoding="utf-8")))
    assert sorted(r["student_id"] for r in rows) == sorted(LEARNERS)

    # A rerun against the same database is idempotent (nothing regraded, nothing duplicated).
    t0 = time.monotonic()
    res2 = grade_cohort(REPO / "course" / "en", ASSIGNMENT, subs, out, workers=2, settings=settings)
    assert res2.regraded == 0 and res2.reused == len(LEARNERS), time.monotonic() - t0
    eng = create_engine(postgres)
    with eng.connect() as c:
        assert c.execute(text("SELECT COUNT(*) FROM grade")).scalar() == n_grades
    eng.dispose()

    # One database per course: the other edition must not be graded into this one.
    with pytest.raises(ValueError, match="one database per course"):
        grade_cohort(REPO / "course" / "nb", ASSIGNMENT, [], tmp_path / "out-nb", workers=1, settings=settings)
