"""A PDSA simulator with a hidden true effect, and many small tests versus one big test.

A learner tests a change on a process whose success proportion is ``p0`` without the change and
``p0 + delta`` with it. ``delta`` — the true effect, possibly zero or harmful — is drawn from a seed
and hidden until :meth:`PdsaSimulator.reveal`. Each cycle observes some patients with the change
and, alongside, some without it (the baseline). :func:`decide` turns the pooled observations into a
suggested act, and :func:`compare_strategies` computes, over many hidden truths at once, how often a
testing strategy reaches the right decision, how many patients it exposes to the change, and how
many of them to a harmful change.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
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
    "CycleObservation",
    "Decision",
    "PdsaSimulator",
    "Strategy",
    "StrategyComparison",
    "Truth",
    "compare_strategies",
    "decide",
    "draw_truths",
]

_TEXT = Catalog(
    {
        "adopt": ("innfør", "adopt"),
        "adapt": ("tilpass / test videre", "adapt / keep testing"),
        "abandon": ("forkast", "abandon"),
        "why_adopt": (
            "Observert forbedring {d:+.1%} er større enn terskelen {thr:.1%}.",
            "Observed improvement {d:+.1%} is above the threshold {thr:.1%}.",
        ),
        "why_abandon": (
            "Observert forbedring {d:+.1%} er ikke større enn terskelen {thr:.1%}.",
            "Observed improvement {d:+.1%} is not above the threshold {thr:.1%}.",
        ),
        "why_stop": (
            "Observert forbedring {d:+.1%} ligger {z:.1f} standardfeil under terskelen {thr:.1%}: stopp.",
            "Observed improvement {d:+.1%} is {z:.1f} standard errors below the threshold {thr:.1%}: stop.",
        ),
        "why_continue": (
            "Observert forbedring {d:+.1%} (standardfeil {se:.1%}): for usikkert ennå, test videre.",
            "Observed improvement {d:+.1%} (standard error {se:.1%}): too uncertain yet, keep testing.",
        ),
    }
)


# --------------------------------------------------------------------------------------------------
# the hidden truth


def draw_truths(rng: RngLike, n: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``n`` hidden truths ``(p0, delta)`` from the simulator's prior.

    Notes
    -----
    ``p0 ~ Uniform(0.30, 0.80)``; with probability 0.2 the change does nothing (``delta = 0``),
    otherwise ``delta ~ Normal(0.05, 0.10)`` — most changes help a little, some a lot, about a third
    of the rest harm. Both are rounded to whole percentage points and ``delta`` is clipped so that
    ``p0 + delta`` stays within [0.02, 0.98].

    Examples
    --------
    >>> p0, delta = draw_truths(7, 3)
    >>> p0.shape, bool(((p0 + delta) >= 0.02).all())
    ((3,), True)
    """
    gen = as_generator(rng, "draw_truths")
    p0 = np.round(gen.uniform(0.30, 0.80, size=n), 2)
    zero = gen.random(size=n) < 0.2
    delta = np.round(gen.normal(0.05, 0.10, size=n), 2)
    delta = np.where(zero, 0.0, delta)
    delta = np.clip(delta, 0.02 - p0, 0.98 - p0)
    return p0, np.round(delta, 2)


@dataclass(frozen=True)
class Truth:
    """What the simulator hid; returned by :meth:`PdsaSimulator.reveal`.

    Attributes
    ----------
    p0, delta, p1
        Success proportion without the change, the true effect, and with the change (``p0 + delta``).
    threshold
        Smallest improvement worth adopting.
    beneficial
        ``delta > threshold``; the right decision is then ``"adopt"``, otherwise ``"abandon"``.
    harmful
        ``delta < 0``.
    right_decision
        ``"adopt"`` or ``"abandon"``.
    decision, correct
        The learner's final decision (if given to :meth:`~PdsaSimulator.reveal`) and whether it was right.
    exposed, harm_exposed
        Patients who got the change; the same number if the change is harmful, else 0.
    """

    p0: float
    delta: float
    p1: float
    threshold: float
    beneficial: bool
    harmful: bool
    right_decision: str
    decision: str | None
    correct: bool | None
    exposed: int
    harm_exposed: int


