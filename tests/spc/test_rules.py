"""Rule sets ihi, hcdg and mdc: helpers and hand-built sequences."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from qikit import QikitInputError, QikitWarning
from qikit.spc import chart, i_chart, run_chart
from qikit.spc.rules import assurance, rule_label, runs_at_least, trend_strict, trend_ties_once, two_of_three


def quiet(*args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", QikitWarning)
        return chart(*args, **kw)


def rules_at(res):
    return res.table["signal_rules"].astype(str).tolist()


# ---- helpers ------------------------------------------------------------------------------------


def test_runs_at_least():
    v = np.array([1, 1, 1, -1, -1, 1, 1, 1, 1])
    assert runs_at_least(v, 3).tolist() == [True] * 3 + [False] * 2 + [True] * 4
    assert runs_at_least(v, 4).tolist() == [False] * 5 + [True] * 4


def test_trend_ties_count_once():
    up, down = trend_ties_once(np.array([1.0, 2, 2, 3, 4, 5, 3]), 5)
    assert up.tolist() == [True] * 6 + [False]
    assert not down.any()
    up, _ = trend_ties_once(np.array([1.0, 2, 2, 3, 4, 1]), 5)  # only 4 distinct rising values
    assert not up.any()


def test_trend_strict_tie_breaks():
    up, _ = trend_strict(np.arange(7.0), 7)
    assert up.all()
    up, _ = trend_strict(np.array([0.0, 1, 2, 2, 3, 4, 5, 6]), 7)
    assert not up.any()


def test_two_of_three():
    b = np.array([True, False, True, False, False, True, False, False, True])
    assert two_of_three(b).tolist() == [True, False, True, False, False, False, False, False, False]
    assert two_of_three(np.array([True, True])).tolist() == [True, True]


def test_rule_label():
    assert rule_label(0) == "" and rule_label(1 | 8) == "limits,shift"


# ---- ihi ----------------------------------------------------------------------------------------


def test_ihi_shift_six_points_skipping_the_median():
    y = [1, 9, 1, 9, 1, 5, 9, 9, 5, 9, 9, 9, 9, 1, 9, 1, 5, 1, 9, 1]
    res = quiet(y, rules="ihi", cl=5)
    flagged = [i + 1 for i, r in enumerate(rules_at(res)) if "shift" in r]
    assert flagged == [7, 8, 10, 11, 12, 13]  # point 9 is on the median: neither counts nor breaks
    res5 = quiet([1, 9, 1, 9, 1, 9, 9, 9, 9, 9, 1, 9, 1, 9, 1, 9], rules="ihi", cl=5)
    assert not any("shift" in r for r in rules_at(res5))


def test_ihi_trend_five_points():
    y = [5, 3, 6, 2, 1, 2, 3, 4, 5, 3, 6, 2, 6, 3]
    res = quiet(y, rules="ihi")
    flagged = [i + 1 for i, r in enumerate(rules_at(res)) if "trend" in r]
    assert flagged == [5, 6, 7, 8, 9]  # 6 2 1 falls for 3 points only; 1 2 3 4 5 rises for 5


def test_ihi_too_few_and_too_many_runs():
    few = quiet([1.0] * 10 + [9.0] * 10, rules="ihi")
    s = few.summary().iloc[0]
    assert (s["n_runs"], s["runs_lower"], s["runs_upper"]) == (2, 6, 16)
    assert "few_runs" in rules_at(few)[0] and few.summary()["runs_signal"].iloc[0]
    many = quiet([1.0, 9.0] * 10, rules="ihi")
    assert many.summary()["n_runs"].iloc[0] == 20 and "many_runs" in rules_at(many)[0]
    ok = quiet([1.0, 9, 9, 1, 1, 9, 1, 1, 9, 9, 1, 9, 9, 1, 9, 1, 1, 9, 1, 9], rules="ihi")
    assert not ok.summary()["runs_signal"].iloc[0]


def test_ihi_runs_rule_needs_ten_useful_points():
    with pytest.warns(QikitWarning, match="fewer than 10 useful"):
        res = chart([1.0, 9] * 4, rules="ihi")
    assert pd.isna(res.summary()["n_runs"].iloc[0])


# ---- hcdg ---------------------------------------------------------------------------------------

BASE = [9.0, 11.0] * 10  # mean 10, every moving range 2: sigma = 2/1.128 = 1.773


def test_hcdg_rule1_outside_and_rule4_two_of_three():
    y = BASE + [10.0, 14.0, 10.0, 14.2, 10.0, 16.0]
    res = quiet(y, chart="i", freeze=20, rules="hcdg")
    r = rules_at(res)
    assert "two_of_three" in r[21] and "two_of_three" in r[23] and "two_of_three" not in r[22]
    assert r[25].startswith("limits")


def test_hcdg_shift_eight_and_trend_six():
    y = BASE + [9.0] + [10.5] * 7 + [9.0]
    assert not any("shift" in r for r in rules_at(quiet(y, chart="i", freeze=20, rules="hcdg")))
    y8 = BASE + [9.0] + [10.5] * 8
    assert sum("shift" in r for r in rules_at(quiet(y8, chart="i", freeze=20, rules="hcdg"))) == 8
    trend = BASE + [8.0, 8.5, 9.0, 9.5, 10.0, 10.5]
    assert sum("trend" in r for r in rules_at(quiet(trend, chart="i", freeze=20, rules="hcdg"))) >= 6


def test_hcdg_rule5_fifteen_in_inner_third():
    y = BASE + [10.2, 9.8] * 8  # 16 points hugging the mean within 1 sigma
    r = rules_at(quiet(y, chart="i", freeze=20, rules="hcdg"))
    assert sum("inner_third" in v for v in r) >= 16


# ---- mdc ----------------------------------------------------------------------------------------


def test_mdc_limits_use_2_66():
    y = np.array([10.0, 12, 11, 13, 12, 14, 12, 11, 13, 12, 11, 12, 10, 12, 11])
    t = quiet(y, chart="i", rules="mdc", screen_mr=False).table
    assert t["ucl"].iloc[0] == pytest.approx(y.mean() + 2.66 * np.abs(np.diff(y)).mean())


def test_mdc_shift_point_on_mean_breaks():
    y = BASE + [9.0] + [11.0] * 6 + [10.0] + [11.0] * 6
    r = rules_at(quiet(y, chart="i", freeze=20, rules="mdc"))
    assert not any("shift" in v for v in r)
    y7 = BASE + [9.0] + [11.0] * 7
    assert sum("shift" in v for v in rules_at(quiet(y7, chart="i", freeze=20, rules="mdc"))) == 7


def test_mdc_trend_seven_strict():
    y = BASE + [7.0, 8, 9, 10, 11, 12, 13]
    assert sum("trend" in v for v in rules_at(quiet(y, chart="i", freeze=20, rules="mdc"))) == 7
    y_tie = BASE + [7.0, 8, 9, 9, 10, 11, 12]
    assert not any("trend" in v for v in rules_at(quiet(y_tie, chart="i", freeze=20, rules="mdc")))


def test_mdc_point_types_and_icons():
    y = BASE + [11.5] * 7
    up = quiet(y, chart="i", freeze=20, rules="mdc", improvement="increase", target=2)
    assert up.table["mdc_type"].astype(str).iloc[-1] == "improvement_high"
    s = up.summary().iloc[0]
    assert s["variation_icon"] == "improvement_high" and s["assurance_icon"] == "pass"
    down = quiet(y, chart="i", freeze=20, rules="mdc", improvement="decrease", target=2)
    assert down.summary()["variation_icon"].iloc[0] == "concern_high"
    assert down.summary()["assurance_icon"].iloc[0] == "fail"
    neutral = quiet(y, chart="i", freeze=20, rules="mdc", target=10)
    assert neutral.summary()["variation_icon"].iloc[0] == "neutral_high"
    assert neutral.summary()["assurance_icon"].iloc[0] is None
    calm = quiet(BASE, chart="i", rules="mdc", improvement="increase", target=10)
    assert calm.summary()["variation_icon"].iloc[0] == "common_cause"
    assert calm.summary()["assurance_icon"].iloc[0] == "hit_and_miss"


def test_assurance_mirror():
    assert assurance(20, 5, 15, "increase") == "fail"
    assert assurance(20, 5, 15, "decrease") == "pass"
    assert assurance(2, 5, 15, "decrease") == "fail"
    assert assurance(np.nan, 5, 15, "increase") is None


def test_improvement_must_be_known():
    with pytest.raises(QikitInputError, match="improvement"):
        i_chart([1, 2, 3], rules="mdc", improvement="up")


# ---- common ------------------------------------------------------------------------------------


@pytest.mark.parametrize("rules", ["anhoej", "ihi", "hcdg", "mdc"])
def test_contract_columns_exist_for_every_rule_set(rules):
    res = quiet(list(np.sin(np.arange(30))), chart="i", rules=rules)
    for col in [
        "x",
        "y",
        "n",
        "cl",
        "lcl",
        "ucl",
        "part",
        "excluded",
        "sigma_signal",
        "runs_signal",
        "signal",
        "signal_rules",
        "longest_run",
        "n_crossings",
    ]:
        assert col in res.table
    assert res.summary()["rules"].iloc[0] == rules


def test_anhoej_names_long_run_and_few_crossings():
    res = run_chart([1.0] * 2 + [2.0, 3.0] * 0 + [1, 2, 1, 2] + [9.0] * 10 + [0.0] * 10)
    r = rules_at(res)
    assert any("long_run" in v for v in r) and any("few_crossings" in v for v in r)


def test_excluded_and_missing_points_neither_count_nor_break_runs():
    y = BASE + [9.0] + [11.0] * 3 + [np.nan] + [11.0] * 2 + [20.0] + [11.0] * 2
    r = rules_at(quiet(y, chart="i", freeze=20, rules="mdc", exclude=[28]))
    assert sum("shift" in v for v in r) == 7 and "shift" not in r[27]
