"""Seeded generators of the course's synthetic hospital datasets, each with what it planted.

Every ``make_*`` function returns a :class:`Synthetic`: the data (a DataFrame), the ``truth`` (what was
planted: the shift month, the astronomical point, the true rates, ... plus ``checks``, the generator's own
verdicts that each planted feature is visible in the data) and the data ``dictionary`` (bilingual, as
for the real datasets). ``python -m qikit.datasets.build`` writes them to ``datasets/NAME.csv``,
``NAME.json`` and ``NAME.truth.json``; the default seeds (:data:`SEEDS`) make the committed files.

The magnitudes are meant to be plausible for a Norwegian hospital trust (helseforetak); they are invented,
not measured, and no real patient, ward or person is described.

Examples
--------
>>> falls = make_falls()
>>> falls.truth["astronomical_month"]
'2023-02'
>>> make_falls(rng=5).data.equals(make_falls(rng=5).data)
True
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from qikit._rng import RngLike, as_generator

__all__ = [
    "GENERATORS",
    "SEEDS",
    "Synthetic",
    "make",
    "make_ed_arrivals",
    "make_ed_flow_steps",
    "make_ed_length_of_stay",
    "make_falls",
    "make_hand_hygiene",
    "make_incidents",
    "make_medication_reconciliation",
    "make_pressure_ulcers",
    "make_readmissions",
    "make_red_beads",
    "make_self_assessment",
    "make_self_assessment_items",
    "make_sepsis_antibiotics",
    "make_ssi_hip",
]

#: The seed of each committed synthetic dataset (``None``: the table is designed, not drawn).
SEEDS: dict[str, int | None] = {
    "falls": 115,
    "pressure_ulcers": 102,
    "hand_hygiene": 103,
    "sepsis_antibiotics": 104,
    "ed_length_of_stay": 105,
    "ssi_hip": 106,
    "medication_reconciliation": 107,
    "readmissions": 110,
    "incidents": 109,
    "self_assessment": 119,
    "ed_arrivals": 111,
    "red_beads": 112,
    "ed_flow_steps": None,
    "self_assessment_items": None,
}

COUNT = {"nb": "antall", "en": "count"}
MONTH = "YYYY-MM"
DATE = "YYYY-MM-DD"
PROPORTION = {"nb": "andel (0–1)", "en": "proportion (0–1)"}


@dataclass(frozen=True, eq=False)
class Synthetic:
    """A synthetic dataset: ``data``, what was planted (``truth``) and its data ``dictionary``."""

    name: str
    data: pd.DataFrame
    truth: dict[str, Any]
    dictionary: dict[str, Any]


# --------------------------------------------------------------------------------------------- helpers


def _t(nb: str, en: str) -> dict[str, str]:
    return {"nb": nb, "en": en}


def _col(
    name: str,
    type_: str,
    unit: str | dict[str, str],
    nb: str,
    en: str,
    codes: dict[str, dict[str, str]] | None = None,
) -> dict[str, Any]:
    column: dict[str, Any] = {"name": name, "type": type_, "unit": unit, "description": _t(nb, en)}
    if codes:
        column["codes"] = codes
    return column


def _num(value: float, lang: str, digits: int = 1) -> str:
    """Write a number as in ``lang``: decimal comma in bokmål."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "nb" else text


def _pct(value: float, lang: str, digits: int = 0) -> str:
    """Write a proportion as a percentage with a space before the sign (``0.7`` → ``70 %``)."""
    return f"{_num(100 * value, lang, digits)} %"


def _months(start: str, count: int) -> list[str]:
    year, month = (int(part) for part in start.split("-"))
    out = []
    for i in range(count):
        extra_years, m = divmod(month - 1 + i, 12)
        out.append(f"{year + extra_years:04d}-{m + 1:02d}")
    return out


def _days_in(month: str) -> int:
    year, m = (int(part) for part in month.split("-"))
    return calendar.monthrange(year, m)[1]