@dataclass(frozen=True)
class CycleObservation:
    """What one simulated cycle observed; see :meth:`PdsaSimulator.run_cycle`.

    Attributes
    ----------
    cycle
        Cycle number (1, 2, …).
    size, successes, proportion
        Patients who got the change, how many had a good outcome, and the proportion.
    baseline_size, baseline_successes, baseline_proportion
        The same for patients observed alongside without the change (``NaN`` proportion if none).
    difference
        ``proportion − baseline_proportion``.
    """

    cycle: int
    size: int
    successes: int
    proportion: float
    baseline_size: int
    baseline_successes: int
    baseline_proportion: float
    difference: float


@dataclass(frozen=True)
class Decision:
    """A suggested act from pooled observations; see :func:`decide`.

    Attributes
    ----------
    act
        ``"adopt"``, ``"adapt"`` (keep testing) or ``"abandon"``.
    difference, se, z
        Observed improvement ``x1/n1 − x0/n0``, its standard error, and
        ``(difference − threshold) / se``.
    threshold
        Smallest improvement worth adopting.
    reason
        One sentence explaining the suggestion.
    """

    act: str
    difference: float
    se: float
    z: float
    threshold: float
    reason: str


def _se(x1: Any, n1: Any, x0: Any, n0: Any) -> Any:
    p1 = (np.asarray(x1, dtype=float) + 1.0) / (np.asarray(n1, dtype=float) + 2.0)
    p0 = (np.asarray(x0, dtype=float) + 1.0) / (np.asarray(n0, dtype=float) + 2.0)
    return np.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0)


def decide(
    successes: int,
    size: int,
    baseline_successes: int,
    baseline_size: int,
    *,
    threshold: float = 0.05,
    final: bool = True,
    stop_z: float | None = 1.0,
    lang: str | None = None,
) -> Decision:
    r"""Suggest adopt / adapt / abandon from pooled test and baseline observations.

    Parameters
    ----------
    successes, size
        Good outcomes and patients *with* the change, pooled over the cycles so far.
    baseline_successes, baseline_size
        The same *without* the change.
    threshold
        Smallest improvement (in proportion points) worth adopting.
    final
        ``True``: this is the last test, choose adopt or abandon. ``False``: a cycle within a series;
        suggest abandoning early only if the evidence is clearly against the change, otherwise keep
        testing ("adapt").
    stop_z
        For ``final=False``: abandon early when the observed improvement is more than ``stop_z``
        standard errors below the threshold; ``None`` never stops early.
    lang
        Language of the reason.

    Returns
    -------
    Decision

    Notes
    -----
    With :math:`d = x_1/n_1 - x_0/n_0` and :math:`\mathrm{se} = \sqrt{\tilde p_1(1-\tilde p_1)/n_1
    + \tilde p_0(1-\tilde p_0)/n_0}`, where :math:`\tilde p = (x+1)/(n+2)` (so a 0/5 or 5/5 result
    still has a standard error), and :math:`z = (d - \text{threshold})/\mathrm{se}`:

    * final: **adopt** if :math:`d > \text{threshold}`, else **abandon**;
    * not final: **abandon** if :math:`z < -\text{stop\_z}`, else **adapt** (keep testing).

    This is a teaching rule that makes the act explicit and repeatable, not a significance test; it
    is the rule :func:`compare_strategies` evaluates.

    Examples
    --------
    >>> decide(14, 20, 10, 20, threshold=0.05, lang="en").act
    'adopt'
    >>> decide(2, 10, 7, 10, final=False, lang="en").act
    'abandon'
    """
    func = "decide"
    lang_ = check_lang(lang, func)
    for arg, x, n in (("successes", successes, size), ("baseline_successes", baseline_successes, baseline_size)):
        if not (isinstance(x, int | np.integer) and isinstance(n, int | np.integer)) or not 0 <= x <= n:
            raise QikitInputError(f"{func}(): {arg} must be a whole number from 0 to its size; got {x!r} of {n!r}.")
    if size < 1 or baseline_size < 1:
        raise QikitInputError(
            f"{func}(): need at least one patient with the change and one baseline patient; got size = {size}, "
            f"baseline_size = {baseline_size}. Observe a baseline alongside the test (or from before it)."
        )
    threshold = float(threshold)
    d = successes / size - baseline_successes / baseline_size
    se = float(_se(successes, size, baseline_successes, baseline_size))
    z = (d - threshold) / se
    if final:
        act = "adopt" if d > threshold + 1e-12 else "abandon"
        reason = _TEXT.get("why_adopt" if act == "adopt" else "why_abandon", lang_, d=d, thr=threshold)
    elif stop_z is not None and z < -stop_z:
        act = "abandon"
        reason = _TEXT.get("why_stop", lang_, d=d, z=-z, thr=threshold)
    else:
        act = "adapt"
        reason = _TEXT.get("why_continue", lang_, d=d, se=se)
    return Decision(act=act, difference=d, se=se, z=z, threshold=threshold, reason=reason)


