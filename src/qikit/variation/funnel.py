"""Deming's funnel experiment (rules 1–4) and tampering with a stable process.

Both come from one computation, :func:`funnel_path`: a process whose aim can be adjusted after every
result. Left alone (rule 1) its spread is the system's own; every "correction" of common-cause
variation (rules 2–4) makes it worse.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from qikit._common import check_float, check_int, frozen, html_repr
from qikit._errors import QikitInputError
from qikit._rng import RngLike, as_generator

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = [
    "FUNNEL_RULES",
    "FunnelResult",
    "TamperingResult",
    "funnel",
    "funnel_path",
    "funnel_theory_var",
    "tampering",
]

#: Deming's four rules, in his words (paraphrased from *Out of the Crisis*, 1986, p. 328).
FUNNEL_RULES: Mapping[int, str] = {
    1: "Leave the funnel fixed, aimed at the target; no adjustment.",
    2: "At drop k the marble rests at point z_k, measured from the target. "
    "Move the funnel the distance -z_k from its last position.",
    3: "Set the funnel at -z_k, measured from the target.",
    4: "Set the funnel over the spot z_k where the marble last came to rest.",
}


def _check_rule(func: str, rule: object) -> int:
    if isinstance(rule, bool) or not isinstance(rule, int | np.integer) or int(rule) not in FUNNEL_RULES:
        raise QikitInputError(f"{func}(): rule must be 1, 2, 3 or 4 (Deming's funnel rules); got {rule!r}.")
    return int(rule)


def funnel_path(errors: np.ndarray, rule: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the funnel and of the drops for given random errors, under one of Deming's rules.

    Parameters
    ----------
    errors
        Array of shape ``(drops,)`` or ``(drops, dims)``: where each marble would land relative to
        the funnel (the system's common-cause variation). The target is 0.
    rule
        1, 2, 3 or 4 (see :data:`FUNNEL_RULES`).

    Returns
    -------
    (funnel, drops)
        Arrays shaped like ``errors``: the funnel's position before drop k and where drop k came to
        rest, both measured from the target.

    Notes
    -----
    With errors :math:`e_k` and the funnel starting over the target (:math:`f_1 = 0`), drop
    :math:`k` rests at :math:`z_k = f_k + e_k` and the rules set the next funnel position:

    ======  ===========================  ==============================================
    rule    next funnel position          consequence
    ======  ===========================  ==============================================
    1       :math:`f_{k+1} = 0`           :math:`z_k = e_k`, variance σ²
    2       :math:`f_{k+1} = f_k - z_k`   :math:`z_k = e_k - e_{k-1}`, variance 2σ²
    3       :math:`f_{k+1} = -z_k`        :math:`z_k = -z_{k-1} + e_k`, variance kσ² (swings)
    4       :math:`f_{k+1} = z_k`         :math:`z_k = z_{k-1} + e_k`, variance kσ² (drifts)
    ======  ===========================  ==============================================

    The closed forms in the table are what this function computes (vectorised, no loop).

    Examples
    --------
    >>> e = np.array([1.0, -0.5, 0.25])
    >>> funnel_path(e, 2)[1].tolist()
    [1.0, -1.5, 0.75]
    >>> funnel_path(e, 4)[1].tolist()
    [1.0, 0.5, 0.75]
    """
    rule = _check_rule("funnel_path", rule)
    e = np.asarray(errors, dtype=float)
    if e.ndim not in (1, 2) or e.shape[0] < 1:
        raise QikitInputError(f"funnel_path(): errors must have shape (drops,) or (drops, dims); got {e.shape}.")
    f = np.zeros_like(e)
    if rule == 1:
        z = e.copy()
    elif rule == 2:
        z = e.copy()
        z[1:] -= e[:-1]
        f[1:] = -e[:-1]
    elif rule == 3:
        sign = np.where(np.arange(e.shape[0]) % 2 == 0, 1.0, -1.0)
        if e.ndim == 2:
            sign = sign[:, None]
        z = sign * np.cumsum(sign * e, axis=0)
        f[1:] = -z[:-1]
    else:
        z = np.cumsum(e, axis=0)
        f[1:] = z[:-1]
    return f, z


