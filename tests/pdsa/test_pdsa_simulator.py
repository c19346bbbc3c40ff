import math

import numpy as np
import pandas as pd
import pytest

from qikit import QikitInputError
from qikit.pdsa import PdsaSimulator, Strategy, compare_strategies, decide, draw_truths


def run(seed, sizes=(5, 10, 20)):
    sim = PdsaSimulator(rng=seed)
    for s in sizes:
        sim.run_cycle(size=s)
    return sim


def test_same_seed_same_everything():
    a, b = run(7), run(7)
    pd.testing.assert_frame_equal(a.table, b.table)
    assert a.reveal() == b.reveal()
    assert not a.table.equals(run(8).table)
    assert list(a.table.columns) == [
        "cycle",
        "size",
        "successes",
        "proportion",
        "baseline_size",
        "baseline_successes",
        "baseline_proportion",
        "difference",
        "pooled_difference",
        "pooled_se",
        "exposed",
    ]
    assert a.table.exposed.tolist() == [5, 15, 35]


def test_truth_is_hidden_until_revealed():
    sim = PdsaSimulator(rng=1)
    assert "hidden" in repr(sim)
    assert not any("delta" in k for k in vars(sim) if not k.startswith("_"))
    truth = sim.reveal()
    assert truth.p1 == pytest.approx(truth.p0 + truth.delta)
    assert truth.beneficial == (truth.delta > truth.threshold)
    assert truth.right_decision == ("adopt" if truth.beneficial else "abandon")


def test_given_truth_and_reveal_judges_the_decision():
    sim = PdsaSimulator(rng=3, p0=0.5, delta=0.2, threshold=0.05)
    sim.run_cycle(20)
    t = sim.reveal("innfør")
    assert (t.p0, t.delta, t.right_decision, t.decision, t.correct) == (0.5, 0.2, "adopt", "adopt", True)
    assert sim.reveal("forkast").correct is False
    assert sim.reveal().correct is None
    with pytest.raises(QikitInputError, match="final decision"):
        sim.reveal("adapt")
    harmful = PdsaSimulator(rng=3, p0=0.5, delta=-0.1)
    harmful.run_cycle(10)
    harmful.run_cycle(5, baseline_size=0)
    t = harmful.reveal("abandon")
    assert t.harmful and t.harm_exposed == 15 and t.correct


def test_observations_are_consistent_with_the_truth_over_many_seeds():
    z1, z0 = [], []
    for seed in range(400):
        sim = PdsaSimulator(rng=seed)
        o = sim.run_cycle(size=60)
        t = sim.reveal()
        for x, p, zs in ((o.successes, t.p1, z1), (o.baseline_successes, t.p0, z0)):
            zs.append((x - 60 * p) / math.sqrt(60 * p * (1 - p)))
    for z in (np.array(z1), np.array(z0)):
        assert abs(z.mean()) < 4 / math.sqrt(len(z))  # unbiased
        assert 0.8 < z.var() < 1.2  # binomial spread


def test_truth_prior():
    p0, delta = draw_truths(0, 20000)
    assert p0.min() >= 0.3 and p0.max() <= 0.8
    assert ((p0 + delta) >= 0.02 - 1e-12).all() and ((p0 + delta) <= 0.98 + 1e-12).all()
    assert 0.18 < (delta == 0).mean() < 0.26  # the no-effect share (plus rounded zeros)
    assert 0.15 < (delta < 0).mean() < 0.35
    np.testing.assert_array_equal(draw_truths(5, 10)[1], draw_truths(5, 10)[1])


def test_decide_by_hand():
    d = decide(14, 20, 10, 20, threshold=0.05, lang="en")
    assert d.act == "adopt" and d.difference == pytest.approx(0.2)
    p1, p0 = 15 / 22, 11 / 22
    assert d.se == pytest.approx(math.sqrt(p1 * (1 - p1) / 20 + p0 * (1 - p0) / 20))
    assert d.z == pytest.approx((0.2 - 0.05) / d.se)
    assert decide(11, 20, 10, 20, threshold=0.05).act == "abandon"  # +5 % is not above 5 %
    assert decide(11, 20, 10, 20, final=False).act == "adapt"
    assert decide(2, 10, 7, 10, final=False, stop_z=1.0).act == "abandon"
    assert decide(2, 10, 7, 10, final=False, stop_z=None).act == "adapt"
    assert "terskelen" in decide(2, 10, 7, 10, lang="nb").reason
    for args in ((11, 10, 5, 10), (-1, 10, 5, 10), (1, 0, 1, 1), (1, 2, 0, 0), (1.5, 2, 1, 2)):
        with pytest.raises(QikitInputError):
            decide(*args)  # type: ignore[arg-type]