def _check_size(func: str, arg: str, value: Any, low: int = 1, high: int = 100_000) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not low <= value <= high:
        raise QikitInputError(f"{func}(): {arg} must be a whole number from {low} to {high}; got {value!r}.")
    return int(value)


def _check_p(func: str, arg: str, value: Any) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        x = math.nan
    if not 0.0 <= x <= 1.0:
        raise QikitInputError(f"{func}(): {arg} must be a proportion in [0, 1]; got {value!r}.")
    return x


class PdsaSimulator:
    """A process with a hidden true change effect, for practising PDSA cycles.

    Parameters
    ----------
    rng
        Seed or generator. The seed fixes the hidden truth *and* every observation: the same seed and
        the same sequence of cycles give identical results.
    p0
        Success proportion without the change; drawn from the prior if ``None``.
    delta
        True effect of the change (``p1 = p0 + delta``; may be zero or negative); drawn if ``None``.
    threshold
        Smallest improvement worth adopting (proportion points); defines the right decision.
    history
        Baseline patients observed before testing starts (a run chart's worth), included in the
        pooled baseline.
    lang
        Language of the decision reasons.

    Notes
    -----
    Each patient with the change has a good outcome with probability ``p1``, each baseline patient
    with probability ``p0``, independently (binomial sampling). The prior for the hidden truth is
    that of :func:`draw_truths`. Testing on a small scale first, learning from each cycle and
    growing the scale as confidence grows is the PDSA ramp of Langley et al. (2009).

    References
    ----------
    .. [1] Langley, G. J., Moen, R. D., Nolan, K. M., Nolan, T. W., Norman, C. L., & Provost, L. P.
       (2009). *The Improvement Guide* (2nd ed.). Jossey-Bass.

    Examples
    --------
    >>> sim = PdsaSimulator(rng=42)
    >>> obs = sim.run_cycle(size=10)
    >>> obs.cycle, obs.size, 0 <= obs.successes <= 10
    (1, 10, True)
    >>> sim.decide(final=True, lang="en").act in {"adopt", "abandon"}
    True
    >>> truth = sim.reveal()
    >>> truth.right_decision in {"adopt", "abandon"}
    True
    """

    def __init__(
        self,
        *,
        rng: RngLike = None,
        p0: float | None = None,
        delta: float | None = None,
        threshold: float = 0.05,
        history: int = 0,
        lang: str | None = None,
    ) -> None:
        func = "PdsaSimulator"
        self._gen = as_generator(rng, func)
        p0_d, delta_d = draw_truths(self._gen, 1)
        p0_ = float(p0_d[0]) if p0 is None else _check_p(func, "p0", p0)
        delta_ = float(delta_d[0]) if delta is None else float(delta)
        if not 0.0 <= p0_ + delta_ <= 1.0:
            raise QikitInputError(f"{func}(): p0 + delta must be a proportion in [0, 1]; got {p0_ + delta_:g}.")
        self._p0 = p0_
        self._delta = delta_
        self.threshold = float(threshold)
        self.lang = check_lang(lang, func)
        self.history = _check_size(func, "history", history, 0)
        self.history_successes = int(self._gen.binomial(self.history, p0_)) if self.history else 0
        self._obs: list[CycleObservation] = []
        self.params: dict[str, object] = {
            "rng": rng if isinstance(rng, int | None) else "Generator",
            "threshold": self.threshold,
            "history": self.history,
            "p0_given": p0,
            "delta_given": delta,
        }

    def __repr__(self) -> str:
        return f"PdsaSimulator(cycles={len(self._obs)}, exposed={self.exposed}, truth=hidden)"

    # -- cycles ------------------------------------------------------------------------------------
    def run_cycle(self, size: int = 10, *, baseline_size: int | None = None) -> CycleObservation:
        """Test the change on ``size`` patients and observe ``baseline_size`` (default ``size``) without it.

        Returns
        -------
        CycleObservation
        """
        func = "PdsaSimulator.run_cycle"
        size = _check_size(func, "size", size)
        b = size if baseline_size is None else _check_size(func, "baseline_size", baseline_size, 0)
        x1 = int(self._gen.binomial(size, self._p0 + self._delta))
        x0 = int(self._gen.binomial(b, self._p0)) if b else 0
        p_hat0 = x0 / b if b else math.nan
        obs = CycleObservation(
            cycle=len(self._obs) + 1,
            size=size,
            successes=x1,
            proportion=x1 / size,
            baseline_size=b,
            baseline_successes=x0,
            baseline_proportion=p_hat0,
            difference=x1 / size - p_hat0,
        )
        self._obs.append(obs)
        return obs

    @property
    def observations(self) -> tuple[CycleObservation, ...]:
        """The cycles run so far."""
        return tuple(self._obs)

    @property
    def exposed(self) -> int:
        """Patients who have had the change so far."""
        return sum(o.size for o in self._obs)

    @property
    def table(self) -> pd.DataFrame:
        """One row per cycle run so far.

        Columns: ``cycle``, ``size``, ``successes``, ``proportion``, ``baseline_size``,
        ``baseline_successes``, ``baseline_proportion``, ``difference``, and the pooled running
        values ``pooled_difference``, ``pooled_se`` (including the history) and ``exposed``.
        """
        cols = [
            "cycle",
            "size",
            "successes",
            "proportion",
            "baseline_size",
            "baseline_successes",
            "baseline_proportion",
            "difference",
        ]
        df = pd.DataFrame([o.__dict__ for o in self._obs], columns=cols)
        n1 = df["size"].cumsum()
        x1 = df["successes"].cumsum()
        n0 = df["baseline_size"].cumsum() + self.history
        x0 = df["baseline_successes"].cumsum() + self.history_successes
        with np.errstate(invalid="ignore", divide="ignore"):
            df["pooled_difference"] = x1 / n1 - x0 / n0.where(n0 > 0)
            df["pooled_se"] = _se(x1, n1, x0, n0.where(n0 > 0))
        df["exposed"] = n1.astype("int64")
        return df

    def pooled(self) -> dict[str, int]:
        """Pooled counts so far: ``successes``, ``size``, ``baseline_successes``, ``baseline_size``."""
        return {
            "successes": sum(o.successes for o in self._obs),
            "size": self.exposed,
            "baseline_successes": sum(o.baseline_successes for o in self._obs) + self.history_successes,
            "baseline_size": sum(o.baseline_size for o in self._obs) + self.history,
        }

    def decide(self, *, final: bool = False, stop_z: float | None = 1.0, lang: str | None = None) -> Decision:
        """Apply :func:`decide` to the pooled observations so far."""
        if not self._obs:
            raise QikitInputError("PdsaSimulator.decide(): run at least one cycle first (run_cycle).")
        return decide(**self.pooled(), threshold=self.threshold, final=final, stop_z=stop_z, lang=lang or self.lang)

    def reveal(self, decision: str | None = None) -> Truth:
        """Reveal the hidden truth, and judge ``decision`` (``"adopt"``/``"abandon"``, or Norwegian) if given."""
        from qikit.pdsa.records import parse_act

        act = parse_act(decision, "PdsaSimulator.reveal") if decision is not None else None
        if act == "adapt":
            raise QikitInputError(
                "PdsaSimulator.reveal(): the final decision must be 'adopt' or 'abandon'; 'adapt' means keep testing."
            )
        beneficial = self._delta > self.threshold + 1e-12
        right = "adopt" if beneficial else "abandon"
        harmful = self._delta < -1e-12
        return Truth(
            p0=self._p0,
            delta=self._delta,
            p1=self._p0 + self._delta,
            threshold=self.threshold,
            beneficial=bool(beneficial),
            harmful=bool(harmful),
            right_decision=right,
            decision=act,
            correct=None if act is None else act == right,
            exposed=self.exposed,
            harm_exposed=self.exposed if harmful else 0,
        )

    def plot(self, ax: Axes | None = None, *, lang: str | None = None, **style: Any) -> Axes:
        """Draw each cycle's proportion with and without the change, and the pooled difference."""
        from qikit.pdsa.plotting import plot_simulation

        return plot_simulation(self, ax=ax, lang=lang or self.lang, **style)


