"""`qikit spc` through qikit.spc.cli.main([...])."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from qikit.spc.cli import main

REF = Path(__file__).parent / "reference"


def test_run_chart_prints_summary(capsys):
    assert main([str(REF / "syn_run_shift.input.csv"), "--y", "y", "--x", "x"]) == 0
    out = capsys.readouterr().out
    assert "longest run 9 (max 8)" in out
    assert "runs signal YES" in out
    assert "signals at x = 15 [long_run]" in out


def test_outputs_follow_the_contract(tmp_path, capsys):
    table, summ, png = tmp_path / "t.csv", tmp_path / "s.json", tmp_path / "c.png"
    rc = main(
        [
            str(REF / "syn_i_part_2breaks.input.csv"),
            "--chart",
            "i",
            "--y",
            "y",
            "--x",
            "x",
            "--part",
            "15,30",
            "--out",
            str(table),
            "--summary",
            str(summ),
            "--plot",
            str(png),
            "--quiet",
        ]
    )
    assert rc == 0
    assert capsys.readouterr().out == ""
    t = pd.read_csv(table)
    for col in ["x", "y", "n", "cl", "lcl", "ucl", "part", "excluded", "sigma_signal", "runs_signal"]:
        assert col in t.columns
    assert len(t) == 40 and t["n"].isna().all()
    s = json.loads(summ.read_text())
    assert [r["part"] for r in s] == [1, 2, 3]
    for key in [
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
    ]:
        assert key in s[0]
    assert [r["runs_signal"] for r in s] == [False, False, True]
    assert png.stat().st_size > 10_000 and png.read_bytes()[:4] == b"\x89PNG"


def test_ratio_chart_with_dates_and_facets(tmp_path):
    rows = []
    for unit in ("A", "B"):
        for i, month in enumerate(pd.date_range("2024-01-01", periods=14, freq="MS")):
            rows.append({"unit": unit, "month": month.strftime("%Y-%m-%d"), "events": 3 + (i % 4), "cases": 40})
    csv = tmp_path / "d.csv"
    pd.DataFrame(rows).to_csv(csv, index=False)
    out, summ = tmp_path / "t.csv", tmp_path / "s.json"
    rc = main(
        [
            str(csv),
            "--chart",
            "p",
            "--y",
            "events",
            "--n",
            "cases",
            "--x",
            "month",
            "--facet",
            "unit",
            "--out",
            str(out),
            "--summary",
            str(summ),
            "--quiet",
        ]
    )
    assert rc == 0
    t = pd.read_csv(out)
    assert {"facet1"} <= set(t.columns) and t["x"].iloc[0] == "2024-01-01"
    s = json.loads(summ.read_text())
    assert [r["facet1"] for r in s] == ["A", "B"]


def test_part_by_column_and_notes(tmp_path, capsys):
    d = pd.DataFrame(
        {
            "y": [1, 2, 3, 2, 1, 5, 6, 7, 6, 5],
            "phase": ["før"] * 5 + ["etter"] * 5,
            "note": [None] * 5 + ["PDSA 1"] + [None] * 4,
        }
    )
    csv = tmp_path / "d.csv"
    d.to_csv(csv, index=False)
    assert main([str(csv), "--y", "y", "--part-by", "phase", "--notes", "note", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "part 1 (før)" in out and "part 2 (etter)" in out


@pytest.mark.parametrize(
    "args,needle",
    [
        (["missing.csv", "--y", "y"], "no such file"),
        (["{ref}/syn_g.input.csv", "--y", "nope"], "'nope' is not a column"),
        (["{ref}/syn_g.input.csv", "--y", "y", "--chart", "zz"], "invalid choice"),
        (["{ref}/syn_g.input.csv"], "--y"),
        (["{ref}/syn_g.input.csv", "--y", "y", "--exclude", "x"], "--exclude"),
        (["{ref}/syn_g.input.csv", "--y", "y", "--chart", "p"], "needs a denominator"),
        (["{ref}/syn_g.input.csv", "--y", "y", "--rules", "zz"], "invalid choice"),
        (["{ref}/syn_g.input.csv", "--y", "y", "--freeze", "0"], "freeze"),
        (["{ref}/syn_g.input.csv", "--y", "y", "--x-period", "month"], "x_period"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, needle, capsys):
    args = [a.format(ref=REF) for a in args]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("qikit spc: error:")
    assert needle in err
    assert "Traceback" not in err


def test_non_numeric_y_names_value_and_x(tmp_path, capsys):
    csv = tmp_path / "d.csv"
    csv.write_text("week,y\n1,3\n2,4\n3,fire\n4,5\n", encoding="utf-8")
    assert main([str(csv), "--y", "y", "--x", "week"]) == 2
    err = capsys.readouterr().err
    assert "'fire'" in err and "x = 3" in err


def test_warnings_are_one_line_each(tmp_path, capsys):
    csv = tmp_path / "d.csv"
    csv.write_text("y\n1\n2\n3\n", encoding="utf-8")
    assert main([str(csv), "--y", "y"]) == 0
    err = capsys.readouterr().err
    assert "warning" in err and "fewer than 10 useful" in err


def test_semicolon_csv_with_decimal_comma(tmp_path, capsys):
    csv = tmp_path / "d.csv"
    csv.write_text("uke;verdi\n1;1,5\n2;2,5\n3;3,5\n4;2,0\n", encoding="utf-8")
    assert main([str(csv), "--y", "verdi", "--x", "uke", "--quiet"]) == 0


def test_help_exits_zero(capsys):
    assert main(["--help"]) == 0
    assert "--chart" in capsys.readouterr().out
