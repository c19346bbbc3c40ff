import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qikit import QikitInputError, QikitWarning
from qikit.psychology import AREAS, areas_table, compare, example_scores, self_assessment

NR = "ikke relevant"


def full(level=2):
    return {a: [level, level, level] for a in range(1, 11)}


def test_areas_are_ten_with_three_themes_in_both_languages():
    assert len(AREAS) == 10
    assert all(len(a.themes) == 3 for a in AREAS)
    nb, en = areas_table("nb"), areas_table("en")
    assert len(nb) == len(en) == 30
    assert nb.loc[nb.code == "7.2", "theme_title"].item() == "Møteplasser"
    assert en.loc[en.code == "7.2", "theme_title"].item() == "Meeting places"
    assert nb.area_title.iloc[0].startswith("Brukererfaringer")
    assert (nb.code == en.code).all()


def test_area_scores_by_hand_with_not_relevant():
    scores = full(3)
    scores[1] = [2, 3, NR]  # (2 + 3) / 2
    scores[2] = [1, 2, 2]  # 5 / 3
    scores[7] = [None, np.nan, "not relevant"]  # no relevant theme
    res = self_assessment(scores)
    assert res.area_scores[1] == 2.5
    assert res.area_scores[2] == pytest.approx(5 / 3)
    assert math.isnan(res.area_scores[7])
    assert res.area_scores[3] == 3.0
    assert res.not_relevant_areas == (7,)
    assert res.weakest == (2,)
    t = res.table
    assert list(t.columns) == ["area", "theme", "code", "area_title", "theme_title", "level", "status"]
    assert t.loc[t.code == "1.3", "status"].item() == "not relevant"
    assert (t.loc[t.area == 7, "status"] == "not relevant").all()
    s = res.summary()
    assert s.loc[s.area == 1, "n_relevant"].item() == 2
    assert s.loc[s.area == 7, "note"].item() != ""
    assert bool(s.loc[s.area == 2, "weakest"].item())
    assert res.overall == pytest.approx(np.nanmean(res.area_scores.to_numpy()))
    assert "Snakk om forbedring" in res._repr_html_()


def test_weakest_ties_are_all_reported_in_area_order():
    scores = full(3)
    scores[9] = [2, 3, NR]
    scores[4] = [3, 2, NR]
    scores[6] = [
        2,
        2,
        4,
    ][::-1]  # mean 8/3, not weakest
    res = self_assessment(scores)
    assert res.weakest == (4, 9)


def test_all_not_relevant_everywhere_has_no_weakest():
    res = self_assessment({a: [NR] * 3 for a in range(1, 11)})
    assert res.weakest == ()
    assert res.not_relevant_areas == tuple(range(1, 11))
    assert math.isnan(res.overall)


def test_input_shapes_agree():
    base = full(2)
    base[3] = [4, NR, 1]
    ref = self_assessment(base).table
    codes = {f"{a}.{k}": v for a, vals in base.items() for k, v in enumerate(vals, start=1)}
    tuples = {(a, k): v for a, vals in base.items() for k, v in enumerate(vals, start=1)}
    long = pd.DataFrame([{"area": a, "theme": k, "level": v} for (a, k), v in tuples.items()])
    long_nb = long.rename(columns={"area": "område", "theme": "tema", "level": "nivå"})
    long_codes = pd.DataFrame({"theme": list(codes), "level": list(codes.values())})
    wide_row = pd.DataFrame([codes])
    grid = pd.DataFrame(base).T
    grid.columns = [1, 2, 3]
    grid_area_col = grid.reset_index(names="area")
    grid_str_cols = grid.rename(columns=lambda c: f"theme{c}")
    series = pd.Series(codes)
    for shape in (codes, tuples, long, long_nb, long_codes, wide_row, grid, grid_area_col, grid_str_cols, series):
        got = self_assessment(shape).table
        pd.testing.assert_frame_equal(got, ref)


def test_string_levels_and_decimal_comma():
    res = self_assessment({**{f"{a}.{k}": "3" for a in range(1, 11) for k in (1, 2, 3)}, "1.1": "2,0"})
    assert res.area_scores[1] == pytest.approx(8 / 3)


def test_missing_themes_warn_and_are_not_not_relevant():
    with pytest.warns(QikitWarning, match="not scored"):
        res = self_assessment({"1.1": 3, "2.1": 2})
    assert "1.2" in res.missing
    assert res.not_relevant_areas == ()  # areas 3–10 are missing, not "not relevant"
    assert res.weakest == (2,)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        self_assessment({"1.1": 3}, warn_missing=False)


