"""qikit.datasets: load, list_datasets, describe, truth, path, dictionary; names, errors and the folder."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from qikit import QikitInputError, datasets
from qikit.datasets import _catalog

NAMES = datasets.list_datasets()["name"].tolist()
TYPES = {"month", "date", "datetime", "year", "integer", "number", "string", "code"}


def test_catalog_has_every_expected_dataset() -> None:
    expected = {
        "semmelweis_monthly",
        "semmelweis_yearly",
        "vienna_yearly",
        "dublin_yearly",
        "nightingale",
        "annotations",
        "falls",
        "pressure_ulcers",
        "hand_hygiene",
        "sepsis_antibiotics",
        "ed_length_of_stay",
        "ssi_hip",
        "medication_reconciliation",
        "readmissions",
        "incidents",
        "self_assessment",
        "self_assessment_items",
        "ed_arrivals",
        "ed_flow_steps",
        "red_beads",
    }
    assert set(NAMES) == expected


def test_list_datasets_table() -> None:
    table = datasets.list_datasets(lang="en")
    assert list(table.columns) == ["name", "title", "kind", "rows", "modules", "file"]
    assert set(table["kind"]) == {"real", "synthetic", "reference"}
    assert table["name"].is_unique
    assert (table["rows"] > 0).all()
    assert table["modules"].str.match(r"m\d\d-").all()
    nb = datasets.list_datasets(lang="nb")
    assert nb["title"].tolist() != table["title"].tolist()


@pytest.mark.parametrize("name", NAMES)
def test_every_dataset_loads_with_a_complete_dictionary(name: str) -> None:
    entry = datasets.dictionary(name)
    df = datasets.load(name, lang="en")
    assert len(df) == entry["rows"] > 0
    assert list(df.columns) == [c["name"] for c in entry["columns"]]
    for key in ("title", "description"):
        assert entry[key]["nb"].strip() and entry[key]["en"].strip()
    for key in ("source", "credit", "licence"):
        assert entry[key].strip()
    assert entry["kind"] in _catalog.KINDS
    assert entry["quirks"] and entry["checks"]
    for item in entry["quirks"] + entry["checks"]:
        assert item["nb"].strip() and item["en"].strip()
    for col in entry["columns"]:
        assert col["type"] in TYPES
        assert "unit" in col
        assert col["description"]["nb"].strip() and col["description"]["en"].strip()
        if "codes" in col:
            values = set(df[col["name"]].dropna().astype(str))
            assert values <= set(col["codes"])
            for label in col["codes"].values():
                assert label["nb"].strip() and label["en"].strip()
        if col["type"] == "month":
            assert df[col["name"]].str.fullmatch(r"\d{4}-\d{2}").all()
        if col["type"] == "date":
            assert df[col["name"]].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    # .attrs is the dictionary in the chosen language.
    attrs = df.attrs
    assert attrs["name"] == name and attrs["lang"] == "en"
    assert attrs["title"] == entry["title"]["en"]
    assert set(attrs["columns"]) == set(df.columns) == set(attrs["units"])
    assert attrs["synthetic"] == (entry["kind"] == "synthetic")
    for key in ("title", "description", "source", "licence", "units", "columns", "quirks", "synthetic"):
        assert key in attrs
    if entry.get("truth_file"):
        assert attrs["truth"] == datasets.truth(name)
        assert attrs["seed"] == entry["seed"]
    else:
        assert "truth" not in attrs


def test_lang_changes_texts_not_data(monkeypatch: pytest.MonkeyPatch) -> None:
    nb = datasets.load("falls", lang="nb")
    en = datasets.load("falls", lang="en")
    assert nb.equals(en)
    assert nb.attrs["columns"]["falls"]["description"] != en.attrs["columns"]["falls"]["description"]
    assert en.attrs["units"]["falls"] == "count" and nb.attrs["units"]["falls"] == "antall"
    monkeypatch.setenv("QIKIT_LANG", "en")
    assert datasets.load("falls").attrs["lang"] == "en"
    monkeypatch.delenv("QIKIT_LANG")
    assert datasets.load("falls").attrs["lang"] == "nb"
    with pytest.raises(QikitInputError, match="lang"):
        datasets.load("falls", lang="de")


def test_months_are_strings_unless_parse_dates() -> None:
    df = datasets.load("semmelweis_monthly")
    assert df["month"].iloc[0] == "1841-01"
    parsed = datasets.load("semmelweis_monthly", parse_dates=True)
    assert pd.api.types.is_datetime64_any_dtype(parsed["month"])
    assert parsed["month"].iloc[0] == pd.Timestamp("1841-01-01")
    hours = datasets.load("ed_arrivals", parse_dates=True)
    assert hours["time"].iloc[1] - hours["time"].iloc[0] == pd.Timedelta(hours=1)
    assert datasets.load("vienna_yearly", parse_dates=True)["year"].dtype.kind == "i"
    with pytest.raises(QikitInputError, match="parse_dates"):
        datasets.load("falls", parse_dates="yes")  # type: ignore[arg-type]


def test_describe_is_readable_in_both_languages() -> None:
    en = datasets.describe("semmelweis_monthly", lang="en")
    nb = datasets.describe("semmelweis_monthly", lang="nb")
    assert en.startswith("semmelweis_monthly: Semmelweis: births")
    assert "Columns:" in en and "Kolonner:" in nb
    assert "December 1841" in en and "Desember 1841" in nb
    assert "WeeBeasties/Semmelweis" in en
    for name in NAMES:
        text = datasets.describe(name, lang="en")
        for col in datasets.dictionary(name)["columns"]:
            assert f"  {col['name']} " in text
    assert "truth('falls')" in datasets.describe("falls", lang="en")


def test_truth_only_for_synthetic() -> None:
    truth = datasets.truth("falls")
    assert truth["dataset"] == "falls" and truth["seed"] == datasets.dictionary("falls")["seed"]
    with pytest.raises(QikitInputError, match="real dataset") as info:
        datasets.truth("nightingale")
    assert "falls" in str(info.value)
    with pytest.raises(QikitInputError, match="reference"):
        datasets.truth("self_assessment_items")


def test_unknown_name_lists_names_and_suggests() -> None:
    with pytest.raises(QikitInputError) as info:
        datasets.load("semmelweis_montly")
    message = str(info.value)
    assert message.startswith("load(): unknown dataset 'semmelweis_montly'.")
    assert "Did you mean 'semmelweis_monthly'?" in message
    for name in NAMES:
        assert name in message
    with pytest.raises(QikitInputError, match="Did you mean 'falls'"):
        datasets.path("fall")
    with pytest.raises(QikitInputError, match="describe\\(\\): unknown dataset"):
        datasets.describe("no_such_thing")
    with pytest.raises(QikitInputError, match="unknown dataset 3"):
        datasets.load(3)  # type: ignore[arg-type]
    assert isinstance(QikitInputError("x"), ValueError)


def test_aliases_and_csv_suffix() -> None:
    long = datasets.load("nightingale_crimea_monthly_1854_1856")
    assert long.attrs["name"] == "nightingale"
    assert datasets.path("falls.csv") == datasets.path("falls")


def test_qikit_datasets_env_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = datasets.datasets_dir()
    for name in ("falls", "nightingale"):
        entry = json.loads((source / f"{name}.json").read_text(encoding="utf-8"))
        shutil.copy(source / entry["file"], tmp_path / entry["file"])
        shutil.copy(source / f"{name}.json", tmp_path / f"{name}.json")
        if entry.get("truth_file"):
            shutil.copy(source / entry["truth_file"], tmp_path / entry["truth_file"])
    monkeypatch.setenv("QIKIT_DATASETS", str(tmp_path))
    assert datasets.datasets_dir() == tmp_path
    assert datasets.list_datasets()["name"].tolist() == ["nightingale", "falls"]
    assert datasets.path("falls").parent == tmp_path
    assert len(datasets.load("falls")) == 36
    monkeypatch.setenv("QIKIT_DATASETS", str(tmp_path / "missing"))
    with pytest.raises(QikitInputError, match="QIKIT_DATASETS"):
        datasets.load("falls")


def test_missing_folder_tells_how_to_fix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("QIKIT_DATASETS", raising=False)
    monkeypatch.setattr(_catalog, "_package_default", lambda: tmp_path / "nowhere")
    with pytest.raises(QikitInputError, match="export QIKIT_DATASETS="):
        datasets.load("falls")


def test_default_folder_is_the_repository_datasets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QIKIT_DATASETS", raising=False)
    folder = datasets.datasets_dir()
    assert folder.name == "datasets"
    assert (folder.parent / "src" / "qikit" / "datasets" / "__init__.py").is_file()


def test_import_is_light() -> None:
    code = (
        "import sys, qikit, qikit.datasets as d; d.load('falls'); "
        "bad = [m for m in ('matplotlib', 'ipywidgets', 'nbgrader', 'scipy', 'qikit.datasets.synthetic') "
        "if m in sys.modules]; print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
