import warnings

import numpy as np
import pandas as pd
import pytest

from qikit import QikitInputError, QikitWarning
from qikit.system import pareto


def test_cumulative_shares_and_vital_few():
    res = pareto({"B": 25, "A": 40, "C": 15, "D": 10, "E": 10})
    t = res.table
    assert list(t.columns) == ["rank", "category", "count", "share", "cumulative_share", "vital_few"]
    assert t["category"].tolist() == ["A", "B", "C", "D", "E"]
    assert t["share"].tolist() == pytest.approx([0.4, 0.25, 0.15, 0.1, 0.1])
    assert t["cumulative_share"].tolist() == pytest.approx([0.4, 0.65, 0.8, 0.9, 1.0])
    assert res.vital_few == ("A", "B", "C")
    assert t["vital_few"].tolist() == [True, True, True, False, False]
    s = res.summary().iloc[0]
    assert s["n_vital"] == 3 and s["vital_share"] == pytest.approx(0.8) and s["total"] == 100
    assert pareto({"B": 25, "A": 40, "C": 15, "D": 10, "E": 10}, threshold=0.81).vital_few == ("A", "B", "C", "D")
    assert pareto({"A": 1, "B": 1}, threshold=1.0).vital_few == ("A", "B")


def test_input_forms_agree():
    obs = ["Fall"] * 5 + ["Legemidler"] * 3 + ["Trykksår"] * 2
    expected = pareto({"Fall": 5, "Legemidler": 3, "Trykksår": 2}).table
    pd.testing.assert_frame_equal(pareto(obs).table, expected)
    pd.testing.assert_frame_equal(pareto(pd.Series(obs)).table, expected)
    pd.testing.assert_frame_equal(pareto(pd.Series(obs).value_counts()).table, expected)
    df = pd.DataFrame({"kategori": obs, "antall": 1})
    pd.testing.assert_frame_equal(pareto(df, category="kategori").table, expected)
    pd.testing.assert_frame_equal(pareto(df, category="kategori", count="antall").table, expected)
    assert pareto(np.array(obs)).vital_few == ("Fall", "Legemidler")


def test_ties_sorted_by_name_and_catch_all_last():
    res = pareto({"Annet": 30, "b": 5, "a": 5, "c": 20}, last="Annet")
    assert res.table["category"].tolist() == ["c", "a", "b", "Annet"]
    assert res.table["cumulative_share"].iloc[-1] == 1.0


def test_fractional_counts_and_zero_counts():
    res = pareto({"x": 0.5, "y": 1.5, "z": 0})
    assert res.table["count"].tolist() == [1.5, 0.5, 0.0]
    assert res.vital_few == ("y", "x")


def test_missing_categories_warn():
    with pytest.warns(QikitWarning, match="1 observation"):
        res = pareto(pd.Series(["a", None, "a", "b"]))
    assert res.total == 3


def test_no_warning_for_clean_data():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pareto(["a", "b"])


@pytest.mark.parametrize(
    ("data", "kwargs", "match"),
    [
        ({"a": -1}, {}, "non-negative"),
        ({"a": 0, "b": 0}, {}, "all counts are zero"),
        ({"a": 1}, {"threshold": 80}, "Did you mean 0.8"),
        ({"a": 1}, {"threshold": 0}, "threshold must be greater than 0"),
        ({}, {}, "no categories"),
        (pd.DataFrame({"k": ["a"]}), {}, "name its category column"),
        (pd.DataFrame({"k": ["a"]}), {"category": "x"}, "no column 'x'"),
        ({"a": 1}, {"last": "Other"}, "not a category"),
        ("Fall", {}, "data must be"),
        ({"a": "many"}, {}, "non-negative numbers"),
    ],
)
def test_bad_input(data, kwargs, match):
    with pytest.raises(QikitInputError, match=match):
        pareto(data, **kwargs)
