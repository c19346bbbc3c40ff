"""Diffusion of a change through a staff group: Rogers' adopter categories and the Bass model.

Two classic models of how a new practice spreads:

* Rogers' adopter categories divide those who eventually adopt by *when* they adopt, cutting the
  bell-shaped curve of adoption times at the mean and one and two standard deviations:
  innovators (2.5 %), early adopters (13.5 %), early majority (34 %), late majority (34 %) and
  laggards (16 %).
* The Bass model explains the S-shaped cumulative curve by two forces: *innovation* (a constant
  pull ``p`` on those who have not adopted yet, e.g. training, leaders, guidelines) and *imitation*
  (a pull ``q`` proportional to the share who already have, i.e. colleagues showing each other).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from qikit._errors import QikitInputError, check_choice
from qikit._rng import RngLike, as_generator
from qikit.i18n import Catalog, check_lang

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = [
    "ADOPTER_CATEGORIES",
    "AdopterCategories",
    "Diffusion",
    "adopter_categories",
    "bass_curve",
    "bass_time",
    "diffusion",
]

#: Rogers' five adopter categories: ``(id, bokmål, English, z_from, z_to, share in per mille)``.
ADOPTER_CATEGORIES: tuple[tuple[str, str, str, float, float, int], ...] = (
    ("innovators", "Innovatører", "Innovators", -math.inf, -2.0, 25),
    ("early_adopters", "Tidlige brukere", "Early adopters", -2.0, -1.0, 135),
    ("early_majority", "Tidlig flertall", "Early majority", -1.0, 0.0, 340),
    ("late_majority", "Sent flertall", "Late majority", 0.0, 1.0, 340),
    ("laggards", "Etternølere", "Laggards", 1.0, math.inf, 160),
)

_TEXT = Catalog(
    {
        "period": ("Periode", "Period"),
        "share": ("Andel som har tatt i bruk", "Share who have adopted"),
        "simulated": ("Simulert", "Simulated"),
        "bass": ("Bass-kurven (forventet)", "Bass curve (expected)"),
        "new": ("Nye brukere per periode (andel)", "New adopters per period (share)"),
        "time": (
            "Tidspunkt for å ta i bruk (standardavvik fra gjennomsnittet)",
            "Time of adoption (standard deviations from the mean)",
        ),
        "staff": ("personer", "people"),
        "adopters_title": ("Rogers' brukerkategorier", "Rogers' adopter categories"),
        "s_title": ("Spredning av en endring (Bass-modellen)", "Spread of a change (Bass model)"),
        "milestone": ("milepæl", "milestone"),
    }
)


def _normal_cdf(z: float) -> float:
    if math.isinf(z):
        return 0.0 if z < 0 else 1.0
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def _check_int(func: str, arg: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not low <= value <= high:
        raise QikitInputError(f"{func}(): {arg} must be a whole number from {low} to {high}; got {value!r}.")
    return int(value)


def _check_prob(func: str, arg: str, value: Any, *, positive: bool = False) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        x = math.nan
    if isinstance(value, bool) or not (0.0 <= x <= 1.0) or (positive and x <= 0.0):
        need = "in (0, 1]" if positive else "in [0, 1]"
        raise QikitInputError(f"{func}(): {arg} must be a probability {need}; got {value!r}.")
    return x


@dataclass(frozen=True, eq=False)
class AdopterCategories:
    """Expected number of staff in each of Rogers' adopter categories; see :func:`adopter_categories`.

    Attributes
    ----------
    n
        Size of the group (staff on the ward, units in the trust).
    table
        One row per category, in order of adoption: ``category`` (id), ``label``, ``z_from``,
        ``z_to`` (boundaries in standard deviations from the mean adoption time), ``share``,
        ``normal_share`` (exact area under the normal curve), ``expected`` (``n × share``) and
        ``count`` (whole people, summing to ``n``).
    params
        The call's parameters.
    """

    n: int
    table: pd.DataFrame
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        """``{category id: count}``."""
        return dict(zip(self.table.category, self.table["count"].astype(int), strict=True))

    def summary(self) -> pd.DataFrame:
        """Return the table's label, share and count columns with a total row."""
        t = self.table[["label", "share", "count"]]
        total = pd.DataFrame([{"label": "Total", "share": float(t.share.sum()), "count": int(t["count"].sum())}])
        return pd.concat([t, total], ignore_index=True)

    def plot(self, ax: Axes | None = None, *, lang: str | None = None, **style: Any) -> Axes:
        """Draw the adopter bell curve with the categories shaded and counted."""
        from qikit.psychology.plotting import plot_adopters

        return plot_adopters(self, ax=ax, lang=lang, **style)

    def _repr_html_(self) -> str:
        return self.summary().to_html(index=False, float_format="{:.3f}".format)


