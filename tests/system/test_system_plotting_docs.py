import doctest
import importlib
import subprocess
import sys

import pytest
from matplotlib.axes import Axes

from qikit.system import pareto, patient_flow, swiss_cheese


@pytest.mark.parametrize(
    "name",
    ["qikit.system", "qikit.system.swiss_cheese", "qikit.system.flow", "qikit.system.pareto", "qikit.system.drivers"],
)
def test_doctests(name):
    assert doctest.testmod(importlib.import_module(name)).failed == 0


def test_import_is_light():
    code = "import sys, qikit.system; print([m for m in ('matplotlib', 'ipywidgets') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_swiss_cheese_picture(lang):
    res = swiss_cheese([0.3, 0.4, 0.5], trials=2000, rng=1)
    ax = res.plot(lang=lang)
    assert isinstance(ax, Axes)
    assert ("p(skade)" if lang == "nb" else "p(harm)") in ax.get_title(loc="left")
    red_lines = [ln for ln in ax.get_lines() if ln.get_color() == "#D55E00"]
    stops = res.trajectories["stopped_at"]
    first = int((stops.iloc[:30] == 0).sum())
    expected = first if first else min(2, int((stops.iloc[30:] == 0).sum()))
    assert len(red_lines) == expected >= 1
    assert swiss_cheese([0.3]).plot().get_lines() == []  # no simulation, no trajectories


def test_flow_plots():
    res = patient_flow(rng=1, duration=2 * 24 * 60.0)
    ax = res.plot(lang="en")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0].startswith("L = ") and labels[1].startswith("λW = ")
    ax2 = res.plot_steps(lang="nb")
    assert any("flaskehals" in t.get_text() for t in ax2.texts)


def test_pareto_plot():
    res = pareto({"a": 50, "b": 30, "c": 10, "d": 10})
    ax = res.plot(lang="en")
    assert len(ax.patches) == 4
    assert any("vital few" in t.get_text() for t in ax.texts)
    assert ax.get_title(loc="left") == "Pareto chart"
