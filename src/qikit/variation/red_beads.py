"""Deming's red bead experiment: a stable system whose "workers" cannot change the result.

Compute layer: :func:`red_beads` draws the beads and returns a :class:`RedBeadsResult`; its
:meth:`~RedBeadsResult.np_chart` and :meth:`~RedBeadsResult.ranking` give the two views the lesson needs.
Drawing lives in :mod:`qikit.variation.plotting`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from qikit._common import check_float, check_int, frozen, html_repr
from qikit._errors import QikitInputError, check_choice
from qikit._rng import RngLike, as_generator

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["DEFAULT_WORKERS", "NpChart", "RedBeadsResult", "red_bead_distribution", "red_beads", "red_beads_from_table"]

#: Names used when ``workers`` is a number. Deming's demonstration used six "willing workers".
DEFAULT_WORKERS: tuple[str, ...] = (
    "Kari",
    "Ola",
    "Ingrid",
    "Jonas",
    "Nora",
    "Emil",
    "Sara",
    "Ali",
    "Maja",
    "Henrik",
    "Aisha",
    "Petter",
)


def red_bead_distribution(
    *, paddle: int = 50, red: int = 800, white: int = 3200, paddle_bias: float = 0.0
) -> pd.DataFrame:
    r"""Exact distribution of the number of red beads on one paddle.

    Parameters
    ----------
    paddle
        Number of holes in the paddle (beads drawn per draw).
    red, white
        Beads of each colour in the bowl.
    paddle_bias
        Log odds ratio ``b`` of catching a red rather than a white bead; 0 is a fair draw.

    Returns
    -------
    pandas.DataFrame
        Columns ``red`` (0 … paddle, only the possible values) and ``probability``.

    Notes
    -----
    Fisher's noncentral hypergeometric distribution with odds ratio :math:`\omega = e^{b}`:

    .. math:: P(X = x) \propto \binom{R}{x}\binom{W}{n - x}\,\omega^{x},

    for :math:`\max(0, n - W) \le x \le \min(n, R)`. With :math:`b = 0` this is the ordinary
    hypergeometric distribution of a fair draw without replacement.

    Examples
    --------
    >>> d = red_bead_distribution()
    >>> round(float((d["red"] * d["probability"]).sum()), 6)
    10.0
    """
    func = "red_bead_distribution"
    paddle, red, white, bias = _check_bowl(func, paddle, red, white, paddle_bias)
    support, pmf = _pmf(paddle, red, white, bias)
    return pd.DataFrame({"red": support, "probability": pmf})


def red_beads(
    *,
    workers: int | Sequence[str] = 6,
    days: int = 4,
    paddle: int = 50,
    red: int = 800,
    white: int = 3200,
    paddle_bias: float = 0.0,
    rng: RngLike = None,
) -> RedBeadsResult:
    r"""Simulate Deming's red bead experiment.

    Each day every worker in turn dips the paddle into the bowl and draws ``paddle`` beads
    *without replacement*; the beads are counted, returned and the bowl is stirred before the
    next draw, as in Deming's demonstration. The "product" is white beads; red beads are defects
    the workers cannot avoid: the system (bowl, paddle, procedure) decides the result.

    Parameters
    ----------
    workers
        The number of willing workers (named from :data:`DEFAULT_WORKERS`) or their names.
    days
        Working days; every worker draws once a day.
    paddle
        Holes in the paddle, i.e. beads per draw (Deming: 50).
    red, white
        Beads of each colour in the bowl (Deming: 800 red and 3200 white, 20 % red).
    paddle_bias
        Tilts the draw: the log odds ratio ``b`` with which a red bead is caught rather than a white
        one. ``0`` is a fair draw (hypergeometric); ``b > 0`` favours red beads, ``b < 0`` white
        ones (e.g. smaller or lighter beads, a worn paddle). ``b = log(1.2) ≈ 0.18`` makes every red
        bead 1.2 times as likely to be caught as a white one.
    rng
        Seed or generator; the same seed gives the same table.

    Returns
    -------
    RedBeadsResult
        ``.table`` has one row per draw with columns ``worker, day, red, white, share, draw``
        (``share`` = red / paddle; ``draw`` = 1, 2, … in the order of drawing).

    Notes
    -----
    The number of red beads in one draw follows Fisher's noncentral hypergeometric distribution
    with odds ratio :math:`\omega = e^{b}` (see :func:`red_bead_distribution`). With
    :math:`b = 0` it is hypergeometric with

    .. math:: E[X] = n p, \quad \operatorname{Var}[X] = n p (1 - p) \frac{N - n}{N - 1},

    where :math:`n` = paddle, :math:`N` = red + white and :math:`p` = red / N
    (50 · 0.2 = 10 red beads expected, variance 7.90). Draws are independent because the beads are
    returned between draws. Each draw is made by inverting the exact distribution function at a
    uniform random number, so a small change in ``paddle_bias`` with the same seed changes the counts
    only a little. Deming noted that real paddles are *mechanical* rather than random samplers and
    that long-run averages differ from n·p; ``paddle_bias`` lets a class explore that.

    References
    ----------
    Deming WE. *Out of the Crisis*. MIT CAES; 1986, chapter 11.
    Deming WE. *The New Economics for Industry, Government, Education*. MIT CAES; 1993, chapter 7.

    Examples
    --------
    >>> res = red_beads(rng=1)
    >>> res.table.columns.tolist()[:3]
    ['worker', 'day', 'red']
    >>> len(res.table)
    24
    >>> bool(round(res.np_chart().cl, 2) == round(res.table["red"].mean(), 2))
    True
    """
    func = "red_beads"
    names = _check_workers(func, workers)
    days = check_int(func, "days", days, low=1, high=100_000)
    paddle, red, white, bias = _check_bowl(func, paddle, red, white, paddle_bias)
    gen = as_generator(rng, func)

    support, pmf = _pmf(paddle, red, white, bias)
    cdf = np.cumsum(pmf)
    cdf[-1] = 1.0
    k = days * len(names)
    u = gen.random(k)
    counts = support[np.minimum(np.searchsorted(cdf, u, side="right"), len(support) - 1)]

    table = pd.DataFrame(
        {
            "worker": np.tile(np.array(names, dtype=object), days),
            "day": np.repeat(np.arange(1, days + 1), len(names)),
            "red": counts.astype(np.int64),
        }
    )
    table["worker"] = table["worker"].astype("str")
    table["white"] = paddle - table["red"]
    table["share"] = table["red"] / paddle
    table["draw"] = np.arange(1, k + 1)
    mean = float(np.dot(support, pmf))
    var = float(np.dot((support - mean) ** 2, pmf))
    params = frozen(
        {
            "workers": tuple(names),
            "days": days,
            "paddle": paddle,
            "red": red,
            "white": white,
            "paddle_bias": bias,
        }
    )
    return RedBeadsResult(
        table=table,
        workers=tuple(names),
        paddle=paddle,
        p_bowl=red / (red + white),
        expected_mean=mean,
        expected_var=var,
        params=params,
    )


def red_beads_from_table(
    table: pd.DataFrame, *, paddle: int | None = None, red: int = 800, white: int = 3200
) -> RedBeadsResult:
    """A recorded red bead run (e.g. from class, or ``qikit.datasets.load("red_beads")``) as a result object.

    Parameters
    ----------
    table
        One row per draw with columns ``worker, day, red`` and, unless ``paddle`` is given, ``paddle``
        (the same for every row).
    paddle
        Beads per draw, if the table has no ``paddle`` column.
    red, white
        The bowl, for the theoretical limits (``np_chart(basis="bowl")``) and the expected values.

    Returns
    -------
    RedBeadsResult
        The same object :func:`red_beads` returns, rows in drawing order (by day, then in the order the
        workers first appear), so ``.np_chart()``, ``.ranking()`` and the plots work on real data.

    Examples
    --------
    >>> rec = pd.DataFrame({"day": [1, 1, 2, 2], "worker": ["A", "B", "A", "B"], "red": [9, 12, 7, 10]})
    >>> res = red_beads_from_table(rec, paddle=50)
    >>> round(res.np_chart().cl, 2)
    9.5
    """
    func = "red_beads_from_table"
    if not isinstance(table, pd.DataFrame):
        raise QikitInputError(f"{func}(): table must be a DataFrame with columns worker, day, red.")
    missing = [c for c in ("worker", "day", "red") if c not in table.columns]
    if missing:
        raise QikitInputError(f"{func}(): table needs the columns worker, day, red; missing {missing}.")
    if paddle is None:
        if "paddle" not in table.columns:
            raise QikitInputError(f"{func}(): give paddle=50 (beads per draw) or a 'paddle' column.")
        sizes = pd.unique(table["paddle"])
        if len(sizes) != 1:
            raise QikitInputError(f"{func}(): every draw must use the same paddle; got sizes {sorted(sizes)}.")
        paddle = int(sizes[0])
    paddle_i, red_i, white_i, _ = _check_bowl(func, paddle, red, white, 0.0)
    if table["red"].isna().any() or table["worker"].isna().any() or table["day"].isna().any():
        raise QikitInputError(f"{func}(): worker, day and red must have no missing values.")
    counts = pd.to_numeric(table["red"], errors="coerce")
    if counts.isna().any() or (counts < 0).any() or (counts > paddle_i).any() or (counts % 1 != 0).any():
        raise QikitInputError(f"{func}(): red must be whole numbers between 0 and paddle = {paddle_i}.")
    workers = list(dict.fromkeys(str(w) for w in table["worker"]))
    t = pd.DataFrame(
        {
            "worker": table["worker"].astype(str).to_numpy(),
            "day": table["day"].to_numpy(),
            "red": counts.astype(np.int64).to_numpy(),
        }
    )
    t["_w"] = t["worker"].map({w: i for i, w in enumerate(workers)})
    t = t.sort_values(["day", "_w"], kind="stable").drop(columns="_w").reset_index(drop=True)
    t["worker"] = t["worker"].astype("str")
    t["white"] = paddle_i - t["red"]
    t["share"] = t["red"] / paddle_i
    t["draw"] = np.arange(1, len(t) + 1)
    support, pmf = _pmf(paddle_i, red_i, white_i, 0.0)
    mean = float(np.dot(support, pmf))
    params = frozen(
        {
            "workers": tuple(workers),
            "days": int(t["day"].nunique()),
            "paddle": paddle_i,
            "red": red_i,
            "white": white_i,
            "paddle_bias": 0.0,
        }
    )
    return RedBeadsResult(
        table=t,
        workers=tuple(workers),
        paddle=paddle_i,
        p_bowl=red_i / (red_i + white_i),
        expected_mean=mean,
        expected_var=float(np.dot((support - mean) ** 2, pmf)),
        params=params,
    )


@dataclass(frozen=True, eq=False)
class NpChart:
    """An np chart of red beads per draw (constant paddle size ``n``).

    Attributes
    ----------
    table
        One row per draw: ``draw, worker, day, red, cl, lcl, ucl, outside``.
    n
        Beads per draw.
    p
        The proportion the limits are built on (p̄ from the data, or the bowl's proportion).
    basis
        ``"data"`` or ``"bowl"``.
    cl, lcl, ucl
        Centre line n·p and limits n·p ± 3·sqrt(n·p·(1 − p)), the lower one floored at 0.
    """

    table: pd.DataFrame
    n: int
    p: float
    basis: str
    cl: float
    lcl: float
    ucl: float

    @property
    def n_outside(self) -> int:
        """Number of draws outside the limits."""
        return int(self.table["outside"].sum())

    def summary(self) -> pd.DataFrame:
        """One row: ``basis, n, p, cl, lcl, ucl, points, outside``."""
        return pd.DataFrame(
            [
                {
                    "basis": self.basis,
                    "n": self.n,
                    "p": self.p,
                    "cl": self.cl,
                    "lcl": self.lcl,
                    "ucl": self.ucl,
                    "points": len(self.table),
                    "outside": self.n_outside,
                }
            ]
        )

    def plot(self, ax: Axes | None = None, *, lang: str | None = None) -> Axes:
        """Draw the np chart; see :func:`qikit.variation.plotting.plot_np_chart`."""
        from qikit.variation.plotting import plot_np_chart

        return plot_np_chart(self, ax=ax, lang=lang)

    def _repr_html_(self) -> str:
        return html_repr("np chart", self.summary(), self.table)


@dataclass(frozen=True, eq=False)
class RedBeadsResult:
    """Outcome of :func:`red_beads`.

    Attributes
    ----------
    table
        One row per draw: ``worker, day, red, white, share, draw``.
    workers
        Worker names in drawing order.
    paddle
        Beads per draw.
    p_bowl
        Proportion of red beads in the bowl.
    expected_mean, expected_var
        Exact mean and variance of red beads per draw under the model (hypergeometric when
        ``paddle_bias`` = 0).
    params
        The arguments of the call.
    """

    table: pd.DataFrame
    workers: tuple[str, ...]
    paddle: int
    p_bowl: float
    expected_mean: float
    expected_var: float
    params: Mapping[str, object]

    def summary(self) -> pd.DataFrame:
        """One row: draws, totals, the observed and the expected mean and variance per draw."""
        red = self.table["red"]
        return pd.DataFrame(
            [
                {
                    "draws": len(self.table),
                    "paddle": self.paddle,
                    "red_total": int(red.sum()),
                    "p_bar": float(red.sum() / (self.paddle * len(red))),
                    "p_bowl": self.p_bowl,
                    "mean_red": float(red.mean()),
                    "expected_mean": self.expected_mean,
                    "var_red": float(red.var(ddof=1)) if len(red) > 1 else math.nan,
                    "expected_var": self.expected_var,
                    "min_red": int(red.min()),
                    "max_red": int(red.max()),
                }
            ]
        )

    def np_chart(self, *, basis: Literal["data", "bowl"] = "data") -> NpChart:
        r"""The np chart of red beads per draw.

        Parameters
        ----------
        basis
            ``"data"``: p̄ = total red / total beads drawn (what a chart of real data uses);
            ``"bowl"``: p = red / (red + white), the *theoretical* limits.

        Notes
        -----
        Centre line :math:`CL = n\bar p`, limits :math:`n\bar p \pm 3\sqrt{n \bar p (1 - \bar p)}`,
        lower limit floored at 0 (the binomial np chart; the finite-bowl correction
        :math:`(N - n)/(N - 1)` is ignored, as on Deming's charts). A point is outside when it is
        above UCL or below LCL.
        """
        check_choice("RedBeadsResult.np_chart", "basis", basis, ("data", "bowl"))
        n = self.paddle
        if basis == "data":
            p = float(self.table["red"].sum() / (n * len(self.table)))
        else:
            p = self.p_bowl
        cl, lcl, ucl = _np_limits(n, p)
        table = self.table[["draw", "worker", "day", "red"]].copy()
        table["cl"] = cl
        table["lcl"] = lcl
        table["ucl"] = ucl
        table["outside"] = (table["red"] > ucl) | (table["red"] < lcl)
        return NpChart(table=table, n=n, p=p, basis=basis, cl=cl, lcl=lcl, ucl=ucl)

    def ranking(self, *, basis: Literal["data", "bowl"] = "data") -> pd.DataFrame:
        """Rank the workers by their total of red beads, the way a naive manager would.

        Returns
        -------
        pandas.DataFrame
            One row per worker, best first: ``rank, worker, red_total, red_mean, lcl_total, ucl_total,
            within_limits``. ``rank`` 1 = fewest red beads (ties share the better rank).
            ``lcl_total`` and ``ucl_total`` are the np-chart limits for a worker's total over all their
            draws (n = draws · paddle beads); ``within_limits`` says whether the total lies inside them.

        Notes
        -----
        When every worker is within the limits, the differences are common-cause variation of
        the system and the ranking is a lottery: run :meth:`rank_reshuffle` to see it change.
        """
        check_choice("RedBeadsResult.ranking", "basis", basis, ("data", "bowl"))
        chart = self.np_chart(basis=basis)
        grouped = self.table.groupby("worker", sort=False)["red"]
        draws = grouped.size().reindex(list(self.workers)).to_numpy()
        out = pd.DataFrame(
            {
                "worker": list(self.workers),
                "red_total": grouped.sum().reindex(list(self.workers)).to_numpy(),
                "red_mean": grouped.mean().reindex(list(self.workers)).to_numpy(),
            }
        )
        limits = [_np_limits(int(d) * self.paddle, chart.p) for d in draws]
        out["lcl_total"] = [lim[1] for lim in limits]
        out["ucl_total"] = [lim[2] for lim in limits]
        out["within_limits"] = (out["red_total"] >= out["lcl_total"]) & (out["red_total"] <= out["ucl_total"])
        out["rank"] = out["red_total"].rank(method="min").astype(np.int64)
        out = out.sort_values(["rank", "worker"], kind="stable").reset_index(drop=True)
        return out[["rank", "worker", "red_total", "red_mean", "lcl_total", "ucl_total", "within_limits"]]

    def rank_reshuffle(self, reruns: int = 5, *, rng: RngLike = None) -> pd.DataFrame:
        """Rerun the same experiment ``reruns`` times and rank the workers each time.

        Returns
        -------
        pandas.DataFrame
            Long table ``run, worker, red_total, rank``; run 1 is this result, runs 2 … are new draws
            from the same system (same bowl, paddle and workers).

        Examples
        --------
        >>> res = red_beads(rng=3)
        >>> ranks = res.rank_reshuffle(4, rng=4)
        >>> sorted(ranks["run"].unique().tolist())
        [1, 2, 3, 4, 5]
        """
        reruns = check_int("RedBeadsResult.rank_reshuffle", "reruns", reruns, low=0, high=1000)
        gen = as_generator(rng, "RedBeadsResult.rank_reshuffle")
        frames = []
        results = [self]
        kwargs = dict(self.params)
        kwargs["workers"] = list(self.workers)
        for _ in range(reruns):
            results.append(red_beads(rng=gen, **kwargs))  # type: ignore[arg-type]
        for i, res in enumerate(results, start=1):
            r = res.ranking()[["worker", "red_total", "rank"]].copy()
            r.insert(0, "run", i)
            frames.append(r)
        return pd.concat(frames, ignore_index=True)

    def plot(self, ax: Axes | None = None, *, basis: Literal["data", "bowl"] = "data", lang: str | None = None) -> Axes:
        """Draw the np chart of this experiment."""
        return self.np_chart(basis=basis).plot(ax=ax, lang=lang)

    def plot_ranking(self, ax: Axes | None = None, *, lang: str | None = None) -> Axes:
        """Draw the workers' totals, ranked, against the limits for a total."""
        from qikit.variation.plotting import plot_ranking

        return plot_ranking(self, ax=ax, lang=lang)

    def _repr_html_(self) -> str:
        return html_repr("Red bead experiment", self.summary(), self.table)


def _np_limits(n: int, p: float) -> tuple[float, float, float]:
    cl = n * p
    half = 3.0 * math.sqrt(n * p * (1.0 - p))
    return cl, max(0.0, cl - half), cl + half


def _check_workers(func: str, workers: int | Sequence[str]) -> list[str]:
    if isinstance(workers, str):
        raise QikitInputError(f"{func}(): workers must be a number or a list of names; got the string {workers!r}.")
    if isinstance(workers, Sequence):
        names = [str(w).strip() for w in workers]
        if not names:
            raise QikitInputError(f"{func}(): workers must name at least one worker; got an empty list.")
        if any(not n for n in names):
            raise QikitInputError(f"{func}(): worker names must not be empty; got {list(workers)!r}.")
        if len(set(names)) != len(names):
            dup = sorted({n for n in names if names.count(n) > 1})
            raise QikitInputError(f"{func}(): worker names must be unique; {dup} appear more than once.")
        return names
    k = check_int(func, "workers", workers, low=1, high=100)
    return [DEFAULT_WORKERS[i] if i < len(DEFAULT_WORKERS) else f"#{i + 1}" for i in range(k)]


def _check_bowl(func: str, paddle: object, red: object, white: object, bias: object) -> tuple[int, int, int, float]:
    red_i = check_int(func, "red", red, low=0)
    white_i = check_int(func, "white", white, low=0)
    if red_i + white_i < 1:
        raise QikitInputError(f"{func}(): the bowl is empty (red = 0 and white = 0); put some beads in it.")
    paddle_i = check_int(func, "paddle", paddle, low=1)
    if paddle_i > red_i + white_i:
        raise QikitInputError(
            f"{func}(): paddle must not hold more beads than the bowl; got paddle = {paddle_i} with only "
            f"{red_i + white_i} beads. Use a smaller paddle or more beads."
        )
    b = check_float(func, "paddle_bias", bias, low=-10.0, high=10.0, hint="It is a log odds ratio; 0 is fair.")
    return paddle_i, red_i, white_i, b


def _log_comb(n: int, k: np.ndarray) -> np.ndarray:
    lg = np.vectorize(math.lgamma, otypes=[float])
    return math.lgamma(n + 1) - lg(k + 1) - lg(n - k + 1)


def _pmf(paddle: int, red: int, white: int, bias: float) -> tuple[np.ndarray, np.ndarray]:
    lo, hi = max(0, paddle - white), min(paddle, red)
    support = np.arange(lo, hi + 1)
    logw = _log_comb(red, support) + _log_comb(white, paddle - support) + bias * support
    w = np.exp(logw - logw.max())
    return support, w / w.sum()