def funnel_theory_var(rule: int, drops: int, sigma: float = 1.0) -> np.ndarray:
    """Theoretical variance (per coordinate) of drops 1 … ``drops`` under a rule.

    Rule 1: σ²; rule 2: σ² for the first drop and 2σ² after; rules 3 and 4: kσ² at drop k,
    growing without bound.

    Examples
    --------
    >>> funnel_theory_var(2, 3).tolist()
    [1.0, 2.0, 2.0]
    """
    rule = _check_rule("funnel_theory_var", rule)
    drops = check_int("funnel_theory_var", "drops", drops, low=1)
    k = np.arange(1, drops + 1, dtype=float)
    s2 = float(sigma) ** 2
    if rule == 1:
        return np.full(drops, s2)
    if rule == 2:
        return np.where(k == 1, s2, 2 * s2)
    return k * s2


@dataclass(frozen=True, eq=False)
class FunnelResult:
    """Outcome of :func:`funnel`.

    Attributes
    ----------
    rule
        Deming's rule, 1–4.
    table
        One row per drop: ``drop, x, y, funnel_x, funnel_y, distance, running_sd, theory_var``.
        ``x, y`` is where the marble came to rest and ``funnel_x, funnel_y`` where the funnel stood,
        both measured from the target (0, 0); ``distance`` = sqrt(x² + y²); ``running_sd`` is the
        root mean square deviation from the target per coordinate over drops 1 … k,
        sqrt(mean((x² + y²) / 2)); ``theory_var`` the theoretical variance per coordinate of that drop.
    sigma
        Standard deviation of the funnel's own error per coordinate.
    params
        The arguments of the call.
    """

    rule: int
    table: pd.DataFrame
    sigma: float
    params: Mapping[str, object]

    @property
    def description(self) -> str:
        """The rule in Deming's terms (English)."""
        return FUNNEL_RULES[self.rule]

    def summary(self) -> pd.DataFrame:
        """One row: ``rule, drops, sigma, mean_x, mean_y, sd_x, sd_y, mean_sq, theory_mean_sq, ratio, last_distance``.

        ``sd_x, sd_y`` are sample standard deviations of the drops; ``mean_sq`` is the mean squared
        deviation from the target per coordinate and ``theory_mean_sq`` its expected value
        (σ² for rule 1, about 2σ² for rule 2, (drops + 1)/2 · σ² for rules 3 and 4);
        ``ratio`` = mean_sq / σ².
        """
        t = self.table
        n = len(t)
        ms = float(((t["x"] ** 2 + t["y"] ** 2) / 2).mean())
        s2 = self.sigma**2
        return pd.DataFrame(
            [
                {
                    "rule": self.rule,
                    "drops": n,
                    "sigma": self.sigma,
                    "mean_x": float(t["x"].mean()),
                    "mean_y": float(t["y"].mean()),
                    "sd_x": float(t["x"].std(ddof=1)) if n > 1 else math.nan,
                    "sd_y": float(t["y"].std(ddof=1)) if n > 1 else math.nan,
                    "mean_sq": ms,
                    "theory_mean_sq": float(t["theory_var"].mean()),
                    "ratio": ms / s2 if s2 > 0 else math.nan,
                    "last_distance": float(t["distance"].iloc[-1]),
                }
            ]
        )

    def plot(self, ax: Axes | None = None, *, kind: str = "scatter", lang: str | None = None) -> Axes:
        """Draw the drops on the table (``kind="scatter"``) or the spread by drop (``kind="spread"``)."""
        from qikit.variation.plotting import plot_funnel

        return plot_funnel(self, ax=ax, kind=kind, lang=lang)

    def _repr_html_(self) -> str:
        return html_repr(f"Funnel experiment, rule {self.rule}", self.summary(), self.table)


