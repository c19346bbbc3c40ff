"""Every self-paced notebook runs top to bottom in a fresh kernel, without errors."""

import os
import shutil
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[2]

NOTEBOOKS = sorted((REPO / "notebooks").glob("*/*.ipynb"))

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_notebook_runs_in_a_fresh_kernel(path, tmp_path):
    from nbclient import NotebookClient

    work = tmp_path / path.name
    shutil.copy(path, work)
    nb = nbformat.read(str(work), as_version=4)
    client = NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}},
        startup_timeout=60,
    )
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, f"{path.name}: {errors[0]['ename']}: {errors[0]['evalue']}"
