from __future__ import annotations

import os
from pathlib import Path

import pytest

REF = Path(__file__).parent / "reference"

# Plots never need a display.
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture
def ref_dir() -> Path:
    return REF


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        import matplotlib.pyplot as plt

        plt.close("all")
