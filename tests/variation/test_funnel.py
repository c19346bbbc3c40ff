import numpy as np
import pandas as pd
import pytest

from qikit import QikitInputError
from qikit.variation import FUNNEL_RULES, funnel, funnel_path, funnel_theory_var, tampering


def test_rules_are_documented():
    assert set(FUNNEL_RULES) == {1, 2, 3, 4}


def test_funnel_path_recursions_match_deming():
    rng = np.random.default_rng(1)
    e = rng.normal(size=(30, 2))
    for rule in (1, 2, 3, 4):
        f, z = funnel_path(e, rule)
        # loop implementation of Deming's wording
        pos = np.zeros(2)
        for k in range(len(e)):
            assert np.allclose(f[k], pos)
            drop = pos + e[k]
            assert np.allclose(z[k], drop)
            if rule == 1:
                pos = np.zeros(2)
            elif rule == 2:
                pos = pos - drop
            elif rule == 3:
                pos = -drop
            else:
                pos = drop.copy()


def test_table_columns_and_running_spread():
    res = funnel(2, drops=40, sigma=2.0, rng=3)
    t = res.table
    assert list(t.columns) == ["drop", "x", "y", "funnel_x", "funnel_y", "distance", "running_sd", "theory_var"]
    assert t["drop"].tolist() == list(range(1, 41))
    assert np.allclose(t["distance"], np.hypot(t["x"], t["y"]))
    k = t["drop"].to_numpy()
    assert np.allclose(t["running_sd"], np.sqrt(np.cumsum((t["x"] ** 2 + t["y"] ** 2) / 2) / k))
    assert t["theory_var"].tolist() == [4.0] + [8.0] * 39
    assert res.summary()["rule"].iloc[0] == 2


def test_same_seed_same_marbles_for_every_rule():
    r1 = funnel(1, drops=25, rng=9).table
    r4 = funnel(4, drops=25, rng=9).table
    assert np.allclose(r4["x"], np.cumsum(r1["x"]))
    pd.testing.assert_frame_equal(funnel(3, drops=25, rng=9).table, funnel(3, drops=25, rng=9).table)
    assert not np.allclose(funnel(3, drops=25, rng=10).table["x"], funnel(3, drops=25, rng=9).table["x"])


@pytest.mark.parametrize(("rule", "ratio"), [(1, 1.0), (2, 2.0)])
def test_rule_1_and_2_variance_by_simulation(rule, ratio):
    sigma = 1.5
    t = funnel(rule, drops=200_000, sigma=sigma, rng=2024).table
    for col in ("x", "y"):
        assert t[col].var() / sigma**2 == pytest.approx(ratio, rel=0.02)
    assert funnel(rule, drops=200_000, sigma=sigma, rng=2024).summary()["ratio"].iloc[0] == pytest.approx(
        ratio, rel=0.02
    )


@pytest.mark.parametrize("rule", [3, 4])
def test_rules_3_and_4_grow_without_bound(rule):
    # 4000 independent runs of 100 drops at once: funnel_path accepts (drops, runs).
    e = np.random.default_rng(5).normal(size=(100, 4000))
    _, z = funnel_path(e, rule)
    var = z.var(axis=1)
    for k in (10, 50, 100):
        assert var[k - 1] == pytest.approx(k, rel=0.1)
    assert var[99] > var[49] > var[9] > var[0]
    assert np.allclose(funnel_theory_var(rule, 100), np.arange(1, 101))
    # a single long run drifts far from the target, unlike rule 1
    far = funnel(rule, drops=2000, rng=1).table["distance"].iloc[-200:].mean()
    near = funnel(1, drops=2000, rng=1).table["distance"].iloc[-200:].mean()
    assert far > 5 * near


def test_theory_var():
    assert funnel_theory_var(1, 3, 2.0).tolist() == [4.0, 4.0, 4.0]
    assert funnel_theory_var(2, 3).tolist() == [1.0, 2.0, 2.0]
    assert funnel_theory_var(3, 3).tolist() == [1.0, 2.0, 3.0]


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        ((5,), {}, "rule must be 1, 2, 3 or 4"),
        (("2",), {}, "rule must be 1, 2, 3 or 4"),
        ((True,), {}, "rule must be"),
        ((1,), {"drops": 0}, "drops must be at least 1"),
        ((1,), {"sigma": 0}, "sigma must be greater than 0"),
        ((1,), {"rng": "seed"}, "rng must be"),
    ],
)
def test_funnel_bad_input(args, kwargs, match):
    with pytest.raises(QikitInputError, match=match):
        funnel(*args, **kwargs)


def test_tampering_doubles_the_variance():
    res = tampering(periods=100_000, rng=4)
    t = res.table
    assert list(t.columns) == ["x", "y_stable", "y_tampered", "setting", "adjustment"]
    s = res.summary().iloc[0]
    assert s["var_ratio"] == pytest.approx(2.0, rel=0.03)
    assert s["msd_ratio"] == pytest.approx(2.0, rel=0.03)
    assert s["theory_msd_ratio"] == pytest.approx(2.0, rel=1e-4)
    # the operator's adjustment is minus the last deviation from target
    target = 10.0
    assert np.allclose(t["adjustment"].iloc[:-1], -(t["y_tampered"].iloc[:-1] - target))
    assert np.allclose(t["y_tampered"] - t["setting"], t["y_stable"] - target)


def test_tampering_rule_1_is_no_tampering_and_is_seeded():
    res = tampering(periods=30, rule=1, rng=1)
    assert np.allclose(res.table["y_stable"], res.table["y_tampered"])
    assert res.summary()["var_ratio"].iloc[0] == pytest.approx(1.0)
    pd.testing.assert_frame_equal(tampering(rng=3).table, tampering(rng=3).table)


def test_tampering_bad_input():
    with pytest.raises(QikitInputError, match="periods must be at least 2"):
        tampering(periods=1)
    with pytest.raises(QikitInputError, match="sd must be greater than 0"):
        tampering(sd=-1)
