"""Anhøj runs analysis, limits and the IHI runs table."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from qikit import QikitInputError
from qikit.spc import anhoej_limits, ihi_runs_limits, runs_analysis
from qikit.spc.runs import _crossings_min, _swed_eisenhart_limits

REF = Path(__file__).parent / "reference"


def test_anhoej_limits_match_reference_csv():
    ref = pd.read_csv(REF / "anhoej_limits.csv")
    got = [anhoej_limits(int(n)) for n in ref["n_useful"]]
    assert [g[0] for g in got] == ref["longest_run_max"].tolist()
    assert [g[1] for g in got] == ref["n_crossings_min"].tolist()


def _qbinom_reference(n_useful: int) -> int:
    """The published formula, straight from the definition with exact integers."""
    m = n_useful - 1
    cum, c, total = 0, 1, 2**m
    for k in range(m + 1):
        cum += c
        if cum * 20 >= total:
            return k
        c = c * (m - k) // (k + 1)
    return m


@pytest.mark.parametrize("n", [1, 2, 3, 10, 11, 24, 30, 36, 99, 100, 257, 500])
def test_anhoej_limits_published_formula(n):
    lr, nc = anhoej_limits(n)
    assert lr == round(math.log2(n)) + 3
    assert nc == _qbinom_reference(n)


@pytest.mark.parametrize("n,expected", [(10, (6, 2)), (20, (7, 6)), (24, (8, 8)), (30, (8, 10)), (36, (8, 13))])
def test_anhoej_limits_examples(n, expected):
    assert anhoej_limits(n) == expected


def test_large_n_log_space_agrees_with_exact():
    # Around the switch from exact integers to log-space floats.
    from qikit.spc import runs as runs_mod

    for n in (5001, 5002, 5600):
        exact = _qbinom_reference(n) if n <= 6000 else None
        assert runs_mod._crossings_min(n) == exact
    # Huge n: close to the normal approximation m/2 - 1.645 sqrt(m)/2.
    m = 10**6 - 1
    approx = m / 2 - 1.6448536 * math.sqrt(m) / 2
    assert abs(_crossings_min(10**6) - approx) < 2


@pytest.mark.parametrize("bad", [0, -1, 2.5, "10", True, None])
def test_anhoej_limits_bad_input(bad):
    with pytest.raises(QikitInputError, match="anhoej_limits"):
        anhoej_limits(bad)


def test_runs_analysis_textbook_example():
    # 12 points, median 6.5: one long run of 6 below then 6 above -> 1 crossing (min 3): signal.
    r = runs_analysis(list(range(1, 13)))
    assert (r.n_obs, r.n_useful, r.longest_run, r.longest_run_max, r.n_crossings, r.n_crossings_min) == (
        12,
        12,
        6,
        7,
        1,
        3,
    )
    assert r.signal


def test_runs_analysis_hand_worked_alternating():
    # Alternating around 0: 10 useful, longest run 1, 9 crossings: no signal.
    r = runs_analysis([1, -1] * 5, centre=0)
    assert (r.longest_run, r.n_crossings, r.signal) == (1, 9, False)


def test_points_on_centre_are_skipped_and_crossing_through_median_counts_once():
    # + 0 - : the point on the line neither breaks nor extends; one crossing.
    r = runs_analysis([1, 0, -1, 0, 0, -2], centre=0)
    assert r.n_obs == 6
    assert r.n_useful == 3
    assert r.n_crossings == 1
    assert r.longest_run == 2


def test_missing_values_count_as_observations_but_not_useful():
    r = runs_analysis([1.0, np.nan, 2.0, None, -1.0], centre=0)
    assert r.n_obs == 5 and r.n_useful == 3 and r.longest_run == 2


def test_no_useful_observations():
    r = runs_analysis([5, 5, 5], centre=5)
    assert r.n_useful == 0 and r.longest_run is None and r.n_crossings_min is None and not r.signal


def test_runs_analysis_centre_vector_and_bad_centre():
    r = runs_analysis([1, 2, 3], centre=[0, 5, 0])
    assert r.n_crossings == 2
    with pytest.raises(QikitInputError):
        runs_analysis([1, 2, 3], centre=[1, 2])
    with pytest.raises(QikitInputError):
        runs_analysis(["a", "b"])
    with pytest.raises(QikitInputError, match="method"):
        runs_analysis([1, 2], method="nope")


def test_box_methods_follow_bounds_table():
    bounds = pd.read_csv(REF / "box_bounds.csv")
    rng = np.random.default_rng(3)
    for _ in range(30):
        n = int(rng.integers(10, 101))
        y = rng.normal(size=n)
        for method in ("bestbox", "cutbox"):
            r = runs_analysis(y, centre=0.0, method=method)
            row = bounds.loc[bounds["n"] == r.n_useful].iloc[0]
            c, lr = r.n_crossings, r.longest_run
            cb, lb = int(row["cb"]), int(row["lb"])
            if method == "bestbox" or pd.isna(row["cbord"]):
                expected = not (c >= cb and lr <= lb)
            else:
                cbord, lbord = int(row["cbord"]), int(row["lbord"])
                expected = not (
                    (c >= cb + 1 and lr <= lb - 1) or (c == cb and lr <= lbord) or (c >= cbord and lr <= lb)
                )
            assert r.signal == expected
            # the reported limits stay Anhøj's
            assert (r.longest_run_max, r.n_crossings_min) == anhoej_limits(r.n_useful)


def test_box_method_falls_back_outside_10_to_100():
    y = [1, 2] * 3
    assert runs_analysis(y, centre=1.5, method="bestbox").signal == runs_analysis(y, centre=1.5).signal


# ---- IHI / Perla table ------------------------------------------------------------------------


@pytest.mark.parametrize("n,expected", [(10, (3, 9)), (20, (6, 16)), (24, (8, 18)), (30, (11, 21))])
def test_ihi_table_published_values(n, expected):
    assert ihi_runs_limits(n) == expected


def test_ihi_table_regenerated_from_swed_eisenhart_by_brute_force():
    # Enumerate all arrangements for small N and compare with the exact computation.
    from itertools import combinations

    for N in (10, 11, 12):
        n1 = N // 2
        counts: dict[int, int] = {}
        for above in combinations(range(N), n1):
            s = np.full(N, -1)
            s[list(above)] = 1
            r = 1 + int(np.sum(s[1:] != s[:-1]))
            counts[r] = counts.get(r, 0) + 1
        total = sum(counts.values())
        lower = max(r for r in range(2, N + 1) if 40 * sum(v for k, v in counts.items() if k < r) <= total)
        upper = min(r for r in range(2, N + 1) if 40 * sum(v for k, v in counts.items() if k > r) <= total)
        assert _swed_eisenhart_limits(N) == (lower, upper)


def test_ihi_table_monotone_and_bounds():
    prev = (0, 0)
    for n in range(10, 200):
        lo, hi = ihi_runs_limits(n)
        assert 2 <= lo < hi <= n
        assert lo >= prev[0] - 1 and hi >= prev[1] - 1
        prev = (lo, hi)
    assert ihi_runs_limits(5000)[0] < 2501 < ihi_runs_limits(5000)[1]
    with pytest.raises(QikitInputError, match="10 useful"):
        ihi_runs_limits(9)
