"""Patient flow through a pathway: a small discrete-event queue simulation with Little's law and the bottleneck.

Patients arrive as a Poisson process and pass every step of the pathway in order (triage → doctor →
tests → discharge, say). Each step has a number of parallel servers (capacity) and a mean service
time; patients queue first-come, first-served. The simulation is exact event by event (a heap of
server-free times per step), seeded, and fast enough for a widget.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from qikit._common import check_float, check_int, frozen, html_repr
from qikit._errors import QikitInputError
from qikit._rng import RngLike, as_generator
from qikit.i18n import check_lang

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["FlowResult", "example_pathway", "patient_flow", "pathway_capacity"]

_EXAMPLE = (
    # (bokmål name, English name, servers, mean service time in minutes)
    ("Triage", "Triage", 1, 6.0),
    ("Lege", "Doctor", 3, 25.0),
    ("Prøver og røntgen", "Tests and imaging", 2, 15.0),
    ("Utskriving", "Discharge", 1, 7.0),
)


def example_pathway(lang: str | None = None) -> pd.DataFrame:
    """An emergency-department pathway to start from (times in minutes).

    Returns
    -------
    pandas.DataFrame
        Columns ``step, capacity, service``: triage (1 nurse, 6 min), doctor (3, 25 min),
        tests and imaging (2, 15 min), discharge (1, 7 min). The doctors are the bottleneck, with a
        maximum throughput of 3/25 = 0.12 patients per minute (7.2 per hour).

    Examples
    --------
    >>> example_pathway("en")["step"].tolist()
    ['Triage', 'Doctor', 'Tests and imaging', 'Discharge']
    """
    i = 0 if check_lang(lang, "example_pathway") == "nb" else 1
    return pd.DataFrame(
        {
            "step": pd.Series([row[i] for row in _EXAMPLE], dtype="str"),
            "capacity": [row[2] for row in _EXAMPLE],
            "service": [row[3] for row in _EXAMPLE],
        }
    )


# Accepted column names, first match wins ("name" before "step", which may hold a step number).
_STEP_COLUMNS = {
    "name": ("name", "step_name", "step"),
    "capacity": ("capacity", "servers"),
    "service": ("service", "service_time", "minutes_per_patient"),
}


def _parse_steps(func: str, steps: object) -> pd.DataFrame:
    if steps is None:
        return example_pathway()
    rows: list[tuple[object, object, object]] = []
    if isinstance(steps, pd.DataFrame):
        cols: list[str] = []
        for role, options in _STEP_COLUMNS.items():
            found = next((c for c in options if c in steps.columns), None)
            if found is None:
                raise QikitInputError(
                    f"{func}(): steps needs a {role} column (one of {', '.join(options)}); "
                    f"the columns are {list(steps.columns)}."
                )
            cols.append(found)
        rows = list(zip(steps[cols[0]], steps[cols[1]], steps[cols[2]], strict=True))
    elif isinstance(steps, Sequence) and not isinstance(steps, str):
        for i, s in enumerate(steps, start=1):
            if isinstance(s, Mapping):
                name = s.get("step", s.get("name", f"{i}"))
                try:
                    rows.append((name, s["capacity"], s["service"]))
                except KeyError as exc:
                    raise QikitInputError(
                        f"{func}(): step {i} ({name!r}) has no {exc.args[0]!r}; give step, capacity and service."
                    ) from None
            elif isinstance(s, Sequence) and not isinstance(s, str) and len(s) == 3:
                rows.append((s[0], s[1], s[2]))
            else:
                raise QikitInputError(
                    f"{func}(): each step must be (name, capacity, service) or a dict with those keys; "
                    f"step {i} is {s!r}."
                )
    else:
        raise QikitInputError(
            f"{func}(): steps must be a DataFrame (step, capacity, service) or a list of "
            f"(name, capacity, service); got {type(steps).__name__}."
        )
    if not rows:
        raise QikitInputError(f"{func}(): the pathway needs at least one step.")
    if len(rows) > 50:
        raise QikitInputError(f"{func}(): at most 50 steps; got {len(rows)}.")
    names, caps, svcs = [], [], []
    for name, cap, svc in rows:
        label = str(name).strip()
        if not label:
            raise QikitInputError(f"{func}(): every step needs a name; got {name!r}.")
        names.append(label)
        caps.append(check_int(func, f"capacity of {label!r}", cap, low=1, high=1000))
        svcs.append(check_float(func, f"service time of {label!r}", svc, low=0.0, low_open=True))
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise QikitInputError(f"{func}(): step names must be unique; {dup} appear more than once.")
    return pd.DataFrame({"step": pd.Series(names, dtype="str"), "capacity": caps, "service": svcs})


def pathway_capacity(steps: object = None, arrival_rate: float | None = None) -> pd.DataFrame:
    """Capacity of each step, its utilisation at a given arrival rate, and the bottleneck (no simulation).

    Parameters
    ----------
    steps
        As for :func:`patient_flow`.
    arrival_rate
        Patients per time unit; if given, utilisation = arrival_rate · service / capacity.

    Returns
    -------
    pandas.DataFrame
        ``step, capacity, service, max_throughput, utilisation, bottleneck``; ``max_throughput`` =
        capacity / service (patients per time unit the step can finish when always busy). The
        bottleneck is the step with the smallest maximum throughput (= the highest utilisation).

    Examples
    --------
    >>> cap = pathway_capacity(example_pathway("en"), 0.1)
    >>> cap.loc[cap["bottleneck"], "step"].item(), round(float(cap["max_throughput"].min()), 3)
    ('Doctor', 0.12)
    """
    st = _parse_steps("pathway_capacity", steps)
    out = st.copy()
    out["max_throughput"] = out["capacity"] / out["service"]
    if arrival_rate is None:
        out["utilisation"] = np.nan
    else:
        lam = check_float("pathway_capacity", "arrival_rate", arrival_rate, low=0.0, low_open=True)
        out["utilisation"] = lam * out["service"] / out["capacity"]
    out["bottleneck"] = np.arange(len(out)) == int(np.argmin(out["max_throughput"].to_numpy()))
    return out


@dataclass(frozen=True, eq=False)
class FlowResult:
    """Outcome of :func:`patient_flow`.

    Attributes
    ----------
    table
        One row per patient: ``patient, arrival, departure, los, wait, service, in_window``
        (``los`` = length of stay = departure − arrival; ``wait`` = total time queueing;
        ``in_window`` = arrived after the warm-up and before the end: the patients the statistics use).
    events
        One row per patient and step: ``patient, step_no, step, arrive, start, end, wait, service``.
    steps
        One row per step: ``step, capacity, service, max_throughput, utilisation, utilisation_sim,
        mean_wait, mean_queue, bottleneck``. ``utilisation`` is the theoretical λ·service/capacity,
        ``utilisation_sim`` the busy share of the servers in the window, ``mean_queue`` the time-average
        number waiting.
    arrival_rate
        λ, patients per time unit.
    window
        ``(warmup, duration)``: the interval the statistics are measured over.
    bottleneck
        Name of the step with the highest utilisation.
    max_throughput
        min over steps of capacity / service: the most patients per time unit the pathway can handle.
    params
        The arguments of the call.
    """

    table: pd.DataFrame
    events: pd.DataFrame
    steps: pd.DataFrame
    arrival_rate: float
    window: tuple[float, float]
    bottleneck: str
    max_throughput: float
    params: Mapping[str, object]

    @property
    def stable(self) -> bool:
        """Whether arrivals are below the maximum throughput (otherwise queues grow without bound)."""
        return self.arrival_rate < self.max_throughput

    def littles_law(self) -> pd.DataFrame:
        """Little's law L = λW checked on the simulated output, for the whole pathway and each step.

        Returns
        -------
        pandas.DataFrame
            ``scope, L, lambda_, W, lambda_W, ratio``: ``L`` is the time-average number of patients
            (in the pathway, or at a step including those being served) over the window, ``lambda_``
            the observed arrival rate in the window, ``W`` the mean time spent by those arrivals, and
            ``ratio`` = L / (λW), close to 1.
        """
        a, b = self.window
        span = b - a
        rows = []
        t = self.table
        rows.append(_little("system", t["arrival"].to_numpy(), t["departure"].to_numpy(), a, b, span))
        for _, ev in self.events.groupby("step_no", sort=True):
            label = str(ev["step"].iloc[0])
            rows.append(_little(label, ev["arrive"].to_numpy(), ev["end"].to_numpy(), a, b, span))
        return pd.DataFrame(rows)

    def census(self) -> pd.DataFrame:
        """Number of patients in the pathway over time: ``time, in_system`` (a step function)."""
        t = self.table
        times = np.concatenate([t["arrival"].to_numpy(), t["departure"].to_numpy()])
        delta = np.concatenate([np.ones(len(t), dtype=np.int64), -np.ones(len(t), dtype=np.int64)])
        order = np.lexsort((delta, times))  # departures before arrivals at equal times
        return pd.DataFrame({"time": times[order], "in_system": np.cumsum(delta[order])})

    def summary(self) -> pd.DataFrame:
        """One row of key numbers.

        Columns ``arrival_rate, patients, mean_los, mean_wait, L, lambda_, W, lambda_W, bottleneck, max_throughput,
        utilisation_max, stable`` (``patients`` = arrivals in the window; ``L, lambda_, W, lambda_W`` as in
        :meth:`littles_law` for the whole pathway).
        """
        ll = self.littles_law().iloc[0]
        sub = self.table[self.table["in_window"]]
        return pd.DataFrame(
            [
                {
                    "arrival_rate": self.arrival_rate,
                    "patients": int(len(sub)),
                    "mean_los": float(sub["los"].mean()) if len(sub) else math.nan,
                    "mean_wait": float(sub["wait"].mean()) if len(sub) else math.nan,
                    "L": float(ll["L"]),
                    "lambda_": float(ll["lambda_"]),
                    "W": float(ll["W"]),
                    "lambda_W": float(ll["lambda_W"]),
                    "bottleneck": self.bottleneck,
                    "max_throughput": self.max_throughput,
                    "utilisation_max": float(self.steps["utilisation"].max()),
                    "stable": self.stable,
                }
            ]
        )

    def plot(self, ax: Axes | None = None, *, lang: str | None = None) -> Axes:
        """Draw the number of patients in the pathway over time with L and λW; see :mod:`qikit.system.plotting`."""
        from qikit.system.plotting import plot_flow_census

        return plot_flow_census(self, ax=ax, lang=lang)

    def plot_steps(self, ax: Axes | None = None, *, lang: str | None = None) -> Axes:
        """Draw the utilisation of each step, the bottleneck highlighted."""
        from qikit.system.plotting import plot_flow_steps

        return plot_flow_steps(self, ax=ax, lang=lang)

    def _repr_html_(self) -> str:
        return html_repr("Patient flow", self.summary(), self.steps)


def _overlap(start: np.ndarray, end: np.ndarray, a: float, b: float) -> float:
    return float(np.clip(np.minimum(end, b) - np.maximum(start, a), 0.0, None).sum())


def _little(scope: str, arrive: np.ndarray, leave: np.ndarray, a: float, b: float, span: float) -> dict[str, object]:
    L = _overlap(arrive, leave, a, b) / span
    inside = (arrive >= a) & (arrive < b)
    lam = float(inside.sum()) / span
    W = float((leave[inside] - arrive[inside]).mean()) if inside.any() else math.nan
    lw = lam * W
    return {"scope": scope, "L": L, "lambda_": lam, "W": W, "lambda_W": lw, "ratio": L / lw if lw > 0 else math.nan}


def patient_flow(
    steps: object = None,
    *,
    arrival_rate: float = 0.1,
    duration: float = 7 * 24 * 60.0,
    warmup: float = 24 * 60.0,
    service_cv: float = 1.0,
    time_unit: str = "min",
    rng: RngLike = None,
) -> FlowResult:
    r"""Simulate patients flowing through a pathway of queues.

    Parameters
    ----------
    steps
        The pathway, in order: a DataFrame with columns ``step, capacity, service`` or a list of
        ``(name, capacity, service)`` tuples or dicts. ``capacity`` = parallel servers (nurses, doctors,
        beds), ``service`` = mean service time per patient. Default: :func:`example_pathway` (minutes).
        DataFrame columns may also be called ``name`` (or ``step_name``), ``servers`` and
        ``service_time`` (or ``minutes_per_patient``), as in the ``ed_flow_steps`` dataset.
    arrival_rate
        λ, patients per time unit (default 0.1 per minute = 6 per hour).
    duration
        Arrivals occur in [0, duration); the simulation then runs on until every patient has left.
    warmup
        Statistics use patients arriving in [warmup, duration), so the empty start does not bias them.
    service_cv
        Coefficient of variation of service times (gamma distributed): 1 = exponential (the default),
        0 = fixed times, between = less variable than exponential.
    time_unit
        Name of the time unit, for labels only (``"min"``, ``"h"``, ``"dag"`` …).
    rng
        Seed or generator. Arrivals and service times come from separate streams, so changing a
        capacity keeps the same patients with the same needs.

    Returns
    -------
    FlowResult
        ``.table`` (per patient), ``.events`` (per patient and step), ``.steps`` (per step),
        ``.bottleneck``, ``.max_throughput``, ``.littles_law()``, ``.summary()``.

    Notes
    -----
    *Model.* Arrivals: Poisson process with rate λ (the number in [0, T) is Poisson(λT), the times
    uniform). Step j has :math:`c_j` servers and service times with mean :math:`s_j`; patients are
    served first-come, first-served at every step (a tandem of G/G/c queues; M/M/c with the
    defaults). Each patient takes the first free server: start = max(arrival at step, earliest free
    server); end = start + service.

    *Bottleneck.* Utilisation :math:`\rho_j = \lambda s_j / c_j`; the maximum throughput of the
    pathway is :math:`\min_j c_j / s_j`, reached at the step with the highest utilisation. If
    :math:`\lambda` is at or above it, queues grow without bound (``.stable`` is False).

    *Little's law.* For any stable queueing system the long-run average number in the system equals
    the arrival rate times the average time spent in it, :math:`L = \lambda W` (Little 1961).
    :meth:`FlowResult.littles_law` measures all three on the simulated output.

    References
    ----------
    Little JDC. A proof for the queuing formula L = λW. *Operations Research* 1961;9(3):383–387.
    Goldratt EM, Cox J. *The Goal*. North River Press; 1984 (bottlenecks).

    Examples
    --------
    >>> res = patient_flow(rng=1)
    >>> res.bottleneck == example_pathway()["step"].iloc[1]
    True
    >>> ll = res.littles_law()
    >>> bool(abs(ll["ratio"].iloc[0] - 1) < 0.1)
    True
    """
    func = "patient_flow"
    st = _parse_steps(func, steps)
    lam = check_float(func, "arrival_rate", arrival_rate, low=0.0, low_open=True)
    duration = check_float(func, "duration", duration, low=0.0, low_open=True)
    warmup = check_float(func, "warmup", warmup, low=0.0)
    if warmup >= duration:
        raise QikitInputError(
            f"{func}(): warmup must be shorter than duration; got warmup = {warmup:g}, duration = {duration:g}."
        )
    cv = check_float(func, "service_cv", service_cv, low=0.0, high=5.0)
    if lam * duration > 2_000_000:
        raise QikitInputError(
            f"{func}(): about {lam * duration:,.0f} patients would arrive; keep arrival_rate · duration "
            "under 2 million (shorten duration)."
        )
    gen = as_generator(rng, func)
    arr_gen, svc_gen = gen.spawn(2)
    n = int(arr_gen.poisson(lam * duration))
    arrival = np.sort(arr_gen.uniform(0.0, duration, n))
    caps = st["capacity"].to_numpy(dtype=np.int64)
    means = st["service"].to_numpy(dtype=float)
    k = len(st)
    if cv == 0:
        service = np.broadcast_to(means, (n, k)).copy()
    else:
        shape = 1.0 / cv**2
        service = svc_gen.gamma(shape, 1.0 / shape, size=(n, k)) * means

    arrive = np.empty((n, k))
    start = np.empty((n, k))
    end = np.empty((n, k))
    t_in = arrival
    for j in range(k):
        order = np.argsort(t_in, kind="stable")
        free = [0.0] * int(caps[j])
        s_col = service[:, j]
        st_col = np.empty(n)
        en_col = np.empty(n)
        t_list = t_in.tolist()
        s_list = s_col.tolist()
        for i in order.tolist():
            f = heapq.heappop(free)
            t0 = t_list[i] if t_list[i] > f else f
            t1 = t0 + s_list[i]
            heapq.heappush(free, t1)
            st_col[i] = t0
            en_col[i] = t1
        arrive[:, j] = t_in
        start[:, j] = st_col
        end[:, j] = en_col
        t_in = en_col

    departure = end[:, -1] if n else np.empty(0)
    wait = (start - arrive).sum(axis=1) if n else np.empty(0)
    patients = np.arange(1, n + 1)
    in_window = (arrival >= warmup) & (arrival < duration)
    table = pd.DataFrame(
        {
            "patient": patients,
            "arrival": arrival,
            "departure": departure,
            "los": departure - arrival,
            "wait": wait,
            "service": service.sum(axis=1) if n else np.empty(0),
            "in_window": in_window,
        }
    )
    names = st["step"].tolist()
    events = pd.DataFrame(
        {
            "patient": np.repeat(patients, k),
            "step_no": np.tile(np.arange(1, k + 1), n),
            "step": pd.Series(np.tile(np.array(names, dtype=object), n), dtype="str"),
            "arrive": arrive.ravel(),
            "start": start.ravel(),
            "end": end.ravel(),
            "wait": (start - arrive).ravel(),
            "service": service.ravel(),
        }
    )
    span = duration - warmup
    cap_table = pathway_capacity(st, lam)
    util_sim, mean_wait, mean_queue = [], [], []
    for j in range(k):
        busy = _overlap(start[:, j], end[:, j], warmup, duration)
        util_sim.append(busy / (caps[j] * span))
        inside = (arrive[:, j] >= warmup) & (arrive[:, j] < duration)
        w = start[inside, j] - arrive[inside, j]
        mean_wait.append(float(w.mean()) if len(w) else math.nan)
        mean_queue.append(_overlap(arrive[:, j], start[:, j], warmup, duration) / span)
    steps_table = cap_table[["step", "capacity", "service", "max_throughput", "utilisation"]].copy()
    steps_table["utilisation_sim"] = util_sim
    steps_table["mean_wait"] = mean_wait
    steps_table["mean_queue"] = mean_queue
    steps_table["bottleneck"] = cap_table["bottleneck"]
    bottleneck = str(steps_table.loc[steps_table["bottleneck"], "step"].iloc[0])
    params = frozen(
        {
            "steps": tuple(zip(names, caps.tolist(), means.tolist(), strict=True)),
            "arrival_rate": lam,
            "duration": duration,
            "warmup": warmup,
            "service_cv": cv,
            "time_unit": str(time_unit),
        }
    )
    return FlowResult(
        table=table,
        events=events,
        steps=steps_table,
        arrival_rate=lam,
        window=(warmup, duration),
        bottleneck=bottleneck,
        max_throughput=float(steps_table["max_throughput"].min()),
        params=params,
    )
