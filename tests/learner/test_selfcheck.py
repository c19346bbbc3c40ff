"""`qikit check` and `check()`: a score per task with hints, never hidden tests or solutions."""

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from tests.learner.helpers import hidden_strings, solve, source_notebook

from qikit import selfcheck

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow
QIKIT = [sys.executable, "-m", "qikit.cli"]


def qikit(*args, cwd=None, timeout=300):
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run([*QIKIT, *args], capture_output=True, text=True, cwd=cwd, timeout=timeout, env=env)


def assert_nothing_secret(text: str, edition: str) -> None:
    for secret in hidden_strings(edition):
        assert secret not in text, f"leaked: {secret!r}"
    for marker in ("BEGIN HIDDEN", "END HIDDEN", "BEGIN SOLUTION", "Traceback", "---->", "File \"", "Cell In["):
        assert marker not in text


@pytest.mark.parametrize("edition", ["nb", "en"])
def test_unanswered_learner_version_fails_with_not_answered(edition, learner_copy):
    nb = learner_copy(edition)
    proc = qikit("check", str(nb))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    out = proc.stdout
    assert ("ikke besvart" if edition == "nb" else "not answered yet") in out
    assert ("0 av 12 poeng" if edition == "nb" else "0 of 12 points") in out
    assert "NotImplementedError()" in out  # the hint says what to replace
    assert proc.stderr.strip() == ""  # no kernel noise for a newcomer
    assert_nothing_secret(out, edition)


@pytest.mark.parametrize("edition", ["nb", "en"])
def test_solved_learner_version_passes(edition, learner_copy):
    nb = learner_copy(edition)
    solve(nb, edition)
    before = nb.read_bytes()
    proc = qikit("check", str(nb))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert ("12 av 12 poeng" if edition == "nb" else "12 of 12 points") in proc.stdout
    manual = "besvart – rettes av kursleder" if edition == "nb" else "answered – your instructor grades it"
    assert manual in proc.stdout
    assert nb.read_bytes() == before  # the file is never changed


def test_wrong_answers_get_the_tests_own_hints(learner_copy):
    nb = learner_copy("en")
    solve(nb, "en", answers={
        "answer_baseline_median": "baseline_median = 10.5  # a percentage",
        "answer_anhoej_limits": "def anhoej_limits(n):\n    return [6, 2]\n",
        "answer_after_median": "after_median = undefined_name + 1\n",
    })
    report = selfcheck.run_checks(nb, save=False)
    by_id = {t.grade_id: t for t in report.tasks}
    assert by_id["test_baseline_median"].status == "failed"
    assert "Did you multiply by 100" in by_id["test_baseline_median"].hint
    assert by_id["test_anhoej_limits"].status == "failed"
    assert "must return a tuple of two integers" in by_id["test_anhoej_limits"].hint
    assert by_id["test_after_median"].status == "error"
    assert "NameError" in by_id["test_after_median"].hint and "undefined_name" in by_id["test_after_median"].hint
    assert by_id["test_longest_run"].status == "passed"
    # task 6 uses `baseline` from the replaced task 1 answer: its answer cell stops, which the hint says
    assert by_id["test_baseline_signal"].status == "error"
    assert "Your answer cell stopped" in by_id["test_baseline_signal"].hint
    assert report.points == 12 - 2 - 2 - 2 - 1 and not report.passed
    assert_nothing_secret(report.format(), "en")


