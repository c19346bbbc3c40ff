import datetime as dt
from dataclasses import replace

import pandas as pd
import pytest

from qikit import QikitInputError
from qikit.pdsa import CHECKS, COLUMNS, Cycle, PdsaLog, example_log, order_by_scale, parse_act, scale_rank


def good(number, scale="1 patient", idea="Checklist", start=None, **kw):
    base = dict(
        title=f"Test {number}",
        prediction="8 of 10",
        question="Does it work?",
        plan="who/what",
        do="done",
        study="9 of 10 vs 8 predicted",
        act="adapt",
        scale=scale,
        change_idea=idea,
        start=start,
    )
    base.update(kw)
    return Cycle(number, **base)


def checks(log, lang="en"):
    rep = log.validate(lang=lang)
    return {(int(c), k) for c, k in zip(rep.table.cycle, rep.table.check, strict=True)}, rep


def test_act_words_in_both_languages():
    assert [parse_act(w) for w in ("innfør", "Tilpass", "FORKAST", "adopt", "adapt", "abandon")] == [
        "adopt",
        "adapt",
        "abandon",
        "adopt",
        "adapt",
        "abandon",
    ]
    assert parse_act(None) is None and parse_act("") is None and parse_act(float("nan")) is None
    assert Cycle(1, act="forkast").act == "abandon"
    with pytest.raises(QikitInputError, match="adopt"):
        Cycle(1, act="keep")


def test_cycle_validation_and_dates():
    c = Cycle("3", start="05.02.2024", end=dt.datetime(2024, 2, 6, 12), title=None)  # type: ignore[arg-type]
    assert c.number == 3 and c.start == dt.date(2024, 2, 5) and c.end == dt.date(2024, 2, 6) and c.title == ""
    assert Cycle(2.0, start=pd.Timestamp("2024-01-01")).start == dt.date(2024, 1, 1)  # type: ignore[arg-type]
    for bad in (0, -1, 1.5, "x", True, None):
        with pytest.raises(QikitInputError, match="number"):
            Cycle(bad)  # type: ignore[arg-type]
    with pytest.raises(QikitInputError, match="date"):
        Cycle(1, start="next monday")
    assert not Cycle(1).complete and good(1).complete


def test_scale_rank_and_order():
    assert scale_rank("1 pasient") == (0, 1.0)
    assert scale_rank("3 patients") == (0, 3.0)
    assert scale_rank("én vakt") == (1, 1.0)
    assert scale_rank("1 døgn") == (2, 1.0)
    assert scale_rank("2 uker") == (3, 2.0)
    assert scale_rank("a month") == (4, 1.0)
    assert scale_rank("hele avdelingen") is None
    assert scale_rank("1 avdeling") == (5, 1.0)
    assert order_by_scale(["1 week", "1 unit", "1 patient", "1 day", "5 patients", "1 shift"]) == [
        "1 patient",
        "5 patients",
        "1 shift",
        "1 day",
        "1 week",
        "1 unit",
    ]
    with pytest.raises(QikitInputError, match="not recognised"):
        order_by_scale(["1 patient", "sometimes"])


def test_example_log_is_clean_and_planted_problems_are_found():
    for lang in ("nb", "en"):
        rep = example_log(lang).validate(lang=lang)
        assert rep.ok and rep.n_errors == 0 and rep.n_warnings == 0
    found, rep = checks(example_log("en", with_problems=True))
    assert found == {
        (3, "missing_prediction"),
        (4, "act_without_study"),
        (5, "number_order"),
        (7, "scale_backwards"),
        (8, "after_abandon"),
    }
    assert not rep.ok and rep.n_errors == 3 and rep.n_warnings == 2
    assert set(rep.table.check) <= set(CHECKS)
    assert list(rep.table.columns) == ["cycle", "check", "severity", "message"]
    assert rep.has("scale_backwards", cycle=7) and not rep.has("scale_backwards", cycle=6)
    s = rep.summary()
    assert set(s.columns) == {"check", "severity", "n", "cycles"}
    assert "errors" in rep._repr_html_()


def test_missing_study_and_act_are_warnings_on_the_last_cycle_errors_before_a_later_one():
    last_running = PdsaLog([good(1), good(2, scale="1 shift", study="", act=None)])
    found, rep = checks(last_running)
    assert (2, "missing_study") in found and rep.ok
    skipped = PdsaLog([good(1, study="", act=None), good(2, scale="1 shift")])
    found, rep = checks(skipped)
    assert (1, "missing_study") in found and not rep.ok
    undecided = PdsaLog([good(1, act=None), good(2, scale="1 shift")])
    found, rep = checks(undecided)
    assert (1, "missing_act") in found and not rep.ok
    found, rep = checks(PdsaLog([good(1, act=None)]))
    assert found == {(1, "missing_act")} and rep.ok
    # a planned cycle (nothing done yet) is fine
    found, rep = checks(PdsaLog([good(1, do="", study="", act=None)]))
    assert found == set()


