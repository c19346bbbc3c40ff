"""`qikit lite build`: a static JupyterLite site of the self-paced notebooks (built offline)."""

import ast
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from tests.learner.helpers import lite_site

from qikit import lab

REPO = Path(__file__).resolve().parents[2]

# Pyodide (Python in the browser) has no processes, threads or sockets.
NOT_IN_PYODIDE = {"subprocess", "multiprocessing", "threading", "concurrent", "socket", "ctypes", "asyncio.subprocess"}
SELFPACED = sorted((REPO / "notebooks").glob("*/*.ipynb"))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not lab.find_home(REPO).joinpath("lite", "requirements.txt").is_file():
        pytest.skip("no lite/requirements.txt")
    return lite_site(tmp_path_factory.getbasetemp())


@pytest.mark.slow
def test_site_has_every_selfpaced_notebook_ready_for_pyodide(site):
    for ed in ("nb", "en"):
        for src in sorted((REPO / "notebooks" / ed).glob("*.ipynb")):
            built = site / "files" / ed / src.name
            assert built.is_file(), f"{built} missing from the site"
            nb = nbformat.read(str(built), as_version=4)
            nbformat.validate(nb)
            assert nb.metadata["kernelspec"]["name"] == "python"  # JupyterLite's Pyodide kernel: no kernel dialog
            first = nb.cells[0]
            assert "qikit-lite-setup" in first.metadata.get("tags", [])
            assert 'sys.platform == "emscripten"' in first.source and "piplite.install" in first.source
            original = nbformat.read(str(src), as_version=4)
            assert [c.source for c in nb.cells[1:]] == [c.source for c in original.cells]
    assert (site / "files" / "README.md").is_file()
    assert (site / "index.html").is_file() and (site / "lab" / "index.html").is_file()


@pytest.mark.slow
def test_site_bundles_qikit_and_the_widget_front_end_but_not_nbgrader(site):
    wheels = list((site / "pypi").glob("qikit-*.whl"))
    assert len(wheels) == 1
    index = json.loads((site / "pypi" / "all.json").read_text())
    assert "qikit" in index
    names = [p.relative_to(site / "extensions").as_posix() for p in (site / "extensions").glob("*/*")]
    assert "@jupyter-widgets/jupyterlab-manager" in names
    assert "@jupyterlite/pyodide-kernel-extension" in names
    assert not any("nbgrader" in n for n in names), names


def test_qikit_wheel_works_on_its_own_with_its_datasets(tmp_path):
    wheel = lab.build_qikit_wheel(REPO, tmp_path / "wheels")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        zf.extractall(tmp_path / "site")
    assert "qikit/__init__.py" in names and any(n.startswith("qikit/_data/datasets/") for n in names)
    record = [n for n in names if n.endswith("RECORD")]
    assert record and not any(n.endswith(".pyc") for n in names)
    code = ("import os, qikit; assert qikit.__file__.startswith(os.environ['SITE']), qikit.__file__; "
            "os.environ['QIKIT_DATASETS'] = os.path.join(os.path.dirname(qikit.__file__), '_data', 'datasets'); "
            "df = qikit.datasets.load('semmelweis_monthly'); print(len(df))")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site"), "SITE": str(tmp_path / "site")}
    env.pop("QIKIT_DATASETS", None)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout.strip()) > 50


def _imports(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", SELFPACED, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_selfpaced_notebook_code_runs_in_pyodide(path):
    """No shell escapes, processes, threads or sockets in the notebooks (they must run in JupyterLite)."""
    nb = nbformat.read(str(path), as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        lines = cell.source.splitlines()
        assert not any(re.match(r"\s*(!|%%?(bash|sh|system|script|run)\b)", ln) for ln in lines), f"cell {i}"
        python = "\n".join(ln for ln in lines if not ln.lstrip().startswith(("%", "!")))
        bad = {m for m in _imports(ast.parse(python)) if m.split(".")[0] in NOT_IN_PYODIDE or m in NOT_IN_PYODIDE}
        assert not bad, f"cell {i} imports {bad}, which Pyodide does not have"


def test_library_modules_the_notebooks_use_import_nothing_pyodide_lacks():
    """qikit's modules may use processes only inside functions (lab, selfcheck: never in the browser)."""
    for f in sorted((REPO / "src" / "qikit").rglob("*.py")):
        tree = ast.parse(f.read_text(encoding="utf-8"))
        top = set()
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                top |= _imports(node)
        bad = {m for m in top if m.split(".")[0] in NOT_IN_PYODIDE}
        if f.name in ("lab.py", "selfcheck.py", "progress.py", "cli.py"):
            continue  # command-line tools, not imported by notebooks
        assert not bad, f"{f.relative_to(REPO)} imports {bad} at module level"


def test_lite_cli_usage():
    assert lab.lite_main([]) == 2
    assert lab.lite_main(["build", "--help"]) == 0
