import subprocess
import sys

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PolyCollection

from qikit import QikitInputError
from qikit.psychology import adopter_categories, compare, diffusion, example_scores, self_assessment, wie_checklist
from qikit.psychology.plotting import DATA_GID, plot_radar


def test_import_is_light():
    code = (
        "import sys, qikit, qikit.psychology, qikit.pdsa; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'ipywidgets')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def area_labels(ax):
    return [t.get_text() for t in ax.texts]


def test_radar_single_and_before_after():
    res = self_assessment(example_scores("before"), label="Før")
    ax = res.plot()
    assert ax.name == "polar"
    assert [ln.get_label() for ln in ax.lines] == ["Før"]
    labels = area_labels(ax)
    assert len(labels) == 10 and labels[0].startswith("1. Brukererfaringer")
    assert "ikke relevant" in labels[6]  # area 7 has no relevant theme
    assert ax.get_ylim() == (0, 4)
    cmp = compare(example_scores("before"), example_scores("after"), lang="en")
    ax = cmp.plot()
    assert [ln.get_label() for ln in ax.lines] == ["Before", "After"]
    assert ax.lines[0].get_linestyle() == "--" and ax.lines[1].get_linestyle() == "-"
    # the after polygon (last) closes: 11 points; area 7 is missing only before -> noted in its label
    assert len(ax.lines[1].get_xdata()) == 11
    assert "Before: not relevant" in area_labels(ax)[6]
    assert ax.get_legend() is not None
    assert all(ln.get_gid() == DATA_GID for ln in ax.lines)


def test_radar_labels_are_wrapped_and_full_titles_work():
    ax = self_assessment(example_scores("after")).plot(labels="full", lang="en")
    labels = area_labels(ax)
    assert labels[0].replace("\n", " ").startswith("1. User experience must be gathered")
    assert all(max(len(line) for line in lab.splitlines()) <= 24 for lab in labels)  # wrapped at ~16 + number


def test_radar_needs_polar_axes():
    fig, ax = plt.subplots()
    with pytest.raises(QikitInputError, match="polar"):
        self_assessment(example_scores("after")).plot(ax=ax)
    with pytest.raises(QikitInputError):
        plot_radar([])


def test_adopter_bell_and_s_curve():
    ax = adopter_categories(30, lang="en").plot()
    fills = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(fills) == 5
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "Innovators" in texts and "10 people" in texts
    res = diffusion(40, rng=1)
    ax = res.plot(lang="en")
    labels = [ln.get_label() for ln in ax.lines if not ln.get_label().startswith("_")]
    assert labels == ["Bass curve (expected)", "Simulated, cumulative"]
    np.testing.assert_allclose(ax.lines[1].get_ydata(), res.table.share)
    assert len(ax.patches) == len(res.table)  # one bar per period
    assert "p = 0.03" in ax.get_title()


def test_wie_plot_marks_the_weakest():
    res = wie_checklist({"will.1": "yes", "ideas.1": "partly", "execution.1": "no"}, lang="en")
    ax = res.plot()
    bars = ax.patches
    assert len(bars) == 3
    colors = [tuple(np.round(b.get_facecolor()[:3], 2)) for b in bars]
    assert colors[2] != colors[0]  # execution (bottom bar) is the weakest: red
    assert any("weakest" in t.get_text() for t in ax.texts)
