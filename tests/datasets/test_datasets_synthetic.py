"""Synthetic datasets: byte-identical rebuild, determinism, and planted truths visible in the committed data.

The visibility tests recompute each planted feature from the loaded CSV, independently of the generator's
own ``truth['checks']``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from qikit import QikitInputError, datasets
from qikit.datasets import build, synthetic

SEEDED = [name for name, seed in synthetic.SEEDS.items() if seed is not None]


# ------------------------------------------------------------------------------------ rebuild and seeds


def test_rebuild_gives_identical_bytes(tmp_path: Path) -> None:
    folder = datasets.datasets_dir()
    files = build.build_files(folder)
    assert len(files) == 3 * len(synthetic.GENERATORS) - 1 + 1  # no truth for self_assessment_items; README
    for name, data in files.items():
        assert (folder / name).read_bytes() == data, f"{name} is out of date: run python -m qikit.datasets.build"
    written = build.build(tmp_path)
    assert {p.name for p in written} == set(files)
    for path in written:
        assert path.read_bytes() == files[path.name]
    assert build.check() == []


def test_build_command_check_mode(capsys: pytest.CaptureFixture[str]) -> None:
    assert build.main(["--check"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_every_committed_truth_passes_its_checks() -> None:
    for name in synthetic.GENERATORS:
        entry = datasets.dictionary(name)
        if not entry.get("truth_file"):
            continue
        truth = datasets.truth(name)
        assert truth["dataset"] == name
        assert truth["seed"] == synthetic.SEEDS[name] == entry["seed"]
        assert truth["generator"] == entry["generator"]
        assert truth["summary"]["nb"] and truth["summary"]["en"]
        assert truth["checks"] and all(truth["checks"].values()), name


@pytest.mark.parametrize("name", SEEDED)
def test_same_seed_same_data_other_seed_other_data(name: str) -> None:
    make = getattr(synthetic, f"make_{name}")
    a, b = make(rng=7), make(rng=7)
    pd.testing.assert_frame_equal(a.data, b.data)
    assert a.truth == b.truth
    assert a.truth["seed"] == 7
    assert not make(rng=8).data.equals(a.data)
    from_generator = make(rng=np.random.default_rng(7))
    pd.testing.assert_frame_equal(from_generator.data, a.data)
    assert from_generator.truth["seed"] is None
    with pytest.raises(QikitInputError, match="rng"):
        make(rng=-1)


def test_default_seed_reproduces_committed_csv() -> None:
    for name in SEEDED:
        made = synthetic.make(name).data
        loaded = datasets.load(name)
        assert len(made) == len(loaded)
        assert list(made.columns) == list(loaded.columns)
    with pytest.raises(QikitInputError, match="no generator"):
        synthetic.make("nightingale")


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_robust_plants_hold_for_other_seeds(seed: int) -> None:
    falls = synthetic.make_falls(rng=seed)
    rate = falls.data["falls"] / falls.data["bed_days"]
    assert falls.data["month"].iloc[int(rate.argmax())] == "2023-02"
    hh = synthetic.make_hand_hygiene(rng=seed).data
    assert hh["month"].iloc[int(hh["observations"].to_numpy().argmax())] == "2022-10"
    sepsis = synthetic.make_sepsis_antibiotics(rng=seed)
    assert sepsis.data["minutes"].max() == 655
    los = synthetic.make_ed_length_of_stay(rng=seed).truth
    assert los["realised"]["mar_dec_2024_mean"] < los["realised"]["mar_dec_2023_mean"]
    assert synthetic.make_incidents(rng=seed).truth["realised"]["ranking"][0] == "Medication handling"


# ----------------------------------------------------------------------------- planted truths, per set


def _p_ucl(p_bar: float, n: pd.Series) -> pd.Series:
    return p_bar + 3 * np.sqrt(p_bar * (1 - p_bar) / n)


def test_falls_astronomical_month_and_shift() -> None:
    df = datasets.load("falls")
    truth = datasets.truth("falls")
    rate = 1000 * df["falls"] / df["bed_days"]
    assert df["month"].iloc[int(rate.argmax())] == truth["astronomical_month"]
    before = df["month"] < truth["shift_month"]
    cl = 1000 * df.loc[before, "falls"].sum() / df.loc[before, "bed_days"].sum()
    ucl = cl + 3 * np.sqrt(cl * 1000 / df["bed_days"])
    above = df.loc[before & (rate > ucl), "month"].tolist()
    assert above == [truth["astronomical_month"]]
    assert rate[~before].mean() < rate[before].mean() - 1
    assert truth["rate_after"] < truth["rate_before"]
    july = df["month"].str.endswith("-07")
    assert df.loc[july, "bed_days"].max() < df.loc[~july, "bed_days"].min()


def test_pressure_ulcers_small_n_and_slow_drift() -> None:
    df = datasets.load("pressure_ulcers")
    truth = datasets.truth("pressure_ulcers")
    assert df["patients"].max() <= 32 and df["patients"].min() >= 18
    p = df["with_pressure_ulcer"] / df["patients"]
    first, last = df.iloc[:12], df.iloc[-12:]
    assert last["with_pressure_ulcer"].sum() / last["patients"].sum() > (
        first["with_pressure_ulcer"].sum() / first["patients"].sum()
    )
    assert np.polyfit(np.arange(len(p)), p, 1)[0] > 0
    assert truth["p_end"] > truth["p_start"] and truth["drift_per_year"] == pytest.approx(0.0343, abs=1e-3)


def test_hand_hygiene_step_and_measurement_week() -> None:
    df = datasets.load("hand_hygiene")
    truth = datasets.truth("hand_hygiene")
    week = df["month"] == truth["measurement_week_month"]
    assert df.loc[week, "observations"].item() == truth["measurement_week_observations"] == df["observations"].max()
    after = df["month"] >= truth["step_month"]
    base = ~after & ~week
    p_base = df.loc[base, "compliant"].sum() / df.loc[base, "observations"].sum()
    p_after = df.loc[after, "compliant"].sum() / df.loc[after, "observations"].sum()
    assert p_after > p_base + 0.08
    p_week = df.loc[week, "compliant"].item() / df.loc[week, "observations"].item()
    assert p_week > _p_ucl(p_base, df.loc[week, "observations"]).item()
    others = df.loc[~week, "observations"]
    assert others.min() < others.max() / 2


def test_sepsis_shift_and_outlier() -> None:
    df = datasets.load("sepsis_antibiotics")
    truth = datasets.truth("sepsis_antibiotics")
    out = truth["outlier"]
    assert df["patient"].iloc[int(df["minutes"].to_numpy().argmax())] == out["patient"]
    assert df["minutes"].max() == out["minutes"]
    after = df["arrival_date"] >= truth["change_date"]
    assert df.loc[after, "minutes"].median() < df.loc[~after, "minutes"].median() - 20
    assert (df.loc[after, "minutes"] <= 60).mean() > (df.loc[~after, "minutes"] <= 60).mean()
    assert df["minutes"].mean() > df["minutes"].median()
    assert (df["month"] == df["arrival_date"].str[:7]).all()
    assert df["arrival_date"].is_monotonic_increasing and df["patient"].tolist() == list(range(1, len(df) + 1))


def test_ed_length_of_stay_rebase_and_season() -> None:
    df = datasets.load("ed_length_of_stay", parse_dates=True)
    truth = datasets.truth("ed_length_of_stay")
    assert (df["week_start"].dt.day_of_week == 0).all()
    assert (df["week_start"].diff().dropna() == pd.Timedelta(days=7)).all()
    year, month = df["week_start"].dt.year, df["week_start"].dt.month
    same_2023 = df.loc[(year == 2023) & (month >= 3), "mean_los_minutes"].mean()
    same_2024 = df.loc[(year == 2024) & (month >= 3), "mean_los_minutes"].mean()
    assert same_2024 < same_2023 - 20
    winter = df.loc[(year == 2023) & (month <= 2), "mean_los_minutes"].mean()
    summer = df.loc[(year == 2023) & month.isin([7, 8]), "mean_los_minutes"].mean()
    assert winter > summer + 15
    assert truth["level_after"] < truth["level_before"]
    assert pd.Timestamp(truth["rebase_week"]) in set(df["week_start"])


def test_ssi_hip_cluster_and_longer_gaps_after_bundle() -> None:
    df = datasets.load("ssi_hip")
    truth = datasets.truth("ssi_hip")
    in_cluster = (df["surgery_date"] >= truth["cluster_start"]) & (df["surgery_date"] <= truth["cluster_end"])
    assert df.loc[in_cluster, "infection"].tolist() == truth["cluster_infections"]
    assert in_cluster.sum() >= 4
    after = df["surgery_date"] >= truth["bundle_date"]
    baseline = ~after & ~in_cluster
    assert df.loc[after, "procedures_between"].mean() > 2 * df.loc[baseline, "procedures_between"].mean()
    assert df.loc[after, "days_between"].mean() > 2 * df.loc[baseline, "days_between"].mean()
    inner = df.loc[in_cluster, "procedures_between"].iloc[1:]
    assert inner.mean() < df.loc[baseline, "procedures_between"].mean() / 3
    # Every procedure is accounted for: gaps + the infected ones + the open gap after the last infection.
    total = df["procedures_between"].sum() + len(df) + truth["procedures_after_last_infection"]
    assert total == sum(truth["procedures"].values())
    dates = pd.to_datetime(df["surgery_date"])
    assert (dates.diff().dt.days.iloc[1:] == df["days_between"].iloc[1:]).all()


def test_medication_reconciliation_phases_ramp_and_july_dips() -> None:
    df = datasets.load("medication_reconciliation").set_index("month")
    truth = datasets.truth("medication_reconciliation")
    p = df["reconciled_24h"] / df["admissions"]
    by_phase = df.groupby("phase")[["reconciled_24h", "admissions"]].sum()
    rate = by_phase["reconciled_24h"] / by_phase["admissions"]
    assert rate["baseline"] < rate["testing"] < rate["implementation"]
    assert df["phase"].drop_duplicates().tolist() == ["baseline", "testing", "implementation"]
    for month in truth["july_dips"]:
        before, after = str(pd.Period(month) - 1), str(pd.Period(month) + 1)
        assert p[month] < min(p[before], p[after]) - 0.1
    for k, month in enumerate(truth["pdsa_cycles"], start=1):
        assert df.loc[month, "note_nb"].startswith(f"PDSA {k}:")
        assert df.loc[month, "note_en"].startswith(f"PDSA {k}:")
        assert df.loc[month, "phase"] == "testing"
    assert p["2023-05"] > p["2023-01"]
    assert df["note_en"].isna().sum() == len(df) - len(truth["pdsa_cycles"]) - 3


def test_readmissions_overdispersed_and_half_red_without_change() -> None:
    df = datasets.load("readmissions")
    truth = datasets.truth("readmissions")
    p = df["readmissions_30d"] / df["discharges"]
    assert 0.4 <= (df["rag"] == "red").mean() <= 0.6
    assert ((p > truth["target"]) == (df["rag"] == "red")).all()
    assert ((p <= 0.105) == (df["rag"] == "green")).all()
    assert df["discharges"].min() > 3000
    p_bar = df["readmissions_30d"].sum() / df["discharges"].sum()
    sigma = np.sqrt(p_bar * (1 - p_bar) / df["discharges"])
    z = (p - p_bar) / sigma
    sigma_z = np.abs(np.diff(z)).mean() / 1.128
    assert sigma_z > 1.3
    assert ((p - p_bar).abs() > 3 * sigma).sum() >= 2  # p chart: false alarms
    assert ((p - p_bar).abs() > 3 * sigma * sigma_z).sum() == 0  # Laney p': stable
    assert sigma_z == pytest.approx(truth["realised"]["laney_sigma_z"], abs=1e-5)
    assert truth["change"] is None


def test_incidents_pareto() -> None:
    df = datasets.load("incidents")
    truth = datasets.truth("incidents")
    assert df["category_nb"].tolist() == sorted(df["category_nb"])
    assert not df["count"].is_monotonic_decreasing
    ranked = df.sort_values("count", ascending=False)
    share = ranked["count"].cumsum() / ranked["count"].sum()
    vital = ranked["category_en"].iloc[: int((share < 0.8).sum()) + 1].tolist()
    assert vital == truth["realised"]["vital_few"]
    assert set(vital) == set(truth["true_vital_few"])
    assert {"Annet", "Legemiddelhåndtering", "Fall"} <= set(df["category_nb"])
    assert dict(zip(df["category_nb"], df["category_en"], strict=True))["Annet"] == "Other"


def test_self_assessment_structure_not_relevant_and_scores() -> None:
    df = datasets.load("self_assessment")
    truth = datasets.truth("self_assessment")
    assert len(df) == 3 * 2 * 10 * 3
    assert set(df["team"]) == {"A", "B", "C"} and set(df["round"]) == {1, 2}
    assert set(df["area"]) == set(range(1, 11)) and set(df["theme"]) == {1, 2, 3}
    assert df["level"].dropna().isin([1, 2, 3, 4]).all()
    missing = {(r.team, r.area, r.theme) for r in df[df["level"].isna()].itertuples()}
    assert missing == {(d["team"], d["area"], d["theme"]) for d in truth["not_relevant"]}
    assert df["level"].isna().sum() == 2 * len(truth["not_relevant"])
    scores = df.groupby(["team", "round", "area"])["level"].mean()  # NaN ("not relevant") left out
    for team, rounds in truth["area_scores"].items():
        for rnd, areas in rounds.items():
            for area, score in areas.items():
                assert scores[(team, int(rnd), int(area))] == pytest.approx(score, abs=1e-6)
            s = scores.loc[(team, int(rnd))]
            assert int(s.idxmin()) == truth["weakest_area"][team][rnd]
            assert (s == s.min()).sum() == 1
    for team in ("A", "B"):
        gain = scores.loc[(team, 2)].loc[[6, 8]].mean() - scores.loc[(team, 1)].loc[[6, 8]].mean()
        assert gain > 0.5
    assert truth["weakest_area"]["A"]["1"] == 1


def test_self_assessment_items_follow_the_tool() -> None:
    items = datasets.load("self_assessment_items")
    assert len(items) == 30
    assert items[["area", "theme"]].drop_duplicates().shape[0] == 30
    row = items[(items["area"] == 2) & (items["theme"] == 1)].iloc[0]
    assert row["theme_nb"] == "Trygt å si fra" and row["theme_en"] == "Safe to speak up"
    assert items.loc[items["area"] == 1, "area_nb"].iloc[0].startswith("Brukererfaringer")


def test_ed_arrivals_littles_law_and_daily_pattern() -> None:
    df = datasets.load("ed_arrivals", parse_dates=True)
    truth = datasets.truth("ed_arrivals")
    assert len(df) == 28 * 24
    assert (df["time"].diff().dropna() == pd.Timedelta(hours=1)).all()
    assert (df["time"].dt.hour == df["hour"]).all() and (df["time"].dt.day_of_week + 1 == df["weekday"]).all()
    lam = df["arrivals"].mean()
    census = df["census"].mean()
    w = truth["realised"]["mean_los_hours_of_window_arrivals"]
    assert census / lam == pytest.approx(w, rel=0.05)
    assert w == pytest.approx(truth["los_mean_minutes"] / 60, rel=0.1)
    by_hour = df.groupby("hour")["arrivals"].mean()
    assert by_hour.loc[2:5].mean() < by_hour.loc[10:14].mean() / 2
    assert abs(df["arrivals"].sum() - df["departures"].sum()) < 0.05 * df["arrivals"].sum()


def test_ed_flow_steps_bottleneck() -> None:
    steps = datasets.load("ed_flow_steps")
    truth = datasets.truth("ed_flow_steps")
    capacity = steps["servers"] * 60 / steps["minutes_per_patient"]
    slowest = steps.iloc[int(capacity.to_numpy().argmin())]
    assert slowest["step"] == truth["bottleneck_step"]
    assert slowest["step_en"] == truth["bottleneck"] == "Doctor assessment"
    assert capacity.min() == pytest.approx(truth["max_throughput_per_hour"]) == pytest.approx(16 / 3)
    assert truth["mean_arrivals_per_hour"] < capacity.min() < truth["peak_arrivals_per_hour"]


def test_red_beads_recorded_run() -> None:
    df = datasets.load("red_beads")
    truth = datasets.truth("red_beads")
    assert len(df) == 24 and df["worker"].nunique() == 6 and set(df["day"]) == {1, 2, 3, 4}
    assert (df.groupby("day")["worker"].nunique() == 6).all()
    assert (df["paddle"] == 50).all() and df["red"].between(0, 50).all()
    assert truth["bowl"] == {"red": 800, "white": 3200}
    lo, hi = truth["theoretical_np_limits"]
    assert lo == pytest.approx(10 - 3 * np.sqrt(8)) and hi == pytest.approx(10 + 3 * np.sqrt(8))
    p_bar = df["red"].sum() / (50 * len(df))
    sd = np.sqrt(50 * p_bar * (1 - p_bar))
    assert df["red"].between(50 * p_bar - 3 * sd, 50 * p_bar + 3 * sd).all()
    assert abs(df["red"].mean() - 10) < 2
    again = np.random.default_rng(synthetic.SEEDS["red_beads"]).hypergeometric(800, 3200, 50, size=24)
    assert df["red"].tolist() == again.tolist()