def test_simulator_decide_uses_pooled_counts_and_history():
    sim = PdsaSimulator(rng=2, history=40)
    assert 0 <= sim.history_successes <= 40
    with pytest.raises(QikitInputError, match="run at least one cycle"):
        sim.decide()
    sim.run_cycle(10, baseline_size=0)
    pooled = sim.pooled()
    assert pooled["baseline_size"] == 40 and pooled["size"] == 10
    d = sim.decide(final=True)
    assert d == decide(**pooled, threshold=sim.threshold, final=True, lang=sim.lang)
    assert sim.table.pooled_difference.iloc[-1] == pytest.approx(d.difference)


def test_run_cycle_errors():
    sim = PdsaSimulator(rng=0)
    for bad in (0, -5, 2.5, True, "10"):
        with pytest.raises(QikitInputError, match="size"):
            sim.run_cycle(bad)  # type: ignore[arg-type]
    with pytest.raises(QikitInputError, match="p0"):
        PdsaSimulator(p0=1.5)
    with pytest.raises(QikitInputError, match="p0 \\+ delta"):
        PdsaSimulator(p0=0.9, delta=0.2)
    with pytest.raises(QikitInputError, match="rng"):
        PdsaSimulator(rng="x")  # type: ignore[arg-type]


# -- strategies -------------------------------------------------------------------------------------


def brute_force_big(p0, p1, n, threshold):
    """P(adopt) for one test of n vs n baseline, by the double sum of binomial probabilities."""
    pmf = lambda p, k: math.comb(n, k) * p**k * (1 - p) ** (n - k)  # noqa: E731
    return sum(
        pmf(p1, x1) * pmf(p0, x0) for x1 in range(n + 1) for x0 in range(n + 1) if x1 / n - x0 / n > threshold + 1e-12
    )


def test_exact_single_test_matches_brute_force():
    p0 = np.array([0.5, 0.3, 0.7, 0.6])
    delta = np.array([0.1, 0.0, -0.1, 0.25])
    res = compare_strategies([Strategy("one", (12,), stop_z=None)], p0=p0, delta=delta, threshold=0.05)
    for row in res.table.itertuples():
        assert row.p_adopt == pytest.approx(brute_force_big(row.p0, row.p0 + row.delta, 12, 0.05), abs=1e-12)


def test_pooled_small_tests_without_stopping_equal_one_big_test_exactly():
    res = compare_strategies(
        [Strategy("5x10", (10,) * 5, stop_z=None), Strategy("50", (50,), stop_z=None)], n_sims=300, rng=4
    )
    t = res.table
    a = t[t.strategy == "5x10"].p_adopt.to_numpy()
    b = t[t.strategy == "50"].p_adopt.to_numpy()
    np.testing.assert_allclose(a, b, atol=1e-10)


def test_exact_agrees_with_simulation():
    strategies = {"small": (10, 10, 10, 10, 10), "ramp": (5, 10, 20), "big": (50,)}
    exact = compare_strategies(strategies, n_sims=400, rng=9).summary().set_index("strategy")
    sim = compare_strategies(strategies, n_sims=20000, rng=9, method="simulate").summary().set_index("strategy")
    for col, tol in (("p_right", 0.03), ("p_adopt_harmful", 0.04), ("exposed", 1.5)):
        np.testing.assert_allclose(exact[col], sim[col], atol=tol)
    # fixed truth: the exact probability against the simulated frequency over many runs
    e = compare_strategies(strategies, p0=0.5, delta=0.08).table
    s = compare_strategies(strategies, p0=np.full(20000, 0.5), delta=0.08, method="simulate", rng=1).table
    for name in strategies:
        pe = e[e.strategy == name].p_adopt.item()
        ps = s[s.strategy == name].p_adopt.mean()
        assert abs(pe - ps) < 4 * math.sqrt(pe * (1 - pe) / 20000) + 1e-3
        assert s[s.strategy == name].exposed.mean() == pytest.approx(e[e.strategy == name].exposed.item(), rel=0.02)


def test_bigger_tests_decide_right_more_often():
    sizes = [5, 20, 80, 250]
    res = compare_strategies([Strategy(f"n{n}", (n,), stop_z=None) for n in sizes], n_sims=1500, rng=3)
    p_right = res.summary().p_right.to_numpy()
    assert (np.diff(p_right) > 0).all()
    assert p_right[-1] > 0.85 and p_right[0] < 0.75
    # and for a fixed beneficial truth, the chance of adopting grows with size
    fixed = compare_strategies([Strategy(f"n{n}", (n,), stop_z=None) for n in sizes], p0=0.5, delta=0.15)
    assert (np.diff(fixed.table.p_adopt.to_numpy()) > 0).all()


