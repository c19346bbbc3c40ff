"""`qikit lab`: the learner workspace (never overwriting work), nbgrader settings, the progress overview."""

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from tests.learner.helpers import solve

from qikit import lab, progress, selfcheck

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def make_home(tmp_path: Path, notebooks: dict[str, list[str]] | None = None) -> Path:
    """A qikit home with the real course and (fake) self-paced notebooks."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "course").symlink_to(REPO / "course")
    for ed, names in (notebooks or {}).items():
        for name in names:
            nb = nbformat.v4.new_notebook()
            nb.cells = [nbformat.v4.new_markdown_cell(f"# {name}"), nbformat.v4.new_code_cell("x = 1"),
                        nbformat.v4.new_code_cell("y = x + 1")]
            nb.metadata["qikit"] = {"edition": ed, "module": name[:3]}
            path = home / "notebooks" / ed / name
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, str(path))
        (home / "notebooks" / ed / "data.csv").write_text("a,b\n1,2\n")
    return home


def test_workspace_is_prepared_and_learner_work_is_never_overwritten(tmp_path, qikit_cache):
    home = make_home(tmp_path, {"en": ["m01-explore.ipynb", "m05-run-charts-explore.ipynb"]})
    ws_dir, exchange = tmp_path / "ws", tmp_path / "exchange"
    ws = lab.prepare_workspace(home, "en", ws_dir, exchange=exchange, cache=qikit_cache, log=lambda *a: None)
    assert "m05-run-charts" in ws.assignments and set(ws.assignments) <= set(lab.assignment_ids(REPO, "en"))
    assert sorted(ws.selfpaced) == ["m01-explore.ipynb", "m05-run-charts-explore.ipynb"]
    learner_nb = ws_dir / "m05-run-charts" / "m05-run-charts.ipynb"
    text = learner_nb.read_text(encoding="utf-8")
    assert "BEGIN HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text and "Rubric" not in text
    assert "raise NotImplementedError()" in text
    assert (ws_dir / "notebooks" / "data.csv").is_file() and (ws_dir / "progress.ipynb").is_file()
    cfg = (ws_dir / "nbgrader_config.py").read_text()
    assert "'qikit-en'" in cfg and repr(str(exchange.resolve())) in cfg
    for sub in ("inbound", "feedback", "outbound/m05-run-charts"):
        assert (exchange / "qikit-en" / sub).is_dir()
    assert json.loads((ws_dir / ".qikit" / "workspace.json").read_text())["edition"] == "en"

    # the learner works, then runs `qikit lab` again: their work stays
    learner_nb.write_text(text.replace("raise NotImplementedError()", "baseline_median = 0.1", 1), encoding="utf-8")
    mine = learner_nb.read_bytes()
    (ws_dir / "notebooks" / "m01-explore.ipynb").write_text("{}", encoding="utf-8")
    again = lab.prepare_workspace(home, "en", ws_dir, exchange=exchange, cache=qikit_cache, log=lambda *a: None)
    assert learner_nb.read_bytes() == mine
    assert (ws_dir / "notebooks" / "m01-explore.ipynb").read_text() == "{}"
    assert "m05-run-charts/m05-run-charts.ipynb" in again.kept and not again.added
    assert "never overwritten" in lab.describe(again)


def test_own_nbgrader_config_is_left_alone(tmp_path, qikit_cache):
    home = make_home(tmp_path)
    ws_dir = tmp_path / "ws"
    ws_dir.mkdir()
    (ws_dir / "nbgrader_config.py").write_text("c = get_config()\n")
    notes = []
    lab.prepare_workspace(home, "nb", ws_dir, exchange=tmp_path / "x", cache=qikit_cache, log=notes.append)
    assert (ws_dir / "nbgrader_config.py").read_text() == "c = get_config()\n"
    assert any("left alone" in n for n in notes)
    assert (ws_dir / "framgang.ipynb").is_file()


def test_cli_prepare_only_prints_what_it_did(tmp_path, qikit_cache):
    env = {**os.environ, "QIKIT_CACHE": str(qikit_cache), "PYTHONWARNINGS": "ignore"}
    proc = subprocess.run(
        [sys.executable, "-m", "qikit.cli", "lab", "--edition", "nb", "--dir", str(tmp_path / "ws"),
         "--exchange", str(tmp_path / "ex"), "--prepare-only", "--no-browser", "--port", "8899"],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "workspace" in out and "m05-run-charts" in out and "qikit-nb" in out
    assert "--ServerApp.port=8899" in out and "--no-browser" in out
    assert ("--allow-root" in out) == (os.geteuid() == 0)
    proc = subprocess.run(
        [sys.executable, "-m", "qikit.cli", "lab", "--instructor", "--edition", "en", "--exchange",
         str(tmp_path / "ex"), "--prepare-only"], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert f"ServerApp.root_dir={REPO / 'course' / 'en'}" in proc.stdout and "Formgrader" in proc.stdout
    assert (tmp_path / "jupyter-config" / "nbgrader_config.py").is_file()


def test_no_course_found_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.delenv("QIKIT_HOME", raising=False)
    monkeypatch.setattr(lab, "__file__", str(tmp_path / "a" / "b" / "c" / "lab.py"))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(lab.LabError, match="cannot find the qikit course"):
        lab.find_home(None)
    assert lab.find_home(REPO) == REPO


def test_progress_overview_after_checks(tmp_path, qikit_cache):
    home = make_home(tmp_path, {"en": ["m01-explore.ipynb"]})
    ws_dir = tmp_path / "ws"
    lab.prepare_workspace(home, "en", ws_dir, exchange=tmp_path / "x", cache=qikit_cache, log=lambda *a: None)
    text = progress.format_overview(ws_dir, progress.collect(ws_dir), "en")
    assert "m05-run-charts/m05-run-charts.ipynb" in text and "not checked yet" in text
    assert "0 of 2 code cells run" in text

    nb_path = ws_dir / "m05-run-charts" / "m05-run-charts.ipynb"
    solve(nb_path, "en", answers={"answer_n_crossings": "def n_crossings(values, centre):\n    return 0\n"})
    report = selfcheck.run_checks(nb_path)  # recorded in the workspace
    assert not report.passed
    entries = {e.name: e for e in progress.collect(ws_dir)}
    done = entries["m05-run-charts/m05-run-charts.ipynb"]
    assert done.done.startswith("5 of 6 tasks, 10 of 12 points") and done.todo == ["Task 5 – The number of crossings"]
    stored = json.loads((ws_dir / ".qikit" / "progress.json").read_text())
    assert "hint" not in json.dumps(stored)

    proc = subprocess.run([sys.executable, "-m", "qikit.cli", "check", "--progress", str(ws_dir)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "5 of 6 tasks" in proc.stdout and "to do: Task 5" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "qikit.cli", "check", "--all", str(ws_dir)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1 and "5 of 6 tasks" in proc.stdout

    # the progress notebook's one cell prints the same overview
    from nbclient import NotebookClient

    pnb = nbformat.read(str(ws_dir / "progress.ipynb"), as_version=4)
    NotebookClient(pnb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ws_dir)}}).execute()
    assert "5 of 6 tasks" in "".join(o.get("text", "") for o in pnb.cells[1].outputs)
