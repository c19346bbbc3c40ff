"""The chart dispatcher :func:`chart` and its result, :class:`ChartResult`."""

from __future__ import annotations

import html
import math
import os
import sys
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from qikit._errors import QikitInputError, QikitWarning, check_choice
from qikit.i18n import check_lang
from qikit.spc import _limits
from qikit.spc import rules as _rules
from qikit.spc._prepare import (
    X_PERIODS,
    Subgroups,
    _fmt,
    aggregate,
    apply_period,
    read_columns,
    subset_rows,
    x_missing,
)
from qikit.spc.runs import METHODS, _runs_stats

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["AGGS", "CHARTS", "ChartResult", "chart"]

CHARTS = _limits.CHARTS
AGGS = ("mean", "median", "sum", "sd")
RULE_SETS = _rules.RULE_SETS

_HERE = os.path.dirname(os.path.abspath(__file__))


def _warn(message: str) -> None:
    """Warn with the stack level of the first caller outside qikit.spc."""
    level = 2  # 1 is this function, 2 its caller
    frame = sys._getframe(1)
    while frame is not None and os.path.dirname(os.path.abspath(frame.f_code.co_filename)) == _HERE:
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    warnings.warn(message, QikitWarning, stacklevel=level)


# ------------------------------------------------------------------------------------------
# Result
# ------------------------------------------------------------------------------------------


def _jsonable(v: object) -> object:
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, np.bool_ | bool):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, float | np.floating):
        f = float(v)
        return f if math.isfinite(f) else None
    if isinstance(v, pd.Timestamp | np.datetime64):
        return _fmt(v)
    if isinstance(v, np.generic):
        return v.item()
    return v


@dataclass(frozen=True, eq=False)
class ChartResult:
    """Outcome of a run or control chart; returned by :func:`chart`, :func:`run_chart`, ….

    Attributes
    ----------
    chart
        Chart type (``'run'``, ``'i'``, ``'p'``, …).
    table
        One row per subgroup (point). Columns: ``x`` (the x label shown on the chart),
        ``facet1, facet2`` (with facets), ``y_sum, y_length, y_mean, y_sd`` (subgroup
        aggregates of the input y), ``n`` (denominator; NaN without one), ``y`` (the plotted
        statistic, multiplied), ``cl, lcl, ucl, lcl_95, ucl_95`` (centre line, 3- and 2-sigma
        limits, multiplied; NaN where undefined), ``target`` (not multiplied), ``notes``,
        ``part`` (1, 2, …), ``part_label`` (when parts come from labels), ``xx`` (1-based
        position within the facet), ``baseline`` (used for CL/limits), ``include`` /
        ``excluded``, the runs statistics of the point's part ``n_obs, n_useful, longest_run,
        longest_run_max, n_crossings, n_crossings_min, runs_signal``, ``sigma_signal`` (outside
        the limits), ``signal`` (any rule) and ``signal_rules`` (names of the rules that flagged
        the point, comma separated; see :mod:`qikit.spc.rules`), plus ``mdc_type`` with
        ``rules='mdc'``.
    params
        The arguments of the call (read-only).
    summary_frame
        The per-part summary; use :meth:`summary`.

    Notes
    -----
    Treat ``table`` as read-only; copy it before changing it.
    """

    chart: str
    table: pd.DataFrame
    params: Mapping[str, Any]
    summary_frame: pd.DataFrame = field(repr=False)

    # -- views ---------------------------------------------------------------------------
    def summary(self) -> pd.DataFrame:
        """One row per facet combination and part.

        Columns: ``facet1, facet2`` (with facets), ``part`` (and ``part_label``), ``x_first,
        x_last, n_points, n_obs, n_useful, longest_run, longest_run_max, n_crossings,
        n_crossings_min, runs_signal, sigma_signal`` (count of points outside the limits),
        ``n_signals`` (points flagged by any rule), ``cl, lcl, ucl`` (the part's last point),
        ``cl_mean, lcl_mean, ucl_mean, lcl_95_mean, ucl_95_mean`` (averages over the part, as in
        qicharts2's summary), ``rules, method``; with ``rules='ihi'`` also ``n_runs, runs_lower,
        runs_upper``; with ``rules='mdc'`` also ``variation_icon, assurance_icon``.
        """
        return self.summary_frame.copy()

    def summary_records(self) -> list[dict[str, object]]:
        """The summary as a JSON-friendly list of dicts (NaN becomes None, dates ISO strings)."""
        return [{str(k): _jsonable(v) for k, v in row.items()} for row in self.summary_frame.to_dict(orient="records")]

    def signals(self) -> pd.DataFrame:
        """The flagged points: their x label, part, y and the rules that fired."""
        cols = [c for c in ("facet1", "facet2", "x", "part", "y", "cl", "signal_rules") if c in self.table]
        return self.table.loc[self.table["signal"].to_numpy(dtype=bool), cols].reset_index(drop=True)

    @property
    def runs_signal(self) -> bool:
        """True if any part has a runs (non-random pattern) signal."""
        return bool(self.summary_frame["runs_signal"].any())

    @property
    def sigma_signal(self) -> bool:
        """True if any point is outside its limits."""
        return bool(self.summary_frame["sigma_signal"].sum() > 0)

    def plot(self, ax: Axes | None = None, *, lang: str | None = None, **style: Any) -> Any:
        """Draw the chart with matplotlib; see :func:`qikit.spc.plotting.plot_chart`."""
        from qikit.spc.plotting import plot_chart

        return plot_chart(self, ax=ax, lang=lang, **style)

    # -- display -------------------------------------------------------------------------
    def _headline(self) -> str:
        s = self.summary_frame
        k = len(s)
        runs = int(s["runs_signal"].sum())
        sig = int(s["sigma_signal"].sum())
        return (
            f"{self.chart} chart, rules={self.params.get('rules')}: {len(self.table)} points, "
            f"{k} part(s); runs signal in {runs} part(s); {sig} point(s) outside the limits"
        )

    def __repr__(self) -> str:
        return f"<ChartResult {self._headline()}>"

    def _repr_html_(self) -> str:
        cols = [
            c
            for c in (
                "facet1",
                "facet2",
                "part",
                "part_label",
                "n_obs",
                "n_useful",
                "longest_run",
                "longest_run_max",
                "n_crossings",
                "n_crossings_min",
                "runs_signal",
                "sigma_signal",
                "cl",
                "lcl",
                "ucl",
                "n_runs",
                "runs_lower",
                "runs_upper",
                "variation_icon",
                "assurance_icon",
            )
            if c in self.summary_frame
        ]
        table_html = self.summary_frame[cols].to_html(index=False, na_rep="", float_format=lambda v: f"{v:.4g}")
        sig = self.signals()
        sig_line = ""
        if len(sig):
            shown = ", ".join(_fmt(v) for v in sig["x"].tolist()[:12])
            more = " …" if len(sig) > 12 else ""
            sig_line = f"<p>Signals at x = {html.escape(shown)}{more}</p>"
        return f"<div><p><b>{html.escape(self._headline())}</b></p>{table_html}{sig_line}</div>"