@pytest.mark.parametrize(
    "scores, match",
    [
        ({"1.1": 5}, "1, 2, 3, 4"),
        ({"1.1": 0}, "1, 2, 3, 4"),
        ({"1.1": 2.5}, "no half levels"),
        ({"1.1": "high"}, "1.1"),
        ({"1.1": True}, "1.1"),
        ({"11.1": 2}, "unknown area"),
        ({"0.1": 2}, "unknown area"),
        ({"1.4": 2}, "themes 1, 2 and 3"),
        ({"x": 2}, "area.theme|unknown area"),
        ({1: [1, 2]}, "exactly three"),
        ({1: 3}, "list of three"),
        (pd.DataFrame({"area": [1, 1], "theme": [1, 1], "level": [2, 3]}), "more than once"),
        (pd.DataFrame({"area": [1], "level": [2]}), "theme"),
        (pd.DataFrame({"1.1": [1, 2], "1.2": [2, 2]}), "exactly one row"),
        ([1, 2, 3], "DataFrame"),
    ],
)
def test_bad_input_raises(scores, match):
    with pytest.raises(QikitInputError, match=match):
        self_assessment(scores, warn_missing=False)


def test_bad_lang():
    with pytest.raises(QikitInputError, match="lang"):
        self_assessment(full(), lang="de")


def test_compare_before_after_by_hand():
    before = full(2)
    before[7] = [NR] * 3
    after = {**full(2), 3: [3, 3, 2], 5: [1, 2, 2], 7: [2, 2, 3]}
    cmp = compare(before, after, lang="en")
    t = cmp.table
    assert list(t.columns) == ["area", "area_title", "before", "after", "change"]
    assert t.loc[t.area == 3, "change"].item() == pytest.approx(2 / 3)
    assert t.loc[t.area == 5, "change"].item() == pytest.approx(-1 / 3)
    assert math.isnan(t.loc[t.area == 7, "change"].item())
    assert cmp.improved == (3,)
    assert cmp.declined == (5,)
    assert cmp.unchanged == (1, 2, 4, 6, 8, 9, 10)
    assert cmp.mean_change == pytest.approx((2 / 3 - 1 / 3) / 9)
    assert t.area_title.iloc[0].startswith("User experience")
    s = cmp.summary()
    assert s.n_improved.item() == 1 and s.weakest_after.item() == "5"
    assert "Before" in cmp._repr_html_()


def test_compare_accepts_results_and_keeps_labels():
    b = self_assessment(example_scores("before"), label="2023")
    a = self_assessment(example_scores("after"), label="2024")
    cmp = compare(b, a)
    assert cmp.before is b and cmp.after is a
    cmp_en = compare(b, a, lang="en")
    assert cmp_en.after.lang == "en"
    assert cmp_en.after.label == "2024"
    pd.testing.assert_series_equal(cmp_en.after.area_scores, a.area_scores)


def test_example_scores():
    b = self_assessment(example_scores("before"))
    a = self_assessment(example_scores("after"))
    assert b.not_relevant_areas == (7,)
    assert a.not_relevant_areas == ()
    assert b.weakest == (5,)
    with pytest.raises(QikitInputError):
        example_scores("later")  # type: ignore[arg-type]


level_or_nr = st.one_of(st.sampled_from([1, 2, 3, 4]), st.just(None))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(level_or_nr, min_size=3, max_size=3), min_size=10, max_size=10))
def test_property_area_score_is_mean_of_relevant(levels):
    scores = {a + 1: lv for a, lv in enumerate(levels)}
    res = self_assessment(scores)
    for a, lv in scores.items():
        rel = [x for x in lv if x is not None]
        if rel:
            assert res.area_scores[a] == pytest.approx(sum(rel) / len(rel))
            assert 1 <= res.area_scores[a] <= 4
        else:
            assert math.isnan(res.area_scores[a])
            assert a in res.not_relevant_areas
    valid = res.area_scores.dropna()
    if len(valid):
        assert res.weakest
        assert all(res.area_scores[a] == pytest.approx(valid.min()) for a in res.weakest)
        assert all(res.area_scores[a] > valid.min() + 1e-9 for a in valid.index if a not in res.weakest)