def adopter_categories(
    n: int, *, shares: Literal["rogers", "normal"] = "rogers", lang: str | None = None
) -> AdopterCategories:
    r"""Split a group of ``n`` people into Rogers' five adopter categories.

    Parameters
    ----------
    n
        Number of people (e.g. staff on a ward), 1 or more.
    shares
        ``"rogers"`` (default): Rogers' rounded shares 2.5 / 13.5 / 34 / 34 / 16 %. ``"normal"``: the
        exact areas under the normal curve between the same boundaries (2.28 / 13.59 / 34.13 /
        34.13 / 15.87 %).
    lang
        Language of the ``label`` column.

    Returns
    -------
    AdopterCategories
        ``.table`` with columns ``category``, ``label``, ``z_from``, ``z_to``, ``share``,
        ``normal_share``, ``expected``, ``count``; ``.counts``; ``.plot()``.

    Notes
    -----
    Rogers assumes the times at which members of a social system adopt an innovation are roughly
    normally distributed, and cuts the curve at the mean :math:`\bar t` and at one and two standard
    deviations: innovators adopt before :math:`\bar t - 2\sigma`, early adopters between
    :math:`\bar t - 2\sigma` and :math:`\bar t - \sigma`, the early majority until the mean, the
    late majority until :math:`\bar t + \sigma`, and laggards after that. Rogers rounds the areas to
    2.5, 13.5, 34, 34 and 16 %.

    **Rounding rule (largest remainder, Hamilton's method).** Each category's quota is
    ``n × share``. Every category first gets the whole part of its quota; the people left over
    (``n`` minus the sum of whole parts) go one each to the categories with the largest fractional
    remainders. Equal remainders are broken in the order of adoption (innovators first). The counts
    therefore always sum to ``n`` and no count is more than one away from its quota. For Rogers'
    shares the arithmetic is done exactly in whole per mille, so no floating-point ties arise.

    References
    ----------
    .. [1] Rogers, E. M. (2003). *Diffusion of Innovations* (5th ed.). Free Press, ch. 7
       ("Innovativeness and adopter categories").

    Examples
    --------
    >>> res = adopter_categories(30, lang="en")
    >>> res.counts
    {'innovators': 1, 'early_adopters': 4, 'early_majority': 10, 'late_majority': 10, 'laggards': 5}
    >>> int(res.table["count"].sum())
    30
    """
    func = "adopter_categories"
    n = _check_int(func, "n", n, 1, 10**9)
    check_choice(func, "shares", shares, ("rogers", "normal"))
    lang_ = check_lang(lang, func)
    normal = np.array([_normal_cdf(hi) - _normal_cdf(lo) for _, _, _, lo, hi, _ in ADOPTER_CATEGORIES])
    if shares == "rogers":
        permille = np.array([c[5] for c in ADOPTER_CATEGORIES], dtype=np.int64)
        whole = n * permille // 1000
        remainder = (n * permille % 1000).astype(float)
        share = permille / 1000.0
    else:
        share = normal / normal.sum()
        quota = n * share
        whole = np.floor(quota).astype(np.int64)
        remainder = quota - whole
    left = n - int(whole.sum())
    order = np.lexsort((np.arange(len(share)), -remainder))  # largest remainder, then adoption order
    count = whole.copy()
    count[order[:left]] += 1
    table = pd.DataFrame(
        {
            "category": [c[0] for c in ADOPTER_CATEGORIES],
            "label": [c[1] if lang_ == "nb" else c[2] for c in ADOPTER_CATEGORIES],
            "z_from": [c[3] for c in ADOPTER_CATEGORIES],
            "z_to": [c[4] for c in ADOPTER_CATEGORIES],
            "share": share,
            "normal_share": normal,
            "expected": n * share,
            "count": count.astype(np.int64),
        }
    )
    return AdopterCategories(n=n, table=table, params={"n": n, "shares": shares, "lang": lang_})