def funnel(rule: int, *, drops: int = 50, sigma: float = 1.0, rng: RngLike = None) -> FunnelResult:
    """Simulate Deming's funnel experiment in two dimensions.

    A marble is dropped through a funnel held over a target on a table; it comes to rest a random
    distance from the point under the funnel (independent normal errors with SD ``sigma`` in x and
    in y). After each drop the funnel is moved according to one of Deming's four rules.

    Parameters
    ----------
    rule
        1. Leave the funnel fixed over the target.
        2. Move the funnel from its **last position** by minus the last error (the distance of the
           last drop from the target), to "compensate".
        3. Set the funnel at minus the last error, **measured from the target**.
        4. Set the funnel over the spot where the last drop came to rest.
    drops
        Number of marbles dropped.
    sigma
        Standard deviation of the funnel's own scatter, per coordinate.
    rng
        Seed or generator. The errors are drawn before the rule is applied, so the four rules with
        the same seed see exactly the same marbles: any difference is the rule's doing.

    Returns
    -------
    FunnelResult
        ``.table`` columns ``drop, x, y, funnel_x, funnel_y, distance, running_sd, theory_var``.

    Notes
    -----
    See :func:`funnel_path` for the recursion. Per coordinate the variance of the drops is σ² under
    rule 1 and 2σ² under rule 2 (the adjustment adds the previous error back with the opposite sign);
    under rules 3 and 4 the variance of drop k is kσ²: the pattern explodes (rule 3, swinging back and
    forth) or drifts away like a random walk (rule 4). Real-life analogues: rule 2 is adjusting a
    process after every result; rule 3 is "correcting" around a target (e.g. overcompensating a
    dose); rule 4 is each person training the next, or calibrating against the last piece.

    References
    ----------
    Deming WE. *Out of the Crisis*. MIT CAES; 1986, pp. 327–332.
    Deming WE. *The New Economics for Industry, Government, Education*. MIT CAES; 1993, chapter 9.

    Examples
    --------
    >>> res = funnel(2, drops=5, rng=1)
    >>> res.table.columns.tolist()[:5]
    ['drop', 'x', 'y', 'funnel_x', 'funnel_y']
    >>> bool((funnel(1, rng=1).table[["x", "y"]].abs() < 5).all().all())
    True
    """
    func = "funnel"
    rule = _check_rule(func, rule)
    drops = check_int(func, "drops", drops, low=1, high=1_000_000)
    sigma = check_float(func, "sigma", sigma, low=0.0, low_open=True)
    gen = as_generator(rng, func)
    errors = gen.normal(0.0, sigma, size=(drops, 2))
    f, z = funnel_path(errors, rule)
    k = np.arange(1, drops + 1)
    sq = (z**2).sum(axis=1)
    table = pd.DataFrame(
        {
            "drop": k,
            "x": z[:, 0],
            "y": z[:, 1],
            "funnel_x": f[:, 0],
            "funnel_y": f[:, 1],
            "distance": np.sqrt(sq),
            "running_sd": np.sqrt(np.cumsum(sq / 2) / k),
            "theory_var": funnel_theory_var(rule, drops, sigma),
        }
    )
    return FunnelResult(
        rule=rule, table=table, sigma=sigma, params=frozen({"rule": rule, "drops": drops, "sigma": sigma})
    )


