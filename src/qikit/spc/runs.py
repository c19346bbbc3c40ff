"""Runs analysis: the Anhøj rules, their experimental box variants, and the IHI runs table.

A *run* is a sequence of consecutive useful points on the same side of the centre line; a
*crossing* is a change of side. Points exactly on the centre line (and missing values) are not
useful: they neither break nor extend a run.

References
----------
.. [1] Anhøj J, Olesen AV. Run charts revisited: a simulation study of run chart rules for
   detection of non-random variation in health care processes. PLoS ONE 2014;9(11):e113825.
.. [2] Anhøj J. Diagnostic value of run chart analysis. PLoS ONE 2015;10(3):e0121349.
.. [3] Anhøj J, Wentzel-Larsen T. Smooth operator: modifying the Anhøj rules to improve runs
   analysis in statistical process control. PLoS ONE 2020;15(5):e0233920.
.. [4] Perla RJ, Provost LP, Murray SK. The run chart: a simple analytical tool for learning
   from variation in healthcare processes. BMJ Qual Saf 2011;20:46-51.
.. [5] Swed FS, Eisenhart C. Tables for testing randomness of grouping in a sequence of
   alternatives. Ann Math Stat 1943;14:66-87.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from qikit._errors import QikitInputError, check_choice
from qikit.spc._tables import BOX_BOUNDS

__all__ = [
    "METHODS",
    "RunsResult",
    "anhoej_limits",
    "ihi_runs_limits",
    "runs_analysis",
]

METHODS = ("anhoej", "bestbox", "cutbox")

#: Above this many trials the binomial quantile is found in floating point (log space); below it
#: exactly with integer arithmetic.
_EXACT_MAX = 5000


def _check_n(func: str, n_useful: object) -> int:
    if isinstance(n_useful, bool) or not isinstance(n_useful, int | np.integer):
        raise QikitInputError(f"{func}(): n_useful must be a whole number of useful observations; got {n_useful!r}.")
    if n_useful < 1:
        raise QikitInputError(
            f"{func}(): n_useful must be at least 1; got {n_useful}. With no useful observations "
            "there is nothing to test."
        )
    return int(n_useful)


def _longest_run_max(n_useful: int) -> int:
    # round(log2(n)) + 3; log2 of an integer is never exactly x.5, so the rounding mode is moot.
    return int(math.floor(math.log2(n_useful) + 0.5)) + 3


@lru_cache(maxsize=8192)
def _crossings_min(n_useful: int) -> int:
    """``qbinom(0.05, n_useful - 1, 0.5)``: the smallest k with P(X <= k) >= 0.05."""
    m = n_useful - 1
    if m <= 0:
        return 0
    if m <= _EXACT_MAX:
        total = 1 << m  # P(X <= k) = acc / 2^m >= 1/20  <=>  20 * acc >= 2^m (never equal)
        acc = 0
        c = 1
        for k in range(m + 1):
            acc += c
            if 20 * acc >= total:
                return k
            c = c * (m - k) // (k + 1)
        return m  # pragma: no cover - unreachable
    # Large m: sum the pmf in log space over a window that holds all but ~1e-40 of the lower tail.
    half_width = int(12 * math.sqrt(m)) + 10
    lo = max(0, m // 2 - half_width)
    hi = m // 2 + 1
    ks = np.arange(lo, hi + 1, dtype=float)
    log_pmf0 = math.lgamma(m + 1) - math.lgamma(lo + 1) - math.lgamma(m - lo + 1) - m * math.log(2.0)
    ratios = np.log((m - ks[:-1]) / (ks[:-1] + 1.0))  # log pmf(k+1)/pmf(k)
    log_pmf = log_pmf0 + np.concatenate(([0.0], np.cumsum(ratios)))
    cdf = np.cumsum(np.exp(log_pmf))
    idx = int(np.searchsorted(cdf, 0.05, side="left"))
    return int(lo + idx)


def anhoej_limits(n_useful: int) -> tuple[int, int]:
    """Anhøj runs-rule limits for ``n_useful`` useful observations.

    Parameters
    ----------
    n_useful
        Number of observations not on the centre line (and not missing), at least 1.

    Returns
    -------
    tuple of int
        ``(longest_run_max, n_crossings_min)``. A run longer than ``longest_run_max`` or fewer
        crossings than ``n_crossings_min`` signals non-random variation.

    Notes
    -----
    ``longest_run_max = round(log2(n)) + 3`` and ``n_crossings_min`` is the 5 % quantile of the
    binomial distribution with ``n - 1`` trials and probability 0.5 (R's
    ``qbinom(0.05, n - 1, 0.5)``), computed exactly with integer arithmetic for n <= 5001 and in
    log space above. Both limits have a false-positive rate around 5 % each, independent of n [1]_.

    References
    ----------
    .. [1] Anhøj J, Olesen AV. Run charts revisited. PLoS ONE 2014;9(11):e113825.

    Examples
    --------
    >>> anhoej_limits(24)
    (8, 8)
    >>> anhoej_limits(10)
    (6, 2)
    """
    n = _check_n("anhoej_limits", n_useful)
    return _longest_run_max(n), _crossings_min(n)


# --------------------------------------------------------------------------------------------
# IHI / Perla runs table
# --------------------------------------------------------------------------------------------


def _runs_pmf_exact(n1: int, n2: int) -> list[tuple[int, int]]:
    """Swed-Eisenhart: numerators of P(R = r) over C(n1 + n2, n1), for r = 2..n1+n2."""
    out: list[tuple[int, int]] = []
    for r in range(2, n1 + n2 + 1):
        if r % 2 == 0:
            k = r // 2
            c = 2 * math.comb(n1 - 1, k - 1) * math.comb(n2 - 1, k - 1)
        else:
            k = (r - 1) // 2
            c = math.comb(n1 - 1, k) * math.comb(n2 - 1, k - 1) + math.comb(n1 - 1, k - 1) * math.comb(n2 - 1, k)
        out.append((r, c))
    return out


@lru_cache(maxsize=1024)
def _swed_eisenhart_limits(n_useful: int) -> tuple[int, int]:
    """(fewest, most) runs not signalling, at 2.5 % per tail, with n1 = n // 2 above the median."""
    n1 = n_useful // 2
    n2 = n_useful - n1
    total = math.comb(n_useful, n1)
    pmf = _runs_pmf_exact(n1, n2)
    # Lower: largest r with P(R <= r - 1) <= 0.025, i.e. 40 * cum <= total.
    lower = 2
    cum = 0
    for r, c in pmf:
        if 40 * cum <= total:
            lower = r
        cum += c
    # Upper: smallest r with P(R > r) <= 0.025.
    upper = n_useful
    tail = 0
    for r, c in reversed(pmf):
        if 40 * tail <= total:
            upper = r
        tail += c
    return lower, upper


