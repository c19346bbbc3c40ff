import math

import numpy as np
import pandas as pd
import pytest

from qikit import QikitInputError
from qikit.variation import DEFAULT_WORKERS, red_bead_distribution, red_beads


def hypergeom_moments(n, red, white):
    big_n = red + white
    p = red / big_n
    return n * p, n * p * (1 - p) * (big_n - n) / (big_n - 1)


def test_table_shape_and_columns():
    res = red_beads(rng=1)
    t = res.table
    assert list(t.columns[:3]) == ["worker", "day", "red"]
    assert set(t.columns) >= {"worker", "day", "red", "white", "share", "draw"}
    assert len(t) == 24
    assert t["worker"].tolist()[:6] == list(DEFAULT_WORKERS[:6])
    assert t["day"].tolist() == [d for d in range(1, 5) for _ in range(6)]
    assert (t["red"] + t["white"] == 50).all()
    assert t["draw"].tolist() == list(range(1, 25))
    assert np.allclose(t["share"], t["red"] / 50)


def test_same_seed_same_table_and_different_seed_differs():
    pd.testing.assert_frame_equal(red_beads(rng=7).table, red_beads(rng=7).table)
    assert not red_beads(rng=7).table["red"].equals(red_beads(rng=8).table["red"])
    gen = np.random.default_rng(3)
    a = red_beads(rng=gen).table
    b = red_beads(rng=np.random.default_rng(3)).table
    pd.testing.assert_frame_equal(a, b)


def test_exact_distribution_is_hypergeometric_when_fair():
    d = red_bead_distribution(paddle=50, red=800, white=3200)
    mean = float((d["red"] * d["probability"]).sum())
    var = float(((d["red"] - mean) ** 2 * d["probability"]).sum())
    m, v = hypergeom_moments(50, 800, 3200)
    assert mean == pytest.approx(m, abs=1e-9)
    assert var == pytest.approx(v, rel=1e-9)
    # against the closed-form probabilities
    for x in (0, 5, 10, 20):
        exact = math.comb(800, x) * math.comb(3200, 50 - x) / math.comb(4000, 50)
        assert float(d.loc[d["red"] == x, "probability"].iloc[0]) == pytest.approx(exact, rel=1e-9)


def test_simulated_mean_and_variance_match_hypergeometric():
    res = red_beads(workers=10, days=3000, rng=2024)  # 30 000 draws
    red = res.table["red"]
    m, v = hypergeom_moments(50, 800, 3200)
    assert m == 10 and v == pytest.approx(7.9019755, rel=1e-6)
    se_mean = math.sqrt(v / len(red))
    assert abs(red.mean() - m) < 4 * se_mean
    assert red.var(ddof=1) == pytest.approx(v, rel=0.05)
    s = res.summary().iloc[0]
    assert s["expected_mean"] == pytest.approx(m)
    assert s["expected_var"] == pytest.approx(v)


def test_small_bowl_uses_finite_population_variance():
    d = red_bead_distribution(paddle=10, red=8, white=12)
    mean = float((d["red"] * d["probability"]).sum())
    var = float(((d["red"] - mean) ** 2 * d["probability"]).sum())
    m, v = hypergeom_moments(10, 8, 12)
    assert (mean, var) == (pytest.approx(m), pytest.approx(v))
    res = red_beads(paddle=10, red=8, white=12, days=2000, rng=1)
    assert res.table["red"].var() == pytest.approx(v, rel=0.06)
    assert res.table["red"].between(0, 8).all()


def test_paddle_bias_tilts_the_draw():
    fair = red_bead_distribution()
    tilted = red_bead_distribution(paddle_bias=0.3)
    mean = lambda d: float((d["red"] * d["probability"]).sum())  # noqa: E731
    assert mean(tilted) > mean(fair) + 1
    assert mean(red_bead_distribution(paddle_bias=-0.3)) < mean(fair) - 1
    # same seed: a positive bias never lowers a count (inverse-CDF draws)
    a = red_beads(rng=5).table["red"]
    b = red_beads(rng=5, paddle_bias=0.2).table["red"]
    assert (b >= a).all() and b.sum() > a.sum()


def test_np_chart_limits():
    res = red_beads(rng=11)
    ch = res.np_chart()
    pbar = res.table["red"].sum() / (50 * 24)
    assert ch.p == pytest.approx(pbar)
    assert ch.cl == pytest.approx(50 * pbar)
    half = 3 * math.sqrt(50 * pbar * (1 - pbar))
    assert ch.ucl == pytest.approx(50 * pbar + half)
    assert ch.lcl == pytest.approx(max(0.0, 50 * pbar - half))
    t = ch.table
    assert list(t.columns) == ["draw", "worker", "day", "red", "cl", "lcl", "ucl", "outside"]
    assert t["outside"].equals((t["red"] > t["ucl"]) | (t["red"] < t["lcl"]))
    bowl = res.np_chart(basis="bowl")
    assert bowl.p == 0.2 and bowl.cl == pytest.approx(10.0)
    assert bowl.ucl == pytest.approx(10 + 3 * math.sqrt(8))
    assert bowl.lcl == pytest.approx(10 - 3 * math.sqrt(8))
    assert ch.summary()["outside"].iloc[0] == ch.n_outside