def bass_curve(t: Any, *, p: float, q: float) -> np.ndarray:
    r"""Return the Bass model's cumulative share of adopters :math:`F(t)`.

    Parameters
    ----------
    t
        Time(s), ``t ≥ 0`` (scalar or array).
    p
        Coefficient of innovation (``> 0``).
    q
        Coefficient of imitation (``≥ 0``).

    Returns
    -------
    numpy.ndarray
        :math:`F(t) = \dfrac{1 - e^{-(p+q)t}}{1 + (q/p)\,e^{-(p+q)t}}`, the closed-form solution of
        :math:`f(t) = dF/dt = (p + qF(t))(1 - F(t))`, :math:`F(0) = 0`.

    References
    ----------
    .. [1] Bass, F. M. (1969). A new product growth for model consumer durables.
       *Management Science*, 15(5), 215–227.

    Examples
    --------
    >>> round(float(bass_curve(10, p=0.03, q=0.38)), 4)
    0.8128
    """
    p = _check_prob("bass_curve", "p", p, positive=True)
    q = _check_prob("bass_curve", "q", q)
    tt = np.asarray(t, dtype=float)
    e = np.exp(-(p + q) * tt)
    return np.asarray((1.0 - e) / (1.0 + (q / p) * e))


def bass_time(share: float, *, p: float, q: float) -> float:
    r"""Return the time at which the Bass curve reaches ``share`` (inverse of :func:`bass_curve`).

    :math:`t = -\ln\!\big((1 - F)/(1 + F q/p)\big) / (p + q)`.

    Examples
    --------
    >>> round(bass_time(0.5, p=0.03, q=0.38), 3)
    6.55
    """
    p = _check_prob("bass_time", "p", p, positive=True)
    q = _check_prob("bass_time", "q", q)
    if not 0.0 <= share < 1.0:
        raise QikitInputError(f"bass_time(): share must be in [0, 1); got {share!r}.")
    return -math.log((1.0 - share) / (1.0 + share * q / p)) / (p + q)


_MILESTONES = (0.025, 0.16, 0.5, 0.84)


@dataclass(frozen=True, eq=False)
class Diffusion:
    """A simulated spread of a change; see :func:`diffusion`.

    Attributes
    ----------
    n, p, q, periods
        The group size and the model's parameters.
    table
        One row per period ``0 … periods``: ``period``, ``new_adopters``, ``cumulative``, ``share``
        (``cumulative / n``), ``expected`` (the discrete-time mean-field recursion, in people) and
        ``bass`` (``n × F(period)``, the continuous Bass curve).
    params
        The call's parameters.
    """

    n: int
    p: float
    q: float
    periods: int
    table: pd.DataFrame
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def peak_time(self) -> float:
        r"""Time of the Bass curve's peak in new adopters, :math:`\ln(q/p)/(p+q)` (0 if ``q ≤ p``)."""
        return max(0.0, math.log(self.q / self.p) / (self.p + self.q)) if self.q > 0 else 0.0

    def first_period(self, share: float) -> int | None:
        """Return the first simulated period in which at least ``share`` of the group has adopted."""
        hit = self.table.loc[self.table.share >= share - 1e-12, "period"]
        return int(hit.iloc[0]) if len(hit) else None

    def summary(self) -> pd.DataFrame:
        """Return when the spread passed Rogers' milestones (2.5, 16, 50, 84 %).

        Columns ``milestone`` (share), ``period_simulated`` (first period at or above it, ``<NA>`` if
        never) and ``time_bass`` (continuous time on the Bass curve).
        """
        rows = [
            {
                "milestone": s,
                "period_simulated": self.first_period(s),
                "time_bass": bass_time(s, p=self.p, q=self.q),
            }
            for s in _MILESTONES
        ]
        out = pd.DataFrame(rows)
        out["period_simulated"] = out["period_simulated"].astype("Int64")
        return out

    def plot(self, ax: Axes | None = None, *, lang: str | None = None, **style: Any) -> Axes:
        """Draw the S-curve: simulated cumulative share, the Bass curve and new adopters per period."""
        from qikit.psychology.plotting import plot_diffusion

        return plot_diffusion(self, ax=ax, lang=lang, **style)

    def _repr_html_(self) -> str:
        head = f"<strong>Bass: n = {self.n}, p = {self.p:g}, q = {self.q:g}</strong>"
        return head + self.summary().to_html(index=False, float_format="{:.2f}".format)