# --------------------------------------------------------------------------------------------------
# strategies


@dataclass(frozen=True)
class Strategy:
    """A testing strategy: a sequence of cycle sizes and an early-stopping rule.

    Parameters
    ----------
    name
        Label in tables and plots.
    sizes
        Patients with the change in each cycle, e.g. ``(10, 10, 10, 10, 10)`` (many small tests),
        ``(5, 10, 20)`` (a ramp) or ``(50,)`` (one big test). Each cycle also observes the same
        number of baseline patients.
    stop_z
        Abandon after a cycle (before the last) when the pooled improvement is more than ``stop_z``
        standard errors below the threshold (see :func:`decide`); ``None``: never stop early.
    """

    name: str
    sizes: tuple[int, ...]
    stop_z: float | None = 1.0

    def __post_init__(self) -> None:
        sizes = tuple(self.sizes) if isinstance(self.sizes, Iterable) else (self.sizes,)
        if not sizes:
            raise QikitInputError(f"Strategy(): {self.name!r} needs at least one cycle size.")
        object.__setattr__(
            self, "sizes", tuple(_check_size("Strategy", f"sizes of {self.name!r}", s, 1, 2000) for s in sizes)
        )
        if self.stop_z is not None and not (isinstance(self.stop_z, int | float) and self.stop_z >= 0):
            raise QikitInputError(f"Strategy(): stop_z must be a number ≥ 0 or None; got {self.stop_z!r}.")

    @property
    def total(self) -> int:
        """Most patients the strategy can expose (all cycles run)."""
        return sum(self.sizes)

    def describe(self) -> str:
        """Return e.g. ``"5 × 10"`` or ``"5 → 10 → 20"``."""
        if len(set(self.sizes)) == 1 and len(self.sizes) > 1:
            return f"{len(self.sizes)} × {self.sizes[0]}"
        return " → ".join(map(str, self.sizes))


