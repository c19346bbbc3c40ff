"""Every calibration case against qicharts2 0.8.1 output (floats rel 1e-9; ints/logicals exactly)."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from qikit.spc import chart

REF = Path(__file__).parent / "reference"

CASES: dict[str, dict[str, object]] = {
    "syn_run_shift": {"chart": "run"},
    "syn_run_on_median": {"chart": "run"},
    "syn_run_na": {"chart": "run"},
    "syn_i_outlier_screened": {"chart": "i"},
    "syn_i_outlier_unscreened": {"chart": "i", "screen_mr": False},
    "syn_i_part_2breaks": {"chart": "i", "part": [15, 30]},
    "syn_i_freeze15_exclude": {"chart": "i", "freeze": 15, "exclude": [3, 22]},
    "syn_mr_na": {"chart": "mr"},
    "syn_xbar_unequal": {"chart": "xbar"},
    "syn_s_unequal": {"chart": "s"},
    "syn_g": {"chart": "g"},
    "syn_t": {"chart": "t"},
    "syn_pp_overdispersed": {"chart": "pp", "n": "n"},
    "syn_p_na_zero_n": {"chart": "p", "n": "n"},
}

FLOAT_COLS = ["y_sum", "y_mean", "y_sd", "n", "y", "cl", "ucl", "ucl_95", "lcl", "lcl_95"]
INT_COLS = [
    "x",
    "y_length",
    "part",
    "xx",
    "n_obs",
    "n_useful",
    "longest_run",
    "longest_run_max",
    "n_crossings",
    "n_crossings_min",
]
BOOL_COLS = ["baseline", "include", "runs_signal", "sigma_signal"]


def _run(case: str):
    kwargs = dict(CASES[case])
    data = pd.read_csv(REF / f"{case}.input.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return chart(data, y="y", x="x", **kwargs)


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    same_nan = np.array_equal(np.isnan(a), np.isnan(b))
    ok = np.isnan(a) | np.isclose(a, b, rtol=1e-9, atol=0.0) | (a == b)
    return same_nan and bool(ok.all())


def test_cases_index_lists_every_case():
    idx = pd.read_csv(REF / "cases.csv")
    assert set(idx["case"]) == set(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_points_match_qicharts2(case: str):
    ref = pd.read_csv(REF / f"{case}.points.csv")
    ref.columns = [c.replace(".", "_") for c in ref.columns]
    got = _run(case).table
    assert len(got) == len(ref)
    for col in FLOAT_COLS:
        assert _close(got[col].to_numpy(dtype=float), ref[col].to_numpy(dtype=float)), col
    for col in INT_COLS:
        g = got[col].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        r = ref[col].to_numpy(dtype=float)
        assert np.array_equal(g, r, equal_nan=True), col
    for col in BOOL_COLS:
        assert np.array_equal(got[col].to_numpy(dtype=bool), ref[col].to_numpy(dtype=bool)), col


@pytest.mark.parametrize("case", sorted(CASES))
def test_summary_matches_qicharts2(case: str):
    ref = pd.read_csv(REF / f"{case}.summary.csv")
    got = _run(case).summary()
    assert len(got) == len(ref)
    pairs = {
        "aLCL": "lcl_mean",
        "aLCL.95": "lcl_95_mean",
        "CL": "cl_mean",
        "aUCL.95": "ucl_95_mean",
        "aUCL": "ucl_mean",
    }
    for rc, gc in pairs.items():
        assert _close(got[gc].to_numpy(dtype=float), ref[rc].to_numpy(dtype=float)), rc
    for rc in [
        "part",
        "n.obs",
        "n.useful",
        "longest.run",
        "longest.run.max",
        "n.crossings",
        "n.crossings.min",
        "runs.signal",
        "sigma.signal",
    ]:
        gc = rc.replace(".", "_")
        g = got[gc].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        assert np.array_equal(g, ref[rc].to_numpy(dtype=float), equal_nan=True), rc


@pytest.mark.parametrize("case", sorted(CASES))
def test_case_index_signals(case: str):
    idx = pd.read_csv(REF / "cases.csv").set_index("case")
    row = idx.loc[case]
    res = _run(case)
    # the index lists the distinct values of runs.signal over the points
    expected_runs = {s == "TRUE" for s in str(row["runs_signal"]).split(";")}
    assert set(res.table["runs_signal"].tolist()) == expected_runs
    assert int(res.table["sigma_signal"].sum()) == int(row["n_sigma_signal"])
    assert len(res.table) == int(row["n_points"])