@pytest.mark.parametrize("edition", ["nb", "en"])
def test_source_notebook_never_reveals_hidden_tests_or_solutions(edition, tmp_path):
    # A source notebook whose solution is wrong in a way only the hidden tests catch: the self-check must
    # pass (hidden tests are not run) and print nothing of the hidden tests, solutions or rubric.
    nb = nbformat.read(str(source_notebook(edition)), as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "answer_baseline_median":
            cell.source = cell.source.replace('baseline["rate"].median()', 'baseline["rate"].mean()')
    path = tmp_path / "m05-run-charts.ipynb"
    nbformat.write(nb, str(path))
    proc = qikit("check", str(path), "--no-save")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout + proc.stderr
    assert_nothing_secret(out, edition)
    assert ("kildenotatbok" if edition == "nb" else "source notebook") in out
    js = qikit("check", str(path), "--json", "--no-save")
    assert_nothing_secret(js.stdout, edition)
    assert json.loads(js.stdout)["passed"] is True


def test_language_from_metadata_then_flag(learner_copy, tmp_path):
    nb = learner_copy("en")
    assert "Self-check of" in qikit("check", str(nb), "--lang", "nb").stdout  # metadata wins
    data = nbformat.read(str(nb), as_version=4)
    del data.metadata["qikit"]
    bare = tmp_path / "bare.ipynb"
    nbformat.write(data, str(bare))
    assert "Egensjekk av" in qikit("check", str(bare), "--lang", "nb").stdout
    assert "Self-check of" in qikit("check", str(bare), "--lang", "en").stdout


def test_bad_input_exits_2(tmp_path):
    assert qikit("check", str(tmp_path / "missing.ipynb")).returncode == 2
    (tmp_path / "notes.txt").write_text("not a notebook")
    proc = qikit("check", str(tmp_path / "notes.txt"))
    assert proc.returncode == 2 and "not a Jupyter notebook" in proc.stderr + proc.stdout or "ikke en" in proc.stderr
    (tmp_path / "x.ipynb").write_text(json.dumps({"hello": 1}))
    assert qikit("check", str(tmp_path / "x.ipynb")).returncode == 2
    assert qikit("check").returncode == 2
    assert qikit("check", "--help").returncode == 0


def test_endless_loop_costs_one_task_not_the_run(learner_copy):
    nb = learner_copy("en")
    solve(nb, "en", answers={"answer_after_median": "while True:\n    pass\n"})
    report = selfcheck.run_checks(nb, timeout=4, save=False)
    by_id = {t.grade_id: t for t in report.tasks}
    assert by_id["test_after_median"].status == "error"
    assert "4 seconds" in by_id["test_after_median"].hint
    assert by_id["test_longest_run"].status == "passed"


def test_notebook_without_tasks(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("1 / 0")]
    path = tmp_path / "plain.ipynb"
    nbformat.write(nb, str(path))
    proc = qikit("check", str(path), "--lang", "en")
    assert proc.returncode == 1 and "ZeroDivisionError" in proc.stdout and "no tasks" in proc.stdout


def test_check_from_inside_the_notebook(learner_copy):
    """`from qikit.selfcheck import check; check()` in a cell checks the saved file in another kernel."""
    from nbclient import NotebookClient

    nb_path = learner_copy("en")
    solve(nb_path, "en")
    nb = nbformat.read(str(nb_path), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("from qikit.selfcheck import check\ncheck()"))
    nbformat.write(nb, str(nb_path))  # saved, with the check cell in it (the nested run must not recurse)
    run = nbformat.read(str(nb_path), as_version=4)
    env = {**os.environ, "JPY_SESSION_NAME": str(nb_path)}
    NotebookClient(run, timeout=240, kernel_name="python3", resources={"metadata": {"path": str(nb_path.parent)}}
                   ).execute(env=env)
    text = "".join(o.get("text", "") for o in run.cells[-1].outputs if o.get("output_type") == "stream")
    assert "Checking the SAVED file m05-run-charts.ipynb" in text
    assert "12 of 12 points" in text
    assert "Task 4 – The longest run" in text


def test_check_finds_no_path_politely(monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.delenv(selfcheck.ACTIVE_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    selfcheck.check(lang="en")
    assert "Give its path" in capsys.readouterr().out
    monkeypatch.setenv(selfcheck.ACTIVE_ENV, "1")
    selfcheck.check(lang="en")
    assert "skips itself" in capsys.readouterr().out


def test_import_qikit_stays_light():
    code = ("import sys, qikit, qikit.selfcheck, qikit.lab, qikit.progress; "
            "bad = [m for m in ('matplotlib', 'ipywidgets', 'nbgrader', 'nbclient', 'pandas') if m in sys.modules]; "
            "print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO).stdout.strip()
    assert out == "[]"


def test_report_formats_without_running():
    r = selfcheck.Report(path="/x/m.ipynb", lang="en", saved_at="2025-01-01T10:00:00", tasks=[
        selfcheck.TaskResult("t1", "Task 1 – A", "passed", 2, 2),
        selfcheck.TaskResult("t2", "Task 2 – B", "failed", 0, 1, "wrong, try again"),
        selfcheck.TaskResult("r", "Reflection", "manual", 0, 3, "answered – your instructor grades it"),
    ])
    text = r.format()
    assert "2 of 3 points (1 of 2 tasks passed)" in text and "-> wrong, try again" in text
    assert "3 more points" in text and not r.passed
    assert Path(r.path).name in text
