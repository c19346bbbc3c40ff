"""The dispatcher, front doors, table/summary contract and hand-worked examples."""

from __future__ import annotations

import inspect
import math
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

import qikit.spc as spc
from qikit import QikitInputError, QikitWarning
from qikit.spc import ChartResult, chart

CONTRACT = ["x", "y", "n", "cl", "lcl", "ucl", "part", "excluded", "sigma_signal", "runs_signal"]
SUMMARY = [
    "part",
    "n_obs",
    "n_useful",
    "longest_run",
    "longest_run_max",
    "n_crossings",
    "n_crossings_min",
    "runs_signal",
    "sigma_signal",
    "cl",
    "lcl",
    "ucl",
]


def quiet(**kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", QikitWarning)
        return chart(**kw)


def test_import_is_light():
    assert "matplotlib" not in sys.modules or True  # other tests may have imported it; see subprocess test
    import subprocess

    code = "import qikit, qikit.spc, sys; print('matplotlib' in sys.modules, 'ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False False"


@pytest.mark.parametrize("name", ["run", "i", "mr", "xbar", "s", "t", "p", "pp", "c", "u", "up", "g", "ip"])
def test_front_doors_exist_and_fix_chart(name):
    fn = getattr(spc, f"{name}_chart")
    sig = inspect.signature(fn)
    params = list(sig.parameters.values())
    assert params[0].name == "data"
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params[1:])
    assert "chart" not in sig.parameters
    rng = np.random.default_rng(5)
    d = pd.DataFrame(
        {"x": np.repeat(np.arange(1, 21), 3), "y": rng.integers(1, 9, 60).astype(float), "n": rng.integers(10, 20, 60)}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", QikitWarning)
        res = fn(d, y="y", x="x", n="n" if name in ("p", "pp", "u", "up", "ip") else None)
    assert isinstance(res, ChartResult) and res.chart == name
    assert set(CONTRACT) <= set(res.table.columns)
    assert set(SUMMARY) <= set(res.summary().columns)
    with pytest.raises(QikitInputError, match="fixed"):
        fn(d, y="y", chart="run")


def test_data_forms_series_list_array_and_dataframe():
    vals = [3.0, 5, 4, 6, 5, 4, 9, 10, 11, 9, 12, 10, 11, 12]
    a = spc.run_chart(vals).table
    b = spc.run_chart(np.array(vals)).table
    c = spc.run_chart(pd.Series(vals, name="waits"))
    d = spc.run_chart(pd.DataFrame({"waits": vals}), y="waits")
    for other in (b, c.table, d.table):
        pd.testing.assert_series_equal(a["y"], other["y"])
    assert a["x"].tolist() == list(range(1, 15))
    assert c.params["y"] == "waits" and d.params["y"] == "waits"


def test_input_errors_name_function_argument_value_and_fix():
    d = pd.DataFrame({"y": [1, 2, 3], "n": [5, 5, 5], "t": ["a", "b", "c"]})
    with pytest.raises(QikitInputError, match=r"p_chart\(\): y = 'zz' is not a column"):
        spc.p_chart(d, y="zz", n="n")
    with pytest.raises(QikitInputError, match=r"chart\(\): chart must be one of"):
        chart(d, y="y", chart="bar")
    with pytest.raises(QikitInputError, match="rules must be one of"):
        chart(d, y="y", rules="western")
    with pytest.raises(QikitInputError, match="needs a denominator"):
        spc.u_chart(d, y="y")
    with pytest.raises(
        QikitInputError, match="y must be numeric; got 'a' in row 1|y must be numeric; got 'a' at x = 1"
    ):
        spc.i_chart(d, y="t")
    with pytest.raises(QikitInputError, match="y is missing"):
        chart(d)
    with pytest.raises(QikitInputError, match="multiply"):
        chart(d, y="y", multiply=0)
    with pytest.raises(QikitInputError, match="freeze"):
        chart(d, y="y", freeze=0)
    with pytest.raises(QikitInputError, match="exclude"):
        chart(d, y="y", exclude=[0])
    with pytest.raises(QikitInputError, match="exclude = 9 is beyond"):
        chart(d, y="y", exclude=[9])
    with pytest.raises(QikitInputError, match="lang"):
        chart(d, y="y", lang="sv")
    with pytest.raises(QikitInputError, match="has 2 values but the data have 3 rows"):
        chart(d, y="y", x=[1, 2])


def test_count_and_ratio_validation():
    with pytest.raises(QikitInputError, match=r"c_chart\(\): y counts events and cannot be negative.*y = -1 at x = 2"):
        spc.c_chart([3, -1, 2])
    with pytest.raises(QikitInputError, match=r"cannot exceed n.*y = 12, n = 10 at x = 2"):
        spc.p_chart(pd.DataFrame({"y": [1, 12], "n": [10, 10]}), y="y", n="n")
    with pytest.raises(QikitInputError, match="n \\(denominator\\) cannot be negative"):
        spc.u_chart(pd.DataFrame({"y": [1, 2], "n": [10, -1]}), y="y", n="n")
    with pytest.raises(QikitInputError, match="positive times"):
        spc.t_chart([3, 0, 2])
    with pytest.raises(QikitInputError, match="finite"):
        spc.i_chart([1, np.inf, 2])


def test_zero_denominator_follows_qicharts2_with_a_warning():
    d = pd.DataFrame({"y": [2, 3, 1, 0, 2] * 3, "n": [10, 10, 0, 0, 10] * 3})
    with pytest.warns(QikitWarning, match="n = 0 at x = 3, 4"):
        t = spc.p_chart(d, y="y", n="n").table
    assert math.isinf(t["y"].iloc[2]) and math.isnan(t["y"].iloc[3])
    assert t[["lcl", "ucl"]].iloc[2:4].isna().all().all()


def test_missing_values_stay_missing_rows():
    y = [1.0, 2, np.nan, 4, 3, np.nan, 2, 5, 4, 3, 2, 6]
    t = quiet(data=y, chart="i").table
    assert len(t) == 12 and t["y"].isna().sum() == 2
    assert t["n_obs"].iloc[0] == 12 and t["n_useful"].iloc[0] <= 10


def test_rows_with_missing_x_are_dropped_with_warning():
    d = pd.DataFrame({"x": [1, 2, None, 4], "y": [1, 2, 3, 4]})
    with pytest.warns(QikitWarning) as record:
        t = chart(d, y="y", x="x").table
    assert any("1 row(s) with missing x were dropped" in str(w.message) for w in record)
    assert t["x"].tolist() == [1, 2, 4]


def test_unsorted_and_duplicated_x_are_sorted_and_aggregated():
    d = pd.DataFrame({"x": [3, 1, 2, 1], "y": [30.0, 10, 20, 12]})
    with pytest.warns(QikitWarning) as record:
        t = chart(d, y="y", x="x").table
    assert any("aggregated with mean" in str(w.message) for w in record)
    assert t["x"].tolist() == [1, 2, 3]
    assert t["y"].tolist() == [11.0, 20.0, 30.0]
    assert t["y_length"].tolist() == [2, 1, 1]
    t2 = quiet(data=d, y="y", x="x", agg="sum").table
    assert t2["y"].tolist() == [22.0, 20.0, 30.0]
    t3 = quiet(data=d, y="y", x="x", agg="median").table
    assert t3["y"].tolist() == [11.0, 20.0, 30.0]
    t4 = quiet(data=d, y="y", x="x", agg="sd").table
    assert t4["y"].iloc[0] == pytest.approx(math.sqrt(2)) and t4["y"].isna().tolist() == [False, True, True]


def test_ratio_aggregation_sums_numerators_and_denominators():
    d = pd.DataFrame({"x": [1, 1, 2, 2], "y": [1, 3, 2, 2], "n": [10, 30, 10, 10]})
    t = quiet(data=d, y="y", n="n", x="x", chart="p").table
    assert t["y"].tolist() == [0.1, 0.2] and t["n"].tolist() == [40, 20]


def test_missing_numerator_or_denominator_blanks_both():
    d = pd.DataFrame({"y": [1, np.nan, 3], "n": [10, 10, np.nan]})
    t = quiet(data=d, y="y", n="n", chart="p").table
    assert t["y"].isna().tolist() == [False, True, True]
    assert t["n"].tolist() == [10, 0, 0]


def test_table_summary_contract_and_json_records():
    res = quiet(data=list(range(20)), chart="i")
    recs = res.summary_records()
    assert isinstance(recs, list) and isinstance(recs[0], dict)
    import json

    json.dumps(recs)
    assert recs[0]["n_obs"] == 20 and recs[0]["lcl"] == pytest.approx(res.table["lcl"].iloc[-1])
    assert "<table" in res._repr_html_()
    assert "i chart" in repr(res)
    import dataclasses

    with pytest.raises(dataclasses.FrozenInstanceError):
        res.chart = "p"  # type: ignore[misc]


def test_part_breaks_and_labels():
    y = list(range(10)) + list(range(10, 0, -1)) + [5] * 5
    res = quiet(data=y, part=[10, 20])
    assert res.table["part"].tolist() == [1] * 10 + [2] * 10 + [3] * 5
    assert res.summary()["n_obs"].tolist() == [10, 10, 5]
    # breaks beyond N are dropped; 0 is harmless
    assert quiet(data=y, part=[0, 99]).table["part"].max() == 1
    d = pd.DataFrame({"y": y, "phase": ["a"] * 10 + ["b"] * 10 + ["c"] * 5})
    res = quiet(data=d, y="y", part="phase")
    assert res.table["part_label"].astype(str).tolist()[::5] == ["a", "a", "b", "b", "c"]
    assert res.summary()["part_label"].tolist() == ["a", "b", "c"]


def test_returning_label_joins_current_part_with_warning():
    d = pd.DataFrame({"y": range(12), "phase": ["a"] * 4 + ["b"] * 4 + ["a"] * 4})
    with pytest.warns(QikitWarning) as record:
        res = chart(d, y="y", part="phase")
    assert any("comes back" in str(w.message) for w in record)
    assert res.table["part"].tolist() == [1] * 4 + [2] * 8


def test_part_overrides_freeze_with_warning():
    with pytest.warns(QikitWarning, match="freeze is ignored"):
        res = chart(list(range(30)), freeze=10, part=[15])
    assert res.table["baseline"].all()


def test_freeze_baseline_and_runs_against_frozen_median():
    y = [5, 6, 5, 4, 6, 5, 4, 6, 5, 4, 6, 5] + [9] * 10
    res = quiet(data=y, freeze=12)
    t = res.table
    assert t["baseline"].tolist() == [True] * 12 + [False] * 10
    assert t["cl"].iloc[0] == 5.0 and t["cl"].nunique() == 1
    assert res.summary()["runs_signal"].iloc[0]  # 10 points above the baseline median


def test_exclude_removes_from_calculations_but_keeps_row():
    y = [10.0] * 5 + [100.0] + [11, 9, 10, 11, 9, 10, 11, 9]
    res = quiet(data=y, chart="i", exclude=[6])
    t = res.table
    assert t["excluded"].tolist()[5] and not t["include"].tolist()[5]
    assert t["cl"].iloc[0] == pytest.approx(np.mean([v for i, v in enumerate(y) if i != 5]))
    assert t["sigma_signal"].iloc[5]  # excluded points can still be outside the limits
    assert t["n_obs"].iloc[0] == len(y) - 1


def test_multiply_cl_and_target():
    d = pd.DataFrame({"y": [1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2], "n": [10] * 12})
    base = quiet(data=d, y="y", n="n", chart="p").table
    pct = quiet(data=d, y="y", n="n", chart="p", multiply=100, target=15, cl=0.2).table
    assert pct["y"].tolist() == pytest.approx((base["y"] * 100).tolist())
    assert pct["cl"].unique().tolist() == [pytest.approx(20.0)]  # user cl is multiplied
    assert pct["target"].unique().tolist() == [15.0]  # target is not


def test_y_neg_false_clamps_lcl_only_when_all_y_non_negative():
    y = [1.0, 9, 1, 9, 1, 9, 1, 9, 1, 9, 1, 9]
    assert quiet(data=y, chart="i").table["lcl"].iloc[0] < 0
    assert quiet(data=y, chart="i", y_neg=False).table["lcl"].iloc[0] == 0
    assert quiet(data=[-1.0] + y[1:], chart="i", y_neg=False).table["lcl"].iloc[0] < 0


def test_screen_mr_changes_limits():
    y = [50.0, 52, 49, 51, 50, 48, 52, 51, 90, 50, 49, 51, 50, 52, 48, 50]
    s = quiet(data=y, chart="i").table
    u = quiet(data=y, chart="i", screen_mr=False).table
    assert s["ucl"].iloc[0] < u["ucl"].iloc[0]


def test_constant_series_screened_gives_no_limits():
    t = quiet(data=[5.0] * 12, chart="i").table
    assert t["lcl"].isna().all() and t["ucl"].isna().all()
    assert t["n_useful"].iloc[0] == 0 and t["longest_run"].isna().all()


def test_dates_iso_strings_and_periods():
    d = pd.DataFrame(
        {"day": pd.date_range("2024-01-01", periods=90, freq="D").strftime("%Y-%m-%d"), "v": np.arange(90.0)}
    )
    res = quiet(data=d, y="v", x="day", x_period="month")
    assert res.params["x_kind"] == "date"
    assert [str(v)[:10] for v in res.table["x"]] == ["2024-01-01", "2024-02-01", "2024-03-01"]
    q = quiet(data=d, y="v", x="day", x_period="quarter").table
    assert len(q) == 1
    w = quiet(data=d, y="v", x="day", x_period="week").table
    assert pd.Timestamp(w["x"].iloc[0]).day_of_week == 0  # Monday (2024-01-01 is a Monday)
    with pytest.raises(QikitInputError, match="x_period"):
        chart(d, y="v", x_period="month")


def test_categorical_x_is_a_funnel_without_runs_analysis():
    d = pd.DataFrame({"unit": list("DCBAEFGHIJKL"), "y": np.arange(12) + 5, "n": [100] * 12})
    res = quiet(data=d, y="y", n="n", x="unit", chart="pp")
    assert res.params["categorical"]
    assert not res.table["runs_signal"].any()
    assert res.table["x"].astype(str).tolist() == sorted("DCBAEFGHIJKL")
    cat = d.assign(unit=pd.Categorical(d["unit"], categories=list("DCBAEFGHIJKL")))
    assert quiet(data=cat, y="y", n="n", x="unit", chart="p").table["x"].astype(str).tolist() == list("DCBAEFGHIJKL")


def test_facets_one_and_two():
    rng = np.random.default_rng(0)
    d = pd.DataFrame(
        {
            "h": np.repeat(["B", "A"], 24),
            "s": np.tile(np.repeat(["x", "y"], 12), 2),
            "w": np.tile(np.arange(1, 13), 4),
            "v": rng.normal(size=48),
        }
    )
    r1 = quiet(data=d, y="v", x="w", facets="h", chart="i")
    assert r1.summary()["facet1"].tolist() == ["A", "B"]
    assert r1.table["facet1"].astype(str).tolist()[:1] == ["A"] and len(r1.table) == 24
    r2 = quiet(data=d, y="v", x="w", facets=["h", "s"], chart="i", part=[6])
    s = r2.summary()
    assert len(s) == 8 and s[["facet1", "facet2", "part"]].iloc[:2].values.tolist() == [["A", "x", 1], ["A", "x", 2]]
    # each combination analysed separately: same as charting it alone
    alone = quiet(data=d[(d.h == "A") & (d.s == "y")], y="v", x="w", chart="i", part=[6]).table
    mine = r2.table[(r2.table.facet1 == "A") & (r2.table.facet2 == "y")]
    np.testing.assert_allclose(mine["ucl"].to_numpy(), alone["ucl"].to_numpy())


def test_notes_are_joined_per_subgroup():
    d = pd.DataFrame({"x": [1, 1, 2, 3], "y": [1, 2, 3, 4], "note": ["PDSA 1", "PDSA 1|start", None, ""]})
    t = quiet(data=d, y="y", x="x", notes="note").table
    assert t["notes"].tolist()[0] == "PDSA 1 | start"
    assert pd.isna(t["notes"].iloc[1]) and pd.isna(t["notes"].iloc[2])


def test_user_cl_vector_and_partial_na():
    y = [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    t = quiet(data=y, chart="i", cl=list(np.linspace(1, 12, 12))).table
    assert t["cl"].tolist() == pytest.approx(list(np.linspace(1, 12, 12)))
    t2 = quiet(data=y, chart="i", cl=[np.nan] + [3.0] * 11).table
    assert t2["cl"].unique().tolist() == [pytest.approx(6.5)]  # any NA: computed cl


def test_signals_report_x_labels():
    d = pd.DataFrame(
        {
            "month": pd.date_range("2024-01-01", periods=20, freq="MS"),
            "v": [10.0, 12, 9, 11, 8, 12, 10, 9, 11, 40, 10, 12, 9, 11, 8, 12, 10, 9, 11, 10],
        }
    )
    res = quiet(data=d, y="v", x="month", chart="i", screen_mr=True)
    sig = res.signals()
    outside = sig[sig["signal_rules"].astype(str).str.contains("limits")]
    assert [pd.Timestamp(v) for v in outside["x"]] == [pd.Timestamp("2024-10-01")]


# ---- hand-worked textbook examples ------------------------------------------------------------


def test_hand_worked_i_chart():
    y = np.array([10.0, 12, 11, 13, 12, 14, 12, 11, 13, 12, 11, 12])
    t = quiet(data=y, chart="i", screen_mr=False).table
    mr = np.abs(np.diff(y)).mean()  # 15/11
    assert t["cl"].iloc[0] == pytest.approx(y.mean())
    assert t["ucl"].iloc[0] == pytest.approx(y.mean() + 3 * mr / 1.128)
    assert t["lcl_95"].iloc[0] == pytest.approx(y.mean() - 2 * mr / 1.128)


def test_hand_worked_c_and_u_charts():
    counts = [4, 6, 2, 5, 3, 7, 4, 5, 3, 6, 4, 5]
    t = quiet(data=counts, chart="c").table
    cbar = np.mean(counts)
    assert t["ucl"].iloc[0] == pytest.approx(cbar + 3 * math.sqrt(cbar))
    assert t["lcl"].iloc[0] == 0.0  # cbar - 3 sqrt(cbar) < 0 is clamped
    d = pd.DataFrame({"y": counts, "n": [2.0, 3, 2, 2, 1, 3, 2, 2, 1, 3, 2, 2]})
    tu = quiet(data=d, y="y", n="n", chart="u").table
    ubar = sum(counts) / d["n"].sum()
    assert tu["ucl"].iloc[1] == pytest.approx(ubar + 3 * math.sqrt(ubar / 3))


def test_hand_worked_p_chart_montgomery_style():
    # 20 samples of 50 with the defect counts below: pbar = 0.2, limits 0.2 ± 3 sqrt(0.2·0.8/50).
    d = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11]
    t = quiet(data=pd.DataFrame({"y": d, "n": [50] * 20}), y="y", n="n", chart="p").table
    pbar = sum(d) / 1000
    half = 3 * math.sqrt(pbar * (1 - pbar) / 50)
    assert t["cl"].iloc[0] == pytest.approx(pbar)
    assert t["ucl"].iloc[0] == pytest.approx(pbar + half)
    assert t["lcl"].iloc[0] == pytest.approx(max(0.0, pbar - half))


def test_hand_worked_xbar_and_s_constant_n():
    rng = np.random.default_rng(11)
    vals = rng.normal(100, 5, size=(20, 5))
    d = pd.DataFrame({"x": np.repeat(np.arange(1, 21), 5), "y": vals.ravel()})
    tx = quiet(data=d, y="y", x="x", chart="xbar").table
    sbar = vals.std(axis=1, ddof=1).mean()
    assert tx["ucl"].iloc[0] == pytest.approx(vals.mean() + 1.427 * sbar, rel=1e-3)  # A3(5) = 1.427
    ts = quiet(data=d, y="y", x="x", chart="s").table
    assert ts["ucl"].iloc[0] == pytest.approx(2.089 * sbar, rel=1e-3)  # B4(5) = 2.089
    assert ts["lcl"].iloc[0] == 0.0  # B3(5) = 0


def test_g_chart_user_cl():
    t = quiet(data=[3.0, 10, 7, 0, 12, 5, 8, 20, 4, 6, 9, 11], chart="g", cl=10).table
    assert t["cl"].iloc[0] == pytest.approx(6.93)
    assert t["ucl"].iloc[0] == pytest.approx(10 + 3 * math.sqrt(110))


def test_ip_chart_runs():
    d = pd.DataFrame({"y": [0.2, 0.25, 0.22, 0.3, 0.21, 0.24] * 3, "n": [50, 80, 60, 40, 90, 70] * 3})
    t = quiet(data=d, y="y", n="n", chart="ip").table
    assert np.isfinite(t["ucl"]).all() and (t["ucl"] > t["cl"]).all()


def test_short_series_warns_but_works():
    with pytest.warns(QikitWarning, match="fewer than 10 useful"):
        res = chart([1, 2, 3])
    assert res.summary()["n_useful"].iloc[0] == 2
    with pytest.raises(QikitInputError, match="no rows"):
        chart(pd.DataFrame({"y": []}), y="y")


def test_series_index_becomes_x():
    s = pd.Series(
        [3.0, 4, 5, 4, 3, 4, 5, 6, 5, 4, 5, 6],
        index=pd.date_range("2024-01-01", periods=12, freq="MS", name="month"),
        name="waits",
    )
    res = spc.run_chart(s)
    assert res.params["x_kind"] == "date" and res.params["x"] == "month"
    assert pd.Timestamp(res.table["x"].iloc[0]) == pd.Timestamp("2024-01-01")


def test_table_does_not_share_memory_with_input_or_between_columns():
    d = pd.DataFrame({"x": np.arange(1, 13), "y": np.arange(12.0), "t": np.full(12, 3.0)})
    res = quiet(data=d, y="y", x="x", target="t")
    t = res.table
    arrays = {
        c: t[c].to_numpy() for c in ("x", "y", "y_sum", "y_mean", "cl", "lcl", "ucl", "lcl_95", "ucl_95", "target")
    }
    for c, a in arrays.items():
        for col in ("x", "y", "t"):
            assert not np.shares_memory(a, d[col].to_numpy()), c
        for c2, b in arrays.items():
            if c2 != c:
                assert not np.shares_memory(a, b), (c, c2)


def test_text_period_labels_warn_that_they_are_categories():
    import warnings

    from qikit import QikitWarning
    from qikit.spc import run_chart

    d = pd.DataFrame({"uke": [f"Uke {i}" for i in range(1, 13)], "v": range(12)})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = run_chart(d, y="v", x="uke")
    assert any(issubclass(w.category, QikitWarning) and "as categories" in str(w.message) for w in caught)
    assert not res.table["runs_signal"].any()  # a funnel plot: no runs analysis, as in qicharts2
