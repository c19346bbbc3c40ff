import numpy as np
import pandas as pd
import pytest

from qikit import QikitInputError
from qikit.system import example_pathway, pathway_capacity, patient_flow


def test_littles_law_on_simulated_output():
    res = patient_flow(rng=1, duration=30 * 24 * 60.0)
    ll = res.littles_law()
    assert list(ll.columns) == ["scope", "L", "lambda_", "W", "lambda_W", "ratio"]
    assert ll["scope"].tolist()[0] == "system" and len(ll) == 5
    assert np.allclose(ll["ratio"], 1.0, atol=0.03)
    # L measured independently as the time average of the census
    c = res.census()
    a, b = res.window
    t = np.clip(c["time"].to_numpy(), a, b)
    area = float(np.sum(np.diff(t) * c["in_system"].to_numpy()[:-1]))
    assert area / (b - a) == pytest.approx(ll["L"].iloc[0], rel=1e-9)


def test_bottleneck_and_max_throughput():
    res = patient_flow(rng=2, duration=30 * 24 * 60.0)
    path = example_pathway()
    assert res.bottleneck == path["step"].iloc[1]
    assert res.max_throughput == pytest.approx(3 / 25)
    steps = res.steps
    assert steps.loc[steps["bottleneck"], "step"].item() == res.bottleneck
    assert steps["utilisation"].tolist() == pytest.approx([0.6, 0.1 * 25 / 3, 0.75, 0.7])
    # busy share of the servers = observed arrival rate x service / capacity, up to sampling noise
    lam_obs = res.littles_law()["lambda_"].iloc[0]
    expected = (lam_obs * steps["service"] / steps["capacity"]).tolist()
    assert steps["utilisation_sim"].tolist() == pytest.approx(expected, abs=0.04)
    assert res.stable
    more_doctors = path.copy()
    more_doctors.loc[1, "capacity"] = 5
    cap = pathway_capacity(more_doctors, 0.1)
    assert cap.loc[cap["bottleneck"], "step"].item() == path["step"].iloc[2]  # tests: 2/15 per minute
    assert cap["max_throughput"].min() == pytest.approx(2 / 15)


def test_single_server_matches_queueing_theory():
    # M/M/1 with lambda = 0.5, mean service 1: W = 1 / (mu - lambda) = 2
    mm1 = patient_flow([("desk", 1, 1.0)], arrival_rate=0.5, duration=200_000, warmup=1000, rng=3)
    assert mm1.summary()["W"].iloc[0] == pytest.approx(2.0, rel=0.05)
    # M/D/1: W = s + lambda s^2 / (2 (1 - rho)) = 1.5
    md1 = patient_flow([("desk", 1, 1.0)], arrival_rate=0.5, duration=200_000, warmup=1000, service_cv=0, rng=3)
    assert md1.summary()["W"].iloc[0] == pytest.approx(1.5, rel=0.03)


def test_events_are_consistent():
    res = patient_flow([("a", 2, 3.0), ("b", 1, 2.0)], arrival_rate=0.4, duration=500, warmup=50, rng=5)
    ev = res.events
    assert list(ev.columns) == ["patient", "step_no", "step", "arrive", "start", "end", "wait", "service"]
    assert (ev["start"] >= ev["arrive"] - 1e-12).all()
    assert np.allclose(ev["end"] - ev["start"], ev["service"])
    # never more patients in service at a step than its capacity
    for step, cap in (("a", 2), ("b", 1)):
        e = ev[ev["step"] == step]
        times = np.concatenate([e["start"], e["end"]])
        delta = np.concatenate([np.ones(len(e)), -np.ones(len(e))])
        order = np.lexsort((delta, times))
        assert np.cumsum(delta[order]).max() <= cap
    # the second step starts when the first ends
    wide = ev.pivot(index="patient", columns="step_no", values="arrive")
    ends = ev[ev["step_no"] == 1].set_index("patient")["end"]
    assert np.allclose(wide[2], ends)
    t = res.table
    assert np.allclose(t["los"], t["departure"] - t["arrival"])
    assert np.allclose(t["los"], t["wait"] + t["service"])


