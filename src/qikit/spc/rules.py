"""Rule sets for detecting special-cause variation: anhoej (default), ihi, hcdg and mdc.

Every flagged point carries the names of the rules that flagged it (the ``signal_rules`` column
of :attr:`ChartResult.table`). Rule names:

========================  =================================================================
name                      meaning
========================  =================================================================
``limits``                point outside the 3-sigma limits (all rule sets, when limits exist)
``long_run``              Anhøj: point in a run longer than ``longest_run_max``
``few_crossings``         Anhøj: the part has fewer crossings than ``n_crossings_min``
``shift``                 ihi >= 6, hcdg >= 8, mdc >= 7 consecutive points on one side
``trend``                 ihi >= 5, hcdg >= 6, mdc >= 7 consecutive points going one way
``few_runs``/``many_runs``  ihi: number of runs outside the Perla/Swed-Eisenhart table
``two_of_three``          hcdg/mdc: 2 of 3 consecutive points beyond 2 sigma on one side
``inner_third``           hcdg: >= 15 consecutive points within 1 sigma of the centre line
========================  =================================================================

Points on the centre line neither count nor break a shift (anhoej, ihi, hcdg); in mdc they
break it. Equal consecutive values count once in ihi and hcdg trends; in mdc a tie breaks the
trend. Missing values and excluded points are skipped: they neither count nor break.

References
----------
.. [1] Anhøj J, Olesen AV. Run charts revisited. PLoS ONE 2014;9(11):e113825.
.. [2] Perla RJ, Provost LP, Murray SK. The run chart: a simple analytical tool for learning from
   variation in healthcare processes. BMJ Qual Saf 2011;20:46-51.
.. [3] Provost LP, Murray SK. The Health Care Data Guide: Learning from Data for Improvement.
   Jossey-Bass, 2011 (Chapter 3: rules 1-5 for Shewhart charts).
.. [4] NHS England. Making Data Count (2019, 2021); NHS-R NHSRplotthedots (MIT licence).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from qikit.spc.runs import RunStats, _run_lengths, ihi_runs_limits

RULE_SETS = ("anhoej", "ihi", "hcdg", "mdc")
IMPROVEMENTS = ("increase", "decrease")

LIMITS = 1
LONG_RUN = 2
FEW_CROSSINGS = 4
SHIFT = 8
TREND = 16
FEW_RUNS = 32
MANY_RUNS = 64
TWO_OF_THREE = 128
INNER_THIRD = 256

RULE_BITS: dict[int, str] = {
    LIMITS: "limits",
    LONG_RUN: "long_run",
    FEW_CROSSINGS: "few_crossings",
    SHIFT: "shift",
    TREND: "trend",
    FEW_RUNS: "few_runs",
    MANY_RUNS: "many_runs",
    TWO_OF_THREE: "two_of_three",
    INNER_THIRD: "inner_third",
}

#: Thresholds (points) per rule set.
SHIFT_LEN = {"ihi": 6, "hcdg": 8, "mdc": 7}
TREND_LEN = {"ihi": 5, "hcdg": 6, "mdc": 7}
INNER_LEN = 15


def rule_label(mask: int) -> str:
    """Comma-separated rule names of a bit mask ('' for none)."""
    return ",".join(name for bit, name in RULE_BITS.items() if mask & bit)


def _ranges_mask(starts: np.ndarray, stops: np.ndarray, size: int) -> np.ndarray:
    """True on the union of half-open ranges [start, stop)."""
    if starts.size == 0:
        return np.zeros(size, dtype=bool)
    acc = np.bincount(starts, minlength=size + 1) - np.bincount(stops, minlength=size + 1)
    return np.cumsum(acc[:size]) > 0


def runs_at_least(values: np.ndarray, min_len: int, valid: np.ndarray | None = None) -> np.ndarray:
    """Points in runs of equal ``values`` at least ``min_len`` long (runs of invalid values ignored)."""
    if values.size == 0:
        return np.zeros(0, dtype=bool)
    starts, lengths = _run_lengths(values)
    ok = lengths >= min_len
    if valid is not None:
        ok &= valid[starts]
    return np.repeat(ok, lengths)


def trend_ties_once(v: np.ndarray, min_points: int) -> tuple[np.ndarray, np.ndarray]:
    """Trend points (up, down) where equal consecutive values count once."""
    size = v.size
    if size < 2:
        z = np.zeros(size, dtype=bool)
        return z, z.copy()
    keep = np.concatenate(([True], v[1:] != v[:-1]))
    grp = np.cumsum(keep) - 1
    w = v[keep]
    if w.size < 2:
        z = np.zeros(size, dtype=bool)
        return z, z.copy()
    d = np.sign(np.diff(w))
    starts, lengths = _run_lengths(d)
    out = []
    for direction in (1.0, -1.0):
        q = (lengths + 1 >= min_points) & (d[starts] == direction)
        mask_w = _ranges_mask(starts[q], starts[q] + lengths[q] + 1, w.size)
        out.append(mask_w[grp])
    return out[0], out[1]


def trend_strict(v: np.ndarray, min_points: int) -> tuple[np.ndarray, np.ndarray]:
    """Trend points (up, down) where each point is strictly above (below) the previous one."""
    size = v.size
    if size < 2:
        z = np.zeros(size, dtype=bool)
        return z, z.copy()
    d = np.sign(np.diff(v))
    starts, lengths = _run_lengths(d)
    out = []
    for direction in (1.0, -1.0):
        q = (lengths + 1 >= min_points) & (d[starts] == direction)
        out.append(_ranges_mask(starts[q], starts[q] + lengths[q] + 1, size))
    return out[0], out[1]


def two_of_three(beyond: np.ndarray) -> np.ndarray:
    """Points beyond a line that belong to a window of 3 consecutive points with >= 2 beyond."""
    size = beyond.size
    if size == 0:
        return beyond.copy()
    b = np.concatenate((beyond.astype(np.int8), np.zeros(2, np.int8)))
    win = b[:-2] + b[1:-1] + b[2:]  # window starting at i, for i = 0..size-1
    q = win >= 2
    cover = q.copy()
    cover[1:] |= q[:-1]
    cover[2:] |= q[:-2]
    return beyond & cover


@dataclass
class RuleOutcome:
    """Per-point flags of the sequence rules in one block, plus block statistics."""

    flags: np.ndarray  # int bit mask per block row
    high: np.ndarray  # for mdc: the special cause is on the high side / upward
    n_runs: int | None = None
    runs_lower: int | None = None
    runs_upper: int | None = None
    notes: list[str] = field(default_factory=list)


def evaluate(
    rules: str,
    *,
    y: np.ndarray,
    cl: np.ndarray,
    lcl: np.ndarray,
    ucl: np.ndarray,
    zones: Callable[[], tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]],
    include: np.ndarray,
    stats: RunStats,
    method: str,
    sequence: bool,
) -> RuleOutcome:
    """Evaluate the sequence rules of a rule set on one block (limits are flagged by the caller)."""
    size = y.size
    flags = np.zeros(size, dtype=np.int64)
    with np.errstate(invalid="ignore"):
        high = y > cl
    out = RuleOutcome(flags=flags, high=high)
    if not sequence:
        return out
    inc_idx = np.flatnonzero(include)
    if rules == "anhoej":
        if stats.n_useful:
            pts = inc_idx[stats.useful_pos]
            if stats.long_run_signal:
                if method == "anhoej" or stats.box_fallback:
                    sel = stats.useful_run_len > (stats.longest_run_max or 0)
                else:
                    sel = stats.useful_run_len == stats.longest_run
                flags[pts[sel]] |= LONG_RUN
            if stats.crossings_signal:
                flags[pts] |= FEW_CROSSINGS
        return out

    finite = ~np.isnan(y)
    identity = bool(include.all() and finite.all())
    seq = np.arange(size) if identity else inc_idx[finite[inc_idx]]
    v = y if identity else y[seq]
    c = cl if identity else cl[seq]

    def put(mask: np.ndarray, bit: int) -> None:
        if identity:
            flags[mask] |= bit
        else:
            flags[seq[mask]] |= bit

    with np.errstate(invalid="ignore"):
        s = np.sign(v - c)
    s[np.isnan(s)] = 0.0

    # shift
    if rules == "mdc":
        put(runs_at_least(s, SHIFT_LEN["mdc"], valid=s != 0), SHIFT)
    else:
        useful = s != 0
        full = np.zeros(s.size, dtype=bool)
        full[useful] = runs_at_least(s[useful], SHIFT_LEN[rules])
        put(full, SHIFT)
    # trend
    if rules == "mdc":
        up, down = trend_strict(v, TREND_LEN["mdc"])
    else:
        up, down = trend_ties_once(v, TREND_LEN[rules])
    put(up | down, TREND)
    if up.any() or down.any():
        high[seq[up]] = True
        high[seq[down & ~up]] = False

    if rules == "ihi":
        useful = s != 0
        n_useful = int(useful.sum())
        if n_useful >= 10:
            st, ln = _run_lengths(s[useful])
            n_runs = int(ln.size)
            lower, upper = ihi_runs_limits(n_useful)
            out.n_runs, out.runs_lower, out.runs_upper = n_runs, lower, upper
            if n_runs < lower:
                put(useful, FEW_RUNS)
            elif n_runs > upper:
                put(useful, MANY_RUNS)
        else:
            out.notes.append("ihi_runs_short")
        return out

    def at(a: np.ndarray) -> np.ndarray:
        a = np.broadcast_to(a, y.shape)
        return a if identity else a[seq]

    z1_lo, z1_hi, z2_lo, z2_hi = (at(z) for z in zones())
    with np.errstate(invalid="ignore"):
        if rules == "hcdg":
            hi2 = v > z2_hi
            lo2 = v < z2_lo
        else:  # mdc: beyond the 2-sigma line but inside the limits
            hi2 = (v > z2_hi) & ~(v > at(ucl))
            lo2 = (v < z2_lo) & ~(v < at(lcl))
    put(two_of_three(hi2) | two_of_three(lo2), TWO_OF_THREE)
    if rules == "hcdg":
        with np.errstate(invalid="ignore"):
            inner = (v >= z1_lo) & (v <= z1_hi)
        put(runs_at_least(inner, INNER_LEN, valid=inner), INNER_THIRD)
    return out


def mdc_point_type(flag: np.ndarray, high: np.ndarray, improvement: str | None) -> np.ndarray:
    """MDC point classification: common_cause, improvement_*, concern_*, neutral_* (high/low)."""
    side = np.where(high, "high", "low")
    out = np.full(flag.size, "common_cause", dtype=object)
    special = flag != 0
    if improvement is None:
        kind = np.full(flag.size, "neutral", dtype=object)
    else:
        good_high = improvement == "increase"
        kind = np.where(high == good_high, "improvement", "concern").astype(object)
    out[special] = kind[special] + "_" + side[special]
    return out


def assurance(target: float, lcl: float, ucl: float, improvement: str | None) -> str | None:
    """MDC assurance icon: 'pass' (consistently), 'fail' (consistently) or 'hit_and_miss'."""
    if improvement is None or not np.isfinite(target) or not (np.isfinite(lcl) and np.isfinite(ucl)):
        return None
    if improvement == "increase":
        if target > ucl:
            return "fail"
        if target < lcl:
            return "pass"
    else:
        if target < lcl:
            return "fail"
        if target > ucl:
            return "pass"
    return "hit_and_miss"