# ------------------------------------------------------------------------------------------
# Dispatcher
# ------------------------------------------------------------------------------------------


def _int_list(func: str, arg: str, value: object) -> list[int]:
    if value is None:
        return []
    vals: list[object]
    if isinstance(value, int | np.integer | float | np.floating) and not isinstance(value, bool):
        vals = [value]
    elif isinstance(value, str):
        raise QikitInputError(f"{func}(): {arg} must be whole numbers (1-based positions); got {value!r}.")
    else:
        try:
            vals = list(value)  # type: ignore[call-overload]
        except TypeError:
            raise QikitInputError(f"{func}(): {arg} must be whole numbers; got {value!r}.") from None
    out = []
    for v in vals:
        if (
            isinstance(v, bool)
            or not isinstance(v, int | np.integer | float | np.floating)
            or (isinstance(v, float | np.floating) and not float(v).is_integer())
        ):
            raise QikitInputError(f"{func}(): {arg} must be whole numbers (1-based point positions); got {v!r}.")
        out.append(int(v))
    return out


def chart(
    data: Any = None,
    *,
    y: Any = None,
    n: Any = None,
    x: Any = None,
    chart: str = "run",
    freeze: int | None = None,
    part: Any = None,
    exclude: Any = None,
    agg: str = "mean",
    multiply: float = 1,
    cl: Any = None,
    target: Any = None,
    notes: Any = None,
    method: str = "anhoej",
    rules: str = "anhoej",
    x_period: str | None = None,
    y_neg: bool = True,
    screen_mr: bool = True,
    facets: Any = None,
    improvement: str | None = None,
    lang: str | None = None,
    title: str | None = None,
    ylab: str | None = None,
    xlab: str | None = None,
    _func: str = "chart",
) -> ChartResult:
    """Run chart or control chart with runs analysis: the single front door (qicharts2's ``qic``).

    Parameters
    ----------
    data
        A DataFrame whose columns ``y``, ``n``, ``x``, ``notes``, ``part``, ``cl``, ``target`` and
        ``facets`` name; or the values themselves (Series, array, list) with ``y=None``.
    y
        Measure, or numerator for ratio charts (column name or values).
    n
        Denominator (subgroup size) for p, pp, u, up and ip charts; optional otherwise.
    x
        Subgroup labels: numbers, dates (ISO strings are parsed as dates) or categories
        (funnel plot: no runs analysis). Default 1..rows. Rows sharing an x are aggregated.
    chart
        ``'run'`` (median), ``'i'`` (individuals/XmR), ``'mr'``, ``'xbar'``, ``'s'``, ``'t'``
        (time between events), ``'p'``, ``'pp'`` (Laney p′), ``'c'``, ``'u'``, ``'up'`` (Laney
        u′), ``'g'`` (opportunities between events) or ``'ip'`` (Taylor's I′).
    freeze
        Last point (1-based) of the baseline; CL and limits come from points 1..freeze and the
        runs analysis tests all points against them. Ignored (with a warning) when ``part`` is given.
    part
        Where new phases start: 1-based break positions (a new part starts *after* each), or a
        column name (or Series) of phase labels per row.
    exclude
        1-based positions left out of CL, limits and runs analysis (still drawn).
    agg
        How to aggregate y without n within a subgroup: ``'mean'``, ``'median'``, ``'sum'``, ``'sd'``.
    multiply
        Multiplies y, cl and limits (e.g. 100 for percent); positive.
    cl, target
        Known centre line (in unmultiplied units) and target line (not multiplied): a number, a
        column name or one value per row.
    notes
        Column of annotations (e.g. PDSA cycles) shown on the chart.
    method
        Runs rule within ``rules='anhoej'``: ``'anhoej'``, or experimental ``'bestbox'``/``'cutbox'``.
    rules
        ``'anhoej'`` (default), ``'ihi'`` (Perla et al. run-chart rules), ``'hcdg'`` (Health Care
        Data Guide rules 1-5) or ``'mdc'`` (NHS Making Data Count); see :mod:`qikit.spc.rules`.
    x_period
        Aggregate date x to ``'week'`` (Monday), ``'month'``, ``'quarter'`` or ``'year'``.
    y_neg
        If False and no y is negative, negative lower limits are drawn at 0.
    screen_mr
        Screen moving ranges >= 3.267 × average before estimating sigma (i, t, pp, up, ip; and
        mdc). Default True (qicharts2 attached).
    facets
        One or two grouping columns; each combination is analysed separately.
    improvement
        With ``rules='mdc'``: ``'increase'`` or ``'decrease'`` is better, or None.
    lang
        ``'nb'`` or ``'en'`` for the chart's labels (default ``$QIKIT_LANG`` or nb).
    title, ylab, xlab
        Texts for the plot.

    Returns
    -------
    ChartResult
        With ``.table`` (one row per point), ``.summary()`` (one row per facet and part),
        ``.plot()`` and ``.signals()``.

    Raises
    ------
    QikitInputError
        Unknown chart/rules/method, missing or non-numeric columns, negative counts, numerators
        above denominators, non-positive values on a t chart, bad positions.

    Warns
    -----
    QikitWarning
        Fewer than 10 useful observations for the runs rules, fewer than 12 baseline points for
        limits, zero denominators, rows with missing x dropped, aggregated subgroups on run/i
        charts, ``freeze`` ignored because of ``part``.

    Notes
    -----
    Follows qicharts2 0.8.1 (Anhøj) at formula level; see ``docs/spc.md`` for the formulas per
    chart and the few deliberate departures. Runs analysis: a run longer than
    ``round(log2(n_useful)) + 3`` or fewer crossings than ``qbinom(0.05, n_useful - 1, 0.5)``
    signals non-random variation.

    References
    ----------
    .. [1] Anhøj J. qicharts2: Quality Improvement Charts for R. J Open Source Softw 2018;3(25):699.
    .. [2] Montgomery DC. Introduction to Statistical Quality Control. 7th ed. Wiley, 2013.
    .. [3] Provost LP, Murray SK. The Health Care Data Guide. Jossey-Bass, 2011.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"week": range(1, 13), "waits": [5, 7, 6, 8, 6, 7, 3, 2, 3, 2, 3, 1]})
    >>> r = chart(d, y="waits", x="week", chart="run")
    >>> s = r.summary().iloc[0]
    >>> int(s.longest_run), int(s.longest_run_max), int(s.n_crossings), int(s.n_crossings_min), bool(s.runs_signal)
    (6, 7, 1, 3, True)
    """
    func = _func
    check_choice(func, "chart", chart, CHARTS)
    check_choice(func, "rules", rules, RULE_SETS)
    check_choice(func, "method", method, METHODS)
    check_choice(func, "agg", agg, AGGS)
    if x_period is not None:
        check_choice(func, "x_period", x_period, X_PERIODS)
    if improvement is not None:
        check_choice(func, "improvement", improvement, _rules.IMPROVEMENTS)
    lang_checked = check_lang(lang, func) if lang is not None else None
    if (
        isinstance(multiply, bool)
        or not isinstance(multiply, int | float | np.integer | np.floating)
        or not (math.isfinite(float(multiply)) and float(multiply) > 0)
    ):
        raise QikitInputError(f"{func}(): multiply must be a positive number (e.g. 100 for percent); got {multiply!r}.")
    multiply = float(multiply)
    if freeze is not None:
        if isinstance(freeze, bool) or not isinstance(freeze, int | np.integer) or freeze < 1:
            raise QikitInputError(
                f"{func}(): freeze must be a positive whole number (the last baseline point, 1-based); got {freeze!r}."
            )
    excl = _int_list(func, "exclude", exclude)
    if any(e < 1 for e in excl):
        raise QikitInputError(
            f"{func}(): exclude holds 1-based point positions; got {min(excl)}. The first point is 1."
        )

    cols, part_num = read_columns(
        data, y=y, n=n, x=x, cl=cl, target=target, notes=notes, part=part, facets=facets, func=func
    )
    breaks = _int_list(func, "part", part_num)
    if any(b < 0 for b in breaks):
        raise QikitInputError(f"{func}(): part break positions must be >= 1; got {min(breaks)}.")
    pending: list[str] = []

    # ---- validation of values -------------------------------------------------------------
    if chart in _limits.RATIO_CHARTS and cols.n is None:
        raise QikitInputError(
            f"{func}(): a {chart} chart needs a denominator; pass n='column' (e.g. the number of patients)."
        )
    miss_x = x_missing(cols)
    if miss_x.any():
        pending.append(
            f"{func}(): {int(miss_x.sum())} row(s) with missing x were dropped "
            "(a point needs an x position). Fill in x to keep them."
        )
        cols = subset_rows(cols, ~miss_x)
    if cols.n_rows == 0:
        raise QikitInputError(f"{func}(): no rows to chart (the data are empty or every x is missing).")
    if x_period is not None:
        if cols.x_kind != "date":
            raise QikitInputError(
                f"{func}(): x_period = {x_period!r} needs dates in x; got {cols.x_kind} values. "
                "Pass a date column (or ISO date strings) as x, or drop x_period."
            )
        cols.x = apply_period(cols.x, x_period)
    _validate_values(func, chart, cols)

    sub = aggregate(cols, agg)
    if sub.aggregated and chart in ("run", "i") and cols.n is None and x_period is None:
        pending.append(
            f"{func}(): some x values occur more than once; their y values were aggregated with "
            f"{agg}(). Use chart='xbar' for subgroups, or give each point its own x."
        )
    categorical = cols.x_kind == "category"
    if categorical and cols.x_categories is None:
        labels = pd.unique(pd.Series(cols.x).dropna().astype(str))
        if len(labels) >= 6 and np.mean([any(ch.isdigit() for ch in lab) for lab in labels]) > 0.5:
            # Text labels such as "Uke 1" or "2023 T1" look like periods but sort as text, and a
            # categorical x is a funnel plot without runs analysis (qicharts2's convention).
            pending.append(
                f"{func}(): x ({cols.x_name!r}) holds text labels such as {labels[0]!r}; they are treated "
                "as categories (a funnel plot: sorted as text, no runs analysis). For a chart over time, "
                "give x as dates (e.g. '2024-03' or '2024-03-15') or numbers."
            )
    if part_num is not None and breaks and freeze is not None:
        pending.append(f"{func}(): freeze is ignored because part is given (as in qicharts2).")
    if cols.part_labels is not None and freeze is not None:
        pending.append(f"{func}(): freeze is ignored because part is given (as in qicharts2).")
    use_freeze = None if (breaks or cols.part_labels is not None) else freeze

    if cols.n is not None and chart in ("p", "pp", "u", "up", "ip"):
        zero = (sub.n == 0) & (sub.y_length > 0)
        if zero.any():
            xs = ", ".join(_fmt(v) for v in sub.x[zero][:5])
            pending.append(
                f"{func}(): n = 0 at x = {xs}: y is infinite or undefined there and the point has "
                "no limits (as in qicharts2). Drop that period or pass its real denominator."
            )

    table, summary = _compute(
        sub,
        chart=chart,
        breaks=breaks,
        freeze=use_freeze,
        exclude=excl,
        multiply=multiply,
        method=method,
        rules=rules,
        screen=screen_mr,
        categorical=categorical,
        y_neg=y_neg,
        improvement=improvement,
        x_kind=cols.x_kind,
        x_categories=cols.x_categories,
        has_facets=bool(cols.facets),
        func=func,
        pending=pending,
    )
    for msg in dict.fromkeys(pending):
        _warn(msg)

    params: dict[str, Any] = {
        "chart": chart,
        "y": y if isinstance(y, str) else cols.y_name,
        "n": n if isinstance(n, str) else cols.n_name,
        "x": x if isinstance(x, str) else cols.x_name,
        "x_kind": cols.x_kind,
        "freeze": use_freeze,
        "part": breaks or (part if isinstance(part, str) else None),
        "exclude": excl,
        "agg": agg,
        "multiply": multiply,
        "method": method,
        "rules": rules,
        "x_period": x_period,
        "y_neg": y_neg,
        "screen_mr": screen_mr,
        "facets": list(cols.facet_names),
        "improvement": improvement,
        "lang": lang_checked,
        "title": title,
        "ylab": ylab,
        "xlab": xlab,
        "categorical": categorical,
        "has_notes": cols.notes is not None,
        "has_n": cols.n is not None,
    }
    return ChartResult(chart=chart, table=table, params=MappingProxyType(params), summary_frame=summary)


