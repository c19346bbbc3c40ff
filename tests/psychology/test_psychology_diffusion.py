import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qikit import QikitInputError
from qikit.psychology import ADOPTER_CATEGORIES, adopter_categories, bass_curve, bass_time, diffusion

ROGERS = np.array([0.025, 0.135, 0.34, 0.34, 0.16])


def test_rogers_shares_and_normal_curve():
    res = adopter_categories(1000, lang="en")
    t = res.table
    assert list(t.columns) == ["category", "label", "z_from", "z_to", "share", "normal_share", "expected", "count"]
    assert t.category.tolist() == [c[0] for c in ADOPTER_CATEGORIES]
    np.testing.assert_allclose(t.share, ROGERS)
    np.testing.assert_allclose(t.normal_share, [0.02275, 0.13591, 0.34134, 0.34134, 0.15866], atol=5e-5)
    assert t.normal_share.sum() == pytest.approx(1.0)
    assert t["count"].tolist() == [25, 135, 340, 340, 160]
    assert t.label.tolist()[0] == "Innovators"
    assert adopter_categories(10, lang="nb").table.label.tolist()[-1] == "Etternølere"


@pytest.mark.parametrize(
    "n, counts",
    [
        (1, [0, 0, 1, 0, 0]),  # remainders .34 tie: early majority first (adoption order)
        (10, [0, 1, 4, 3, 2]),  # quotas .25 1.35 3.4 3.4 1.6
        (30, [1, 4, 10, 10, 5]),  # .75 4.05 10.2 10.2 4.8
        (100, [3, 13, 34, 34, 16]),  # 2.5 13.5 ...: tie .5 -> innovators first
    ],
)
def test_largest_remainder_by_hand(n, counts):
    assert adopter_categories(n).table["count"].tolist() == counts


def test_counts_sum_to_n_and_stay_within_one_of_quota():
    for n in range(1, 201):
        for shares in ("rogers", "normal"):
            t = adopter_categories(n, shares=shares).table
            assert int(t["count"].sum()) == n
            assert (np.abs(t["count"] - t.expected) < 1).all()


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=1, max_value=10**6))
def test_property_counts(n):
    res = adopter_categories(n)
    assert sum(res.counts.values()) == n
    assert (np.abs(res.table["count"] - n * ROGERS) < 1).all()


def test_adopter_errors():
    for bad in (0, -3, 2.5, True, "10"):
        with pytest.raises(QikitInputError, match="n must be"):
            adopter_categories(bad)  # type: ignore[arg-type]
    with pytest.raises(QikitInputError, match="shares"):
        adopter_categories(10, shares="poisson")  # type: ignore[arg-type]


def test_summary_has_total():
    s = adopter_categories(37).summary()
    assert s["count"].iloc[-1] == 37
    assert s.share.iloc[-1] == pytest.approx(1.0)


def test_bass_closed_form_solves_the_ode_and_inverts():
    p, q = 0.03, 0.38
    t = np.linspace(0, 30, 3001)
    f = bass_curve(t, p=p, q=q)
    assert f[0] == 0.0
    dfdt = np.gradient(f, t)
    np.testing.assert_allclose(dfdt[1:-1], ((p + q * f) * (1 - f))[1:-1], atol=2e-4)
    # F(t) = (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t}) at one point by hand
    e = math.exp(-(p + q) * 5)
    assert float(bass_curve(5, p=p, q=q)) == pytest.approx((1 - e) / (1 + (q / p) * e))
    for share in (0.025, 0.16, 0.5, 0.84):
        assert float(bass_curve(bass_time(share, p=p, q=q), p=p, q=q)) == pytest.approx(share)
    with pytest.raises(QikitInputError):
        bass_time(1.0, p=p, q=q)
    with pytest.raises(QikitInputError):
        bass_curve(1, p=0, q=0.3)


def test_diffusion_table_totals_and_monotone():
    res = diffusion(40, p=0.03, q=0.38, periods=25, rng=3)
    t = res.table
    assert list(t.columns) == ["period", "new_adopters", "cumulative", "share", "expected", "bass"]
    assert t.period.tolist() == list(range(26))
    assert (t.cumulative <= 40).all() and (t.new_adopters >= 0).all()
    assert (t.cumulative.diff().dropna() >= 0).all()
    assert (t.new_adopters.cumsum() == t.cumulative).all()
    np.testing.assert_allclose(t.share, t.cumulative / 40)
    np.testing.assert_allclose(t.bass, 40 * bass_curve(t.period, p=0.03, q=0.38))
    assert (t.expected.diff().dropna() >= 0).all() and t.expected.max() <= 40


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 300),
    st.floats(0.001, 0.5),
    st.floats(0.0, 0.5),
    st.integers(1, 60),
    st.integers(0, 2**32 - 1),
)
def test_property_diffusion_never_exceeds_n(n, p, q, periods, seed):
    res = diffusion(n, p=p, q=q, periods=periods, rng=seed)
    cum = res.table.cumulative.to_numpy()
    assert cum.max() <= n and (np.diff(cum) >= 0).all()


def test_diffusion_initial_adopters():
    t = diffusion(20, initial=5, periods=3, rng=0).table
    assert t.cumulative.iloc[0] == 5 and t.new_adopters.iloc[0] == 5


def test_diffusion_is_deterministic_per_seed():
    a = diffusion(60, p=0.02, q=0.5, periods=30, rng=11).table
    b = diffusion(60, p=0.02, q=0.5, periods=30, rng=11).table
    pd.testing.assert_frame_equal(a, b)
    c = diffusion(60, p=0.02, q=0.5, periods=30, rng=12).table
    assert not a.cumulative.equals(c.cumulative)
    g = np.random.default_rng(5)
    assert diffusion(10, rng=g).params["rng"] is g


def test_diffusion_mean_tracks_the_mean_field_recursion():
    # many people: the stochastic share is close to the deterministic discrete Bass recursion
    res = diffusion(20000, p=0.03, q=0.38, periods=20, rng=2)
    t = res.table
    np.testing.assert_allclose(t.share, t.expected / 20000, atol=0.02)
    # the discrete recursion lags the continuous closed form (hazard from last period), but not much
    np.testing.assert_allclose(t.expected / 20000, t.bass / 20000, atol=0.08)


def test_diffusion_summary_milestones():
    res = diffusion(100, p=0.03, q=0.38, periods=40, rng=1)
    s = res.summary()
    assert s.milestone.tolist() == [0.025, 0.16, 0.5, 0.84]
    assert s.period_simulated.notna().all()
    assert (s.period_simulated.diff().dropna() >= 0).all()
    assert s.time_bass.iloc[2] == pytest.approx(bass_time(0.5, p=0.03, q=0.38))
    assert res.peak_time == pytest.approx(math.log(0.38 / 0.03) / 0.41)
    assert res.first_period(2.0) is None
    assert "Bass" in res._repr_html_()


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"n": 0}, "n must be"),
        ({"p": 0.0}, "p must be"),
        ({"p": 1.2}, "p must be"),
        ({"q": -0.1}, "q must be"),
        ({"p": 0.5, "q": 0.6}, "p \\+ q"),
        ({"periods": 0}, "periods"),
        ({"initial": 50}, "initial"),
        ({"rng": "seed"}, "rng"),
        ({"rng": -1}, "rng"),
    ],
)
def test_diffusion_errors(kwargs, match):
    args = {"n": 40, "p": 0.03, "q": 0.38, "periods": 10, **kwargs}
    n = args.pop("n")
    with pytest.raises(QikitInputError, match=match):
        diffusion(n, **args)
