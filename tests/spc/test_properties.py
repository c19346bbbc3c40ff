"""Property tests (hypothesis): invariances, limits around the centre line, and robustness."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qikit import QikitInputError, QikitWarning
from qikit.spc import CHARTS, RULE_SETS, chart

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

int_series = st.lists(st.integers(-50, 50), min_size=3, max_size=40)


def run(*args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", QikitWarning)
        return chart(*args, **kw)


def signals(res):
    t = res.table
    return (t["sigma_signal"].tolist(), t["runs_signal"].tolist(), t["signal_rules"].astype(str).tolist())


@SETTINGS
@given(
    y=int_series,
    c=st.integers(-1000, 1000),
    kind=st.sampled_from(["run", "i"]),
    rules=st.sampled_from(["anhoej", "ihi", "hcdg", "mdc"]),
)
def test_signals_invariant_under_adding_a_constant(y, c, kind, rules):
    a = run(np.array(y, float), chart=kind, rules=rules)
    b = run(np.array(y, float) + c, chart=kind, rules=rules)
    assert signals(a) == signals(b)


@SETTINGS
@given(
    y=int_series,
    k=st.sampled_from([0.25, 0.5, 2.0, 8.0, 1024.0]),
    kind=st.sampled_from(["run", "i"]),
    rules=st.sampled_from(["anhoej", "ihi", "hcdg", "mdc"]),
)
def test_signals_invariant_under_positive_scaling(y, k, kind, rules):
    a = run(np.array(y, float), chart=kind, rules=rules)
    b = run(np.array(y, float) * k, chart=kind, rules=rules)
    assert signals(a) == signals(b)


@SETTINGS
@given(
    kind=st.sampled_from(["i", "c", "p", "u", "pp", "up", "xbar", "s", "t", "g", "mr", "ip"]),
    y=st.lists(st.integers(1, 40), min_size=6, max_size=30),
    seed=st.integers(0, 10_000),
)
def test_limits_contain_the_centre_line(kind, y, seed):
    rng = np.random.default_rng(seed)
    m = len(y)
    d = pd.DataFrame(
        {
            "x": np.arange(m) // (2 if kind in ("xbar", "s") else 1),
            "y": np.array(y, float),
            "n": np.array(y) + rng.integers(0, 50, m),
        }
    )
    res = run(d, y="y", n="n" if kind in ("p", "u", "pp", "up", "ip") else None, x="x", chart=kind)
    t = res.table
    for lo, hi in (("lcl", "ucl"), ("lcl_95", "ucl_95")):
        ok = t[lo].notna() & t[hi].notna() & t["cl"].notna()
        assert (t.loc[ok, lo] <= t.loc[ok, "cl"] + 1e-9).all()
        assert (t.loc[ok, "cl"] <= t.loc[ok, hi] + 1e-9).all()
    ok = t["lcl"].notna() & t["lcl_95"].notna()
    assert (t.loc[ok, "lcl"] <= t.loc[ok, "lcl_95"] + 1e-9).all()


values = st.one_of(st.none(), st.just(float("nan")), st.floats(-1e6, 1e6), st.integers(-5, 100))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.tuples(st.one_of(st.none(), st.integers(1, 12)), values, values), min_size=0, max_size=25),
    kind=st.sampled_from(CHARTS),
    rules=st.sampled_from(RULE_SETS),
    freeze=st.one_of(st.none(), st.integers(-1, 15)),
    part=st.one_of(st.none(), st.lists(st.integers(-1, 15), max_size=3)),
    exclude=st.one_of(st.none(), st.lists(st.integers(0, 15), max_size=3)),
    agg=st.sampled_from(["mean", "median", "sum", "sd"]),
    use_n=st.booleans(),
    screen=st.booleans(),
    y_neg=st.booleans(),
)
def test_only_qikit_input_errors_escape(rows, kind, rules, freeze, part, exclude, agg, use_n, screen, y_neg):
    d = pd.DataFrame(rows, columns=["x", "y", "n"])
    try:
        res = run(
            d,
            y="y",
            n="n" if use_n else None,
            x="x",
            chart=kind,
            rules=rules,
            freeze=freeze,
            part=part,
            exclude=exclude,
            agg=agg,
            screen_mr=screen,
            y_neg=y_neg,
        )
    except QikitInputError:
        return
    t = res.table
    assert len(t) == d["x"].dropna().nunique()
    assert t["sigma_signal"].dtype == bool
    assert len(res.summary()) >= 1
    res.summary_records()