def _py(value: Any) -> Any:
    """Plain-Python, JSON-ready copy of ``value`` (numpy scalars become int/float/bool; floats rounded)."""
    if isinstance(value, dict):
        return {str(k): _py(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_py(v) for v in value]
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return round(float(value), 6)
    return value


def _seed_of(rng: RngLike) -> int | None:
    return int(rng) if isinstance(rng, int | np.integer) and not isinstance(rng, bool) else None


def _finish(
    name: str,
    func: str,
    rng: RngLike,
    data: pd.DataFrame,
    truth: dict[str, Any],
    *,
    title: dict[str, str],
    description: dict[str, str],
    quirks: Sequence[dict[str, str]],
    modules: Sequence[str],
    columns: Sequence[dict[str, Any]],
) -> Synthetic:
    """Attach the common dictionary fields and the truth header."""
    seed = _seed_of(rng)
    generator = f"qikit.datasets.synthetic.{func}"
    if [c["name"] for c in columns] != list(data.columns):  # pragma: no cover - a programming error
        raise RuntimeError(f"{func}: dictionary columns do not match the data columns")
    call = f"{func}(rng={seed})" if seed is not None else f"{func}()"
    dictionary: dict[str, Any] = {
        "name": name,
        "file": f"{name}.csv",
        "aliases": [],
        "kind": "synthetic",
        "title": title,
        "description": description,
        "status": _t(
            "syntetisk: laget av en generator med frø; ingen ekte pasienter",
            "synthetic: made by a seeded generator; no real patients",
        ),
        "source": f"Synthetic: {call} in qikit.datasets.synthetic; rebuild with python -m qikit.datasets.build.",
        "original_publication": "",
        "credit": "qikit project (synthetic data)",
        "licence": "MIT (qikit project). Synthetic data: no real patients, staff or units.",
        "checks": [
            _t(
                "Generatoren kontrollerer at hvert plantet trekk synes i dataene (truth['checks']), og "
                "testene kontrollerer at filene gjenskapes byte for byte.",
                "The generator checks that every planted feature is visible in the data (truth['checks']), "
                "and the tests check that the files are reproduced byte for byte.",
            )
        ],
        "quirks": list(quirks),
        "modules": list(modules),
        "rows": len(data),
        "columns": list(columns),
        "generator": generator,
        "seed": seed,
        "truth_file": f"{name}.truth.json",
    }
    header = {"dataset": name, "generator": generator, "seed": seed}
    return Synthetic(name=name, data=data, truth=_py({**header, **truth}), dictionary=dictionary)


def _p_limits(p_bar: float, n: np.ndarray | float) -> tuple[Any, Any]:
    sigma = np.sqrt(p_bar * (1 - p_bar) / np.asarray(n, dtype=float))
    return np.clip(p_bar - 3 * sigma, 0, 1), np.clip(p_bar + 3 * sigma, 0, 1)


# ------------------------------------------------------------------------------------------------ falls


def make_falls(rng: RngLike = SEEDS["falls"]) -> Synthetic:
    """Falls per 1000 bed-days in a medical department, 36 months (u chart).

    Planted: a stable baseline of 5.6 falls per 1000 bed-days; an astronomical month (2023-02, 14 per 1000:
    a norovirus outbreak with many temporary staff); a falls-prevention bundle introduced during 2023-09,
    after which the rate is 3.6 per 1000 (from 2023-10). Bed-days follow the beds open (summer closure in
    July, fewer beds in August and December) and occupancy.
    """
    gen = as_generator(rng, "make_falls")
    months = _months("2022-01", 36)
    beds = np.array([72 if m.endswith("-07") else 86 if m[-2:] in ("08", "12") else 95 for m in months])
    days = np.array([_days_in(m) for m in months])
    occupancy = np.clip(gen.normal(0.93, 0.025, size=len(months)), 0.82, 1.0)
    bed_days = np.rint(beds * days * occupancy).astype(int)
    bundle, shift, astro = "2023-09", "2023-10", "2023-02"
    rate_before, rate_after, rate_astro = 5.6, 3.6, 14.0
    rate = np.where(np.array(months) >= shift, rate_after, rate_before)
    falls = gen.poisson(rate * bed_days / 1000)
    i_astro = months.index(astro)
    falls[i_astro] = int(round(rate_astro * bed_days[i_astro] / 1000))
    data = pd.DataFrame({"month": pd.array(months, dtype=str), "falls": falls, "bed_days": bed_days})

    u = falls / bed_days * 1000
    before = np.array(months) < shift
    cl = falls[before].sum() / bed_days[before].sum() * 1000
    ucl = cl + 3 * np.sqrt(cl * 1000 / bed_days)
    truth = {
        "summary": _t(
            f"Stabil grunnlinje på {_num(rate_before, 'nb')} fall per 1000 liggedøgn, et astronomisk punkt "
            f"i {astro} og et skift ned til {_num(rate_after, 'nb')} etter tiltakspakken mot fall "
            f"({bundle}; nytt nivå fra {shift}).",
            f"Stable baseline of {rate_before} falls per 1000 bed-days, an astronomical point in {astro} "
            f"and a shift down to {rate_after} after the falls bundle ({bundle}; new level from {shift}).",
        ),
        "unit": "falls per 1000 bed-days",
        "rate_before": rate_before,
        "rate_after": rate_after,
        "bundle_month": bundle,
        "shift_month": shift,
        "astronomical_month": astro,
        "astronomical_rate": rate_astro,
        "astronomical_falls": falls[i_astro],
        "realised": {
            "rate_before": falls[before].sum() / bed_days[before].sum() * 1000,
            "rate_after": falls[~before].sum() / bed_days[~before].sum() * 1000,
            "baseline_u_chart_cl": cl,
            "astronomical_month_ucl": ucl[i_astro],
        },
        "checks": {
            "astronomical_month_is_maximum": int(np.argmax(u)) == i_astro,
            "astronomical_month_above_ucl": u[i_astro] > ucl[i_astro],
            "rate_lower_after_shift": u[~before].mean() < u[before].mean(),
            "no_other_point_above_baseline_ucl": int((u[before] > ucl[before]).sum()) == 1,
        },
    }
    return _finish(
        "falls",
        "make_falls",
        rng,
        data,
        truth,
        title=_t(
            "Fall per 1000 liggedøgn, medisinsk avdeling (syntetisk)",
            "Falls per 1000 bed-days, medical department (synthetic)",
        ),
        description=_t(
            "Antall pasientfall og liggedøgn per måned i en medisinsk avdeling på rundt 95 senger, "
            "2022–2024. Raten er fall per 1000 liggedøgn (u-diagram). En tiltakspakke mot fall ble innført "
            "i september 2023. Sengetallet er lavere om sommeren (sommerdrift) og i desember.",
            "Patient falls and bed-days per month in a medical department of about 95 beds, 2022–2024. The "
            "rate is falls per 1000 bed-days (u chart). A falls-prevention bundle was introduced in "
            "September 2023. Fewer beds are open in the summer (summer closure) and in December.",
        ),
        quirks=[
            _t(
                "Februar 2023 var spesiell: et norovirusutbrudd og mange vikarer.",
                "February 2023 was unusual: a norovirus outbreak and many temporary staff.",
            ),
            _t(
                "Liggedøgn varierer med sengetall og belegg, så bruk raten (u-diagram), ikke antallet fall "
                "(c-diagram).",
                "Bed-days vary with beds open and occupancy, so chart the rate (u chart), not the count (c "
                "chart).",
            ),
        ],
        modules=["m06-control-charts", "m08-model-for-improvement"],
        columns=[
            _col("month", "month", MONTH, "Måned.", "Month."),
            _col(
                "falls",
                "integer",
                COUNT,
                "Pasientfall meldt i måneden.",
                "Patient falls reported in the month.",
            ),
            _col(
                "bed_days",
                "integer",
                _t("liggedøgn", "bed-days"),
                "Liggedøgn i måneden (nevneren; rate = 1000 · falls / bed_days).",
                "Bed-days in the month (the denominator; rate = 1000 · falls / bed_days).",
            ),
        ],
    )


# -------------------------------------------------------------------------------------- pressure ulcers


def make_pressure_ulcers(rng: RngLike = SEEDS["pressure_ulcers"]) -> Synthetic:
    """Monthly point prevalence of pressure ulcers on a small ward (p chart, small n, slow drift).

    Planted: the true prevalence drifts linearly from 12 % (2022-01) to 22 % (2024-12), about 3.4 percentage
    points a year, with 18–32 patients surveyed each month.
    """
    gen = as_generator(rng, "make_pressure_ulcers")
    months = _months("2022-01", 36)
    p_start, p_end = 0.12, 0.22
    p_true = np.linspace(p_start, p_end, len(months))
    patients = np.clip(np.rint(gen.normal(25, 3, size=len(months))), 18, 32).astype(int)
    ulcers = gen.binomial(patients, p_true)
    data = pd.DataFrame(
        {"month": pd.array(months, dtype=str), "patients": patients, "with_pressure_ulcer": ulcers}
    )
    p = ulcers / patients
    p_bar = ulcers.sum() / patients.sum()
    lcl, ucl = _p_limits(p_bar, patients)
    first, last = slice(0, 12), slice(24, 36)
    slope = float(np.polyfit(np.arange(len(months)), p, 1)[0]) * 12
    truth = {
        "summary": _t(
            f"Den sanne forekomsten glir sakte fra {_pct(p_start, 'nb')} til {_pct(p_end, 'nb')} over tre "
            "år; små utvalg gjør at p-diagrammet sjelden viser punkter utenfor grensene.",
            f"The true prevalence drifts slowly from {_pct(p_start, 'en')} to {_pct(p_end, 'en')} over "
            "three years; small samples mean the p chart rarely shows points outside the limits.",
        ),
        "p_start": p_start,
        "p_end": p_end,
        "drift_per_year": (p_end - p_start) / (len(months) - 1) * 12,
        "p_true": dict(zip(months, p_true, strict=True)),
        "realised": {
            "prevalence_first_12_months": ulcers[first].sum() / patients[first].sum(),
            "prevalence_last_12_months": ulcers[last].sum() / patients[last].sum(),
            "slope_per_year": slope,
            "p_chart_cl": p_bar,
            "points_outside_limits": int(((p > ucl) | (p < lcl)).sum()),
        },
        "checks": {
            "last_year_higher_than_first": ulcers[last].sum() / patients[last].sum()
            > ulcers[first].sum() / patients[first].sum(),
            "positive_slope": slope > 0,
            "small_n": bool(patients.max() <= 32),
        },
    }
    return _finish(
        "pressure_ulcers",
        "make_pressure_ulcers",
        rng,
        data,
        truth,
        title=_t(
            "Trykksår: punktprevalens per måned, én sengepost (syntetisk)",
            "Pressure ulcers: monthly point prevalence, one ward (synthetic)",
        ),
        description=_t(
            "Én dag hver måned undersøkes alle inneliggende pasienter på en sengepost for trykksår "
            "(kategori 1–4). patients er antall undersøkte, with_pressure_ulcer antall med minst ett "
            "trykksår. Små utvalg (18–32 pasienter) gir brede grenser i p-diagrammet.",
            "One day each month all inpatients on a ward are examined for pressure ulcers (category 1–4). "
            "patients is the number examined, with_pressure_ulcer the number with at least one pressure "
            "ulcer. Small samples (18–32 patients) give wide p-chart limits.",
        ),
        quirks=[
            _t(
                "Med så små utvalg er hver måneds andel usikker: se etter mønstre over tid (serier), ikke "
                "enkeltpunkter.",
                "With such small samples each month's proportion is uncertain: look for patterns over time "
                "(runs), not single points.",
            )
        ],
        modules=["m05-run-charts", "m06-control-charts"],
        columns=[
            _col(
                "month",
                "month",
                MONTH,
                "Måned for punktprevalensmålingen.",
                "Month of the point-prevalence survey.",
            ),
            _col("patients", "integer", COUNT, "Inneliggende pasienter undersøkt.", "Inpatients examined."),
            _col(
                "with_pressure_ulcer",
                "integer",
                COUNT,
                "Pasienter med minst ett trykksår (kategori 1–4).",
                "Patients with at least one pressure ulcer (category 1–4).",
            ),
        ],
    )


# ----------------------------------------------------------------------------------------- hand hygiene


def make_hand_hygiene(rng: RngLike = SEEDS["hand_hygiene"]) -> Synthetic:
    """Monthly hand-hygiene compliance from observation audits (p chart, unequal n, a step up).

    Planted: compliance 70 % until 2023-05 and 84 % from 2023-06 (dispensers at every bed and monthly
    feedback); observations vary from 35 to 180 a month, except the national measurement week in 2022-10,
    with 612 observations and 89 % compliance (staff knew they were observed).
    """
    gen = as_generator(rng, "make_hand_hygiene")
    months = _months("2022-01", 36)
    step, week = "2023-06", "2022-10"
    p_before, p_after, p_week, n_week = 0.70, 0.84, 0.89, 612
    observations = gen.integers(35, 181, size=len(months))
    p_true = np.where(np.array(months) >= step, p_after, p_before)
    i_week = months.index(week)
    observations[i_week] = n_week
    p_true[i_week] = p_week
    compliant = gen.binomial(observations, p_true)
    data = pd.DataFrame(
        {"month": pd.array(months, dtype=str), "observations": observations, "compliant": compliant}
    )
    p = compliant / observations
    after = np.array(months) >= step
    base = ~after & (np.arange(len(months)) != i_week)
    p_bar = compliant[base].sum() / observations[base].sum()
    _, ucl = _p_limits(p_bar, observations)
    truth = {
        "summary": _t(
            f"Etterlevelsen går fra {_pct(p_before, 'nb')} til {_pct(p_after, 'nb')} fra {step}. "
            f"Målingsuken i {week} har mange flere observasjoner ({n_week}) og høyere etterlevelse "
            f"({_pct(p_week, 'nb')}): de ansatte visste at de ble observert (Hawthorne-effekt).",
            f"Compliance steps up from {_pct(p_before, 'en')} to {_pct(p_after, 'en')} from {step}. The "
            f"measurement week in {week} has many more observations ({n_week}) and higher compliance "
            f"({_pct(p_week, 'en')}): staff knew they were observed (Hawthorne effect).",
        ),
        "p_before": p_before,
        "p_after": p_after,
        "step_month": step,
        "measurement_week_month": week,
        "measurement_week_observations": n_week,
        "measurement_week_p": p_week,
        "realised": {
            "p_before_excluding_measurement_week": p_bar,
            "p_after": compliant[after].sum() / observations[after].sum(),
            "measurement_week_p": p[i_week],
            "measurement_week_ucl": ucl[i_week],
        },
        "checks": {
            "step_up_after_step_month": compliant[after].sum() / observations[after].sum() > p_bar,
            "measurement_week_has_most_observations": int(np.argmax(observations)) == i_week,
            "measurement_week_above_baseline_ucl": p[i_week] > ucl[i_week],
            "unequal_n": bool(observations.min() < observations.max() / 2),
        },
    }
    return _finish(
        "hand_hygiene",
        "make_hand_hygiene",
        rng,
        data,
        truth,
        title=_t(
            "Etterlevelse av håndhygiene per måned (syntetisk)",
            "Hand-hygiene compliance per month (synthetic)",
        ),
        description=_t(
            "Observasjoner av håndhygiene etter WHOs fem indikasjoner på en sengepost, 2022–2024: "
            "observations er antall observerte indikasjoner, compliant antall der hånddesinfeksjon ble "
            "utført. Antall observasjoner varierer fra måned til måned (p-diagram med varierende grenser). "
            "Fra juni 2023 fikk hver seng en dispenser, og resultatene ble vist på personalmøtet hver "
            "måned.",
            "Hand-hygiene observations by the WHO five moments on a ward, 2022–2024: observations is the "
            "number of observed moments, compliant the number with hand disinfection. The number of "
            "observations varies from month to month (a p chart with varying limits). From June 2023 every "
            "bed had a dispenser and results were shown at the monthly staff meeting.",
        ),
        quirks=[
            _t(
                "Oktober 2022 inneholder en nasjonal målingsuke: mange flere observasjoner, gjort av "
                "eksterne observatører, mens de ansatte visste at de ble observert.",
                "October 2022 contains a national measurement week: many more observations, made by "
                "external observers while staff knew they were being watched.",
            )
        ],
        modules=["m06-control-charts"],
        columns=[
            _col("month", "month", MONTH, "Måned.", "Month."),
            _col(
                "observations",
                "integer",
                COUNT,
                "Observerte indikasjoner for håndhygiene.",
                "Observed hand-hygiene moments.",
            ),
            _col(
                "compliant",
                "integer",
                COUNT,
                "Observasjoner der hånddesinfeksjon ble utført riktig.",
                "Observations where hand disinfection was done correctly.",
            ),
        ],
    )


# ------------------------------------------------------------------------------------ sepsis antibiotics


def make_sepsis_antibiotics(rng: RngLike = SEEDS["sepsis_antibiotics"]) -> Synthetic:
    """Minutes from arrival to antibiotics for each sepsis patient in an ED, 2023–2024 (skewed data).

    Planted: log-normal times with median 92 min before 2024-01-01 and 52 min after (a sepsis kit and
    nurse-started antibiotics by protocol), log-sd 0.5; one outlier in June 2024 (655 min: sepsis not
    recognised at triage, antibiotics on the ward).
    """
    gen = as_generator(rng, "make_sepsis_antibiotics")
    months = _months("2023-01", 24)
    change = "2024-01-01"
    median_before, median_after, sigma = 92.0, 52.0, 0.5
    per_month = gen.poisson(11, size=len(months))
    dates: list[str] = []
    for month, k in zip(months, per_month, strict=True):
        days = np.sort(gen.integers(1, _days_in(month) + 1, size=k))
        dates.extend(f"{month}-{d:02d}" for d in days)
    after = np.array(dates) >= change
    median = np.where(after, median_after, median_before)
    minutes = np.maximum(8, np.rint(median * np.exp(gen.normal(0.0, sigma, size=len(dates))))).astype(int)
    june = [i for i, d in enumerate(dates) if d.startswith("2024-06")]
    i_out = june[min(4, len(june) - 1)]
    outlier_minutes = 655
    minutes[i_out] = outlier_minutes
    data = pd.DataFrame(
        {
            "patient": np.arange(1, len(dates) + 1),
            "arrival_date": pd.array(dates, dtype=str),
            "month": pd.array([d[:7] for d in dates], dtype=str),
            "minutes": minutes,
        }
    )
    log_m = np.log(minutes)
    mr = np.abs(np.diff(log_m[after]))
    ucl_log = log_m[after].mean() + 2.66 * mr.mean()
    truth = {
        "summary": _t(
            f"Log-normalfordelte tider med median {median_before:.0f} min før {change} og "
            f"{median_after:.0f} min etter (sepsispakke), og én uteligger: pasient {i_out + 1} "
            f"({dates[i_out]}) med {outlier_minutes} min.",
            f"Log-normal times with median {median_before:.0f} min before {change} and {median_after:.0f} "
            f"min after (sepsis kit), and one outlier: patient {i_out + 1} ({dates[i_out]}) with "
            f"{outlier_minutes} min.",
        ),
        "distribution": "log-normal",
        "median_before": median_before,
        "median_after": median_after,
        "sigma_log": sigma,
        "change_date": change,
        "shift_month": change[:7],
        "outlier": {"patient": i_out + 1, "arrival_date": dates[i_out], "minutes": outlier_minutes},
        "target_minutes": 60,
        "realised": {
            "patients_before": int((~after).sum()),
            "patients_after": int(after.sum()),
            "median_before": float(np.median(minutes[~after])),
            "median_after": float(np.median(minutes[after])),
            "share_within_60_before": float((minutes[~after] <= 60).mean()),
            "share_within_60_after": float((minutes[after] <= 60).mean()),
        },
        "checks": {
            "median_lower_after": float(np.median(minutes[after])) < float(np.median(minutes[~after])),
            "outlier_is_maximum": int(np.argmax(minutes)) == i_out,
            "outlier_above_log_i_chart_ucl_after": log_m[i_out] > ucl_log,
            "right_skewed": float(minutes.mean()) > float(np.median(minutes)),
        },
    }
    return _finish(
        "sepsis_antibiotics",
        "make_sepsis_antibiotics",
        rng,
        data,
        truth,
        title=_t(
            "Sepsis: tid til antibiotika i akuttmottaket (syntetisk)",
            "Sepsis: time to antibiotics in the emergency department (synthetic)",
        ),
        description=_t(
            "Én rad per pasient med sepsis i akuttmottaket, 2023–2024: minutter fra ankomst til første "
            "dose antibiotika. Målet er antibiotika innen 60 minutter. Tidene er skjevt fordelt (lang hale "
            "mot høyre): bruk I-diagram på log-skala, median, eller p-diagram for andelen innen 60 "
            "minutter per måned. Fra januar 2024 hadde mottaket en sepsispakke, og sykepleiere kunne "
            "starte antibiotika etter prosedyre.",
            "One row per patient with sepsis in the emergency department, 2023–2024: minutes from arrival "
            "to the first dose of antibiotics. The target is antibiotics within 60 minutes. The times are "
            "skewed (a long right tail): use an I chart on the log scale, the median, or a p chart of the "
            "share within 60 minutes per month. From January 2024 the department had a sepsis kit, and "
            "nurses could start antibiotics by protocol.",
        ),
        quirks=[
            _t(
                "Én pasient i juni 2024 ble ikke gjenkjent som septisk i triage og fikk antibiotika først "
                "på sengeposten.",
                "One patient in June 2024 was not recognised as septic at triage and got antibiotics only "
                "on the ward.",
            ),
            _t(
                "Pasientene er nummerert i ankomstrekkefølge; flere kan ha samme dato.",
                "Patients are numbered in order of arrival; several may share a date.",
            ),
        ],
        modules=["m06-control-charts"],
        columns=[
            _col(
                "patient",
                "integer",
                "",
                "Løpenummer i ankomstrekkefølge.",
                "Sequence number in order of arrival.",
            ),
            _col("arrival_date", "date", DATE, "Ankomstdato.", "Date of arrival."),
            _col(
                "month",
                "month",
                MONTH,
                "Ankomstmåned (for månedlige diagrammer).",
                "Month of arrival (for monthly charts).",
            ),
            _col(
                "minutes",
                "integer",
                _t("minutter", "minutes"),
                "Minutter fra ankomst til første dose antibiotika.",
                "Minutes from arrival to the first dose of antibiotics.",
            ),
        ],
    )


# ------------------------------------------------------------------------------------ ED length of stay


def make_ed_length_of_stay(rng: RngLike = SEEDS["ed_length_of_stay"]) -> Synthetic:
    """Weekly mean length of stay in an emergency department, 104 weeks (XmR; seasonality and a rebase).

    Planted: a level of 228 min before 2024-03-04 and 192 min after (team triage and a fast track), a winter
    peak of +16 min around ISO week 5 (cosine seasonality), weekly noise sd 7 min.
    """
    gen = as_generator(rng, "make_ed_length_of_stay")
    start = dt.date(2023, 1, 2)
    weeks = [start + dt.timedelta(weeks=i) for i in range(104)]
    change = dt.date(2024, 3, 4)
    level_before, level_after, amplitude, peak_week, noise = 228.0, 192.0, 16.0, 5, 7.0
    iso_week = np.array([w.isocalendar()[1] for w in weeks])
    season = amplitude * np.cos(2 * np.pi * (iso_week - peak_week) / 52.0)
    after = np.array([w >= change for w in weeks])
    level = np.where(after, level_after, level_before)
    mean_los = np.round(level + season + gen.normal(0.0, noise, size=len(weeks)), 1)
    patients = gen.poisson(660 + 45 * np.cos(2 * np.pi * (iso_week - peak_week) / 52.0))
    data = pd.DataFrame(
        {
            "week_start": pd.array([w.isoformat() for w in weeks], dtype=str),
            "patients": patients,
            "mean_los_minutes": mean_los,
        }
    )
    # Same season, different level: March-December 2023 vs March-December 2024.
    year = np.array([w.year for w in weeks])
    month = np.array([w.month for w in weeks])
    same_season_2023 = (year == 2023) & (month >= 3)
    same_season_2024 = (year == 2024) & (month >= 3)
    deseasoned = mean_los - season
    truth = {
        "summary": _t(
            f"Nivå {level_before:.0f} min før {change} og {level_after:.0f} min etter (ny fase: ny "
            f"sentrallinje), pluss en vintertopp på ±{amplitude:.0f} min rundt uke {peak_week}.",
            f"Level {level_before:.0f} min before {change} and {level_after:.0f} min after (a new phase: "
            f"rebase the centre line), plus a winter peak of ±{amplitude:.0f} min around week {peak_week}.",
        ),
        "level_before": level_before,
        "level_after": level_after,
        "rebase_week": change.isoformat(),
        "seasonal_amplitude": amplitude,
        "seasonal_peak_iso_week": peak_week,
        "noise_sd": noise,
        "realised": {
            "mean_before": float(mean_los[~after].mean()),
            "mean_after": float(mean_los[after].mean()),
            "deseasoned_mean_before": float(deseasoned[~after].mean()),
            "deseasoned_mean_after": float(deseasoned[after].mean()),
            "mar_dec_2023_mean": float(mean_los[same_season_2023].mean()),
            "mar_dec_2024_mean": float(mean_los[same_season_2024].mean()),
        },
        "checks": {
            "lower_after_rebase_same_season": float(mean_los[same_season_2024].mean())
            < float(mean_los[same_season_2023].mean()) - 20,
            "winter_higher_than_summer_2023": float(mean_los[(year == 2023) & (month <= 2)].mean())
            > float(mean_los[(year == 2023) & np.isin(month, [7, 8])].mean()),
        },
    }
    return _finish(
        "ed_length_of_stay",
        "make_ed_length_of_stay",
        rng,
        data,
        truth,
        title=_t(
            "Akuttmottak: gjennomsnittlig oppholdstid per uke (syntetisk)",
            "Emergency department: mean length of stay per week (synthetic)",
        ),
        description=_t(
            "Gjennomsnittlig tid i akuttmottaket (minutter fra ankomst til pasienten forlater mottaket) "
            "per uke, 2023–2024, med antall pasienter. Om vinteren er det flere pasienter og lengre "
            "opphold. Fra 4. mars 2024 innførte mottaket teamtriage med lege og et eget løp for småskader: "
            "start en ny fase der.",
            "Mean time in the emergency department (minutes from arrival until the patient leaves) per "
            "week, 2023–2024, with the number of patients. Winter brings more patients and longer stays. "
            "From 4 March 2024 the department introduced team triage with a doctor and a fast track for "
            "minor injuries: start a new phase there.",
        ),
        quirks=[
            _t(
                "Sesongvariasjon: sammenlign samme årstid før og etter endringen, ikke vinter mot sommer.",
                "Seasonality: compare the same season before and after the change, not winter with summer.",
            ),
            _t("week_start er mandagen i ISO-uken.", "week_start is the Monday of the ISO week."),
        ],
        modules=["m06-control-charts"],
        columns=[
            _col("week_start", "date", DATE, "Ukens første dag (mandag).", "First day (Monday) of the week."),
            _col(
                "patients",
                "integer",
                COUNT,
                "Pasienter som forlot mottaket i uken.",
                "Patients who left the department in the week.",
            ),
            _col(
                "mean_los_minutes",
                "number",
                _t("minutter", "minutes"),
                "Gjennomsnittlig oppholdstid i mottaket, én desimal.",
                "Mean length of stay in the department, 1 decimal.",
            ),
        ],
    )


# -------------------------------------------------------------------------------------------- SSI (hip)


def make_ssi_hip(rng: RngLike = SEEDS["ssi_hip"]) -> Synthetic:
    """Surgical-site infections after hip replacement, one row per infection (g and t charts).

    Planted: infection risk 2.8 % per procedure; a cluster from 2023-03-06 to 2023-04-14 (16 %: a ventilation
    fault in one operating theatre); a prevention bundle from 2023-09-01 (0.9 %). About 1.7 procedures per
    weekday, fewer in July.
    """
    gen = as_generator(rng, "make_ssi_hip")
    first_day, last_day = dt.date(2022, 1, 3), dt.date(2024, 12, 31)
    cluster_start, cluster_end, bundle = dt.date(2023, 3, 6), dt.date(2023, 4, 14), dt.date(2023, 9, 1)
    p_base, p_cluster, p_bundle = 0.028, 0.16, 0.009
    day_list = [
        first_day + dt.timedelta(days=i)
        for i in range((last_day - first_day).days + 1)
        if (first_day + dt.timedelta(days=i)).weekday() < 5
    ]
    per_day = gen.poisson([0.4 if d.month == 7 else 1.7 for d in day_list])
    proc_dates = [d for d, k in zip(day_list, per_day, strict=True) for _ in range(int(k))]
    risk = np.array(
        [
            p_cluster if cluster_start <= d <= cluster_end else p_bundle if d >= bundle else p_base
            for d in proc_dates
        ]
    )
    infected = gen.random(len(proc_dates)) < risk
    idx = np.flatnonzero(infected)
    prev_idx = np.concatenate([[-1], idx[:-1]])
    between = idx - prev_idx - 1
    inf_dates = [proc_dates[i] for i in idx]
    prev_dates = [first_day, *inf_dates[:-1]]
    days_between = [(a - b).days for a, b in zip(inf_dates, prev_dates, strict=True)]
    data = pd.DataFrame(
        {
            "infection": np.arange(1, len(idx) + 1),
            "surgery_date": pd.array([d.isoformat() for d in inf_dates], dtype=str),
            "procedures_between": between.astype(int),
            "days_between": np.array(days_between, dtype=int),
        }
    )
    phase = np.array(
        [
            "cluster" if cluster_start <= d <= cluster_end else "bundle" if d >= bundle else "baseline"
            for d in inf_dates
        ]
    )
    proc_phase = np.array(
        [
            "cluster" if cluster_start <= d <= cluster_end else "bundle" if d >= bundle else "baseline"
            for d in proc_dates
        ]
    )
    g_base = between[phase == "baseline"]
    g_after = between[phase == "bundle"]
    # Gaps inside the cluster: from the second cluster infection on (the first gap reaches back before it).
    g_cluster = between[phase == "cluster"][1:]
    truth = {
        "summary": _t(
            f"Risiko {_pct(p_base, 'nb', 1)} per operasjon, en klynge {cluster_start}–{cluster_end} "
            f"({_pct(p_cluster, 'nb')}) og en tiltakspakke fra {bundle} ({_pct(p_bundle, 'nb', 1)}): lengre "
            "intervaller mellom infeksjonene etterpå.",
            f"Risk {_pct(p_base, 'en', 1)} per procedure, a cluster {cluster_start} to {cluster_end} "
            f"({_pct(p_cluster, 'en')}) and a bundle from {bundle} ({_pct(p_bundle, 'en', 1)}): longer gaps "
            "between infections afterwards.",
        ),
        "risk_baseline": p_base,
        "risk_cluster": p_cluster,
        "risk_after_bundle": p_bundle,
        "cluster_start": cluster_start.isoformat(),
        "cluster_end": cluster_end.isoformat(),
        "bundle_date": bundle.isoformat(),
        "surveillance_start": first_day.isoformat(),
        "surveillance_end": last_day.isoformat(),
        "cluster_infections": [int(i) + 1 for i in np.flatnonzero(phase == "cluster")],
        "first_infection_after_bundle": int(np.flatnonzero(phase == "bundle")[0]) + 1
        if (phase == "bundle").any()
        else None,
        "procedures": {ph: int((proc_phase == ph).sum()) for ph in ("baseline", "cluster", "bundle")},
        "infections": {ph: int((phase == ph).sum()) for ph in ("baseline", "cluster", "bundle")},
        "procedures_after_last_infection": int(len(proc_dates) - idx[-1] - 1),
        "days_after_last_infection": (last_day - inf_dates[-1]).days,
        "realised": {
            "mean_procedures_between_baseline": float(g_base.mean()),
            "mean_procedures_between_cluster": float(g_cluster.mean()) if len(g_cluster) else None,
            "mean_procedures_between_after_bundle": float(g_after.mean()) if len(g_after) else None,
        },
        "checks": {
            "cluster_has_at_least_4_infections": len(g_cluster) >= 4,
            "cluster_gaps_short": len(g_cluster) > 0 and float(g_cluster.mean()) < float(g_base.mean()) / 3,
            "longer_gaps_after_bundle": len(g_after) > 0 and float(g_after.mean()) > 2 * float(g_base.mean()),
        },
    }
    return _finish(
        "ssi_hip",
        "make_ssi_hip",
        rng,
        data,
        truth,
        title=_t(
            "Postoperative sårinfeksjoner etter hofteprotese: intervaller mellom infeksjoner (syntetisk)",
            "Surgical-site infections after hip replacement: gaps between infections (synthetic)",
        ),
        description=_t(
            "Én rad per postoperativ sårinfeksjon etter hofteprotese i et ortopedisk fagmiljø, 2022–2024 "
            "(rundt 430 operasjoner i året). procedures_between er antall operasjoner uten infeksjon "
            "mellom forrige infiserte operasjon og denne (g-diagram); days_between er dager mellom "
            "operasjonsdatoene (t-diagram). En forebyggende tiltakspakke (klorhexidinvask, S. "
            "aureus-sanering, normotermi, riktig tidspunkt for antibiotikaprofylakse) ble innført 1. "
            "september 2023.",
            "One row per surgical-site infection after hip replacement in an orthopaedic department, "
            "2022–2024 (about 430 procedures a year). procedures_between is the number of procedures "
            "without infection between the previous infected procedure and this one (g chart); "
            "days_between is the days between the operation dates (t chart). A prevention bundle "
            "(chlorhexidine wash, S. aureus decolonisation, normothermia, correct timing of antibiotic "
            "prophylaxis) was introduced on 1 September 2023.",
        ),
        quirks=[
            _t(
                "Første rad teller fra starten av overvåkingen (2022-01-03), ikke fra en infeksjon.",
                "The first row counts from the start of surveillance (2022-01-03), not from an infection.",
            ),
            _t(
                "Etter siste infeksjon fortsetter tellingen uten ny infeksjon (se truth: "
                "procedures_after_last_infection); et g-diagram viser ikke dette åpne intervallet.",
                "After the last infection the count goes on without a new infection (see truth: "
                "procedures_after_last_infection); a g chart does not show that open gap.",
            ),
            _t(
                "Våren 2023 hadde én operasjonsstue feil på ventilasjonen.",
                "In spring 2023 one operating theatre had a ventilation fault.",
            ),
        ],
        modules=["m06-control-charts"],
        columns=[
            _col(
                "infection", "integer", "", "Løpenummer for infeksjonen.", "Sequence number of the infection."
            ),
            _col(
                "surgery_date",
                "date",
                DATE,
                "Operasjonsdato for den infiserte pasienten.",
                "Date of the infected patient's operation.",
            ),
            _col(
                "procedures_between",
                "integer",
                _t("operasjoner", "procedures"),
                "Operasjoner uten infeksjon siden forrige infiserte operasjon.",
                "Procedures without infection since the previous infected procedure.",
            ),
            _col(
                "days_between",
                "integer",
                _t("dager", "days"),
                "Dager siden forrige infiserte operasjon (første rad: siden 2022-01-03).",
                "Days since the previous infected procedure (first row: since 2022-01-03).",
            ),
        ],
    )


# ---------------------------------------------------------------------------- medication reconciliation

_PDSA_NOTES: dict[str, tuple[str, str]] = {
    "2023-01": (
        "PDSA 1: ny sjekkliste testet av én sykepleier på én pasient",
        "PDSA 1: new checklist tested by one nurse on one patient",
    ),
    "2023-02": (
        "PDSA 2: justert sjekkliste, alle innleggelser i én dagvakt",
        "PDSA 2: adapted checklist, all admissions in one day shift",
    ),
    "2023-03": (
        "PDSA 3: farmasøyt går gjennom listene på morgenmøtet i én uke",
        "PDSA 3: pharmacist reviews the lists at the morning meeting for one week",
    ),
    "2023-04": (
        "PDSA 4: alle vakter i to uker; nattevakten tar innleggelser etter kl. 22",
        "PDSA 4: all shifts for two weeks; the night shift takes admissions after 22:00",
    ),
    "2023-05": (
        "PDSA 5: hele posten; sjekklisten lagt inn i den elektroniske kurven",
        "PDSA 5: whole ward; checklist built into the electronic chart",
    ),
    "2023-06": (
        "Implementering: ny fast rutine i hele posten",
        "Implementation: new standard routine on the whole ward",
    ),
    "2023-07": (
        "Sommerferie: mange vikarer uten opplæring",
        "Summer holidays: many temporary staff without training",
    ),
    "2024-07": ("Sommerferie: vikarer", "Summer holidays: temporary staff"),
}


def make_medication_reconciliation(rng: RngLike = SEEDS["medication_reconciliation"]) -> Synthetic:
    """Medication reconciliation within 24 h of admission, monthly, with phases and PDSA notes (p chart).

    Planted: baseline 38 % (2022); a testing ramp through five PDSA cycles (2023-01..2023-05: 40, 46, 55, 64,
    72 %); implementation from 2023-06 at 86 %, with July dips to 63 % (2023-07) and 66 % (2024-07) when
    temporary summer staff had not been trained.
    """
    gen = as_generator(rng, "make_medication_reconciliation")
    months = _months("2022-01", 36)
    ramp = {"2023-01": 0.40, "2023-02": 0.46, "2023-03": 0.55, "2023-04": 0.64, "2023-05": 0.72}
    dips = {"2023-07": 0.63, "2024-07": 0.66}
    p_base, p_impl = 0.38, 0.86
    phases = [
        "baseline" if m < "2023-01" else "testing" if m < "2023-06" else "implementation" for m in months
    ]
    p_true = np.array(
        [
            dips.get(m, ramp.get(m, p_base if ph == "baseline" else p_impl))
            for m, ph in zip(months, phases, strict=True)
        ]
    )
    admissions = gen.poisson(88, size=len(months))
    reconciled = gen.binomial(admissions, p_true)
    data = pd.DataFrame(
        {
            "month": pd.array(months, dtype=str),
            "admissions": admissions,
            "reconciled_24h": reconciled,
            "phase": pd.array(phases, dtype=str),
            "note_nb": pd.array([_PDSA_NOTES.get(m, ("", ""))[0] for m in months], dtype=str),
            "note_en": pd.array([_PDSA_NOTES.get(m, ("", ""))[1] for m in months], dtype=str),
        }
    )
    p = reconciled / admissions
    phase_arr = np.array(phases)
    phase_p = {
        ph: reconciled[phase_arr == ph].sum() / admissions[phase_arr == ph].sum()
        for ph in ("baseline", "testing", "implementation")
    }
    impl_no_dip = (phase_arr == "implementation") & ~np.isin(months, list(dips))
    july_ok = all(
        p[months.index(m)] < min(p[months.index(m) - 1], p[months.index(m) + 1]) - 0.1 for m in dips
    )
    truth = {
        "summary": _t(
            f"Grunnlinje {_pct(p_base, 'nb')}, en rampe gjennom fem PDSA-sykluser og implementering på "
            f"{_pct(p_impl, 'nb')} fra juni 2023, med fall i juli 2023 og juli 2024 (sommervikarer).",
            f"Baseline {_pct(p_base, 'en')}, a ramp through five PDSA cycles and implementation at "
            f"{_pct(p_impl, 'en')} from June 2023, with dips in July 2023 and July 2024 (summer temporary "
            "staff).",
        ),
        "phases": {
            "baseline": [months[0], "2022-12"],
            "testing": ["2023-01", "2023-05"],
            "implementation": ["2023-06", months[-1]],
        },
        "p_baseline": p_base,
        "p_ramp": ramp,
        "p_implementation": p_impl,
        "july_dips": dips,
        "pdsa_cycles": {m: _PDSA_NOTES[m][1] for m in ramp},
        "realised": {
            "p_by_phase": phase_p,
            "p_implementation_without_july": reconciled[impl_no_dip].sum() / admissions[impl_no_dip].sum(),
            "p_july": {m: p[months.index(m)] for m in dips},
        },
        "checks": {
            "phases_increase": phase_p["baseline"] < phase_p["testing"] < phase_p["implementation"],
            "ramp_rises": p[months.index("2023-05")] > p[months.index("2023-01")],
            "july_below_june_and_august": july_ok,
        },
    }
    phase_codes = {
        "baseline": _t("grunnlinje (før prosjektet)", "baseline (before the project)"),
        "testing": _t("testing i PDSA-sykluser (rampe)", "testing in PDSA cycles (ramp)"),
        "implementation": _t("implementering (ny rutine)", "implementation (new routine)"),
    }
    return _finish(
        "medication_reconciliation",
        "make_medication_reconciliation",
        rng,
        data,
        truth,
        title=_t(
            "Legemiddelsamstemming innen 24 timer etter innleggelse (syntetisk)",
            "Medication reconciliation within 24 hours of admission (synthetic)",
        ),
        description=_t(
            "Andel innlagte pasienter på en medisinsk sengepost som fikk legemiddelsamstemming innen 24 "
            "timer, per måned 2022–2024, med prosjektets faser og PDSA-syklusene som merknader (note_nb / "
            "note_en). p-diagram med én fase per prosjektfase.",
            "Share of patients admitted to a medical ward whose medicines were reconciled within 24 hours, "
            "per month 2022–2024, with the project's phases and its PDSA cycles as notes (note_nb / "
            "note_en). A p chart with one part per project phase.",
        ),
        quirks=[
            _t(
                "Juli har mange sommervikarer; sjekk om fallet er en spesiell årsak før du endrer rutinen.",
                "July brings many temporary summer staff; check whether the dip is a special cause before "
                "you change the routine.",
            ),
            _t("Tom merknad betyr ingen merknad den måneden.", "An empty note means no note that month."),
        ],
        modules=["m08-model-for-improvement", "m09-pdsa"],
        columns=[
            _col("month", "month", MONTH, "Måned.", "Month."),
            _col(
                "admissions",
                "integer",
                COUNT,
                "Innlagte pasienter i måneden.",
                "Patients admitted in the month.",
            ),
            _col(
                "reconciled_24h",
                "integer",
                COUNT,
                "Pasienter med fullført legemiddelsamstemming innen 24 timer etter innleggelse.",
                "Patients whose medication reconciliation was completed within 24 hours of admission.",
            ),
            _col("phase", "code", "", "Prosjektfase.", "Project phase.", phase_codes),
            _col(
                "note_nb", "string", "", "Merknad til diagrammet (bokmål).", "Chart note (Norwegian bokmål)."
            ),
            _col("note_en", "string", "", "Merknad til diagrammet (engelsk).", "Chart note (English)."),
        ],
    )


# --------------------------------------------------------------------------------------- readmissions


def make_readmissions(rng: RngLike = SEEDS["readmissions"]) -> Synthetic:
    """30-day readmissions hospital-wide, monthly: large n and overdispersion (Laney p′), a RAG target.

    Planted: no change at all; the true monthly rate is 11.0 % plus month-to-month variation with sd 0.65
    percentage points (beyond binomial). About 4500 discharges a month. The RAG report colours a month red
    above 11.0 %, amber from 10.5 % to 11.0 % and green at or below 10.5 %, so about half the months are red.
    """
    gen = as_generator(rng, "make_readmissions")
    months = _months("2022-01", 36)
    p_mean, sd_between, target, amber_from = 0.110, 0.0065, 0.110, 0.105
    factor = np.array([0.82 if m.endswith("-07") else 0.92 if m.endswith("-12") else 1.0 for m in months])
    discharges = np.rint(gen.normal(4500, 150, size=len(months)) * factor).astype(int)
    p_true = p_mean + gen.normal(0.0, sd_between, size=len(months))
    readmissions = gen.binomial(discharges, p_true)
    # Integer comparison avoids floating-point ties at the thresholds.
    red = readmissions * 1000 > round(target * 1000) * discharges
    green = readmissions * 1000 <= round(amber_from * 1000) * discharges
    rag = np.where(red, "red", np.where(green, "green", "amber"))
    data = pd.DataFrame(
        {
            "month": pd.array(months, dtype=str),
            "discharges": discharges,
            "readmissions_30d": readmissions,
            "rag": pd.array(rag, dtype=str),
        }
    )
    p = readmissions / discharges
    p_bar = readmissions.sum() / discharges.sum()
    sigma_i = np.sqrt(p_bar * (1 - p_bar) / discharges)
    z = (p - p_bar) / sigma_i
    sigma_z = float(np.abs(np.diff(z)).mean() / 1.128)
    lcl, ucl = p_bar - 3 * sigma_i, p_bar + 3 * sigma_i
    outside_p = int(((p > ucl) | (p < lcl)).sum())
    outside_pp = int(((p > p_bar + 3 * sigma_i * sigma_z) | (p < p_bar - 3 * sigma_i * sigma_z)).sum())
    n_red = int(red.sum())
    truth = {
        "summary": _t(
            "Ingen reell endring: sann rate 11,0 % med ekstra variasjon mellom måneder. Store nevnere gjør "
            "p-diagrammets grenser for smale (overspredning); Laneys p′ viser en stabil prosess. RAG-målet "
            f"på 11,0 % farger {n_red} av {len(months)} måneder røde.",
            "No real change: true rate 11.0 % with extra month-to-month variation. Large denominators make "
            "the p chart's limits too narrow (overdispersion); Laney's p′ shows a stable process. The RAG "
            f"target of 11.0 % colours {n_red} of {len(months)} months red.",
        ),
        "p_mean": p_mean,
        "between_month_sd": sd_between,
        "change": None,
        "rag_rule": {"red": "rate > 0.110", "amber": "0.105 < rate <= 0.110", "green": "rate <= 0.105"},
        "target": target,
        "red_months": [m for m, r in zip(months, red, strict=True) if r],
        "realised": {
            "p_bar": p_bar,
            "n_red": n_red,
            "n_amber": int((rag == "amber").sum()),
            "n_green": int(green.sum()),
            "laney_sigma_z": sigma_z,
            "points_outside_p_chart_limits": outside_p,
            "points_outside_laney_limits": outside_pp,
        },
        "checks": {
            "about_half_red": 0.4 <= n_red / len(months) <= 0.6,
            "overdispersed": sigma_z > 1.3,
            "p_chart_false_alarms": outside_p >= 2,
            "laney_stable": outside_pp == 0,
        },
    }
    rag_codes = {
        "red": _t("rød: over 11,0 %", "red: above 11.0 %"),
        "amber": _t("gul: over 10,5 % og høyst 11,0 %", "amber: above 10.5 % and at most 11.0 %"),
        "green": _t("grønn: høyst 10,5 %", "green: at most 10.5 %"),
    }
    return _finish(
        "readmissions",
        "make_readmissions",
        rng,
        data,
        truth,
        title=_t(
            "Reinnleggelser innen 30 dager, hele sykehuset (syntetisk)",
            "30-day readmissions, whole hospital (synthetic)",
        ),
        description=_t(
            "Utskrivninger og reinnleggelser (akutt innleggelse innen 30 dager etter utskrivning) per "
            "måned for et mellomstort helseforetak, 2022–2024, med fargen månedsrapporten ga (RAG: rød, "
            "gul, grønn mot målet 11,0 %). Store nevnere: sjekk for overspredning og bruk Laneys "
            "p′-diagram.",
            "Discharges and readmissions (an emergency admission within 30 days of discharge) per month "
            "for a mid-sized hospital trust, 2022–2024, with the colour the monthly report gave (RAG: red, "
            "amber, green against the 11.0 % target). Large denominators: check for overdispersion and use "
            "Laney's p′ chart.",
        ),
        quirks=[
            _t(
                "Fargene (rag) sammenligner hver måned med et mål, ikke med prosessens egen variasjon.",
                "The colours (rag) compare each month with a target, not with the process's own variation.",
            ),
            _t(
                "Juli og desember har færre utskrivninger (ferie og høytid).",
                "July and December have fewer discharges (holidays).",
            ),
        ],
        modules=["m06-control-charts"],
        columns=[
            _col("month", "month", MONTH, "Utskrivningsmåned.", "Month of discharge."),
            _col("discharges", "integer", COUNT, "Utskrivninger i måneden.", "Discharges in the month."),
            _col(
                "readmissions_30d",
                "integer",
                COUNT,
                "Utskrivninger fulgt av akutt reinnleggelse innen 30 dager.",
                "Discharges followed by an emergency readmission within 30 days.",
            ),
            _col(
                "rag",
                "code",
                "",
                "Farge i månedsrapporten (mål 11,0 %).",
                "Colour in the monthly report (target 11.0 %).",
                rag_codes,
            ),
        ],
    )


# ------------------------------------------------------------------------------------------ incidents

_CATEGORIES: list[tuple[str, str, float]] = [
    ("Legemiddelhåndtering", "Medication handling", 0.32),
    ("Fall", "Falls", 0.20),
    ("Pasientadministrative rutiner", "Patient administration (referrals, appointments, records)", 0.13),
    ("Kommunikasjon og informasjonsoverføring", "Communication and handover", 0.10),
    ("Prøvesvar og diagnostikk", "Test results and diagnostics", 0.09),
    ("Behandling og pleie", "Treatment and care", 0.045),
    ("Medisinskteknisk utstyr", "Medical devices and equipment", 0.035),
    ("Trykksår", "Pressure ulcers", 0.025),
    ("Infeksjon", "Infection", 0.02),
    ("Pasientidentifikasjon", "Patient identification", 0.015),
    ("Vold og trusler", "Violence and threats", 0.01),
    ("Annet", "Other", 0.01),
]


def make_incidents(rng: RngLike = SEEDS["incidents"]) -> Synthetic:
    """Incident reports in a medical division in one year, by category (Pareto).

    Planted: category weights 32, 20, 13, 10, 9 % for the five largest (84 % together, the "vital few");
    about 1400 reports. Rows are in alphabetical order of the Norwegian name, as a reporting system lists
    them.
    """
    gen = as_generator(rng, "make_incidents")
    weights = np.array([w for _, _, w in _CATEGORIES])
    counts = gen.poisson(1400 * weights)
    order = sorted(range(len(_CATEGORIES)), key=lambda i: _CATEGORIES[i][0])
    data = pd.DataFrame(
        {
            "category_nb": pd.array([_CATEGORIES[i][0] for i in order], dtype=str),
            "category_en": pd.array([_CATEGORIES[i][1] for i in order], dtype=str),
            "count": counts[order],
        }
    )
    ranked = np.argsort(-counts, kind="stable")
    share = np.cumsum(counts[ranked]) / counts.sum()
    k = int(np.searchsorted(share, 0.8) + 1)
    vital = [_CATEGORIES[i][1] for i in ranked[:k]]
    true_cum = np.cumsum(weights)
    truth = {
        "summary": _t(
            "Fem kategorier (legemidler, fall, pasientadministrasjon, kommunikasjon, prøvesvar) står for "
            "over 80 % av meldingene.",
            "Five categories (medication, falls, patient administration, communication, test results) "
            "account for more than 80 % of the reports.",
        ),
        "expected_total": 1400,
        "weights": {en: w for _, en, w in _CATEGORIES},
        "true_vital_few": [en for _, en, _ in _CATEGORIES[: int(np.searchsorted(true_cum, 0.8) + 1)]],
        "realised": {
            "total": int(counts.sum()),
            "ranking": [_CATEGORIES[i][1] for i in ranked],
            "cumulative_share": [float(s) for s in share],
            "vital_few": vital,
        },
        "checks": {
            "vital_few_as_planted": sorted(vital) == sorted(en for _, en, _ in _CATEGORIES[:5]),
            "top_category_as_planted": _CATEGORIES[int(ranked[0])][1] == "Medication handling",
        },
    }
    return _finish(
        "incidents",
        "make_incidents",
        rng,
        data,
        truth,
        title=_t(
            "Avviksmeldinger etter kategori, medisinsk klinikk, ett år (syntetisk)",
            "Incident reports by category, medical division, one year (synthetic)",
        ),
        description=_t(
            "Antall avviksmeldinger (uønskede hendelser) meldt i kvalitetssystemet i en medisinsk klinikk "
            "i løpet av ett år, etter kategori, med norsk og engelsk kategorinavn. Sorter synkende og finn "
            "de få kategoriene som står for det meste (Pareto).",
            "Incident reports (adverse events and near misses) filed in the quality system of a medical "
            "division in one year, by category, with Norwegian and English category names. Sort descending "
            "and find the few categories that make up most of the reports (Pareto).",
        ),
        quirks=[
            _t(
                "Radene står alfabetisk etter norsk navn, ikke sortert etter antall.",
                "Rows are in alphabetical order of the Norwegian name, not sorted by count.",
            ),
            _t(
                "«Annet» legges til slutt i et Pareto-diagram, uansett størrelse.",
                "'Other' goes last in a Pareto chart, whatever its size.",
            ),
        ],
        modules=["m02-system"],
        columns=[
            _col("category_nb", "string", "", "Kategori (bokmål).", "Category (Norwegian bokmål)."),
            _col("category_en", "string", "", "Kategori (engelsk).", "Category (English)."),
            _col(
                "count",
                "integer",
                COUNT,
                "Meldinger i kategorien i løpet av året.",
                "Reports in the category during the year.",
            ),
        ],
    )


# ------------------------------------------------------------------------------ «Snakk om forbedring!»

_AREAS: list[tuple[str, str, tuple[str, str, str], tuple[str, str, str]]] = [
    (
        "Brukererfaringer må innhentes systematisk i forbedringsarbeid",
        "User experience is gathered systematically in improvement work",
        ("Systemnivå", "Tjenestenivå", "Individnivå"),
        ("System level", "Service level", "Individual level"),
    ),
    (
        "Åpen, ærlig og tillitsfull kommunikasjon",
        "Open, honest and trusting communication",
        ("Trygt å si fra", "Trygt å gi tilbakemeldinger", "Trygt med nye ideer og forslag"),
        ("Safe to speak up", "Safe to give feedback", "Safe to bring new ideas and suggestions"),
    ),
    (
        "Klare mål og ansvar. Tydelig organisering",
        "Clear goals and responsibility. Clear organisation",
        ("Systemer", "Den enkeltes ansvar", "Ivaretakelse av alle involverte ved uønskede hendelser"),
        ("Systems", "Individual responsibility", "Care for everyone involved after adverse events"),
    ),
    (
        "Klar og god kommunikasjon gir gode team",
        "Clear, good communication makes good teams",
        ("Teamarbeid", "Opplæring og trening i kommunikasjon", "Kommunikasjon og dialog i praksis"),
        ("Teamwork", "Training in communication", "Communication and dialogue in practice"),
    ),
    (
        "Målrettet arbeid for å sikre god kommunikasjon",
        "Purposeful work to ensure good communication",
        ("Opplæring", "Konfliktforebygging", "Utfordrende samtaler"),
        ("Training", "Preventing conflict", "Difficult conversations"),
    ),
    (
        "Tilrettelegging for systematisk forbedring",
        "Enabling systematic improvement",
        ("Ledelsens rolle", "Prioritering og tilrettelegging", "Læring og deling"),
        ("The leaders' role", "Priorities and resources", "Learning and sharing"),
    ),
    (
        "Systemer for håndtering av avvik og uønskede hendelser",
        "Systems for handling deviations and adverse events",
        ("Systemer for å melde, analysere og forebygge", "Møteplasser", "Innspill"),
        ("Systems to report, analyse and prevent", "Meeting places", "Input"),
    ),
    (
        "Systematikk en forutsetning for varige forbedringer",
        "Systematic work, the basis for lasting improvement",
        ("Opplæring i forbedring og måling", "Felles metoder", "Bruk av måling til læring"),
        ("Training in improvement and measurement", "Common methods", "Using measurement for learning"),
    ),
    (
        "Trygge og sikre tjenester gang på gang",
        "Safe services every time",
        ("Standarder og individuelle tjenester", "Etterlevelse", "Overvåking av kvalitet"),
        ("Standards and individual services", "Compliance", "Monitoring quality"),
    ),
    (
        "Åpenhet og synlige beslutnings- og læringsprosesser",
        "Openness and visible decision and learning processes",
        ("Leders rolle", "Åpenhet om læring av uønskede hendelser", "Involvere brukere"),
        ("The leader's role", "Openness about learning from adverse events", "Involving users"),
    ),
]


def make_self_assessment_items() -> Synthetic:
    """Make the lookup table of the 10 areas × 3 themes of «Snakk om forbedring!» (bokmål and English).

    A designed lookup table (no randomness) to label the ``self_assessment`` scores and the radar chart.
    """
    rows = [
        {
            "area": a + 1,
            "theme": t + 1,
            "area_nb": nb,
            "area_en": en,
            "theme_nb": themes_nb[t],
            "theme_en": themes_en[t],
        }
        for a, (nb, en, themes_nb, themes_en) in enumerate(_AREAS)
        for t in range(3)
    ]
    data = pd.DataFrame(rows)
    for col in ("area_nb", "area_en", "theme_nb", "theme_en"):
        data[col] = data[col].astype(str)
    result = _finish(
        "self_assessment_items",
        "make_self_assessment_items",
        None,
        data,
        {
            "summary": _t("Oppslagstabell, ingenting plantet.", "Lookup table, nothing planted."),
            "areas": 10,
            "themes_per_area": 3,
            "levels": [1, 2, 3, 4],
            "checks": {"thirty_items": len(data) == 30},
        },
        title=_t(
            "«Snakk om forbedring!»: de ti områdene og temaene deres",
            "«Snakk om forbedring!» (Talk about improvement!): the ten areas and their themes",
        ),
        description=_t(
            "De ti områdene i egenvurderingsverktøyet «Snakk om forbedring!» med tre temaer hver, på "
            "bokmål og engelsk. Hvert tema skåres på nivå 1–4 eller «ikke relevant». Brukes til å sette "
            "navn på self_assessment-dataene og på radardiagrammet.",
            "The ten areas of the self-assessment tool «Snakk om forbedring!» (Talk about improvement!) "
            "with three themes each, in Norwegian bokmål and English. Each theme is scored at level 1–4 or "
            "'not relevant'. Used to label the self_assessment data and the radar chart.",
        ),
        quirks=[
            _t(
                "Verktøyet har 3–4 temaer per område; kurset bruker de tre som er vist i presentasjonen av "
                "verktøyet.",
                "The tool has 3–4 themes per area; the course uses the three shown in the tool's "
                "presentation.",
            ),
            _t("De engelske navnene er våre oversettelser.", "The English names are our translations."),
        ],
        modules=["m07-human-side", "m10-capstone"],
        columns=[
            _col("area", "integer", "1–10", "Områdenummer.", "Area number."),
            _col("theme", "integer", "1–3", "Temanummer innen området.", "Theme number within the area."),
            _col("area_nb", "string", "", "Områdets navn (bokmål).", "Area name (Norwegian bokmål)."),
            _col("area_en", "string", "", "Områdets navn (engelsk).", "Area name (English)."),
            _col("theme_nb", "string", "", "Temaets navn (bokmål).", "Theme name (Norwegian bokmål)."),
            _col("theme_en", "string", "", "Temaets navn (engelsk).", "Theme name (English)."),
        ],
    )
    result.dictionary.update(
        kind="reference",
        status=_t(
            "oppslagstabell skrevet av oss etter Pasientsikkerhetsprogrammets presentasjon av verktøyet",
            "lookup table written by us from the Patient Safety Programme's presentation of the tool",
        ),
        source=(
            "Area and theme names from «Snakk om forbedring!» (Pasientsikkerhetsprogrammet / "
            "Helsedirektoratet, snakkomforbedring.no), as listed in the programme's presentation of the "
            "tool; English translations by the qikit project. Made by "
            "qikit.datasets.synthetic.make_self_assessment_items()."
        ),
        credit="«Snakk om forbedring!», Pasientsikkerhetsprogrammet (Norwegian Patient Safety Programme)",
        licence=(
            "MIT (qikit project) for the table and translations; the area and theme names are the "
            "programme's."
        ),
        seed=None,
        truth_file=None,
    )
    return result


_TEAM_CODES = {
    "A": _t("medisinsk sengepost", "medical ward"),
    "B": _t("akuttmottak", "emergency department"),
    "C": _t("poliklinikk", "outpatient clinic"),
}
#: (team, area, theme) scored "not relevant" in both rounds.
_NOT_RELEVANT = [("A", 7, 2), ("B", 1, 3), ("B", 10, 3), ("C", 1, 1), ("C", 4, 2), ("C", 7, 2)]


def make_self_assessment(rng: RngLike = SEEDS["self_assessment"]) -> Synthetic:
    """«Snakk om forbedring!» team self-assessment, three teams at two time points (10 areas × 3 themes).

    Planted: at round 1 every team is weakest in area 1 (user experience, latent level 1.2) and low in area 8;
    between the rounds teams A and B took an improvement course, raising areas 6 and 8 by 0.9 levels, while
    team C (no course) is unchanged apart from noise. Six themes are "not relevant" (empty level).
    """
    gen = as_generator(rng, "make_self_assessment")
    team_level = {"A": 2.7, "B": 2.5, "C": 2.9}
    area_effect = np.array([-1.4, 0.2, 0.1, 0.3, -0.1, -0.2, 0.2, -0.6, 0.3, 0.0])
    rows = []
    for team, base in team_level.items():
        for rnd, month in ((1, "2023-03"), (2, "2024-03")):
            for area in range(1, 11):
                # Area 1 (user experience) is low for every team; area_effect[0] is not used.
                latent = (1.2 if rnd == 1 else 1.3) if area == 1 else base + area_effect[area - 1]
                if rnd == 2 and team in ("A", "B") and area in (6, 8):
                    latent += 0.9
                for theme in range(1, 4):
                    draw = int(np.clip(np.rint(latent + gen.normal(0.0, 0.45)), 1, 4))
                    level: int | None = None if (team, area, theme) in _NOT_RELEVANT else draw
                    rows.append((team, rnd, month, area, theme, level))
    data = pd.DataFrame(rows, columns=["team", "round", "month", "area", "theme", "level"])
    data["team"] = data["team"].astype(str)
    data["month"] = data["month"].astype(str)
    data["level"] = data["level"].astype("Int64")
    area_scores: dict[str, dict[str, dict[str, float]]] = {}
    weakest: dict[str, dict[str, int]] = {}
    unique_min = True
    means: dict[tuple[str, int], pd.Series] = {}
    for team in team_level:
        area_scores[team] = {}
        weakest[team] = {}
        for rnd in (1, 2):
            rows_tr = data[(data["team"] == team) & (data["round"] == rnd)]
            scores: pd.Series = rows_tr.groupby("area")["level"].mean().astype(float)
            means[(team, rnd)] = scores
            area_scores[team][str(rnd)] = {str(a): round(float(s), 6) for a, s in scores.items()}
            low = scores.min()
            unique_min = unique_min and int((np.abs(scores - low) < 1e-9).sum()) == 1
            weakest[team][str(rnd)] = int(scores.index.to_numpy()[scores.to_numpy().argmin()])
    change = {
        team: float(means[(team, 2)].loc[[6, 8]].mean() - means[(team, 1)].loc[[6, 8]].mean())
        for team in team_level
    }
    truth = {
        "summary": _t(
            "Alle team er svakest på område 1 (brukererfaringer). Team A og B går fram på område 6 og 8 "
            "etter et forbedringskurs; team C står stille. Seks temaer er «ikke relevant».",
            "Every team is weakest in area 1 (user experience). Teams A and B improve in areas 6 and 8 "
            "after an improvement course; team C stays put. Six themes are 'not relevant'.",
        ),
        "rounds": {"1": "2023-03", "2": "2024-03"},
        "scoring": "area score = mean of the area's relevant themes; 'not relevant' (empty) is left out",
        "planted_weakest_area": 1,
        "planted_improvement": {"teams": ["A", "B"], "areas": [6, 8], "levels": 0.9},
        "not_relevant": [{"team": t, "area": a, "theme": th} for t, a, th in _NOT_RELEVANT],
        "area_scores": area_scores,
        "weakest_area": weakest,
        "realised": {"change_areas_6_8": change},
        "checks": {
            "weakest_area_unique": unique_min,
            "weakest_area_is_1_at_round_1": all(weakest[t]["1"] == 1 for t in team_level),
            "a_and_b_improve_in_6_and_8": change["A"] > 0.5 and change["B"] > 0.5,
            "c_changes_little": abs(change["C"]) < 0.35,
        },
    }
    return _finish(
        "self_assessment",
        "make_self_assessment",
        rng,
        data,
        truth,
        title=_t(
            "«Snakk om forbedring!»: tre teams egenvurdering før og etter (syntetisk)",
            "«Snakk om forbedring!»: three teams' self-assessment before and after (synthetic)",
        ),
        description=_t(
            "Tre team (A medisinsk sengepost, B akuttmottak, C poliklinikk) skåret seg selv med verktøyet "
            "«Snakk om forbedring!» i mars 2023 og mars 2024: ti områder med tre temaer hver, nivå 1–4, "
            "tomt for «ikke relevant». Team A og B tok et forbedringskurs mellom rundene. Navnene på "
            "områder og temaer står i self_assessment_items.",
            "Three teams (A medical ward, B emergency department, C outpatient clinic) scored themselves "
            "with the «Snakk om forbedring!» (Talk about improvement!) tool in March 2023 and March 2024: "
            "ten areas with three themes each, level 1–4, empty for 'not relevant'. Teams A and B took an "
            "improvement course between the rounds. The area and theme names are in self_assessment_items.",
        ),
        quirks=[
            _t(
                "Tomt nivå betyr «ikke relevant» for teamet, ikke 0: utelat det når du regner gjennomsnitt "
                "for området.",
                "An empty level means 'not relevant' for the team, not 0: leave it out when you average "
                "the area.",
            )
        ],
        modules=["m07-human-side", "m10-capstone"],
        columns=[
            _col("team", "code", "", "Team.", "Team.", _TEAM_CODES),
            _col(
                "round",
                "integer",
                "1, 2",
                "Runde: 1 = før (mars 2023), 2 = etter (mars 2024).",
                "Round: 1 = before (March 2023), 2 = after (March 2024).",
            ),
            _col(
                "month",
                "month",
                MONTH,
                "Måneden teamet skåret seg.",
                "Month in which the team scored itself.",
            ),
            _col(
                "area",
                "integer",
                "1–10",
                "Område (se self_assessment_items).",
                "Area (see self_assessment_items).",
            ),
            _col(
                "theme",
                "integer",
                "1–3",
                "Tema innen området (se self_assessment_items).",
                "Theme within the area (see self_assessment_items).",
            ),
            _col(
                "level",
                "integer",
                _t("nivå 1–4", "level 1–4"),
                "Nivå 1–4 (4 er best); tomt = ikke relevant.",
                "Level 1–4 (4 is best); empty = not relevant.",
            ),
        ],
    )


# ------------------------------------------------------------------------------- ED arrivals and flow

#: Mean arrivals per hour of the day (00..23) on an average weekday, before the weekday factor.
_HOURLY = np.array(
    [
        2.4,
        1.9,
        1.5,
        1.2,
        1.1,
        1.2,
        1.6,
        2.4,
        3.6,
        4.8,
        5.6,
        6.0,
        6.1,
        6.0,
        5.8,
        5.7,
        5.6,
        5.4,
        5.2,
        4.9,
        4.4,
        3.8,
        3.2,
        2.8,
    ]
)
#: Weekday factors, Monday..Sunday.
_WEEKDAY = np.array([1.12, 1.02, 1.0, 0.98, 1.0, 0.92, 0.96])


def make_ed_arrivals(rng: RngLike = SEEDS["ed_arrivals"]) -> Synthetic:
    """Hourly arrivals, departures and census in an emergency department over four weeks (Little's law).

    Planted: Poisson arrivals with an hour-of-day profile (night low, 6 an hour at midday) times a weekday
    factor (Monday busiest); each patient stays a log-normal time, median 190 min, log-sd 0.5 (mean about
    215 min). ``census`` is the exact time-average number of patients present during the hour, so Little's
    law L = λW holds up to edge effects.
    """
    gen = as_generator(rng, "make_ed_arrivals")
    start = dt.datetime(2024, 3, 4)
    hours = 28 * 24
    warmup = 48
    median_los, sigma = 190.0, 0.5
    # Simulate from 48 h before the window so the department is already full at the start.
    t_hours = np.arange(-warmup, hours)
    weekday = np.array([(start + dt.timedelta(hours=int(h))).weekday() for h in t_hours])
    lam = _HOURLY[np.mod(t_hours, 24)] * _WEEKDAY[weekday]
    per_hour = gen.poisson(lam)
    arrive = np.repeat(t_hours * 60.0, per_hour) + gen.uniform(0.0, 60.0, size=int(per_hour.sum()))
    los = median_los * np.exp(gen.normal(0.0, sigma, size=arrive.size))
    leave = arrive + los
    edges = np.arange(0, hours + 1) * 60.0
    arrivals = np.histogram(arrive, bins=edges)[0]
    departures = np.histogram(leave, bins=edges)[0]
    # Time-average census per hour: sum over patients of their minutes present in the hour / 60.
    census = np.zeros(hours)
    for a, b in zip(arrive, leave, strict=True):
        lo, hi = max(a, 0.0), min(b, hours * 60.0)
        if hi <= lo:
            continue
        first, last = int(lo // 60), int(min(hi // 60, hours - 1))
        for h in range(first, last + 1):
            census[h] += (min(hi, (h + 1) * 60.0) - max(lo, h * 60.0)) / 60.0
    stamps = [start + dt.timedelta(hours=h) for h in range(hours)]
    data = pd.DataFrame(
        {
            "time": pd.array([s.strftime("%Y-%m-%dT%H:%M") for s in stamps], dtype=str),
            "weekday": np.array([s.isoweekday() for s in stamps]),
            "hour": np.array([s.hour for s in stamps]),
            "arrivals": arrivals,
            "departures": departures,
            "census": np.round(census, 2),
        }
    )
    in_window = (arrive >= 0) & (arrive < hours * 60.0)
    w_hours = float(los[in_window].mean() / 60.0)
    lam_hat = float(arrivals.mean())
    l_hat = float(census.mean())
    by_hour = data.groupby("hour")["arrivals"].mean()
    truth = {
        "summary": _t(
            "Ankomster etter et døgnmønster (topp rundt kl. 12) og en ukedagsfaktor (mandag travlest); "
            f"oppholdstid log-normal med median {median_los:.0f} min. Little: L = λ·W.",
            "Arrivals follow an hour-of-day pattern (peak around noon) and a weekday factor (Monday "
            f"busiest); length of stay is log-normal with median {median_los:.0f} min. Little: L = λ·W.",
        ),
        "window": [
            stamps[0].strftime("%Y-%m-%dT%H:%M"),
            (stamps[-1] + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        ],
        "hourly_rate": [float(x) for x in _HOURLY],
        "weekday_factor": {str(i + 1): float(f) for i, f in enumerate(_WEEKDAY)},
        "los_distribution": "log-normal",
        "los_median_minutes": median_los,
        "los_sigma_log": sigma,
        "los_mean_minutes": median_los * float(np.exp(sigma**2 / 2)),
        "realised": {
            "arrivals_per_hour": lam_hat,
            "mean_census": l_hat,
            "mean_los_hours_of_window_arrivals": w_hours,
            "littles_law_los_hours": l_hat / lam_hat,
            "busiest_hour_of_day": int(by_hour.index.to_numpy()[by_hour.to_numpy().argmax()]),
            "quietest_hour_of_day": int(by_hour.index.to_numpy()[by_hour.to_numpy().argmin()]),
        },
        "checks": {
            "littles_law_within_5_percent": abs(l_hat / lam_hat - w_hours) / w_hours < 0.05,
            "night_quieter_than_midday": float(by_hour.loc[2:5].mean())
            < float(by_hour.loc[10:14].mean()) / 2,
        },
    }
    return _finish(
        "ed_arrivals",
        "make_ed_arrivals",
        rng,
        data,
        truth,
        title=_t(
            "Akuttmottak: ankomster og belegg per time i fire uker (syntetisk)",
            "Emergency department: arrivals and census per hour over four weeks (synthetic)",
        ),
        description=_t(
            "Ankomster, avreiser og gjennomsnittlig antall pasienter til stede (census) for hver time i et "
            "akuttmottak med rundt 90 pasienter i døgnet, 4.–31. mars 2024. Brukes til døgnmønster, "
            "flaskehalser og Littles lov (gjennomsnittlig antall til stede = ankomstrate × gjennomsnittlig "
            "oppholdstid).",
            "Arrivals, departures and the mean number of patients present (census) for each hour in an "
            "emergency department with about 90 patients a day, 4–31 March 2024. For the daily pattern, "
            "bottlenecks and Little's law (mean number present = arrival rate × mean length of stay).",
        ),
        quirks=[
            _t(
                "census er tidsgjennomsnittet i timen, ikke en telling ved timens slutt, og har derfor "
                "desimaler.",
                "census is the time average over the hour, not a count at the end of the hour, so it has "
                "decimals.",
            ),
            _t(
                "Mottaket var ikke tomt da perioden startet: pasienter som kom før 4. mars, er med i census.",
                "The department was not empty when the period started: patients who arrived before 4 March "
                "are in the census.",
            ),
        ],
        modules=["m02-system"],
        columns=[
            _col("time", "datetime", "YYYY-MM-DDTHH:MM", "Timens start.", "Start of the hour."),
            _col(
                "weekday",
                "integer",
                "1–7",
                "Ukedag (1 = mandag, 7 = søndag).",
                "Day of the week (1 = Monday, 7 = Sunday).",
            ),
            _col("hour", "integer", "0–23", "Klokketime.", "Hour of the day."),
            _col(
                "arrivals",
                "integer",
                _t("pasienter", "patients"),
                "Pasienter som kom i timen.",
                "Patients who arrived in the hour.",
            ),
            _col(
                "departures",
                "integer",
                _t("pasienter", "patients"),
                "Pasienter som dro i timen.",
                "Patients who left in the hour.",
            ),
            _col(
                "census",
                "number",
                _t("pasienter", "patients"),
                "Gjennomsnittlig antall pasienter til stede i timen, to desimaler.",
                "Mean number of patients present during the hour, 2 decimals.",
            ),
        ],
    )


_STEPS: list[tuple[str, str, int, float]] = [
    ("Registrering", "Registration", 2, 4.0),
    ("Triage (sykepleier)", "Triage (nurse)", 2, 10.0),
    ("Legeundersøkelse", "Doctor assessment", 4, 45.0),
    ("Prøver og bildediagnostikk", "Tests and imaging", 3, 30.0),
    ("Behandling og observasjon", "Treatment and observation", 12, 120.0),
    ("Avklaring: utskrivning eller innleggelse", "Disposition: discharge or admission", 2, 15.0),
]


def make_ed_flow_steps() -> Synthetic:
    """Make the steps of a simplified emergency-department pathway with their capacity (bottlenecks).

    Designed, not drawn: every patient passes every step; capacity per hour = servers · 60 / minutes.
    The bottleneck is the doctor assessment (4 doctors × 60 / 45 min = 5.33 patients an hour).
    """
    data = pd.DataFrame(
        {
            "step": np.arange(1, len(_STEPS) + 1),
            "step_nb": pd.array([s[0] for s in _STEPS], dtype=str),
            "step_en": pd.array([s[1] for s in _STEPS], dtype=str),
            "servers": np.array([s[2] for s in _STEPS]),
            "minutes_per_patient": np.array([s[3] for s in _STEPS]),
        }
    )
    capacity = data["servers"].to_numpy() * 60.0 / data["minutes_per_patient"].to_numpy()
    i_min = int(np.argmin(capacity))
    mean_arrivals = float(_HOURLY.mean() * _WEEKDAY.mean())
    peak_arrivals = float(_HOURLY.max() * _WEEKDAY.max())
    truth = {
        "summary": _t(
            "Flaskehalsen er legeundersøkelsen: 5,33 pasienter i timen. Snittet av ankomstene ligger "
            "under, toppen midt på dagen over.",
            "The bottleneck is the doctor assessment: 5.33 patients an hour. Mean arrivals are below it, "
            "the midday peak above it.",
        ),
        "capacity_per_hour": {s[1]: float(c) for s, c in zip(_STEPS, capacity, strict=True)},
        "bottleneck_step": i_min + 1,
        "bottleneck": _STEPS[i_min][1],
        "max_throughput_per_hour": float(capacity[i_min]),
        "max_throughput_per_day": float(capacity[i_min] * 24),
        "mean_arrivals_per_hour": mean_arrivals,
        "peak_arrivals_per_hour": peak_arrivals,
        "bottleneck_utilisation_at_mean": mean_arrivals / float(capacity[i_min]),
        "checks": {
            "single_bottleneck": int((capacity == capacity.min()).sum()) == 1,
            "peak_exceeds_bottleneck": peak_arrivals > capacity[i_min] > mean_arrivals,
        },
    }
    result = _finish(
        "ed_flow_steps",
        "make_ed_flow_steps",
        None,
        data,
        truth,
        title=_t(
            "Akuttmottak: trinn i pasientforløpet og kapasitet (syntetisk)",
            "Emergency department: pathway steps and capacity (synthetic)",
        ),
        description=_t(
            "Et forenklet forløp i akuttmottaket der alle pasienter går gjennom alle seks trinn: antall "
            "som arbeider parallelt (servers) og minutter per pasient. Kapasitet per time = servers · 60 / "
            "minutes_per_patient; den minste kapasiteten er flaskehalsen og forløpets største "
            "gjennomstrømning. Ankomstene står i ed_arrivals.",
            "A simplified emergency-department pathway in which every patient passes all six steps: how "
            "many work in parallel (servers) and the minutes per patient. Capacity per hour = servers · 60 "
            "/ minutes_per_patient; the smallest capacity is the bottleneck and the pathway's maximum "
            "throughput. The arrivals are in ed_arrivals.",
        ),
        quirks=[
            _t(
                "Forenklet: i virkeligheten går ikke alle pasienter gjennom alle trinn, og tidene varierer.",
                "Simplified: in reality not every patient passes every step, and times vary.",
            )
        ],
        modules=["m02-system"],
        columns=[
            _col("step", "integer", "", "Trinnets nummer i forløpet.", "Step number in the pathway."),
            _col("step_nb", "string", "", "Trinn (bokmål).", "Step (Norwegian bokmål)."),
            _col("step_en", "string", "", "Trinn (engelsk).", "Step (English)."),
            _col(
                "servers",
                "integer",
                _t("parallelle ressurser", "parallel servers"),
                "Personer eller rom som arbeider parallelt på trinnet.",
                "People or rooms working in parallel at the step.",
            ),
            _col(
                "minutes_per_patient",
                "number",
                _t("minutter", "minutes"),
                "Gjennomsnittlig tid per pasient på trinnet.",
                "Mean time per patient at the step.",
            ),
        ],
    )
    result.dictionary["seed"] = None
    return result


# -------------------------------------------------------------------------------------------- red beads

_WORKERS = ["Anne", "Bjørn", "Fatima", "Jonas", "Kari", "Ole"]


def make_red_beads(rng: RngLike = SEEDS["red_beads"]) -> Synthetic:
    """Record a red-bead run: 6 willing workers × 4 days, a paddle of 50 from 800 red and 3200 white beads.

    Each draw is hypergeometric (without replacement from the bowl; the beads go back before the next draw),
    drawn with :meth:`numpy.random.Generator.hypergeometric`.
    """
    gen = as_generator(rng, "make_red_beads")
    red_in_bowl, white_in_bowl, paddle, days = 800, 3200, 50, 4
    red = gen.hypergeometric(red_in_bowl, white_in_bowl, paddle, size=days * len(_WORKERS))
    data = pd.DataFrame(
        {
            "day": np.repeat(np.arange(1, days + 1), len(_WORKERS)),
            "worker": pd.array(_WORKERS * days, dtype=str),
            "red": red,
            "paddle": np.full(red.size, paddle),
        }
    )
    total = red_in_bowl + white_in_bowl
    p = red_in_bowl / total
    mean = paddle * p
    sd_binom = float(np.sqrt(paddle * p * (1 - p)))
    sd_hyper = sd_binom * float(np.sqrt((total - paddle) / (total - 1)))
    p_bar = float(red.sum() / (paddle * red.size))
    np_bar = paddle * p_bar
    sd_hat = float(np.sqrt(np_bar * (1 - p_bar)))
    lcl, ucl = max(0.0, np_bar - 3 * sd_hat), np_bar + 3 * sd_hat
    per_worker = data.groupby("worker", sort=False)["red"].sum()
    truth = {
        "summary": _t(
            "Et stabilt system: alle forskjeller mellom arbeiderne er tilfeldig variasjon. Forventet 10 "
            "røde per spade, np-grenser omtrent 1,5 og 18,5.",
            "A stable system: every difference between workers is common-cause variation. Expected 10 red "
            "per paddle, np limits about 1.5 and 18.5.",
        ),
        "bowl": {"red": red_in_bowl, "white": white_in_bowl},
        "paddle": paddle,
        "p_red": p,
        "expected_red": mean,
        "sd_binomial": sd_binom,
        "sd_hypergeometric": sd_hyper,
        "theoretical_np_limits": [mean - 3 * sd_binom, mean + 3 * sd_binom],
        "theoretical_limits_hypergeometric": [mean - 3 * sd_hyper, mean + 3 * sd_hyper],
        "realised": {
            "total_red": int(red.sum()),
            "mean_red": float(red.mean()),
            "p_bar": p_bar,
            "np_chart_cl": np_bar,
            "np_chart_limits": [lcl, ucl],
            "points_outside": int(((red > ucl) | (red < lcl)).sum()),
            "red_per_worker": {w: int(v) for w, v in per_worker.items()},
        },
        "checks": {
            "all_points_within_np_limits": bool(((red <= ucl) & (red >= lcl)).all()),
        },
    }
    return _finish(
        "red_beads",
        "make_red_beads",
        rng,
        data,
        truth,
        title=_t(
            "Rødperleeksperimentet: en innspilt runde (syntetisk)",
            "The red bead experiment: a recorded run (synthetic)",
        ),
        description=_t(
            "Demings rødperleeksperiment: seks «villige arbeidere» trekker hver én spade med 50 perler per "
            "dag i fire dager fra en bolle med 800 røde og 3200 hvite perler (20 % røde). red er antall "
            "røde perler (defekter) i spaden. np-diagram med n = 50.",
            "Deming's red bead experiment: six 'willing workers' each draw one paddle of 50 beads a day "
            "for four days from a bowl of 800 red and 3200 white beads (20 % red). red is the number of "
            "red beads (defects) on the paddle. An np chart with n = 50.",
        ),
        quirks=[
            _t(
                "Perlene legges tilbake og blandes før neste trekning; hver trekning er hypergeometrisk.",
                "The beads go back and are mixed before the next draw; each draw is hypergeometric.",
            )
        ],
        modules=["m04-variation"],
        columns=[
            _col("day", "integer", "1–4", "Dag.", "Day."),
            _col(
                "worker",
                "string",
                "",
                "Arbeiderens fornavn (oppdiktet).",
                "The worker's first name (invented).",
            ),
            _col(
                "red",
                "integer",
                _t("røde perler", "red beads"),
                "Røde perler i spaden.",
                "Red beads on the paddle.",
            ),
            _col("paddle", "integer", _t("perler", "beads"), "Perler per spade (n).", "Beads per paddle (n)."),
        ],
    )


# ---------------------------------------------------------------------------------------------- registry

GENERATORS: dict[str, Callable[[], Synthetic]] = {
    "falls": make_falls,
    "pressure_ulcers": make_pressure_ulcers,
    "hand_hygiene": make_hand_hygiene,
    "sepsis_antibiotics": make_sepsis_antibiotics,
    "ed_length_of_stay": make_ed_length_of_stay,
    "ssi_hip": make_ssi_hip,
    "medication_reconciliation": make_medication_reconciliation,
    "readmissions": make_readmissions,
    "incidents": make_incidents,
    "self_assessment": make_self_assessment,
    "self_assessment_items": make_self_assessment_items,
    "ed_arrivals": make_ed_arrivals,
    "ed_flow_steps": make_ed_flow_steps,
    "red_beads": make_red_beads,
}


def make(name: str) -> Synthetic:
    """Make synthetic dataset ``name`` with its committed seed (see :data:`SEEDS`)."""
    if name not in GENERATORS:
        from qikit._errors import QikitInputError

        raise QikitInputError(f"make(): no generator for {name!r}. Generators: {', '.join(GENERATORS)}.")
    return GENERATORS[name]()