def _at(func: str, x: np.ndarray, i: int) -> str:
    return f"x = {_fmt(x[i])}"


def _validate_values(func: str, chart: str, cols: Any) -> None:
    y, n, x = cols.y, cols.n, cols.x
    if chart in _limits.COUNT_CHARTS:
        bad = np.flatnonzero(y < 0)
        if bad.size:
            i = int(bad[0])
            raise QikitInputError(
                f"{func}(): y counts events and cannot be negative on a {chart} chart; got y = {_fmt(y[i])} "
                f"at {_at(func, x, i)}. Check the data for that period."
            )
    if n is not None:
        bad = np.flatnonzero(n < 0)
        if bad.size:
            i = int(bad[0])
            raise QikitInputError(
                f"{func}(): n (denominator) cannot be negative; got n = {_fmt(n[i])} at {_at(func, x, i)}. "
                "Check the data for that period."
            )
        if chart in ("p", "pp"):
            with np.errstate(invalid="ignore"):
                bad = np.flatnonzero((y > n) & (n > 0))
            if bad.size:
                i = int(bad[0])
                raise QikitInputError(
                    f"{func}(): y (numerator) cannot exceed n (denominator) on a {chart} chart; got "
                    f"y = {_fmt(y[i])}, n = {_fmt(n[i])} at {_at(func, x, i)}. Check that y and n are not swapped."
                )
    if chart == "t":
        with np.errstate(invalid="ignore"):
            bad = np.flatnonzero(y <= 0)
        if bad.size:
            i = int(bad[0])
            raise QikitInputError(
                f"{func}(): a t chart needs positive times between events; got y = {_fmt(y[i])} at "
                f"{_at(func, x, i)}. Use a g chart for counts that can be 0."
            )


