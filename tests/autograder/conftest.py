import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    """Run `qikit demo` once, as a user would, for every test that inspects its outputs."""
    out = tmp_path_factory.mktemp("demo")
    exe = Path(sys.executable).parent / "qikit"
    proc = subprocess.run(
        [str(exe), "demo", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=1200,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    return out, proc
