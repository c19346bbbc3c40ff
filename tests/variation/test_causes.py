import numpy as np
import pandas as pd
import pytest

from qikit import QikitInputError
from qikit.variation import (
    PROCESS_KINDS,
    outlier_process,
    overdispersed_counts,
    seasonal_process,
    shift_process,
    simulate_process,
    stable_process,
    trend_process,
)


@pytest.mark.parametrize("kind", PROCESS_KINDS)
def test_every_kind_is_seeded_and_reports_truth(kind):
    a = simulate_process(kind, rng=11)
    b = simulate_process(kind, rng=11)
    pd.testing.assert_frame_equal(a.table, b.table)
    assert a.truth["kind"] == kind == a.kind
    assert {"x", "y", "true_mean", "special"} <= set(a.table.columns)
    assert a.table["x"].tolist() == list(range(1, len(a.table) + 1))
    assert a.describe("nb") and a.describe("en") and a.describe("nb") != a.describe("en")
    assert a.summary()["kind"].iloc[0] == kind
    assert "<table" in a._repr_html_()
    assert not simulate_process(kind, rng=12).table["y"].equals(a.table["y"])


def test_stable_process():
    p = stable_process(periods=5000, mean=3.0, sd=2.0, rng=1)
    assert p.special_x == []
    assert p.table["y"].mean() == pytest.approx(3.0, abs=0.1)
    assert p.table["y"].std() == pytest.approx(2.0, rel=0.05)


def test_shift_truth_matches_the_data():
    p = shift_process(periods=30, start=21, shift=-3.0, mean=50, sd=1, rng=2)
    assert p.truth["start"] == 21 and p.truth["after"] == 47.0
    assert p.special_x == list(range(21, 31))
    assert (p.table.loc[p.table["x"] >= 21, "true_mean"] == 47.0).all()
    assert (p.table.loc[p.table["x"] < 21, "true_mean"] == 50.0).all()
    assert np.allclose(p.table["y"] - p.table["true_mean"], stable_process(periods=30, mean=0, sd=1, rng=2).table["y"])


def test_trend_outlier_seasonal():
    t = trend_process(periods=10, start=4, slope=0.5, rng=1)
    assert t.table["true_mean"].tolist() == [10, 10, 10, 10, 10.5, 11, 11.5, 12, 12.5, 13]
    assert t.special_x == [5, 6, 7, 8, 9, 10]
    o = outlier_process(periods=20, at=[15, 3, 3], size=5, rng=1)
    assert o.truth["at"] == (3, 15) and o.special_x == [3, 15]
    assert (o.table.loc[o.table["special"], "true_mean"] == 15).all()
    s = seasonal_process(periods=24, period=12, amplitude=2, peak=7, rng=1)
    assert int(s.table["true_mean"].idxmax()) + 1 in (7, 19)
    assert s.table["true_mean"].max() == pytest.approx(12.0)
    assert seasonal_process(amplitude=0, rng=1).special_x == []


def test_overdispersion_inflates_variance_as_planted():
    n, p, rho = 500, 0.1, 0.01
    c = overdispersed_counts(periods=20_000, n=n, p=p, rho=rho, rng=3)
    phi = 1 + (n - 1) * rho
    assert c.truth["phi"] == pytest.approx(phi)
    assert c.table["y"].var() == pytest.approx(n * p * (1 - p) * phi, rel=0.05)
    assert c.table["y"].mean() == pytest.approx(n * p, rel=0.01)
    b = overdispersed_counts(periods=20_000, n=n, p=p, rho=0, rng=3)
    assert b.table["y"].var() == pytest.approx(n * p * (1 - p), rel=0.05)
    assert set(c.table.columns) >= {"x", "y", "n", "proportion", "true_p"}


def test_overdispersion_with_varying_denominators():
    c = overdispersed_counts(n=[100, 200, 300], rng=1)
    assert c.table["n"].tolist() == [100, 200, 300]
    assert np.allclose(c.table["proportion"], c.table["y"] / c.table["n"])


@pytest.mark.parametrize(
    ("func", "kwargs", "match"),
    [
        (stable_process, {"periods": 1}, "periods must be at least 2"),
        (stable_process, {"sd": 0}, "sd must be greater than 0"),
        (shift_process, {"start": 30}, "start must be a period between 1 and periods = 24"),
        (shift_process, {"shift": "big"}, "shift must be a number"),
        (trend_process, {"start": 0}, "start must be at least 1"),
        (outlier_process, {"at": []}, "at must name at least one period"),
        (outlier_process, {"at": [99]}, "between 1 and periods"),
        (seasonal_process, {"period": 1}, "period must be at least 2"),
        (seasonal_process, {"amplitude": -1}, "amplitude must be at least 0"),
        (overdispersed_counts, {"rho": 1.0}, r"rho must be in \[0, 1\)"),
        (overdispersed_counts, {"p": 1.0}, "p must be below 1"),
        (overdispersed_counts, {"n": [10]}, "at least 2"),
        (overdispersed_counts, {"n": [10, 0]}, "every n must be at least 1"),
    ],
)
def test_bad_input(func, kwargs, match):
    with pytest.raises(QikitInputError, match=match):
        func(**kwargs)


def test_dispatcher_errors():
    with pytest.raises(QikitInputError, match="kind must be one of"):
        simulate_process("wobble")
    with pytest.raises(QikitInputError, match="simulate_process"):
        simulate_process("stable", slope=2)