#: Entries where Perla, Provost & Murray's published Table 1 is known to differ from the
#: Swed-Eisenhart computation at 2.5 % per tail (no single risk level reproduces the published
#: value at 20 together with those at 10, 24 and 30). The published value wins.
_IHI_PUBLISHED_OVERRIDES: dict[int, tuple[int, int]] = {20: (6, 16)}


def ihi_runs_limits(n_useful: int) -> tuple[int, int]:
    """Fewest and most runs expected by chance (IHI run-chart rules, Perla et al. 2011).

    Parameters
    ----------
    n_useful
        Number of data points not on the median (and not missing), at least 10.

    Returns
    -------
    tuple of int
        ``(lower, upper)``: fewer than ``lower`` runs is *too few*, more than ``upper`` is *too
        many*.

    Notes
    -----
    The published table (Perla, Provost & Murray 2011, Table 1, for 10-60 useful observations)
    is based on the Swed-Eisenhart distribution of the number of runs with about 5 % risk.
    qikit regenerates it from that distribution exactly (integer arithmetic), with half the
    points above and half below the median (``n1 = n // 2``) and 2.5 % in each tail:
    ``lower`` is the largest r with P(R < r) <= 0.025 and ``upper`` the smallest r with
    P(R > r) <= 0.025. This reproduces the published rows 10 -> 3-9, 24 -> 8-18 and 30 -> 11-21;
    the published row 20 -> 6-16 is wider than the computation (7-15) and is used as published.
    Beyond 60 the same computation extends the table.

    References
    ----------
    .. [1] Perla RJ, Provost LP, Murray SK. BMJ Qual Saf 2011;20:46-51, Table 1.
    .. [2] Swed FS, Eisenhart C. Ann Math Stat 1943;14:66-87.

    Examples
    --------
    >>> ihi_runs_limits(10)
    (3, 9)
    >>> ihi_runs_limits(30)
    (11, 21)
    """
    n = _check_n("ihi_runs_limits", n_useful)
    if n < 10:
        raise QikitInputError(
            f"ihi_runs_limits(): the runs table starts at 10 useful observations; got n_useful = {n}. "
            "Collect more data before testing for too few or too many runs."
        )
    if n in _IHI_PUBLISHED_OVERRIDES:
        return _IHI_PUBLISHED_OVERRIDES[n]
    if n > 2000:
        # Normal approximation (Wald-Wolfowitz) far beyond any published table.
        n1 = n // 2
        n2 = n - n1
        mu = 2.0 * n1 * n2 / n + 1.0
        sd = math.sqrt(2.0 * n1 * n2 * (2.0 * n1 * n2 - n) / (n * n * (n - 1.0)))
        return int(math.ceil(mu - 1.959964 * sd)), int(math.floor(mu + 1.959964 * sd))
    return _swed_eisenhart_limits(n)


