"""Reason's Swiss cheese model of defences in depth: exact and Monte Carlo probability of harm.

A hazard becomes harm only when the holes in every defensive layer line up. Holes are the
probability that a layer fails for one hazard; latent conditions widen every hole; correlated
failures (a shared condition of the day) make holes line up more often than independence predicts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from qikit._common import check_float, check_int, frozen, html_repr, wilson_interval
from qikit._errors import QikitInputError
from qikit._rng import RngLike, as_generator

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["SwissCheeseResult", "p_all_fail", "swiss_cheese"]

_MAX_STORED_TRAJECTORIES = 10_000
_CHUNK = 250_000


def p_all_fail(holes: Sequence[float] | np.ndarray, correlation: float = 0.0) -> float:
    r"""Exact probability that every layer fails, under the shared-condition model of :func:`swiss_cheese`.

    Parameters
    ----------
    holes
        Failure probability of each layer (after latent conditions), each in [0, 1].
    correlation
        ρ in [0, 1]: the chance that a layer is governed by the shared condition of the day.

    Returns
    -------
    float
        :math:`\int_0^1 \prod_i \left[\rho\,\mathbf 1(u < h_i) + (1 - \rho) h_i\right] du`;
        the product of the holes when ρ = 0 and the smallest hole when ρ = 1. An empty list gives 1
        (no defences: every hazard reaches the patient).

    Examples
    --------
    >>> round(p_all_fail([0.1, 0.2, 0.5]), 6)
    0.01
    >>> round(p_all_fail([0.1, 0.2, 0.5], correlation=1.0), 6)
    0.1
    """
    h = np.asarray(holes, dtype=float)
    if h.size == 0:
        return 1.0
    if h.ndim != 1 or not np.all((h >= 0) & (h <= 1)):
        raise QikitInputError(f"p_all_fail(): holes must be probabilities between 0 and 1; got {holes!r}.")
    rho = check_float("p_all_fail", "correlation", correlation, low=0.0, high=1.0)
    if rho == 0.0:
        return float(np.prod(h))
    # The integrand is constant between the sorted hole sizes: for u in (b_j, b_{j+1}) the layers with
    # h_i >= b_{j+1} fail for sure when coupled, the others fail only on their own.
    cuts = np.unique(np.concatenate(([0.0], h, [1.0])))
    total = 0.0
    for lo, hi in zip(cuts[:-1], cuts[1:], strict=True):
        if hi <= lo:
            continue
        factors = np.where(h >= hi, rho + (1 - rho) * h, (1 - rho) * h)
        total += float(hi - lo) * float(np.prod(factors))
    return float(total)


@dataclass(frozen=True, eq=False)
class SwissCheeseResult:
    """Outcome of :func:`swiss_cheese`.

    Attributes
    ----------
    table
        One row per layer: ``layer, name, hole, hole_latent, p_reach, p_pass, p_harm_without`` and,
        after a simulation, ``reach_sim, stopped_sim``. ``hole`` is the given failure probability,
        ``hole_latent`` the one in force (after latent conditions); ``p_reach`` the exact
        probability that a hazard reaches this layer (all earlier layers failed), ``p_pass`` that it
        also passes this one; ``p_harm_without`` the probability of harm if this layer were removed.
        ``reach_sim`` and ``stopped_sim`` are the simulated shares of hazards that reached and that
        were stopped by the layer.
    p_harm
        Exact probability that a hazard passes every layer (harm).
    p_harm_independent
        The same for independent layers (the product of ``hole_latent``), for comparison.
    trials, harms, p_harm_simulated, se, ci
        Monte Carlo: number of simulated hazards, how many became harm, their share, its standard
        error sqrt(p(1 − p)/trials) and Wilson's 95 % interval. ``None`` without a simulation.
    trajectories
        For the picture: one row per simulated hazard (the first 10 000), ``trial, stopped_at``
        (the layer that stopped it; 0 = it passed every layer and caused harm). ``None`` without a
        simulation.
    latent, correlation
        The latent-condition multipliers per layer and ρ.
    params
        The arguments of the call.
    """

    table: pd.DataFrame
    p_harm: float
    p_harm_independent: float
    latent: tuple[float, ...]
    correlation: float
    trials: int | None
    harms: int | None
    p_harm_simulated: float | None
    se: float | None
    ci: tuple[float, float] | None
    trajectories: pd.DataFrame | None
    params: Mapping[str, object]

    @property
    def one_in(self) -> float:
        """1 / p_harm: "one hazard in … becomes harm" (``inf`` when p_harm is 0)."""
        return math.inf if self.p_harm == 0 else 1.0 / self.p_harm

    def summary(self) -> pd.DataFrame:
        """One row of key numbers.

        Columns ``layers, p_harm, one_in, p_harm_independent, correlation, trials, harms, p_harm_simulated, se,
        ci_low, ci_high`` (the simulation columns are empty without ``trials``).
        """
        return pd.DataFrame(
            [
                {
                    "layers": len(self.table),
                    "p_harm": self.p_harm,
                    "one_in": self.one_in,
                    "p_harm_independent": self.p_harm_independent,
                    "correlation": self.correlation,
                    "trials": self.trials,
                    "harms": self.harms,
                    "p_harm_simulated": self.p_harm_simulated,
                    "se": self.se,
                    "ci_low": None if self.ci is None else self.ci[0],
                    "ci_high": None if self.ci is None else self.ci[1],
                }
            ]
        )

    def plot(self, ax: Axes | None = None, *, n_show: int = 30, lang: str | None = None) -> Axes:
        """Draw the slices, holes and simulated trajectories; see :func:`qikit.system.plotting.plot_swiss_cheese`."""
        from qikit.system.plotting import plot_swiss_cheese

        return plot_swiss_cheese(self, ax=ax, n_show=n_show, lang=lang)

    def _repr_html_(self) -> str:
        return html_repr("Swiss cheese model", self.summary(), self.table)


def _check_holes(func: str, holes: object) -> tuple[list[str], np.ndarray]:
    if isinstance(holes, Mapping):
        names = [str(k) for k in holes]
        values: object = list(holes.values())
    elif isinstance(holes, str) or not isinstance(holes, Sequence | np.ndarray | pd.Series):
        raise QikitInputError(
            f"{func}(): holes must be a list of probabilities, one per defensive layer (e.g. [0.1, 0.2, 0.05]), "
            f"or a dict {{layer name: probability}}; got {holes!r}."
        )
    else:
        values = list(holes)
        names = [f"L{i}" for i in range(1, len(values) + 1)]
    if len(names) == 0:
        raise QikitInputError(f"{func}(): holes must list at least one defensive layer; got an empty list.")
    out = []
    for name, v in zip(names, values, strict=True):  # type: ignore[call-overload]
        p = check_float(
            func,
            f"holes[{name!r}]",
            v,
            low=0.0,
            high=1.0,
            hint="A hole is the probability that the layer fails, between 0 and 1.",
        )
        out.append(p)
    return names, np.array(out)


def swiss_cheese(
    holes: Sequence[float] | Mapping[str, float],
    *,
    latent: float | Sequence[float] = 1.0,
    trials: int | None = None,
    correlation: float = 0.0,
    rng: RngLike = None,
) -> SwissCheeseResult:
    r"""Probability that a hazard passes every defensive layer, exactly and by simulation.

    Parameters
    ----------
    holes
        For each defensive layer (e.g. prescribing check, pharmacy review, nurse double-check, patient
        ID scan), the probability that it fails to stop a hazard: the size of its hole. A list, or a
        dict ``{layer name: probability}``.
    latent
        Latent conditions (understaffing, poor design, missing training) that widen the holes: a factor
        ≥ 1 for all layers or one per layer. Every hole in force is ``min(1, latent · hole)``.
    trials
        If given, simulate this many hazards and report ``p_harm_simulated`` with its standard error
        and a 95 % confidence interval.
    correlation
        ρ in [0, 1]: how often layers fail together. Each layer, independently with probability ρ, is
        governed by a *shared* condition of the day (a common shock); otherwise by its own condition.
        0 = independent layers; 1 = the holes always line up, so the defences are only as good as
        the best single layer.
    rng
        Seed or generator for the simulation.

    Returns
    -------
    SwissCheeseResult
        ``.p_harm`` (exact), ``.table`` (one row per layer: ``layer, name, hole, hole_latent, p_reach,
        p_pass, p_harm_without`` plus ``reach_sim, stopped_sim`` after a simulation), and the Monte
        Carlo attributes ``.p_harm_simulated``, ``.se``, ``.ci``, ``.trajectories``.

    Notes
    -----
    *Model.* Layer :math:`i` fails (its hole lines up) when its condition :math:`V_i` falls below its
    hole size :math:`h_i = \min(1, \lambda_i h^0_i)`, with :math:`\lambda_i \ge 1` the latent
    factor. Let :math:`U, U_1, \dots, U_k` be independent uniform(0, 1) conditions and
    :math:`C_i \sim \text{Bernoulli}(\rho)`; :math:`V_i = U` if :math:`C_i = 1` (shared condition)
    else :math:`U_i`. Each layer still fails with probability :math:`h_i`; only the lining up changes.
    Harm occurs when every layer fails:

    .. math:: p_{harm} = \int_0^1 \prod_{i=1}^{k} \left[\rho\,\mathbf 1(u < h_i) + (1-\rho)\,h_i\right] du,

    which is :math:`\prod_i h_i` for independent layers (ρ = 0) and :math:`\min_i h_i` for ρ = 1.
    The integrand is piecewise constant, so the integral is an exact finite sum (:func:`p_all_fail`).

    *Simulation.* Each trial draws the conditions above; the estimate :math:`\hat p` is the share of
    trials that pass every layer, with standard error :math:`\sqrt{\hat p(1-\hat p)/n}` and Wilson's
    score interval (which stays sensible when no harm was seen).

    References
    ----------
    Reason J. Human error: models and management. *BMJ* 2000;320:768–770.
    Reason J. *Managing the Risks of Organizational Accidents*. Ashgate; 1997.

    Examples
    --------
    >>> res = swiss_cheese([0.1, 0.2, 0.5])
    >>> round(res.p_harm, 6)
    0.01
    >>> round(swiss_cheese([0.1, 0.2, 0.5], latent=2).p_harm, 6)
    0.08
    >>> sim = swiss_cheese([0.1, 0.2, 0.5], trials=100_000, rng=1)
    >>> sim.ci[0] <= sim.p_harm <= sim.ci[1]
    True
    """
    func = "swiss_cheese"
    names, h0 = _check_holes(func, holes)
    k = len(h0)
    if isinstance(latent, Sequence | np.ndarray) and not isinstance(latent, str):
        lat = [
            check_float(func, "latent", v, low=1.0, hint="To shrink holes, pass smaller holes instead.") for v in latent
        ]
        if len(lat) != k:
            raise QikitInputError(f"{func}(): latent must be one number or one per layer ({k}); got {len(lat)} values.")
        lat_arr = np.array(lat)
    else:
        lat_arr = np.full(
            k, check_float(func, "latent", latent, low=1.0, hint="To shrink holes, pass smaller holes instead.")
        )
    rho = check_float(func, "correlation", correlation, low=0.0, high=1.0)
    n_trials = None if trials is None else check_int(func, "trials", trials, low=1, high=100_000_000)
    h = np.minimum(1.0, lat_arr * h0)

    p_harm = p_all_fail(h, rho)
    p_reach = [p_all_fail(h[:i], rho) for i in range(k)]
    p_pass = [p_all_fail(h[: i + 1], rho) for i in range(k)]
    p_without = [p_all_fail(np.delete(h, i), rho) for i in range(k)]
    table = pd.DataFrame(
        {
            "layer": np.arange(1, k + 1),
            "name": pd.Series(names, dtype="str"),
            "hole": h0,
            "hole_latent": h,
            "p_reach": p_reach,
            "p_pass": p_pass,
            "p_harm_without": p_without,
        }
    )
    harms = p_sim = se = None
    ci = None
    traj = None
    if n_trials is not None:
        gen = as_generator(rng, func)
        stopped_counts = np.zeros(k + 1, dtype=np.int64)  # index 0 = harm, i = stopped by layer i
        kept: list[np.ndarray] = []
        n_kept = 0
        done = 0
        while done < n_trials:
            m = min(_CHUNK, n_trials - done)
            u = gen.random(m)
            coupled = gen.random((m, k)) < rho
            own = gen.random((m, k))
            fail = np.where(coupled, u[:, None], own) < h
            first_block = np.argmin(fail, axis=1) + 1  # first layer that holds
            stopped_at = np.where(fail.all(axis=1), 0, first_block)
            stopped_counts += np.bincount(stopped_at, minlength=k + 1)
            if n_kept < _MAX_STORED_TRAJECTORIES:
                take = stopped_at[: _MAX_STORED_TRAJECTORIES - n_kept]
                kept.append(take)
                n_kept += len(take)
            done += m
        harms = int(stopped_counts[0])
        p_sim = harms / n_trials
        se = math.sqrt(p_sim * (1 - p_sim) / n_trials)
        ci = wilson_interval(harms, n_trials)
        stopped = stopped_counts[1:]
        reached = n_trials - np.concatenate(([0], np.cumsum(stopped)[:-1]))
        table["reach_sim"] = reached / n_trials
        table["stopped_sim"] = stopped / n_trials
        stops = np.concatenate(kept)
        traj = pd.DataFrame({"trial": np.arange(1, len(stops) + 1), "stopped_at": stops.astype(np.int64)})
    params = frozen(
        {
            "holes": dict(zip(names, h0.tolist(), strict=True)),
            "latent": tuple(lat_arr.tolist()),
            "trials": n_trials,
            "correlation": rho,
        }
    )
    return SwissCheeseResult(
        table=table,
        p_harm=p_harm,
        p_harm_independent=float(np.prod(h)),
        latent=tuple(lat_arr.tolist()),
        correlation=rho,
        trials=n_trials,
        harms=harms,
        p_harm_simulated=p_sim,
        se=se,
        ci=ci,
        trajectories=traj,
        params=params,
    )