@dataclass(frozen=True, eq=False)
class TamperingResult:
    """Outcome of :func:`tampering`.

    Attributes
    ----------
    table
        One row per period: ``x, y_stable, y_tampered, setting, adjustment``. ``y_stable`` is the process
        left alone; ``y_tampered`` the same process (same random variation) adjusted after every point;
        ``setting`` the process aim in force for that point; ``adjustment`` the change made after it.
    rule
        The funnel rule used for the adjustments.
    params
        The arguments of the call.
    """

    table: pd.DataFrame
    rule: int
    params: Mapping[str, object]

    def summary(self) -> pd.DataFrame:
        """One row comparing the two series.

        Columns ``rule, periods, target, sd_stable, sd_tampered, var_ratio, msd_stable, msd_tampered,
        msd_ratio, theory_msd_ratio``: ``var_ratio`` is the ratio of the sample variances (tampered /
        stable); ``msd_*`` are mean squared deviations from the target and ``theory_msd_ratio`` the
        expected value of their ratio (1 for rule 1, about 2 for rule 2, (periods + 1)/2 for rules 3
        and 4).
        """
        t = self.table
        target = float(self.params["target"])  # type: ignore[arg-type]
        sd_s = float(t["y_stable"].std(ddof=1)) if len(t) > 1 else math.nan
        sd_t = float(t["y_tampered"].std(ddof=1)) if len(t) > 1 else math.nan
        theory = funnel_theory_var(self.rule, len(t), 1.0)
        msd_s = float(((t["y_stable"] - target) ** 2).mean())
        msd_t = float(((t["y_tampered"] - target) ** 2).mean())
        return pd.DataFrame(
            [
                {
                    "rule": self.rule,
                    "periods": len(t),
                    "target": target,
                    "sd_stable": sd_s,
                    "sd_tampered": sd_t,
                    "var_ratio": (sd_t / sd_s) ** 2 if sd_s > 0 else math.nan,
                    "msd_stable": msd_s,
                    "msd_tampered": msd_t,
                    "msd_ratio": msd_t / msd_s if msd_s > 0 else math.nan,
                    "theory_msd_ratio": float(theory.mean()),
                }
            ]
        )

    def plot(self, ax: Axes | None = None, *, lang: str | None = None) -> Axes:
        """Draw both series over time; see :func:`qikit.variation.plotting.plot_tampering`."""
        from qikit.variation.plotting import plot_tampering

        return plot_tampering(self, ax=ax, lang=lang)

    def _repr_html_(self) -> str:
        return html_repr("Tampering", self.summary(), self.table)


def tampering(
    *, periods: int = 50, target: float = 10.0, sd: float = 1.0, rule: int = 2, rng: RngLike = None
) -> TamperingResult:
    r"""Adjust a stable process after every point, and compare with leaving it alone.

    Parameters
    ----------
    periods
        Number of points.
    target
        The process aim (and its true mean when left alone).
    sd
        Common-cause standard deviation of the process.
    rule
        How the operator adjusts after every point (the funnel rules in one dimension): 2 = shift the
        setting by minus the last deviation from target (the usual "tampering"), 3 = set it at target
        minus the last deviation, 4 = set it at the last result; 1 = no adjustment.
    rng
        Seed or generator.

    Returns
    -------
    TamperingResult
        ``.table`` columns ``x, y_stable, y_tampered, setting, adjustment``.

    Notes
    -----
    With :math:`y_k = s_k + e_k` and :math:`e_k \sim N(0, \sigma^2)`, the untampered process keeps
    :math:`s_k = T`; tampering by rule 2 sets :math:`s_{k+1} = s_k - (y_k - T)`, so
    :math:`y_k - T = e_k - e_{k-1}` and the variance doubles (Deming's funnel rule 2). Both series use
    the same :math:`e_k`.

    References
    ----------
    Deming WE. *Out of the Crisis*. MIT CAES; 1986, pp. 327–332.

    Examples
    --------
    >>> s = tampering(periods=2000, rng=1).summary()
    >>> 1.8 < float(s["var_ratio"].iloc[0]) < 2.2
    True
    """
    func = "tampering"
    periods = check_int(func, "periods", periods, low=2, high=1_000_000)
    target = check_float(func, "target", target)
    sd = check_float(func, "sd", sd, low=0.0, low_open=True)
    rule = _check_rule(func, rule)
    gen = as_generator(rng, func)
    e = gen.normal(0.0, sd, size=periods)
    f, z = funnel_path(e, rule)
    setting = target + f
    adjustment = np.append(np.diff(f), np.nan)
    table = pd.DataFrame(
        {
            "x": np.arange(1, periods + 1),
            "y_stable": target + e,
            "y_tampered": target + z,
            "setting": setting,
            "adjustment": adjustment,
        }
    )
    return TamperingResult(
        table=table, rule=rule, params=frozen({"periods": periods, "target": target, "sd": sd, "rule": rule})
    )