def test_adopt_probability_grows_with_the_true_effect():
    deltas = np.linspace(-0.3, 0.3, 25)
    res = compare_strategies([Strategy("big", (40,), stop_z=None)], p0=0.5, delta=deltas)
    assert (np.diff(res.table.p_adopt.to_numpy()) > 0).all()


def test_small_tests_expose_fewer_patients_to_harm():
    s = compare_strategies(n_sims=1000, rng=2).summary().set_index("strategy")
    assert s.loc["small", "harm_exposed"] < 0.7 * s.loc["big", "harm_exposed"]
    assert s.loc["small", "exposed"] < s.loc["big", "exposed"] == 50
    assert s.loc["small", "sample"] == pytest.approx(2 * s.loc["small", "exposed"])
    assert abs(s.loc["small", "p_right"] - s.loc["big", "p_right"]) < 0.05
    cols = [
        "strategy",
        "sizes",
        "max_exposed",
        "p_right",
        "p_adopt_beneficial",
        "p_abandon_other",
        "p_adopt_harmful",
        "exposed",
        "sample",
        "harm_exposed",
        "excess_failures",
        "n_sims",
    ]
    assert compare_strategies(n_sims=10, rng=1).summary().columns.tolist() == cols


def test_strategy_table_is_consistent():
    res = compare_strategies(n_sims=200, rng=5)
    t = res.table
    assert ((t.p_adopt >= 0) & (t.p_adopt <= 1)).all()
    assert (t.exposed <= 50 + 1e-9).all() and (t.exposed >= 10 - 1e-9).all()
    assert ((t.harm_exposed > 0) == (t.harmful & (t.exposed > 0))).all()
    np.testing.assert_allclose(t.p_right, np.where(t.beneficial, t.p_adopt, 1 - t.p_adopt))
    big = t[t.strategy == "big"]
    assert (big.p_stopped == 0).all() and (big.exposed == 50).all()
    assert "strategy" in res._repr_html_()


def test_strategies_are_deterministic_per_seed():
    a = compare_strategies(n_sims=100, rng=8).table
    b = compare_strategies(n_sims=100, rng=8).table
    pd.testing.assert_frame_equal(a, b)
    c = compare_strategies(n_sims=100, rng=8, method="simulate").table
    d = compare_strategies(n_sims=100, rng=8, method="simulate").table
    pd.testing.assert_frame_equal(c, d)


def test_history_is_used_exactly_as_simulated():
    strat = [Strategy("ramp", (10, 20), stop_z=1.0)]
    e = compare_strategies(strat, p0=0.5, delta=0.1, history=100).table.p_adopt.item()
    without = compare_strategies(strat, p0=0.5, delta=0.1).table.p_adopt.item()
    s = compare_strategies(strat, p0=np.full(40000, 0.5), delta=0.1, history=100, method="simulate", rng=3)
    assert abs(e - without) > 0.01
    assert abs(s.table.p_adopt.mean() - e) < 4 * math.sqrt(e * (1 - e) / 40000)


def test_strategy_errors():
    with pytest.raises(QikitInputError, match="method"):
        compare_strategies(n_sims=10, method="bayes")  # type: ignore[arg-type]
    with pytest.raises(QikitInputError, match="unique"):
        compare_strategies([Strategy("a", (5,)), Strategy("a", (10,))], n_sims=10)
    with pytest.raises(QikitInputError, match="at least one"):
        Strategy("a", ())
    with pytest.raises(QikitInputError, match="sizes"):
        Strategy("a", (0, 5))
    with pytest.raises(QikitInputError, match="stop_z"):
        Strategy("a", (5,), stop_z=-1)
    with pytest.raises(QikitInputError, match="proportions"):
        compare_strategies(p0=0.9, delta=0.3)
    with pytest.raises(QikitInputError, match="n_sims"):
        compare_strategies(n_sims=0)
    assert Strategy("x", (5, 5)).describe() == "2 × 5" and Strategy("y", (5, 10)).describe() == "5 → 10"


def test_simulator_decisions_against_the_hidden_truth_over_many_seeds():
    def share_right(size):
        right = 0
        for seed in range(300):
            sim = PdsaSimulator(rng=seed)
            sim.run_cycle(size=size)
            right += sim.reveal(sim.decide(final=True).act).correct
        return right / 300

    small, big = share_right(5), share_right(100)
    assert big > small + 0.1
    # and the simulator agrees with the exact strategy calculation over the same prior
    exact = (
        compare_strategies([Strategy("5", (5,), stop_z=None), Strategy("100", (100,), stop_z=None)], n_sims=3000, rng=0)
        .summary()
        .p_right.to_numpy()
    )
    assert abs(small - exact[0]) < 0.09 and abs(big - exact[1]) < 0.09