def test_seeded_and_common_random_numbers():
    a = patient_flow(rng=9, duration=2000, warmup=100)
    b = patient_flow(rng=9, duration=2000, warmup=100)
    pd.testing.assert_frame_equal(a.table, b.table)
    pd.testing.assert_frame_equal(a.events, b.events)
    more = example_pathway()
    more.loc[1, "capacity"] = 4
    c = patient_flow(more, rng=9, duration=2000, warmup=100)
    assert np.allclose(c.table["arrival"], a.table["arrival"])  # same patients
    assert np.allclose(c.events["service"], a.events["service"])  # with the same needs
    assert c.summary()["mean_wait"].iloc[0] < a.summary()["mean_wait"].iloc[0]


def test_unstable_system_is_flagged():
    res = patient_flow(arrival_rate=0.2, duration=3000, warmup=100, rng=1)
    assert not res.stable
    assert not res.summary()["stable"].iloc[0]


def test_step_formats():
    as_dicts = [{"step": "a", "capacity": 1, "service": 2.0}, {"name": "b", "capacity": 2, "service": 1.0}]
    as_frame = pd.DataFrame({"step": ["a", "b"], "capacity": [1, 2], "service": [2.0, 1.0]})
    r1 = patient_flow(as_dicts, arrival_rate=0.2, duration=500, warmup=10, rng=1)
    r2 = patient_flow(as_frame, arrival_rate=0.2, duration=500, warmup=10, rng=1)
    r3 = patient_flow([("a", 1, 2.0), ("b", 2, 1.0)], arrival_rate=0.2, duration=500, warmup=10, rng=1)
    pd.testing.assert_frame_equal(r1.table, r2.table)
    pd.testing.assert_frame_equal(r1.table, r3.table)
    assert example_pathway("en")["step"].tolist()[1] == "Doctor"
    assert example_pathway("nb")["step"].tolist()[1] == "Lege"


@pytest.mark.parametrize(
    ("steps", "kwargs", "match"),
    [
        (None, {"warmup": 100, "duration": 50}, "warmup must be shorter than duration"),
        (None, {"arrival_rate": 0}, "arrival_rate must be greater than 0"),
        ([("a", 0, 1.0)], {}, "capacity of 'a' must be at least 1"),
        ([("a", 1, 0.0)], {}, "service time of 'a' must be greater than 0"),
        ([("a", 1, 1.0), ("a", 1, 1.0)], {}, "unique"),
        ([], {}, "at least one step"),
        ("triage", {}, "steps must be"),
        ([("a", 1)], {}, "each step must be"),
        ([{"step": "a", "capacity": 1}], {}, "has no 'service'"),
        (pd.DataFrame({"step": ["a"]}), {}, "needs a capacity column"),
        (None, {"arrival_rate": 100.0, "duration": 1e6}, "2 million"),
        (None, {"service_cv": -1}, "service_cv must be at least 0"),
    ],
)
def test_bad_input(steps, kwargs, match):
    with pytest.raises(QikitInputError, match=match):
        patient_flow(steps, **kwargs)


def test_dataset_style_column_names():
    steps = pd.DataFrame(
        {
            "step": [1, 2],
            "name": ["Triage", "Doctor"],
            "servers": [2, 4],
            "minutes_per_patient": [10.0, 45.0],
        }
    )
    cap = pathway_capacity(steps, 3.84 / 60)
    assert cap["step"].tolist() == ["Triage", "Doctor"]
    assert cap.loc[cap["bottleneck"], "step"].item() == "Doctor"
    assert cap["max_throughput"].min() * 60 == pytest.approx(16 / 3)
    assert cap["utilisation"].iloc[1] == pytest.approx(0.72)
    with pytest.raises(QikitInputError, match="capacity column"):
        pathway_capacity(steps.drop(columns="servers"))
