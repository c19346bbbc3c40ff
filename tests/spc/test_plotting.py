"""Plots are tested by their artists (lines, markers, texts), not pixels."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from qikit import QikitInputError, QikitWarning  # noqa: E402
from qikit.spc import chart, i_chart, p_chart, run_chart  # noqa: E402


def quiet(*a, **k):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", QikitWarning)
        return chart(*a, **k)


def texts(ax):
    return [t.get_text() for t in ax.texts] + [ax.get_title(loc="left")]


def markers(ax, marker):
    return [ln for ln in ax.lines if ln.get_marker() == marker and len(ln.get_xdata())]


SHIFT = [0.1, -0.5, 0.3, -0.2, 0.4, -0.1, 0.2, -0.3, 0.5, -0.4, 0.0, 0.3] + [2.0] * 9 + [0.2, -0.2, 0.1]


def test_run_chart_artists_english():
    res = quiet(SHIFT, lang="en")
    ax = res.plot()
    assert ax.get_title(loc="left").startswith("Run chart")
    caption = " ".join(texts(ax))
    assert "Anhøj rules" in caption and "longest run 9" in caption
    # signal points as amber triangles, others as blue circles
    tri = markers(ax, "^")
    assert tri and tri[0].get_markerfacecolor().lower() == "#faa43a"
    assert len(tri[0].get_xdata()) == 9
    assert markers(ax, "o")[0].get_markerfacecolor().lower() == "#5da5da"
    # runs signal: the centre line is dashed
    cl_lines = [ln for ln in ax.lines if ln.get_color() == "#D9730D"]
    assert cl_lines and cl_lines[0].get_linestyle() != "-"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Signal" in labels and "Data" in labels


def test_norwegian_labels():
    ax = quiet(SHIFT, lang="nb").plot()
    assert ax.get_title(loc="left").startswith("Seriediagram")
    assert any("Anhøj-regler" in t for t in texts(ax))
    ax2 = quiet(SHIFT, lang="nb").plot(lang="en")
    assert ax2.get_title(loc="left").startswith("Run chart")


def test_stepped_limits_percent_axis_and_target():
    rng = np.random.default_rng(3)
    n = rng.integers(30, 200, 24)
    d = pd.DataFrame({"y": rng.binomial(n, 0.2), "n": n})
    ax = quiet(d, y="y", n="n", chart="p", target=0.15, lang="en").plot()
    steps = [ln for ln in ax.lines if ln.get_drawstyle() == "steps-mid"]
    assert len(steps) >= 2  # lcl and ucl step with n
    fmt = ax.yaxis.get_major_formatter()
    assert type(fmt).__name__ == "PercentFormatter"
    target = [ln for ln in ax.lines if ln.get_color() == "#059748"]
    assert target and target[0].get_linestyle() == ":"
    assert any(t.get_text().endswith("%") for t in ax.texts)  # value labels


def test_parts_freeze_notes_and_excluded():
    y = list(np.sin(np.arange(30)) + 10)
    d = pd.DataFrame({"y": y, "note": [None] * 14 + ["PDSA 1: new checklist"] + [None] * 15})
    ax = quiet(d, y="y", chart="i", part=[15], notes="note", lang="en", exclude=[3]).plot()
    ts = texts(ax)
    assert any("Part 1" in t for t in ts) and any("Part 2" in t for t in ts)
    assert any("PDSA 1" in getattr(a, "get_text", lambda: "")() for a in ax.texts)
    hollow = [ln for ln in ax.lines if ln.get_marker() == "o" and ln.get_markerfacecolor() == "white"]
    assert hollow and len(hollow[0].get_xdata()) == 1
    ax2 = quiet(y, chart="i", freeze=12, lang="nb").plot()
    assert any("Baseline" in t for t in texts(ax2))


def test_phase_labels_from_column():
    d = pd.DataFrame({"y": range(20), "fase": ["Før"] * 10 + ["Etter"] * 10})
    ax = quiet(d, y="y", part="fase").plot()
    ts = texts(ax)
    assert any("Før" in t for t in ts) and any("Etter" in t for t in ts)


def test_dates_and_categories():
    d = pd.DataFrame({"m": pd.date_range("2023-01-01", periods=15, freq="MS"), "v": np.arange(15.0)})
    ax = quiet(d, y="v", x="m").plot(lang="en")
    assert type(ax.xaxis.get_major_formatter()).__name__ == "ConciseDateFormatter"
    ax = quiet(d, y="v", x="m").plot(lang="nb")
    ax.figure.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert "mai" in labels and "May" not in labels  # Norwegian month names, whatever the locale
    f = pd.DataFrame({"unit": list("ABCDEFGH"), "y": [3, 5, 2, 8, 4, 6, 5, 7], "n": [50] * 8})
    ax2 = quiet(f, y="y", n="n", x="unit", chart="p").plot()
    assert [t.get_text() for t in ax2.get_xticklabels()] == list("ABCDEFGH")
    data_lines = [
        ln
        for ln in ax2.lines
        if ln.get_marker() in ("None", "", None)
        and ln.get_color() == "#8C8C8C"
        and len(ln.get_xdata()) == 8
        and not np.allclose(ln.get_ydata(), ln.get_ydata()[0])
    ]
    assert not data_lines  # funnel: points are not connected


def test_facets_small_multiples():
    rng = np.random.default_rng(0)
    d = pd.DataFrame({"h": np.repeat(list("ABC"), 15), "w": np.tile(np.arange(15), 3), "v": rng.normal(size=45)})
    res = quiet(d, y="v", x="w", facets="h", chart="i")
    axes = res.plot()
    assert axes.shape == (2, 2)
    assert [a.get_title(loc="left") for a in axes.ravel()[:3]] == ["A", "B", "C"]
    assert not axes.ravel()[3].axison
    with pytest.raises(QikitInputError, match="facet"):
        res.plot(ax=plt.gca())


def test_mdc_icons():
    y = [9.0, 11.0] * 10 + [12.0] * 8
    ax = quiet(y, chart="i", rules="mdc", improvement="increase", target=5, lang="en").plot()
    ts = [t.get_text() for t in ax.texts]
    assert "H" in ts and "P" in ts and "Improvement (high)" in ts


def test_plot_into_given_axes_returns_it():
    fig, ax = plt.subplots()
    assert run_chart([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]).plot(ax=ax) is ax


def test_front_doors_plot_every_chart_type():
    rng = np.random.default_rng(2)
    d = pd.DataFrame(
        {"x": np.repeat(np.arange(1, 16), 3), "y": rng.integers(1, 9, 45).astype(float), "n": rng.integers(10, 30, 45)}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", QikitWarning)
        for kind in ("run", "i", "mr", "xbar", "s", "t", "p", "pp", "c", "u", "up", "g", "ip"):
            res = chart(d, y="y", x="x", n="n" if kind in ("p", "pp", "u", "up", "ip") else None, chart=kind)
            ax = res.plot(lang="en")
            assert ax.lines
            plt.close(ax.figure)
    assert i_chart and p_chart