def _compute(
    sub: Subgroups,
    *,
    chart: str,
    breaks: list[int],
    freeze: int | None,
    exclude: list[int],
    multiply: float,
    method: str,
    rules: str,
    screen: bool,
    categorical: bool,
    y_neg: bool,
    improvement: str | None,
    x_kind: str,
    x_categories: list[Any] | None,
    has_facets: bool,
    func: str,
    pending: list[str],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    total = sub.y.size
    combo_starts = np.flatnonzero(np.concatenate(([True], sub.combo[1:] != sub.combo[:-1])))
    combo_stops = np.append(combo_starts[1:], total)
    max_n = int(np.max(combo_stops - combo_starts))
    if exclude and max(exclude) > max_n:
        raise QikitInputError(
            f"{func}(): exclude = {max(exclude)} is beyond the last point ({max_n}). "
            "Positions count points after aggregation by x, starting at 1."
        )

    # per-point outputs (filled block by block; blocks are contiguous and in order)
    part = np.empty(total, dtype=np.int64)
    part_label = np.full(total, None, dtype=object) if sub.part_labels is not None else None
    xx = np.empty(total, dtype=np.int64)
    baseline = np.ones(total, dtype=bool) if freeze is None else np.empty(total, dtype=bool)
    include = np.ones(total, dtype=bool)
    pieces: dict[str, list[np.ndarray]] = {k: [] for k in ("y", "cl", "lcl", "ucl", "lcl_95", "ucl_95")}
    flag_pieces: list[np.ndarray] = []
    high_pieces: list[np.ndarray] = []
    stat_rows: list[tuple[int, int, Any]] = []  # (start, stop, RunStats)
    blocks: list[dict[str, Any]] = []
    short_runs: list[str] = []
    short_limits: list[str] = []
    fallback: list[str] = []
    sequence = not (categorical or chart == "mr")
    excl_arr = np.asarray(exclude, dtype=np.int64)

    for c0, c1 in zip(combo_starts.tolist(), combo_stops.tolist(), strict=True):
        nn = c1 - c0
        pos = np.arange(1, nn + 1)
        xx[c0:c1] = pos
        # parts
        if sub.part_labels is not None:
            labs = sub.part_labels[c0:c1]
            first_seen: dict[object, int] = {}
            for i, lab in enumerate(labs.tolist()):
                first_seen.setdefault(lab, i)
            order = sorted(first_seen.items(), key=lambda kv: kv[1])
            b = np.array([0] + [i for _, i in order[1:]], dtype=np.int64)
            labels_in_order = [lab for lab, _ in order]
            pnum = np.searchsorted(b, pos, side="left")
            if (labs != np.array([labels_in_order[k - 1] for k in pnum], dtype=object)).any():
                pending.append(
                    f"{func}(): a phase label comes back after another phase; its later points stay in "
                    "the current part (parts are consecutive, as in qicharts2). Give the new phase a new label."
                )
            part_label[c0:c1] = [labels_in_order[k - 1] for k in pnum]  # type: ignore[index]
        else:
            b = np.unique(np.array([0] + breaks, dtype=np.int64))
            b = b[(b >= 0) & (b < nn)]
            pnum = np.ones(nn, dtype=np.int64) if b.size == 1 else np.searchsorted(b, pos, side="left")
        part[c0:c1] = pnum
        if freeze is not None:
            baseline[c0:c1] = pos <= freeze
        if excl_arr.size:
            include[c0:c1] = ~np.isin(pos, excl_arr)

        if b.size == 1:
            pstarts, pstops = [c0], [c1]
        else:
            ps = np.flatnonzero(np.concatenate(([True], pnum[1:] != pnum[:-1]))) + c0
            pstarts, pstops = ps.tolist(), np.append(ps[1:], c1).tolist()
        for p0, p1 in zip(pstarts, pstops, strict=True):
            sl = slice(p0, p1)
            inc = include[sl]
            base = baseline[sl] & inc
            blk = _limits.Block(
                y=sub.y[sl],
                y_sum=sub.y_sum[sl],
                y_length=sub.y_length[sl],
                y_mean=sub.y_mean[sl],
                y_sd=sub.y_sd[sl],
                n=sub.n[sl],
                cl_user=sub.cl[sl],
                base=base,
                include=inc,
                categorical=categorical,
            )
            lim = _limits.compute(chart, blk, screen=screen, mdc=rules == "mdc")
            for k in pieces:
                pieces[k].append(getattr(lim, k))
            all_inc = bool(inc.all())
            st = _runs_stats(lim.y if all_inc else lim.y[inc], lim.cl if all_inc else lim.cl[inc], method)
            stat_rows.append((p0, p1, st))
            outcome = _rules.evaluate(
                rules,
                y=lim.y,
                cl=lim.cl,
                lcl=lim.lcl,
                ucl=lim.ucl,
                zones=lim.zones,
                include=inc,
                stats=st,
                method=method,
                sequence=sequence,
            )
            flag_pieces.append(outcome.flags)
            high_pieces.append(outcome.high)
            where = _where(sub, c0, p0, has_facets, int(pnum[p0 - c0]))
            if sequence and st.n_useful < 10:
                short_runs.append(f"{where}{st.n_useful}")
            n_base = int(np.count_nonzero(base & ~np.isnan(lim.y)))
            if chart != "run" and n_base < 12:
                short_limits.append(f"{where}{n_base}")
            if st.box_fallback:
                fallback.append(f"{where}{st.n_useful}")
            blocks.append({"start": p0, "stop": p1, "stats": st, "outcome": outcome, "combo_start": c0})
            del blk

    if short_runs:
        pending.append(
            f"{func}(): fewer than 10 useful observations for the runs rules ({'; '.join(short_runs[:6])}). "
            "The runs analysis has little power; collect more data before concluding."
        )
    if short_limits:
        pending.append(
            f"{func}(): limits rest on fewer than 12 points ({'; '.join(short_limits[:6])}). "
            "Treat them as trial limits; 20 or more points give stable limits."
        )
    if fallback:
        pending.append(
            f"{func}(): method = {method!r} applies to 10-100 useful observations; used 'anhoej' for "
            f"{'; '.join(fallback[:6])}."
        )

    def joined(key: str) -> np.ndarray:
        # Chart functions return fresh arrays (never the user's data), so no copy is needed.
        arrs = pieces[key]
        out = np.concatenate(arrs) if len(arrs) > 1 else np.asarray(arrs[0], dtype=float)
        return out * multiply if multiply != 1 else out

    # ---- multiply (new arrays), non-finite limits, signals, y_neg ------------------------------
    y_out = joined("y")
    cl = joined("cl")
    lcl, ucl, lcl95, ucl95 = joined("lcl"), joined("ucl"), joined("lcl_95"), joined("ucl_95")
    for a in (lcl, ucl, lcl95, ucl95):
        a[~np.isfinite(a)] = np.nan
    flags = np.concatenate(flag_pieces) if len(flag_pieces) > 1 else flag_pieces[0]
    high = np.concatenate(high_pieces) if len(high_pieces) > 1 else high_pieces[0]
    with np.errstate(invalid="ignore"):
        sigma_sig = (y_out > ucl) | (y_out < lcl)
    flags[sigma_sig] |= _rules.LIMITS
    if not y_neg and (np.isnan(y_out).all() or np.nanmin(y_out) >= 0):
        lcl[lcl < 0] = 0.0
        lcl95[lcl95 < 0] = 0.0

    # runs statistics per point (one value per part)
    n_obs = np.empty(total, dtype=np.int64)
    n_useful = np.empty(total, dtype=np.int64)
    longest = np.zeros(total, dtype=np.int64)
    longest_max = np.zeros(total, dtype=np.int64)
    crossings = np.zeros(total, dtype=np.int64)
    crossings_min = np.zeros(total, dtype=np.int64)
    stats_na = np.zeros(total, dtype=bool)
    runs_sig = np.zeros(total, dtype=bool)
    for info in blocks:
        p0, p1, st = info["start"], info["stop"], info["stats"]
        sl = slice(p0, p1)
        n_obs[sl] = st.n_obs
        n_useful[sl] = st.n_useful
        if st.n_useful:
            longest[sl], longest_max[sl] = st.longest_run, st.longest_run_max
            crossings[sl], crossings_min[sl] = st.n_crossings, st.n_crossings_min
        else:
            stats_na[sl] = True
        if sequence:
            if rules == "anhoej":
                runs_sig[sl] = st.signal
            else:
                runs_sig[sl] = bool((info["outcome"].flags != 0).any())

    # ---- table --------------------------------------------------------------------------------
    counts = np.bincount(flags, minlength=1) if total else np.zeros(1, dtype=np.int64)
    present = np.flatnonzero(counts)
    lookup = np.full(counts.size, -1, dtype=np.int64)
    lookup[present] = np.arange(present.size)
    rule_cats = [_rules.rule_label(int(f)) for f in present]
    signal_rules = pd.Categorical.from_codes(lookup[flags], categories=pd.Index(rule_cats, dtype=object))
    cols: dict[str, Any] = {"x": _x_column(sub.x, x_kind, x_categories)}
    for i, f in enumerate(sub.facets):
        cols[f"facet{i + 1}"] = pd.Categorical(f, categories=list(dict.fromkeys(f.tolist())))
    int_na = stats_na

    def nullable(a: np.ndarray) -> pd.arrays.IntegerArray:
        return pd.arrays.IntegerArray(a, int_na.copy())

    notes_col = (
        pd.Categorical(sub.notes)
        if sub.notes is not None
        else pd.Categorical.from_codes(np.full(total, -1, dtype=np.int8), categories=pd.Index([], dtype=object))
    )
    cols.update(
        {
            "y_sum": sub.y_sum,
            "y_length": sub.y_length,
            "y_mean": sub.y_mean,
            "y_sd": sub.y_sd,
            "n": sub.n,
            "y": y_out,
            "cl": cl,
            "lcl": lcl,
            "ucl": ucl,
            "lcl_95": lcl95,
            "ucl_95": ucl95,
            "target": sub.target,
            "notes": notes_col,
            "part": part,
        }
    )
    if part_label is not None:
        cols["part_label"] = pd.Categorical(part_label, categories=list(dict.fromkeys(part_label.tolist())))
    cols.update(
        {
            "xx": xx,
            "baseline": baseline,
            "include": include,
            "excluded": ~include,
            "n_obs": n_obs,
            "n_useful": n_useful,
            "longest_run": nullable(longest),
            "longest_run_max": nullable(longest_max),
            "n_crossings": nullable(crossings),
            "n_crossings_min": nullable(crossings_min),
            "runs_signal": runs_sig,
            "sigma_signal": sigma_sig,
            "signal": flags != 0,
            "signal_rules": signal_rules,
        }
    )
    if rules == "mdc":
        cols["mdc_type"] = pd.Categorical(_rules.mdc_point_type(flags, high, improvement))
    table = pd.DataFrame(cols, copy=False)

    # ---- summary ------------------------------------------------------------------------------
    rows = []
    for info in blocks:
        p0, p1 = info["start"], info["stop"]
        st = info["stats"]
        sl = slice(p0, p1)
        row: dict[str, Any] = {}
        for i, f in enumerate(sub.facets):
            row[f"facet{i + 1}"] = f[p0]
        row["part"] = int(part[p0])
        if part_label is not None:
            row["part_label"] = part_label[p0]
        row["x_first"] = table["x"].iloc[p0]
        row["x_last"] = table["x"].iloc[p1 - 1]
        row["n_points"] = p1 - p0
        row.update(
            {
                "n_obs": st.n_obs,
                "n_useful": st.n_useful,
                "longest_run": st.longest_run,
                "longest_run_max": st.longest_run_max,
                "n_crossings": st.n_crossings,
                "n_crossings_min": st.n_crossings_min,
                "runs_signal": bool(runs_sig[p0]),
                "sigma_signal": int(sigma_sig[sl].sum()),
                "n_signals": int((flags[sl] != 0).sum()),
                "cl": cl[p1 - 1],
                "lcl": lcl[p1 - 1],
                "ucl": ucl[p1 - 1],
                "cl_mean": _mean(cl[sl]),
                "lcl_mean": _mean(lcl[sl]),
                "ucl_mean": _mean(ucl[sl]),
                "lcl_95_mean": _mean(lcl95[sl]),
                "ucl_95_mean": _mean(ucl95[sl]),
                "rules": rules,
                "method": method,
            }
        )
        outcome = info["outcome"]
        if rules == "ihi":
            row.update({"n_runs": outcome.n_runs, "runs_lower": outcome.runs_lower, "runs_upper": outcome.runs_upper})
        if rules == "mdc":
            pts = np.flatnonzero(include[sl] & ~np.isnan(y_out[sl]))
            if pts.size:
                last = p0 + int(pts[-1])
                row["variation_icon"] = _rules.mdc_point_type(
                    flags[last : last + 1], high[last : last + 1], improvement
                )[0]
            else:
                row["variation_icon"] = None
            row["assurance_icon"] = _rules.assurance(
                float(sub.target[p1 - 1]), float(lcl[p1 - 1]), float(ucl[p1 - 1]), improvement
            )
        rows.append(row)
    summary = pd.DataFrame(rows)
    for c in ("longest_run", "longest_run_max", "n_crossings", "n_crossings_min", "n_runs", "runs_lower", "runs_upper"):
        if c in summary:
            summary[c] = summary[c].astype("Int64")
    sort_keys = [c for c in ("facet1", "facet2") if c in summary] + ["part"]
    if len(sort_keys) > 1:
        summary = summary.sort_values(sort_keys, kind="stable").reset_index(drop=True)
    return table, summary


def _mean(a: np.ndarray) -> float:
    nan = np.isnan(a)
    if not nan.any():
        return float(a.mean()) if a.size else math.nan
    if nan.all():
        return math.nan
    return float(a[~nan].mean())


def _where(sub: Subgroups, c0: int, p0: int, has_facets: bool, pnum: int) -> str:
    parts = []
    if has_facets:
        parts.append("/".join(str(f[c0]) for f in sub.facets))
    parts.append(f"part {pnum}")
    return " ".join(parts) + ": n = "


def _x_column(x: np.ndarray, kind: str, categories: list[Any] | None) -> Any:
    if kind == "category":
        cats = list(dict.fromkeys(x.tolist()))
        return pd.Categorical(x, categories=cats, ordered=True)
    return x


# ------------------------------------------------------------------------------------------
# Helpers for other modules
# ------------------------------------------------------------------------------------------


def _as_sequence(value: object) -> Sequence[object]:  # pragma: no cover - small helper
    return value if isinstance(value, list | tuple) else [value]