def test_each_planted_problem():
    cases = {
        "missing_prediction": PdsaLog([good(1, prediction="")]),
        "missing_question": PdsaLog([good(1, question="")]),
        "missing_change_idea": PdsaLog([good(1, idea="")]),
        "missing_scale": PdsaLog([good(1, scale="")]),
        "scale_unknown": PdsaLog([good(1, scale="whenever")]),
        "missing_do": PdsaLog([good(1, do="")]),
        "act_without_study": PdsaLog([good(1, study="")]),
        "duplicate_number": PdsaLog([good(1), good(1, scale="1 shift")]),
        "number_order": PdsaLog([good(2, scale="1 shift"), good(1)]),
        "number_gap": PdsaLog([good(1), good(3, scale="1 shift")]),
        "date_order": PdsaLog([good(1, start="2024-03-02"), good(2, scale="1 shift", start="2024-03-01")]),
        "end_before_start": PdsaLog([good(1, start="2024-03-02", end="2024-03-01")]),
        "scale_backwards": PdsaLog([good(1, scale="1 day"), good(2, scale="1 patient")]),
        "after_abandon": PdsaLog([good(1, act="abandon"), good(2, scale="1 shift")]),
        "scale_jump": PdsaLog([good(1, scale="2 patients"), good(2, scale="1 week")]),
    }
    for check, log in cases.items():
        found, rep = checks(log)
        assert check in {k for _, k in found}, check
        sev = rep.table.loc[rep.table.check == check, "severity"].iloc[0]
        assert CHECKS[check].startswith(sev) or sev in CHECKS[check], check


def test_scale_backwards_with_a_reason_and_separate_ramps():
    log = PdsaLog([good(1, scale="1 day"), good(2, scale="1 patient", scale_reason="new staff group")])
    assert checks(log)[0] == set()
    log = PdsaLog([good(1, scale="1 patient"), good(2, scale="1 month", scale_reason="audit month")])
    assert checks(log)[0] == set()
    log = PdsaLog([good(1, scale="1 patient"), good(2, scale="1 day"), good(3, scale="1 week")])
    assert checks(log)[0] == set()
    # different change ideas are different ramps: no scale comparison across them
    log = PdsaLog([good(1, scale="1 week", idea="A"), good(2, scale="1 patient", idea="B")])
    assert checks(log)[0] == set()
    assert list(log.ramps()) == ["A", "B"]


def test_messages_in_both_languages():
    log = PdsaLog([good(1, prediction="")])
    assert "prediction" in log.validate(lang="en").table.message[0]
    assert "prediksjon" in log.validate(lang="nb").table.message[0]


def test_frame_and_csv_round_trip(tmp_path):
    log = example_log("nb", with_problems=True)
    df = log.to_frame()
    assert list(df.columns) == list(COLUMNS)
    assert df.number.dtype == "int64"
    again = PdsaLog.from_frame(df, title=log.title)
    assert again.cycles == log.cycles
    path = log.to_csv(tmp_path / "log.csv")
    back = PdsaLog.read_csv(path, title=log.title)
    assert back.cycles == log.cycles
    assert back.validate().table.equals(log.validate().table)
    pd.testing.assert_frame_equal(back.table, log.table)


def test_from_frame_partial_columns_and_errors():
    df = pd.DataFrame({"number": [1, 2], "prediction": ["x", None], "act": ["innfør", float("nan")], "extra": [1, 2]})
    log = PdsaLog.from_frame(df)
    assert log.cycles[0].act == "adopt" and log.cycles[1].prediction == ""
    with pytest.raises(QikitInputError, match="'number' column"):
        PdsaLog.from_frame(pd.DataFrame({"title": ["a"]}))
    with pytest.raises(QikitInputError, match="cycle number"):
        PdsaLog.from_frame(pd.DataFrame({"number": [1, None]}))
    with pytest.raises(QikitInputError, match="DataFrame"):
        PdsaLog.from_frame([1, 2])  # type: ignore[arg-type]


def test_log_input_errors_and_dicts():
    log = PdsaLog([{"number": 1, "prediction": "p", "act": "tilpass"}])
    assert log.cycles[0].act == "adapt"
    with pytest.raises(QikitInputError, match="unknown field"):
        PdsaLog([{"number": 1, "predicton": "typo"}])
    with pytest.raises(QikitInputError, match="no 'number'"):
        PdsaLog([{"title": "x"}])
    with pytest.raises(QikitInputError, match="Cycle objects or dicts"):
        PdsaLog([1])
    with pytest.raises(QikitInputError, match="from_frame"):
        PdsaLog(pd.DataFrame({"number": [1]}))  # type: ignore[arg-type]
    longer = log.with_cycle(Cycle(2, prediction="q"))
    assert len(longer.cycles) == 2 and len(log.cycles) == 1


def test_summary_per_ramp():
    s = example_log("en").summary()
    assert list(s.columns) == ["change_idea", "n_cycles", "first", "last", "scales", "acts"]
    assert s.n_cycles.tolist() == [4, 2]
    assert s.acts.iloc[0] == "adapt → adapt → adapt → adopt"
    assert "PDSA" in example_log("en")._repr_html_()


def test_cycles_are_frozen():
    c = good(1)
    with pytest.raises(AttributeError):
        c.act = "adopt"  # type: ignore[misc]
    assert replace(c, act="forkast").act == "abandon"
