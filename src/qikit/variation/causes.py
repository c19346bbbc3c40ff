"""Generators of common- and special-cause variation, each with the ground truth it planted.

Every generator returns a :class:`SimulatedProcess` whose ``.table`` holds the series
(``x`` = 1, 2, …) and whose ``.truth`` says what was planted and where, so exercises and the SPC
chapters can check whether a chart found it. ``x`` labels are 1-based periods, the labels a chart shows.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from qikit._common import check_float, check_int, frozen, html_repr
from qikit._errors import QikitInputError, check_choice
from qikit._rng import RngLike, as_generator
from qikit.variation._labels import LABELS

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = [
    "PROCESS_KINDS",
    "SimulatedProcess",
    "outlier_process",
    "overdispersed_counts",
    "seasonal_process",
    "shift_process",
    "simulate_process",
    "stable_process",
    "trend_process",
]

PROCESS_KINDS: tuple[str, ...] = ("stable", "shift", "trend", "outlier", "seasonal", "overdispersion")


@dataclass(frozen=True, eq=False)
class SimulatedProcess:
    """A simulated series and the truth planted in it.

    Attributes
    ----------
    kind
        One of :data:`PROCESS_KINDS`.
    table
        One row per period: ``x, y, true_mean, special`` (``special`` is True where a special cause
        acts). Count series (``overdispersion``) add ``n, proportion, true_p`` and ``y`` is the count.
    truth
        What was planted, e.g. ``{"kind": "shift", "start": 13, "shift": 2.0, ...}``; positions are
        ``x`` labels (1-based).
    params
        The arguments of the call.
    """

    kind: str
    table: pd.DataFrame
    truth: Mapping[str, object]
    params: Mapping[str, object]

    @property
    def special_x(self) -> list[int]:
        """The ``x`` labels of the periods a special cause acts on (empty for a stable process)."""
        return self.table.loc[self.table["special"], "x"].astype(int).tolist()

    def describe(self, lang: str | None = None) -> str:
        """One sentence, in bokmål or English, on what was planted."""
        t = dict(self.truth)
        if self.kind == "outlier":
            t["at"] = ", ".join(str(a) for a in t["at"])  # type: ignore[attr-defined]
        return LABELS.get(f"truth_{self.kind}", lang, **t)

    def summary(self) -> pd.DataFrame:
        """One row: ``kind, periods, mean, sd, n_special, truth`` (``truth`` in English)."""
        y = self.table["proportion"] if "proportion" in self.table else self.table["y"]
        return pd.DataFrame(
            [
                {
                    "kind": self.kind,
                    "periods": len(self.table),
                    "mean": float(y.mean()),
                    "sd": float(y.std(ddof=1)) if len(y) > 1 else math.nan,
                    "n_special": int(self.table["special"].sum()),
                    "truth": self.describe("en"),
                }
            ]
        )

    def plot(self, ax: Axes | None = None, *, reveal: bool = False, lang: str | None = None) -> Axes:
        """Draw the series; ``reveal=True`` also shows the true level and the planted special cause."""
        from qikit.variation.plotting import plot_process

        return plot_process(self, ax=ax, reveal=reveal, lang=lang)

    def _repr_html_(self) -> str:
        return html_repr(f"Simulated process: {self.kind}", self.summary(), self.table)


def _check_common(func: str, periods: object, mean: object, sd: object) -> tuple[int, float, float]:
    return (
        check_int(func, "periods", periods, low=2, high=1_000_000),
        check_float(func, "mean", mean),
        check_float(func, "sd", sd, low=0.0, low_open=True),
    )


def _check_x(func: str, name: str, value: object, periods: int) -> int:
    x = check_int(func, name, value, low=1)
    if x > periods:
        raise QikitInputError(f"{func}(): {name} must be a period between 1 and periods = {periods}; got {name} = {x}.")
    return x


def _build(
    kind: str,
    true_mean: np.ndarray,
    noise: np.ndarray,
    special: np.ndarray,
    truth: dict[str, object],
    params: dict[str, object],
) -> SimulatedProcess:
    table = pd.DataFrame(
        {
            "x": np.arange(1, len(true_mean) + 1),
            "y": true_mean + noise,
            "true_mean": true_mean,
            "special": special,
        }
    )
    return SimulatedProcess(kind=kind, table=table, truth=frozen({"kind": kind, **truth}), params=frozen(params))


def stable_process(*, periods: int = 24, mean: float = 10.0, sd: float = 1.0, rng: RngLike = None) -> SimulatedProcess:
    r"""A stable process: independent normal values around a constant mean (common causes only).

    Parameters
    ----------
    periods
        Number of points.
    mean, sd
        Process mean and common-cause standard deviation.
    rng
        Seed or generator.

    Returns
    -------
    SimulatedProcess
        ``.table`` columns ``x, y, true_mean, special`` (``special`` all False);
        ``.truth`` ``{"kind": "stable", "mean", "sd"}``.

    Notes
    -----
    :math:`y_x = \mu + e_x`, :math:`e_x \sim N(0, \sigma^2)` independent. Shewhart's "controlled"
    process: variation from a constant system of chance causes (Shewhart 1931; Deming 1986, ch. 11).

    Examples
    --------
    >>> p = stable_process(rng=1)
    >>> p.special_x
    []
    """
    func = "stable_process"
    periods, mean, sd = _check_common(func, periods, mean, sd)
    gen = as_generator(rng, func)
    noise = gen.normal(0.0, sd, periods)
    return _build(
        "stable",
        np.full(periods, mean),
        noise,
        np.zeros(periods, dtype=bool),
        {"mean": mean, "sd": sd},
        {"periods": periods, "mean": mean, "sd": sd},
    )


def shift_process(
    *,
    periods: int = 24,
    start: int = 13,
    shift: float = 2.0,
    mean: float = 10.0,
    sd: float = 1.0,
    rng: RngLike = None,
) -> SimulatedProcess:
    """A process whose level shifts by ``shift`` from period ``start`` on (a sustained special cause).

    Parameters
    ----------
    periods
        Number of points.
    start
        First period (1-based ``x``) at the new level.
    shift
        Size of the shift, in the units of ``y`` (default 2 = two standard deviations when ``sd`` = 1).
    mean, sd
        Level before the shift and common-cause standard deviation.
    rng
        Seed or generator.

    Returns
    -------
    SimulatedProcess
        ``.truth`` ``{"kind": "shift", "start", "shift", "before", "after", "sd"}``.

    Examples
    --------
    >>> p = shift_process(periods=20, start=11, rng=1)
    >>> p.truth["start"], p.special_x[0]
    (11, 11)
    """
    func = "shift_process"
    periods, mean, sd = _check_common(func, periods, mean, sd)
    start = _check_x(func, "start", start, periods)
    shift = check_float(func, "shift", shift)
    gen = as_generator(rng, func)
    noise = gen.normal(0.0, sd, periods)
    x = np.arange(1, periods + 1)
    special = x >= start
    true_mean = mean + shift * special
    return _build(
        "shift",
        true_mean,
        noise,
        special,
        {"start": start, "shift": shift, "before": mean, "after": mean + shift, "sd": sd},
        {"periods": periods, "start": start, "shift": shift, "mean": mean, "sd": sd},
    )


def trend_process(
    *,
    periods: int = 24,
    start: int = 9,
    slope: float = 0.25,
    mean: float = 10.0,
    sd: float = 1.0,
    rng: RngLike = None,
) -> SimulatedProcess:
    """A process that starts drifting by ``slope`` per period after period ``start``.

    The level is ``mean`` up to and including ``start`` and ``mean + slope · (x − start)`` after it,
    so the first period off the old level is ``start + 1``.

    Parameters
    ----------
    periods
        Number of points.
    start
        Last period (1-based ``x``) at the old level.
    slope
        Change of the level per period after ``start``, in the units of ``y``.
    mean, sd
        Level before the trend and common-cause standard deviation.
    rng
        Seed or generator.

    Returns
    -------
    SimulatedProcess
        ``.truth`` ``{"kind": "trend", "start", "slope", "mean", "sd"}``; ``special`` is True from
        ``start + 1``.

    Examples
    --------
    >>> p = trend_process(periods=12, start=4, slope=1.0, rng=1)
    >>> p.table["true_mean"].tolist()[:6]
    [10.0, 10.0, 10.0, 10.0, 11.0, 12.0]
    """
    func = "trend_process"
    periods, mean, sd = _check_common(func, periods, mean, sd)
    start = _check_x(func, "start", start, periods)
    slope = check_float(func, "slope", slope)
    gen = as_generator(rng, func)
    noise = gen.normal(0.0, sd, periods)
    x = np.arange(1, periods + 1)
    special = x > start
    true_mean = mean + slope * np.clip(x - start, 0, None)
    return _build(
        "trend",
        true_mean,
        noise,
        special,
        {"start": start, "slope": slope, "mean": mean, "sd": sd},
        {"periods": periods, "start": start, "slope": slope, "mean": mean, "sd": sd},
    )


def outlier_process(
    *,
    periods: int = 24,
    at: int | Sequence[int] = 17,
    size: float = 4.0,
    mean: float = 10.0,
    sd: float = 1.0,
    rng: RngLike = None,
) -> SimulatedProcess:
    """A stable process with one or more isolated outliers of ``size`` added at periods ``at``.

    Parameters
    ----------
    periods
        Number of points.
    at
        The period(s) (1-based ``x``) hit by the outlier(s).
    size
        What is added at those periods, in the units of ``y`` (default 4 = four SDs when ``sd`` = 1).
    mean, sd
        Process mean and common-cause standard deviation.
    rng
        Seed or generator.

    Returns
    -------
    SimulatedProcess
        ``.truth`` ``{"kind": "outlier", "at": (…), "size", "mean", "sd"}``.

    Examples
    --------
    >>> outlier_process(at=[3, 8], rng=1).special_x
    [3, 8]
    """
    func = "outlier_process"
    periods, mean, sd = _check_common(func, periods, mean, sd)
    at_list = [at] if isinstance(at, int | np.integer) else list(at)
    if not at_list:
        raise QikitInputError(f"{func}(): at must name at least one period; got {at!r}.")
    xs = tuple(sorted({_check_x(func, "at", a, periods) for a in at_list}))
    size = check_float(func, "size", size)
    gen = as_generator(rng, func)
    noise = gen.normal(0.0, sd, periods)
    x = np.arange(1, periods + 1)
    special = np.isin(x, xs)
    true_mean = mean + size * special
    return _build(
        "outlier",
        true_mean,
        noise,
        special,
        {"at": xs, "size": size, "mean": mean, "sd": sd},
        {"periods": periods, "at": xs, "size": size, "mean": mean, "sd": sd},
    )


def seasonal_process(
    *,
    periods: int = 36,
    period: int = 12,
    amplitude: float = 1.5,
    peak: int = 1,
    mean: float = 10.0,
    sd: float = 1.0,
    rng: RngLike = None,
) -> SimulatedProcess:
    r"""A process with a regular seasonal cycle, e.g. winter peaks in emergency admissions.

    Parameters
    ----------
    periods
        Number of points.
    period
        Length of the cycle in periods (12 for months in a year).
    amplitude
        Half the peak-to-trough swing of the true level.
    peak
        The ``x`` label of the first peak.
    mean, sd
        Average level and common-cause standard deviation.
    rng
        Seed or generator.

    Returns
    -------
    SimulatedProcess
        ``.truth`` ``{"kind": "seasonal", "period", "amplitude", "peak", "mean", "sd"}``; ``special``
        is True where the true level is more than half the amplitude from the mean.

    Notes
    -----
    :math:`\mu_x = \mu + A\cos(2\pi (x - \text{peak}) / \text{period})`. Seasonality is a
    predictable, assignable cause: a chart that ignores it will signal in every winter.

    Examples
    --------
    >>> p = seasonal_process(periods=24, rng=1)
    >>> int(p.table["true_mean"].idxmax()) + 1
    1
    """
    func = "seasonal_process"
    periods, mean, sd = _check_common(func, periods, mean, sd)
    period = check_int(func, "period", period, low=2)
    amplitude = check_float(func, "amplitude", amplitude, low=0.0)
    peak = check_int(func, "peak", peak, low=1)
    gen = as_generator(rng, func)
    noise = gen.normal(0.0, sd, periods)
    x = np.arange(1, periods + 1)
    wave = amplitude * np.cos(2 * np.pi * (x - peak) / period)
    special = np.abs(wave) > amplitude / 2 if amplitude > 0 else np.zeros(periods, dtype=bool)
    return _build(
        "seasonal",
        mean + wave,
        noise,
        special,
        {"period": period, "amplitude": amplitude, "peak": peak, "mean": mean, "sd": sd},
        {"periods": periods, "period": period, "amplitude": amplitude, "peak": peak, "mean": mean, "sd": sd},
    )


def overdispersed_counts(
    *,
    periods: int = 24,
    n: int | Sequence[int] = 400,
    p: float = 0.1,
    rho: float = 0.01,
    rng: RngLike = None,
) -> SimulatedProcess:
    r"""Binomial counts with extra between-period variation (overdispersion), e.g. monthly readmissions.

    Parameters
    ----------
    periods
        Number of periods (ignored when ``n`` is a list: then its length is used).
    n
        Denominator per period: one number for all periods or one per period.
    p
        Mean proportion.
    rho
        Intra-class correlation ρ in [0, 1): 0 gives plain binomial counts (common cause only in the
        p-chart sense); larger values add between-period variation of the true proportion.
    rng
        Seed or generator.

    Returns
    -------
    SimulatedProcess
        ``.table`` columns ``x, y, n, proportion, true_p, true_mean, special`` (``y`` is the count,
        ``true_mean`` = n·p, ``special`` all False: the extra variation is everywhere, not at
        one point); ``.truth`` ``{"kind": "overdispersion", "p", "rho", "phi", "n_mean"}`` where
        ``phi`` is the variance inflation factor at the mean denominator.

    Notes
    -----
    Beta-binomial: :math:`p_x \sim \mathrm{Beta}(\alpha, \beta)` with mean :math:`p` and
    :math:`\alpha + \beta = 1/\rho - 1`; :math:`y_x \sim \mathrm{Bin}(n_x, p_x)`. Then
    :math:`\operatorname{Var}(y_x) = n_x p (1 - p)[1 + (n_x - 1)\rho]`, so with large :math:`n`
    even a small ρ makes a p chart's binomial limits far too narrow: the case for Laney's p′ chart
    (Laney 2002, Quality Engineering 14:531).

    Examples
    --------
    >>> c = overdispersed_counts(rng=1)
    >>> round(float(c.truth["phi"]), 2)
    4.99
    """
    func = "overdispersed_counts"
    p = check_float(func, "p", p, low=0.0, high=1.0, low_open=True)
    if p >= 1.0:
        raise QikitInputError(f"{func}(): p must be below 1; got p = {p:g}.")
    rho = check_float(func, "rho", rho, low=0.0)
    if rho >= 1.0:
        raise QikitInputError(f"{func}(): rho must be in [0, 1); got rho = {rho:g}.")
    if isinstance(n, int | np.integer) and not isinstance(n, bool):
        periods = check_int(func, "periods", periods, low=2, high=1_000_000)
        n_arr = np.full(periods, check_int(func, "n", n, low=1), dtype=np.int64)
    else:
        try:
            n_arr = np.asarray(n)
        except (TypeError, ValueError):
            raise QikitInputError(f"{func}(): n must be a whole number or a list of them; got {n!r}.") from None
        if n_arr.ndim != 1 or n_arr.size < 2 or not np.issubdtype(n_arr.dtype, np.integer):
            raise QikitInputError(f"{func}(): n must be a whole number or a list of at least 2; got {n!r}.")
        if (n_arr < 1).any():
            raise QikitInputError(f"{func}(): every n must be at least 1; got {n_arr.min()}.")
        n_arr = n_arr.astype(np.int64)
        periods = len(n_arr)
    gen = as_generator(rng, func)
    if rho > 0:
        s = 1.0 / rho - 1.0
        true_p = gen.beta(p * s, (1 - p) * s, size=periods)
    else:
        true_p = np.full(periods, p)
    y = gen.binomial(n_arr, true_p)
    n_mean = float(n_arr.mean())
    phi = 1.0 + (n_mean - 1.0) * rho
    table = pd.DataFrame(
        {
            "x": np.arange(1, periods + 1),
            "y": y.astype(np.int64),
            "n": n_arr,
            "proportion": y / n_arr,
            "true_p": true_p,
            "true_mean": n_arr * p,
            "special": np.zeros(periods, dtype=bool),
        }
    )
    truth = {"kind": "overdispersion", "p": p, "rho": rho, "phi": phi, "n_mean": n_mean}
    params = {"periods": periods, "n": tuple(int(v) for v in n_arr), "p": p, "rho": rho}
    return SimulatedProcess(kind="overdispersion", table=table, truth=frozen(truth), params=frozen(params))


_GENERATORS: Mapping[str, Callable[..., SimulatedProcess]] = {
    "stable": stable_process,
    "shift": shift_process,
    "trend": trend_process,
    "outlier": outlier_process,
    "seasonal": seasonal_process,
    "overdispersion": overdispersed_counts,
}


def simulate_process(kind: str, *, rng: RngLike = None, **kwargs: Any) -> SimulatedProcess:
    """Call the generator for ``kind`` (one of :data:`PROCESS_KINDS`) with ``kwargs``.

    Examples
    --------
    >>> simulate_process("shift", periods=30, start=20, rng=2).truth["start"]
    20
    """
    check_choice("simulate_process", "kind", kind, PROCESS_KINDS)
    try:
        return _GENERATORS[kind](rng=rng, **kwargs)
    except TypeError as exc:
        name = _GENERATORS[kind].__name__
        raise QikitInputError(f"simulate_process(): {exc}. See help(qikit.variation.{name}).") from None
