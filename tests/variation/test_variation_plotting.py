import matplotlib.pyplot as plt
import pytest
from matplotlib.axes import Axes

from qikit.variation import funnel, outlier_process, overdispersed_counts, red_beads, shift_process, tampering
from qikit.variation.plotting import plot_funnel_rules, plot_rank_reshuffle


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_np_chart_plot(lang):
    res = red_beads(rng=1)
    ax = res.plot(lang=lang)
    assert isinstance(ax, Axes)
    title = ax.get_title(loc="left")
    assert ("np-diagram" if lang == "nb" else "np chart") in title
    # one line for the points, three horizontal limit lines
    ydata = [tuple(line.get_ydata()) for line in ax.get_lines()]
    ch = res.np_chart()
    assert (ch.ucl, ch.ucl) in ydata and (ch.cl, ch.cl) in ydata
    assert [t.get_text() for t in ax.get_xticklabels()][:2] == ["Kari", "Ola"]


def test_ranking_and_reshuffle_plots():
    res = red_beads(rng=1)
    ax = res.plot_ranking(lang="en")
    assert len(ax.patches) >= 6  # one bar per worker
    assert "within the limits" in ax.get_title(loc="left")
    ax2 = plot_rank_reshuffle(res.rank_reshuffle(3, rng=1), lang="nb")
    assert len(ax2.get_lines()) == 6


def test_funnel_plots():
    res = funnel(3, drops=60, rng=1)
    ax = res.plot(lang="en")
    assert ax.get_aspect() == 1.0
    assert "rule 3" in ax.get_title(loc="left")
    ax = res.plot(kind="spread", lang="nb")
    assert len(ax.get_lines()) == 3
    axes = plot_funnel_rules([funnel(r, drops=50, rng=2) for r in (1, 2, 3, 4)])
    xlims = {a.get_xlim() for a in axes.ravel()}
    assert len(xlims) == 1  # shared scale


def test_process_and_tampering_plots():
    p = shift_process(rng=1)
    hidden = p.plot(lang="en")
    assert len(hidden.get_lines()) == 2  # series and mean
    shown = p.plot(reveal=True, lang="nb")
    assert len(shown.get_lines()) == 4  # + true level + planted points
    assert "13" in shown.get_title(loc="left")
    assert outlier_process(rng=1).plot(reveal=True).get_lines()
    assert overdispersed_counts(rng=1).plot(reveal=True).get_ylabel() in ("Andel", "Proportion")
    ax = tampering(rng=1).plot(lang="en")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("left alone" in s for s in labels) and any("adjusted" in s for s in labels)


def test_plot_into_given_axes():
    fig, ax = plt.subplots()
    assert red_beads(rng=1).plot(ax=ax) is ax