DEFAULT_STRATEGIES: tuple[Strategy, ...] = (
    Strategy("small", (10, 10, 10, 10, 10), stop_z=1.0),
    Strategy("big", (50,), stop_z=None),
)


def _as_strategies(strategies: Any) -> tuple[Strategy, ...]:
    if strategies is None:
        return DEFAULT_STRATEGIES
    if isinstance(strategies, Strategy):
        return (strategies,)
    if isinstance(strategies, Mapping):
        out = tuple(s if isinstance(s, Strategy) else Strategy(str(k), tuple(s)) for k, s in strategies.items())
    else:
        items = list(strategies)
        out = tuple(s if isinstance(s, Strategy) else Strategy(str(s[0]), tuple(s[1])) for s in items)
    if not out:
        raise QikitInputError("compare_strategies(): give at least one strategy.")
    names = [s.name for s in out]
    if len(set(names)) != len(names):
        raise QikitInputError(f"compare_strategies(): strategy names must be unique; got {names}.")
    return out


def _log_choose(n: int) -> np.ndarray:
    k = np.arange(n + 1)
    lg = np.array([math.lgamma(i + 1) for i in range(n + 1)])
    return lg[n] - lg[k] - lg[n - k]


def _binom_pmf(n: int, p: np.ndarray) -> np.ndarray:
    """Return the binomial pmf for each p: shape ``(len(p), n + 1)``, exact to rounding."""
    k = np.arange(n + 1)[None, :]
    pp = np.asarray(p, dtype=float)[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        logp = np.where(k > 0, k * np.log(pp), 0.0) + np.where(n - k > 0, (n - k) * np.log1p(-pp), 0.0)
    out = np.exp(_log_choose(n)[None, :] + logp)
    out = np.nan_to_num(out, nan=0.0)
    return out / out.sum(axis=1, keepdims=True)


def _toeplitz(pmf: np.ndarray, a: int) -> np.ndarray:
    """Return ``T`` with ``T[:, j, i] = pmf[:, j - i]``: ``T @ m`` convolves ``m`` (length ``a``) with ``pmf``."""
    s1 = pmf.shape[1]
    lag = np.arange(a + s1 - 1)[:, None] - np.arange(a)[None, :]
    lag = np.where((lag >= 0) & (lag < s1), lag, s1)  # out of band -> the appended zero column
    padded = np.concatenate([pmf, np.zeros((pmf.shape[0], 1))], axis=1)
    return padded[:, lag]


def _exact(strategy: Strategy, p0: np.ndarray, p1: np.ndarray, threshold: float, history: int) -> dict[str, np.ndarray]:
    """Exact decision probabilities and expected exposure for one strategy, vectorised over truths."""
    n_sims = len(p0)
    mass = np.zeros((n_sims, 1, history + 1))
    mass[:, 0, :] = _binom_pmf(history, p0) if history else 1.0
    alive = np.ones(n_sims)
    exposed = np.zeros(n_sims)
    stopped = np.zeros(n_sims)
    n1 = 0
    n0 = history
    k_last = len(strategy.sizes) - 1
    for k, s in enumerate(strategy.sizes):
        exposed += s * alive
        t1 = _toeplitz(_binom_pmf(s, p1), mass.shape[1])
        t0 = _toeplitz(_binom_pmf(s, p0), mass.shape[2])
        mass = np.einsum("sij,sjk,slk->sil", t1, mass, t0, optimize=True)
        n1 += s
        n0 += s
        x1 = np.arange(n1 + 1)[:, None]
        x0 = np.arange(n0 + 1)[None, :]
        d = x1 / n1 - x0 / n0
        if k < k_last and strategy.stop_z is not None:
            z = (d - threshold) / _se(x1, n1, x0, n0)
            stop = z < -strategy.stop_z
            p_stop = mass.reshape(n_sims, -1) @ stop.ravel().astype(float)
            stopped += p_stop
            alive = alive - p_stop
            mass *= ~stop
    adopt_mask = d > threshold + 1e-12
    p_adopt = mass.reshape(n_sims, -1) @ adopt_mask.ravel().astype(float)
    return {"p_adopt": np.clip(p_adopt, 0.0, 1.0), "exposed": exposed, "p_stopped": stopped}


def _simulate(
    strategy: Strategy, p0: np.ndarray, p1: np.ndarray, threshold: float, history: int, gen: np.random.Generator
) -> dict[str, np.ndarray]:
    n_sims = len(p0)
    sizes = np.asarray(strategy.sizes)
    x1 = gen.binomial(sizes[None, :], p1[:, None])
    x0 = gen.binomial(sizes[None, :], p0[:, None])
    h = gen.binomial(history, p0) if history else np.zeros(n_sims, dtype=np.int64)
    cx1 = np.cumsum(x1, axis=1)
    cx0 = np.cumsum(x0, axis=1) + h[:, None]
    cn1 = np.cumsum(sizes)[None, :]
    cn0 = cn1 + history
    d = cx1 / cn1 - cx0 / cn0
    k_last = len(sizes) - 1
    if strategy.stop_z is not None and k_last > 0:
        z = (d - threshold) / _se(cx1, cn1, cx0, cn0)
        stop = z[:, :k_last] < -strategy.stop_z
        any_stop = stop.any(axis=1)
        first = np.where(any_stop, stop.argmax(axis=1), k_last)
    else:
        any_stop = np.zeros(n_sims, dtype=bool)
        first = np.full(n_sims, k_last)
    final_d = d[np.arange(n_sims), k_last]
    adopt = (~any_stop) & (final_d > threshold + 1e-12)
    exposed = np.cumsum(sizes)[first]
    return {"p_adopt": adopt.astype(float), "exposed": exposed.astype(float), "p_stopped": any_stop.astype(float)}


@dataclass(frozen=True, eq=False)
class StrategyComparison:
    """Testing strategies compared over many hidden truths; see :func:`compare_strategies`.

    Attributes
    ----------
    strategies
        The :class:`Strategy` objects compared.
    table
        One row per truth and strategy: ``sim``, ``strategy``, ``p0``, ``delta``, ``beneficial``,
        ``harmful``, ``p_adopt`` (probability of adopting; 0/1 when simulated), ``p_right``,
        ``p_stopped`` (stopped early), ``exposed`` (expected patients with the change), ``sample``
        (expected patients observed, change + concurrent baseline), ``harm_exposed`` (expected
        patients given a harmful change), ``excess_failures`` (expected extra bad outcomes caused
        by the change during testing, ``exposed × max(0, −delta)``).
    params
        The call's parameters.
    """

    strategies: tuple[Strategy, ...]
    table: pd.DataFrame
    params: Mapping[str, object] = field(default_factory=dict)

    def summary(self) -> pd.DataFrame:
        """Return one row per strategy.

        Columns: ``strategy``, ``sizes``, ``max_exposed``, ``p_right`` (share of right decisions),
        ``p_adopt_beneficial`` (adopting a change that is beneficial beyond the threshold),
        ``p_abandon_other`` (abandoning one that is not), ``p_adopt_harmful`` (adopting a harmful
        change), ``exposed``, ``sample``, ``harm_exposed``, ``excess_failures`` (means per truth),
        ``n_sims``.
        """
        rows = []
        for s in self.strategies:
            t = self.table[self.table.strategy == s.name]
            ben = t[t.beneficial]
            oth = t[~t.beneficial]
            harm = t[t.harmful]
            rows.append(
                {
                    "strategy": s.name,
                    "sizes": s.describe(),
                    "max_exposed": s.total,
                    "p_right": float(t.p_right.mean()),
                    "p_adopt_beneficial": float(ben.p_adopt.mean()) if len(ben) else math.nan,
                    "p_abandon_other": float(1 - oth.p_adopt.mean()) if len(oth) else math.nan,
                    "p_adopt_harmful": float(harm.p_adopt.mean()) if len(harm) else math.nan,
                    "exposed": float(t.exposed.mean()),
                    "sample": float(t["sample"].mean()),
                    "harm_exposed": float(t.harm_exposed.mean()),
                    "excess_failures": float(t.excess_failures.mean()),
                    "n_sims": len(t),
                }
            )
        return pd.DataFrame(rows)

    def plot(self, ax: Axes | None = None, *, lang: str | None = None, **style: Any) -> Axes:
        """Draw right decisions against patients exposed, one point per strategy."""
        from qikit.pdsa.plotting import plot_strategies

        return plot_strategies(self, ax=ax, lang=lang, **style)

    def _repr_html_(self) -> str:
        return self.summary().to_html(index=False, float_format="{:.3f}".format)


def compare_strategies(
    strategies: Sequence[Strategy] | Mapping[str, Sequence[int]] | None = None,
    *,
    n_sims: int = 2000,
    p0: float | Sequence[float] | np.ndarray | None = None,
    delta: float | Sequence[float] | np.ndarray | None = None,
    threshold: float = 0.05,
    history: int = 0,
    method: Literal["exact", "simulate"] = "exact",
    rng: RngLike = None,
) -> StrategyComparison:
    r"""Compare testing strategies (many small tests vs one big test) over many hidden truths.

    Parameters
    ----------
    strategies
        :class:`Strategy` objects, or ``{name: sizes}``. Default: ``small`` = 5 cycles of 10 patients
        with early abandoning (``stop_z = 1``), and ``big`` = one test of 50.
    n_sims
        Number of hidden truths drawn from the prior of :func:`draw_truths` (ignored when both
        ``p0`` and ``delta`` are given).
    p0, delta
        Fix the truth instead of drawing it: scalars or arrays (broadcast together), e.g.
        ``delta=np.linspace(-0.2, 0.3, 51)`` for a curve of decisions against the true effect.
    threshold
        Smallest improvement worth adopting; adopting is right iff ``delta > threshold``.
    history
        Baseline patients observed before testing (added to every strategy's baseline).
    method
        ``"exact"`` (default): for each truth, the probability of every outcome is computed exactly
        by dynamic programming over the binomial distributions — no sampling noise. ``"simulate"``:
        one random run per truth (0/1 outcomes), for comparison with what learners see.
    rng
        Seed or generator for the truths (and the runs when simulating).

    Returns
    -------
    StrategyComparison
        ``.table`` (one row per truth and strategy), ``.summary()`` (one row per strategy), ``.plot()``.

    Notes
    -----
    Each cycle of size :math:`s` gives :math:`X_1 \sim \mathrm{Bin}(s, p_0+\delta)` good outcomes
    with the change and :math:`X_0 \sim \mathrm{Bin}(s, p_0)` in the baseline. After every cycle but
    the last, the pooled result is checked with the rule of :func:`decide` (``final=False``) and the
    test is abandoned early if it is clearly not good enough; after the last cycle the change is
    adopted iff the pooled difference exceeds ``threshold`` (:func:`decide`, ``final=True``).

    *Exact method.* For each truth the joint distribution of the pooled counts
    :math:`(\sum X_1, \sum X_0)` is propagated cycle by cycle as a matrix of probabilities (a
    two-dimensional convolution, done as batched matrix products over all truths at once); the mass
    of states that stop early is removed and booked. The probability of adopting, of stopping early
    and the expected exposure :math:`\sum_k s_k\,P(\text{still testing before cycle } k)` follow
    exactly. Averages over truths are then Monte Carlo over the prior only.

    Right decision: adopt iff :math:`\delta > \text{threshold}`. Cost: patients exposed to the
    change (and the sample including baseline). Risk: patients exposed when :math:`\delta < 0`,
    the probability of adopting a harmful change, and the expected extra bad outcomes during testing.

    References
    ----------
    .. [1] Langley, G. J. et al. (2009). *The Improvement Guide* (2nd ed.). Jossey-Bass, ch. 7
       (testing on a small scale, increasing the scale as the degree of belief grows).

    Examples
    --------
    >>> res = compare_strategies(n_sims=500, rng=1)
    >>> res.summary()[["strategy", "sizes", "max_exposed"]].to_dict("list")
    {'strategy': ['small', 'big'], 'sizes': ['5 × 10', '50'], 'max_exposed': [50, 50]}
    >>> s = res.summary().set_index("strategy")
    >>> bool(s.loc["small", "harm_exposed"] < s.loc["big", "harm_exposed"])
    True
    """
    func = "compare_strategies"
    strats = _as_strategies(strategies)
    check_choice(func, "method", method, ("exact", "simulate"))
    history = _check_size(func, "history", history, 0, 100_000)
    threshold = float(threshold)
    gen = as_generator(rng, func)
    if p0 is None or delta is None:
        n_sims = _check_size(func, "n_sims", n_sims, 1, 1_000_000)
        p0_d, delta_d = draw_truths(gen, n_sims)
        p0_a = p0_d if p0 is None else np.broadcast_to(np.asarray(p0, dtype=float), p0_d.shape).copy()
        delta_a = delta_d if delta is None else np.broadcast_to(np.asarray(delta, dtype=float), p0_d.shape).copy()
    else:
        p0_a, delta_a = (np.atleast_1d(np.asarray(x, dtype=float)) for x in np.broadcast_arrays(p0, delta))
        p0_a, delta_a = p0_a.ravel().copy(), delta_a.ravel().copy()
    p1_a = p0_a + delta_a
    if np.any((p0_a < 0) | (p0_a > 1) | (p1_a < -1e-12) | (p1_a > 1 + 1e-12)):
        raise QikitInputError(f"{func}(): p0 and p0 + delta must be proportions in [0, 1].")
    p1_a = np.clip(p1_a, 0.0, 1.0)
    beneficial = delta_a > threshold + 1e-12
    harmful = delta_a < -1e-12
    frames = []
    for s in strats:
        if method == "exact":
            # chunk to bound memory: states (sum sizes + 1) x (sum sizes + history + 1) per truth
            per = (s.total + 1) * (s.total + history + 1)
            chunk = max(1, int(4_000_000 // per))
            parts = [
                _exact(s, p0_a[i : i + chunk], p1_a[i : i + chunk], threshold, history)
                for i in range(0, len(p0_a), chunk)
            ]
            out = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
        else:
            out = _simulate(s, p0_a, p1_a, threshold, history, gen)
        p_adopt = out["p_adopt"]
        exposed = out["exposed"]
        frames.append(
            pd.DataFrame(
                {
                    "sim": np.arange(len(p0_a)),
                    "strategy": s.name,
                    "p0": p0_a,
                    "delta": delta_a,
                    "beneficial": beneficial,
                    "harmful": harmful,
                    "p_adopt": p_adopt,
                    "p_right": np.where(beneficial, p_adopt, 1.0 - p_adopt),
                    "p_stopped": out["p_stopped"],
                    "exposed": exposed,
                    "sample": 2.0 * exposed,
                    "harm_exposed": np.where(harmful, exposed, 0.0),
                    "excess_failures": exposed * np.maximum(0.0, -delta_a),
                }
            )
        )
    table = pd.concat(frames, ignore_index=True)
    return StrategyComparison(
        strategies=strats,
        table=table,
        params={
            "n_sims": len(p0_a),
            "threshold": threshold,
            "history": history,
            "method": method,
            "rng": rng if isinstance(rng, int | None) else "Generator",
        },
    )