def diffusion(
    n: int = 40,
    *,
    p: float = 0.03,
    q: float = 0.38,
    periods: int = 20,
    initial: int = 0,
    rng: RngLike = None,
) -> Diffusion:
    r"""Simulate the spread of a change through ``n`` people (a stochastic Bass model).

    Parameters
    ----------
    n
        Group size (staff on a ward, units in a trust).
    p
        Coefficient of innovation: the chance per period that someone adopts on their own
        (training, leaders, guidelines), ``0 < p ≤ 1``.
    q
        Coefficient of imitation: extra chance per period, multiplied by the share who have already
        adopted (colleagues showing each other), ``0 ≤ q``, ``p + q ≤ 1``.
    periods
        Number of periods (weeks, months) to simulate.
    initial
        People who have adopted at period 0 (e.g. the project team).
    rng
        Seed or generator; the same seed gives the same table.

    Returns
    -------
    Diffusion
        ``.table`` with columns ``period``, ``new_adopters``, ``cumulative``, ``share``,
        ``expected``, ``bass``; ``.summary()`` (Rogers' milestones) and ``.plot()`` (S-curve).

    Notes
    -----
    In each period :math:`t = 1, 2, \dots` every person who has not yet adopted does so, independently,
    with probability :math:`h_t = p + q\,A_{t-1}/n`, where :math:`A_{t-1}` is the cumulative number of
    adopters at the end of the previous period. So :math:`A_t - A_{t-1} \sim
    \mathrm{Binomial}(n - A_{t-1}, h_t)`: nobody adopts twice, the cumulative count never decreases
    and never exceeds :math:`n`. This is the discrete-time form Bass (1969) estimated;
    ``expected`` is its mean-field recursion :math:`E_t = E_{t-1} + (p + qE_{t-1}/n)(n - E_{t-1})`
    and ``bass`` the continuous solution :math:`nF(t)` (see :func:`bass_curve`). In a large group the
    simulation follows the recursion closely; the recursion lags the continuous curve a little
    (its hazard uses last period's count), less so the smaller :math:`p + q`. The new adopters per
    period trace the bell whose sections Rogers named (see :func:`adopter_categories`).

    References
    ----------
    .. [1] Bass, F. M. (1969). A new product growth for model consumer durables.
       *Management Science*, 15(5), 215–227.
    .. [2] Rogers, E. M. (2003). *Diffusion of Innovations* (5th ed.). Free Press.

    Examples
    --------
    >>> res = diffusion(40, p=0.03, q=0.38, periods=20, rng=1)
    >>> int(res.table.cumulative.iloc[-1]) <= 40
    True
    >>> res.table.columns.tolist()
    ['period', 'new_adopters', 'cumulative', 'share', 'expected', 'bass']
    """
    func = "diffusion"
    n = _check_int(func, "n", n, 1, 10**7)
    p = _check_prob(func, "p", p, positive=True)
    q = _check_prob(func, "q", q)
    if p + q > 1.0 + 1e-12:
        raise QikitInputError(
            f"{func}(): p + q must be at most 1 (it is the chance per period when everyone else has "
            f"adopted); got p + q = {p + q:g}. Use shorter periods or smaller coefficients."
        )
    periods = _check_int(func, "periods", periods, 1, 100_000)
    initial = _check_int(func, "initial", initial, 0, n)
    gen = as_generator(rng, func)
    new = np.zeros(periods + 1, dtype=np.int64)
    cum = np.zeros(periods + 1, dtype=np.int64)
    exp_ = np.zeros(periods + 1, dtype=float)
    new[0] = cum[0] = initial
    exp_[0] = float(initial)
    for t in range(1, periods + 1):
        hazard = min(1.0, p + q * cum[t - 1] / n)
        new[t] = gen.binomial(n - cum[t - 1], hazard)
        cum[t] = cum[t - 1] + new[t]
        e = exp_[t - 1]
        exp_[t] = e + min(1.0, p + q * e / n) * (n - e)
    t_arr = np.arange(periods + 1)
    table = pd.DataFrame(
        {
            "period": t_arr,
            "new_adopters": new,
            "cumulative": cum,
            "share": cum / n,
            "expected": exp_,
            "bass": n * bass_curve(t_arr, p=p, q=q),
        }
    )
    return Diffusion(
        n=n,
        p=p,
        q=q,
        periods=periods,
        table=table,
        params={"n": n, "p": p, "q": q, "periods": periods, "initial": initial, "rng": rng},
    )
