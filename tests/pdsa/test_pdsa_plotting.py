from matplotlib.patches import Circle, Wedge

from qikit.pdsa import PdsaSimulator, compare_strategies, example_log
from qikit.pdsa.plotting import ACT_COLORS


def test_ramp_draws_four_quadrants_per_cycle_with_decisions():
    log = example_log("en")
    ax = log.plot(lang="en", highlight=3)
    wedges = [a for a in ax.patches if isinstance(a, Wedge)]
    circles = [a for a in ax.patches if isinstance(a, Circle) and not isinstance(a, Wedge)]
    assert len(wedges) == 4 * len(log.cycles)
    assert len(circles) == len(log.cycles)
    assert max(c.get_linewidth() for c in circles) > 2  # the highlighted cycle
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "1 week → adopt" in texts and "1 shift → abandon" in texts
    assert ax.get_title() == log.title
    green = [
        w for w in wedges if w.get_facecolor()[:3] == (0.17254901960784313, 0.6274509803921569, 0.17254901960784313)
    ]
    assert len(green) == 1 and ACT_COLORS["adopt"] == "#2ca02c"


def test_ramp_marks_problems():
    ax = example_log("nb", with_problems=True).plot(lang="nb")
    marks = [t for t in ax.texts if t.get_text() == "!"]
    assert len(marks) == 5  # 3 errors + 2 warnings
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "! feil i loggen" in legend and "tilpass" in legend


def test_simulation_plot_and_truth():
    sim = PdsaSimulator(rng=1, lang="en")
    ax = sim.plot()
    assert any("No cycles" in t.get_text() for t in ax.texts)
    for s in (5, 10):
        sim.run_cycle(s)
    ax = sim.plot(show_truth=True)
    assert len(ax.lines) == 4  # pooled with/without + 2 truth lines
    assert any("Pooled improvement" in t.get_text() for t in ax.texts)
    assert any("true value" in t.get_text() for t in ax.texts)


def test_strategies_plot():
    res = compare_strategies(n_sims=50, rng=1)
    ax = res.plot(lang="en")
    assert len(ax.patches) == 2
    assert [t.get_text() for t in ax.get_yticklabels()] == ["small\n(5 × 10)", "big\n(50)"]
