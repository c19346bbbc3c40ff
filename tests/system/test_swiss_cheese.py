import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qikit import QikitInputError
from qikit.system import p_all_fail, swiss_cheese


def test_exact_product_for_independent_layers():
    res = swiss_cheese([0.1, 0.2, 0.05])
    assert res.p_harm == pytest.approx(0.1 * 0.2 * 0.05)
    assert res.p_harm == res.p_harm_independent
    assert res.one_in == pytest.approx(1000)
    t = res.table
    assert list(t.columns) == ["layer", "name", "hole", "hole_latent", "p_reach", "p_pass", "p_harm_without"]
    assert t["p_reach"].tolist() == pytest.approx([1.0, 0.1, 0.02])
    assert t["p_pass"].tolist() == pytest.approx([0.1, 0.02, 0.001])
    assert t["p_harm_without"].tolist() == pytest.approx([0.01, 0.005, 0.02])
    assert t["name"].tolist() == ["L1", "L2", "L3"]
    assert res.trials is None and res.p_harm_simulated is None and res.ci is None and res.trajectories is None


def test_named_layers_and_removing_a_layer():
    res = swiss_cheese({"Forskrivning": 0.2, "Farmasøyt": 0.5})
    assert res.table["name"].tolist() == ["Forskrivning", "Farmasøyt"]
    assert swiss_cheese({"Forskrivning": 0.2}).p_harm == pytest.approx(res.table["p_harm_without"].iloc[1])


def test_latent_conditions_widen_every_hole_capped_at_one():
    res = swiss_cheese([0.1, 0.3, 0.6], latent=2)
    assert res.table["hole_latent"].tolist() == pytest.approx([0.2, 0.6, 1.0])
    assert res.p_harm == pytest.approx(0.2 * 0.6 * 1.0)
    per_layer = swiss_cheese([0.1, 0.3], latent=[1.0, 3.0])
    assert per_layer.p_harm == pytest.approx(0.1 * 0.9)


def test_correlation_extremes_and_exact_formula():
    h = [0.3, 0.1, 0.5]
    assert swiss_cheese(h, correlation=0).p_harm == pytest.approx(0.015)
    assert swiss_cheese(h, correlation=1).p_harm == pytest.approx(0.1)
    # two layers: direct formula E[(rho 1(U<h1) + (1-rho) h1)(rho 1(U<h2) + (1-rho) h2)]
    rho, h1, h2 = 0.4, 0.2, 0.5
    direct = rho**2 * min(h1, h2) + 2 * rho * (1 - rho) * h1 * h2 + (1 - rho) ** 2 * h1 * h2
    assert p_all_fail([h1, h2], rho) == pytest.approx(direct)
    assert p_all_fail([]) == 1.0


def test_simulation_within_its_confidence_interval():
    res = swiss_cheese([0.2, 0.3, 0.25, 0.2], trials=200_000, rng=1)
    assert res.ci[0] <= res.p_harm <= res.ci[1]
    assert res.p_harm_simulated == pytest.approx(res.harms / 200_000)
    assert res.se == pytest.approx(math.sqrt(res.p_harm_simulated * (1 - res.p_harm_simulated) / 200_000))
    assert abs(res.p_harm_simulated - res.p_harm) < 4 * res.se
    t = res.table
    assert t["reach_sim"].tolist() == pytest.approx(t["p_reach"].tolist(), abs=0.01)
    assert t["stopped_sim"].sum() + res.p_harm_simulated == pytest.approx(1.0)
    assert len(res.trajectories) == 10_000
    assert set(res.trajectories["stopped_at"].unique()) <= {0, 1, 2, 3, 4}


def test_simulation_with_correlation_and_latent_matches_exact():
    res = swiss_cheese([0.1, 0.2, 0.3], latent=1.5, correlation=0.6, trials=300_000, rng=7)
    assert res.p_harm > res.p_harm_independent
    assert res.ci[0] <= res.p_harm <= res.ci[1]


def test_coverage_of_the_95_percent_interval():
    hits = 0
    for seed in range(200):
        r = swiss_cheese([0.5, 0.4, 0.3], trials=2000, rng=seed)
        hits += r.ci[0] <= r.p_harm <= r.ci[1]
    assert 0.9 <= hits / 200 <= 0.99


def test_seeded_and_chunked_simulation_is_deterministic():
    a = swiss_cheese([0.5, 0.5], trials=600_000, rng=3)  # more than one chunk
    b = swiss_cheese([0.5, 0.5], trials=600_000, rng=3)
    pd.testing.assert_frame_equal(a.table, b.table)
    pd.testing.assert_frame_equal(a.trajectories, b.trajectories)
    assert a.harms == b.harms
    assert swiss_cheese([0.5, 0.5], trials=1000, rng=4).harms != a.harms


def test_zero_harm_still_gives_an_interval():
    res = swiss_cheese([0.01, 0.01, 0.01], trials=1000, rng=1)
    assert res.harms == 0 and res.se == 0.0
    assert res.ci[0] == 0.0 and 0 < res.ci[1] < 0.01


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        (([0.1, 1.2],), {}, "between 0 and 1"),
        (([],), {}, "at least one defensive layer"),
        (("0.1",), {}, "list of probabilities"),
        ((0.1,), {}, "list of probabilities"),
        (([0.1, "x"],), {}, "must be a number"),
        (([0.1],), {"latent": 0.5}, "latent must be at least 1"),
        (([0.1, 0.2],), {"latent": [1, 2, 3]}, "one per layer"),
        (([0.1],), {"correlation": 1.5}, "correlation must be at most 1"),
        (([0.1],), {"trials": 0}, "trials must be at least 1"),
        (([0.1],), {"trials": 10, "rng": "x"}, "rng must be"),
    ],
)
def test_bad_input(args, kwargs, match):
    with pytest.raises(QikitInputError, match=match):
        swiss_cheese(*args, **kwargs)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=6), st.floats(0, 1), st.floats(0, 1))
def test_correlated_p_harm_between_product_and_smallest_hole(h, r1, r2):
    lo, hi = sorted((r1, r2))
    p_lo, p_hi = p_all_fail(h, lo), p_all_fail(h, hi)
    assert np.prod(h) - 1e-12 <= p_lo <= min(h) + 1e-12
    assert p_lo <= p_hi + 1e-12  # more correlation, holes line up more often


def test_summary_and_html():
    res = swiss_cheese([0.1, 0.2], trials=1000, rng=1)
    s = res.summary()
    assert s["p_harm"].iloc[0] == pytest.approx(0.02) and s["trials"].iloc[0] == 1000
    assert "<table" in res._repr_html_()