def test_lcl_floored_at_zero_and_points_outside_are_found():
    res = red_beads(paddle=10, red=100, white=3900, days=50, rng=3)
    ch = res.np_chart()
    assert ch.lcl == 0.0
    assert ch.n_outside == int((res.table["red"] > ch.ucl).sum())
    assert ch.n_outside >= 1  # rare-event draws poke above 3-sigma limits for such a small p


def test_ranking_is_within_limits_and_reshuffles():
    res = red_beads(rng=1)
    rk = res.ranking()
    assert list(rk.columns) == ["rank", "worker", "red_total", "red_mean", "lcl_total", "ucl_total", "within_limits"]
    assert rk["rank"].is_monotonic_increasing
    assert rk["red_total"].is_monotonic_increasing
    assert rk["within_limits"].all()
    totals = res.table.groupby("worker")["red"].sum()
    assert dict(zip(rk["worker"], rk["red_total"], strict=True)) == totals.to_dict()
    # ties share the better rank
    for _, grp in rk.groupby("red_total"):
        assert grp["rank"].nunique() == 1
    ranks = res.rank_reshuffle(8, rng=2)
    assert sorted(ranks["run"].unique()) == list(range(1, 10))
    first = ranks[ranks["worker"] == "Kari"]["rank"]
    assert first.nunique() > 1  # the "best" worker changes between runs of the same system
    top = ranks[ranks["rank"] == 1].groupby("run")["worker"].first()
    assert top.nunique() > 1


def test_named_workers():
    res = red_beads(workers=["A", "B"], days=2, rng=1)
    assert res.table["worker"].tolist() == ["A", "B", "A", "B"]
    assert red_beads(workers=14, days=1, rng=1).table["worker"].iloc[-1] == "#14"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"paddle": 5000}, "paddle must not hold more beads"),
        ({"paddle": 0}, "paddle must be at least 1"),
        ({"red": -1}, "red must be at least 0"),
        ({"red": 0, "white": 0}, "bowl is empty"),
        ({"days": 0}, "days must be at least 1"),
        ({"workers": "Kari"}, "list of names"),
        ({"workers": ["A", "A"]}, "unique"),
        ({"workers": []}, "at least one worker"),
        ({"paddle_bias": "big"}, "paddle_bias must be a number"),
        ({"paddle_bias": float("nan")}, "finite"),
        ({"rng": -3}, "rng must be"),
        ({"days": 2.5}, "whole number"),
    ],
)
def test_bad_input(kwargs, match):
    with pytest.raises(QikitInputError, match=match):
        red_beads(**kwargs)


def test_bad_basis():
    with pytest.raises(QikitInputError, match="basis must be one of"):
        red_beads(rng=1).np_chart(basis="theory")


def test_repr_html():
    html = red_beads(rng=1)._repr_html_()
    assert "Red bead" in html and "<table" in html
    assert "<table" in red_beads(rng=1).np_chart()._repr_html_()


def test_rank_reshuffle_is_seeded():
    res = red_beads(rng=1)
    pd.testing.assert_frame_equal(res.rank_reshuffle(3, rng=5), res.rank_reshuffle(3, rng=5))
    assert len(res.rank_reshuffle(0, rng=5)) == 6


def test_recorded_run_from_a_table():
    from qikit.variation import red_beads_from_table

    sim = red_beads(rng=4)
    rec = sim.table[["day", "worker", "red"]].sort_values("day", ascending=False, kind="stable")  # days in any order
    rec["paddle"] = 50
    res = red_beads_from_table(rec)
    pd.testing.assert_frame_equal(res.table, sim.table)
    assert res.np_chart(basis="bowl").ucl == pytest.approx(18.485281, abs=1e-6)
    assert res.ranking()["red_total"].tolist() == sim.ranking()["red_total"].tolist()
    with pytest.raises(QikitInputError, match="give paddle=50"):
        red_beads_from_table(rec.drop(columns="paddle"))
    with pytest.raises(QikitInputError, match="between 0 and paddle"):
        red_beads_from_table(rec.assign(red=rec["red"] + 100))
    with pytest.raises(QikitInputError, match="missing"):
        red_beads_from_table(rec.drop(columns="worker"))
