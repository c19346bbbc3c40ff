"""The real (historical) datasets: byte-identical copies with the documented quirks."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from qikit import datasets

# From PROVENANCE.md (shared/datasets-raw); hard-coded because the tests run where shared/ does not exist.
# name -> (file, data rows without header, sha256 prefix)
REAL = {
    "semmelweis_monthly": ("semmelweis_monthly_clinic1_1841_1849.csv", 99, "fed6e2acc4d29aaf"),
    "semmelweis_yearly": ("semmelweis_yearly_by_clinic_1841_1846.csv", 12, "8334f8cc84a5d124"),
    "vienna_yearly": ("vienna_maternity_yearly_1784_1849.csv", 66, "5d73239be75c0d33"),
    "dublin_yearly": ("dublin_rotunda_yearly_1784_1849.csv", 66, "0e7035f0f98d23ff"),
    "nightingale": ("nightingale_crimea_monthly_1854_1856.csv", 24, "5d87244415c066e1"),
    "annotations": ("annotations.csv", 9, "f7abab7f40ac9cf1"),
}


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_csv_is_byte_identical_copy(name: str) -> None:
    file, rows, prefix = REAL[name]
    path = datasets.path(name)
    assert path.name == file
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    assert digest.startswith(prefix)
    assert data.count(b"\n") - 1 == rows
    assert b"\r" not in data
    assert len(datasets.load(name)) == rows
    entry = datasets.dictionary(name)
    assert entry["rows"] == rows
    if entry["kind"] == "real":
        assert entry["sha256"] == digest


def test_december_1841_is_an_explicit_missing_row() -> None:
    df = datasets.load("semmelweis_monthly")
    row = df[df["month"] == "1841-12"]
    assert len(row) == 1
    assert row["births"].isna().all() and row["deaths"].isna().all()
    assert df["births"].isna().sum() == 1
    assert datasets.path("semmelweis_monthly").read_text(encoding="utf-8").splitlines()[12] == "1841-12,,"
    # Months are consecutive strings, none dropped.
    months = df["month"].tolist()
    assert months[0] == "1841-01" and months[-1] == "1849-03" and len(set(months)) == 99


@pytest.mark.parametrize(
    ("month", "deaths", "births"),
    [
        ("1841-11", 53, 235),
        ("1842-01", 64, 307),
        ("1842-10", 71, 242),
        ("1844-06", 6, 224),
        ("1844-10", 8, 248),
        ("1846-06", 27, 266),
        ("1847-01", 10, 311),
        ("1847-04", 57, 312),
        ("1847-05", 36, 294),
    ],
)
def test_semmelweis_monthly_matches_sinclair(month: str, deaths: int, births: int) -> None:
    df = datasets.load("semmelweis_monthly").set_index("month")
    assert df.loc[month, "deaths"] == deaths
    assert df.loc[month, "births"] == births


def test_semmelweis_monthly_known_rates_and_split() -> None:
    df = datasets.load("semmelweis_monthly").set_index("month")
    rate = df["deaths"] / df["births"]
    assert rate["1842-12"] == pytest.approx(0.3138, abs=5e-5)
    assert rate["1848-12"] == pytest.approx(0.0134, abs=5e-5)
    jan_oct_1846 = df.loc["1846-01":"1846-10"]
    assert (jan_oct_1846["deaths"].sum(), jan_oct_1846["births"].sum()) == (411, 2757)
    before = df.loc[:"1847-05"]
    after = df.loc["1847-06":]
    assert before["deaths"].sum() / before["births"].sum() > 4 * after["deaths"].sum() / after["births"].sum()


def test_semmelweis_yearly_by_clinic() -> None:
    df = datasets.load("semmelweis_yearly")
    assert df["clinic"].tolist() == [1] * 6 + [2] * 6
    totals = df.groupby("clinic")[["births", "deaths"]].sum()
    assert (totals.at[2, "births"], totals.at[2, "deaths"]) == (17791, 691)
    assert (totals.at[1, "births"], totals.at[1, "deaths"]) == (20042, 1989)
    assert df.loc[(df["year"] == 1842) & (df["clinic"] == 1), ["births", "deaths"]].iloc[0].tolist() == [3287, 518]


def test_vienna_series_break_and_dublin_unverified() -> None:
    vienna = datasets.load("vienna_yearly")
    assert vienna.loc[vienna["year"] < 1833, "unit"].eq("whole_maternity_hospital").all()
    assert vienna.loc[vienna["year"] >= 1833, "unit"].eq("first_clinic").all()
    dublin = datasets.load("dublin_yearly", lang="en")
    assert "unverified: demos only" in dublin.attrs["title"]
    assert dublin.attrs["status"] == "unverified: demos only"
    assert "ukontrollert" in datasets.load("dublin_yearly", lang="nb").attrs["title"]


def test_nightingale_rates_reproduce() -> None:
    df = datasets.load("nightingale")
    for cause in ("disease", "wounds", "other"):
        expected = np.round(12000 * df[cause] / df["army"], 1)
        assert np.allclose(df[f"{cause}_rate"], expected, atol=0.051)
    assert df["month"].iloc[0] == "1854-04" and df["month"].iloc[-1] == "1856-03"


def test_chart_annotations_accept_short_and_file_names() -> None:
    short = datasets.chart_annotations("semmelweis_monthly")
    long = datasets.chart_annotations("semmelweis_monthly_clinic1_1841_1849")
    assert short.equals(long)
    assert short["period"].tolist() == ["1841-12", "1846-02", "1847-05", "1847-06"]
    assert short.loc[short["type"] == "intervention_start", "period"].item() == "1847-05"
    assert len(datasets.chart_annotations()) == 9
    assert datasets.chart_annotations("falls").empty