# --------------------------------------------------------------------------------------------
# Core run statistics
# --------------------------------------------------------------------------------------------


def _run_lengths(s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start positions and lengths of runs of equal values in ``s`` (non-empty)."""
    change = np.flatnonzero(s[1:] != s[:-1]) + 1
    starts = np.concatenate((np.zeros(1, dtype=np.intp), change))
    lengths = np.diff(np.concatenate((starts, np.array([s.size], dtype=np.intp))))
    return starts, lengths


def _box_signal(method: str, n_useful: int, n_crossings: int, longest_run: int) -> bool | None:
    """Signal under bestbox/cutbox, or None when the method does not apply to this n."""
    bounds = BOX_BOUNDS.get(n_useful)
    if bounds is None:
        return None
    cb, lb, cbord, lbord = bounds
    c, lr = n_crossings, longest_run
    if method == "bestbox" or cbord is None or lbord is None:
        return not (c >= cb and lr <= lb)
    ok = (c >= cb + 1 and lr <= lb - 1) or (c == cb and lr <= lbord) or (c >= cbord and lr <= lb)
    return not ok


@dataclass(frozen=True)
class RunStats:
    """Internal: runs statistics of one block plus per-useful-point run membership."""

    n_obs: int
    n_useful: int
    longest_run: int | None
    longest_run_max: int | None
    n_crossings: int | None
    n_crossings_min: int | None
    signal: bool
    long_run_signal: bool
    crossings_signal: bool
    box_fallback: bool
    useful_pos: np.ndarray  # positions (within the analysed sequence) of useful points
    useful_run_len: np.ndarray  # length of the run each useful point belongs to


def _runs_stats(y: np.ndarray, cl: np.ndarray, method: str = "anhoej") -> RunStats:
    """Runs analysis of a sequence against a centre line (vectorised)."""
    with np.errstate(invalid="ignore"):
        d = y - cl
    s_all = np.sign(d)
    useful = np.isfinite(s_all) & (s_all != 0)
    # inf - inf is nan (not useful); inf - finite is +-inf, sign +-1 (useful), as in R.
    pos = np.flatnonzero(useful)
    s = s_all[pos]
    n_obs = int(y.size)
    n_useful = int(s.size)
    if n_useful == 0:
        return RunStats(n_obs, 0, None, None, None, None, False, False, False, False, pos, np.zeros(0, int))
    starts, lengths = _run_lengths(s)
    longest = int(lengths.max())
    crossings = int(lengths.size - 1)
    lr_max = _longest_run_max(n_useful)
    nc_min = _crossings_min(n_useful)
    long_sig = longest > lr_max
    cross_sig = crossings < nc_min
    fallback = False
    if method == "anhoej":
        signal = long_sig or cross_sig
    else:
        box = _box_signal(method, n_useful, crossings, longest)
        if box is None:
            fallback = True
            signal = long_sig or cross_sig
        else:
            signal = box
            if signal:
                # Attribute the box signal: would it remain with ample crossings / short runs?
                long_sig = bool(_box_signal(method, n_useful, n_useful, longest))
                cross_sig = bool(_box_signal(method, n_useful, crossings, 1))
                if not (long_sig or cross_sig):
                    long_sig = cross_sig = True
            else:
                long_sig = cross_sig = False
    run_len = np.repeat(lengths, lengths)
    return RunStats(
        n_obs,
        n_useful,
        longest,
        lr_max,
        crossings,
        nc_min,
        bool(signal),
        bool(long_sig),
        bool(cross_sig),
        fallback,
        pos,
        run_len,
    )


@dataclass(frozen=True)
class RunsResult:
    """Outcome of :func:`runs_analysis`.

    Attributes
    ----------
    n_obs
        Number of observations analysed (missing values included).
    n_useful
        Observations not on the centre line and not missing.
    longest_run, n_crossings
        Observed longest run and number of crossings (None when ``n_useful == 0``).
    longest_run_max, n_crossings_min
        Anhøj limits for ``n_useful`` (None when ``n_useful == 0``).
    signal
        True when the runs analysis signals non-random variation.
    method
        ``'anhoej'``, ``'bestbox'`` or ``'cutbox'``.
    """

    n_obs: int
    n_useful: int
    longest_run: int | None
    longest_run_max: int | None
    n_crossings: int | None
    n_crossings_min: int | None
    signal: bool
    method: str = "anhoej"

    def to_dict(self) -> dict[str, object]:
        """The result as a plain dict."""
        return {
            "n_obs": self.n_obs,
            "n_useful": self.n_useful,
            "longest_run": self.longest_run,
            "longest_run_max": self.longest_run_max,
            "n_crossings": self.n_crossings,
            "n_crossings_min": self.n_crossings_min,
            "signal": self.signal,
            "method": self.method,
        }


def runs_analysis(
    values: npt.ArrayLike,
    centre: float | npt.ArrayLike | None = None,
    *,
    method: str = "anhoej",
) -> RunsResult:
    """Anhøj runs analysis of a plain sequence.

    Parameters
    ----------
    values
        The observations in time order; missing values (NaN/None) are kept as observations but
        are not useful.
    centre
        Centre line: a number, one value per observation, or None for the median of ``values``
        (missing values ignored).
    method
        ``'anhoej'`` (default) or the experimental ``'bestbox'`` / ``'cutbox'`` rules of Anhøj &
        Wentzel-Larsen (2020), which apply for 10-100 useful observations and fall back to
        ``'anhoej'`` otherwise.

    Returns
    -------
    RunsResult
        ``n_obs, n_useful, longest_run, longest_run_max, n_crossings, n_crossings_min, signal``.

    Notes
    -----
    Points on the centre line are dropped, the signs of the remaining deviations are run-length
    encoded, ``longest_run`` is the longest encoding and ``n_crossings`` the number of encodings
    minus one. The signal is ``longest_run > longest_run_max or n_crossings < n_crossings_min``
    (see :func:`anhoej_limits`).

    References
    ----------
    .. [1] Anhøj J, Olesen AV. Run charts revisited. PLoS ONE 2014;9(11):e113825.

    Examples
    --------
    >>> r = runs_analysis([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    >>> r.longest_run, r.longest_run_max, r.n_crossings, r.signal
    (6, 7, 1, True)
    """
    check_choice("runs_analysis", "method", method, METHODS)
    try:
        y = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError) as exc:
        raise QikitInputError(f"runs_analysis(): values must be numbers; {exc}.") from None
    if centre is None:
        cl = np.full(y.shape, np.nanmedian(y) if np.isfinite(y).any() else np.nan)
    else:
        try:
            cl = np.broadcast_to(np.asarray(centre, dtype=float), y.shape)
        except (TypeError, ValueError):
            raise QikitInputError(
                f"runs_analysis(): centre must be a number or one number per value; got {centre!r} for {y.size} values."
            ) from None
    st = _runs_stats(y, cl, method)
    return RunsResult(
        n_obs=st.n_obs,
        n_useful=st.n_useful,
        longest_run=st.longest_run,
        longest_run_max=st.longest_run_max,
        n_crossings=st.n_crossings,
        n_crossings_min=st.n_crossings_min,
        signal=st.signal,
        method=method,
    )
