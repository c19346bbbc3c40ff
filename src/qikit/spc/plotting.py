"""Drawing run and control charts with matplotlib (imported lazily, inside the functions).

Conventions (after qicharts2, made readable in greyscale): blue circles for data, amber
triangles for flagged points, hollow grey circles for excluded points; a grey centre line that
turns dashed and amber when the part has a runs signal; limits as a light ribbon with stepped
edges for varying n; dotted green target; dashed vertical lines between parts and a dotted one
at the end of a frozen baseline; notes (e.g. PDSA cycles) in a band above the data with
arrows; CL/limit values at the right edge; a caption naming the rule set and the runs statistics.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from qikit._errors import QikitInputError
from qikit.i18n import check_lang
from qikit.spc._i18n import CATALOG

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from qikit.spc.core import ChartResult

COL_LINE = "#8C8C8C"
COL_DOT = "#5DA5DA"
COL_SIGNAL = "#FAA43A"
COL_SIGNAL_EDGE = "#8A4B00"
COL_CL_SIGNAL = "#D9730D"
COL_EXCLUDED = "#A0A0A0"
COL_LIMIT = "#6E6E6E"
COL_RIBBON = "#E6E6E6"
COL_TARGET = "#059748"
COL_TEXT = "#404040"
MDC_COLOURS = {
    "common_cause": "#7B7D7D",
    "improvement": "#289DE0",
    "concern": "#F5A623",
    "neutral": "#6A3D9A",
}
MDC_MARKERS = {"common_cause": "o", "improvement": "^", "concern": "s", "neutral": "D"}

#: Rules that flag individual points (the others, few_crossings/few_runs/many_runs, are about a whole part).
POINT_RULES = ("limits", "long_run", "shift", "trend", "two_of_three", "inner_third")


def figure_size(result: ChartResult) -> tuple[float, float]:
    """A good figure size in inches for ``result`` (wider for many points, a grid for facets)."""
    nrow, ncol = _grid(result)
    if nrow * ncol > 1:
        return (min(3.4 * ncol + 1.0, 16.0), min(2.7 * nrow + 1.4, 14.0))
    n = len(result.table)
    return (min(max(8.0, 0.12 * n + 6.0), 14.0), 5.0)


def _grid(result: ChartResult) -> tuple[int, int]:
    t = result.table
    if "facet2" in t:
        return len(t["facet1"].cat.categories), len(t["facet2"].cat.categories)
    if "facet1" in t:
        k = len(t["facet1"].cat.categories)
        ncol = int(np.ceil(np.sqrt(k)))
        return int(np.ceil(k / ncol)), ncol
    return 1, 1


def _flagged(rules: pd.Series) -> np.ndarray:
    text = rules.astype(str).to_numpy()
    out = np.zeros(text.size, dtype=bool)
    for r in POINT_RULES:
        out |= np.char.find(text.astype(str), r) >= 0
    return out


def _xpos(t: pd.DataFrame, result: ChartResult) -> np.ndarray:
    if result.params.get("categorical"):
        cats = list(t["x"].cat.categories) if isinstance(t["x"].dtype, pd.CategoricalDtype) else list(t["x"])
        lookup = {c: i for i, c in enumerate(cats)}
        return np.array([lookup[v] for v in t["x"]], dtype=float)
    return t["x"].to_numpy()


_NB_MONTHS = {
    "Jan": "jan", "Feb": "feb", "Mar": "mar", "Apr": "apr", "May": "mai", "Jun": "jun",
    "Jul": "jul", "Aug": "aug", "Sep": "sep", "Oct": "okt", "Nov": "nov", "Dec": "des",
}  # fmt: skip


def _nb_months(text: str) -> str:
    for en, nb in _NB_MONTHS.items():
        text = text.replace(en, nb)
    return text


def _NorwegianDates(locator: Any) -> Any:
    """A concise date formatter with Norwegian month names, whatever the machine's locale."""
    import matplotlib.dates as mdates

    class NorwegianConciseDateFormatter(mdates.ConciseDateFormatter):
        def format_ticks(self, values: Any) -> list[str]:
            return [_nb_months(label) for label in super().format_ticks(values)]

        def get_offset(self) -> str:
            return _nb_months(super().get_offset())

    return NorwegianConciseDateFormatter(locator)


def _CappedLocator(cap: float) -> Any:
    """The default tick locator, without ticks above ``cap`` (100 % on a percent axis)."""
    from matplotlib.ticker import MaxNLocator

    class CappedLocator(MaxNLocator):
        def tick_values(self, vmin: float, vmax: float) -> Any:
            ticks = np.asarray(super().tick_values(vmin, min(vmax, cap)), dtype=float)
            return ticks[ticks <= float(cap) * (1 + 1e-9)]

    return CappedLocator(nbins="auto", steps=[1, 2, 2.5, 5, 10])


def _mid(a: Any, b: Any) -> Any:
    if isinstance(a, np.datetime64 | pd.Timestamp):
        a64, b64 = pd.Timestamp(a).to_datetime64(), pd.Timestamp(b).to_datetime64()
        return a64 + (b64 - a64) / 2
    return (a + b) / 2


def _fmt_value(v: float, percent: float | None, decimals: int = 1) -> str:
    if not np.isfinite(v):
        return ""
    if percent is not None:
        return f"{v / percent * 100:.{decimals}f} %"
    av = abs(v)
    if av >= 100:
        return f"{v:.0f}"
    if av >= 10:
        return f"{v:.1f}"
    if av >= 1:
        return f"{v:.2f}"
    return f"{v:.3g}"


def _percent_scale(result: ChartResult, percent: bool | None) -> float | None:
    if percent is None:
        percent = result.chart in ("p", "pp")
    if not percent:
        return None
    m = float(result.params.get("multiply", 1.0))
    return m  # y = proportion × multiply; 100 % corresponds to multiply


def _caption(result: ChartResult, t: pd.DataFrame, lang: str) -> str:
    rules = str(result.params.get("rules", "anhoej"))
    text = CATALOG.get(f"rules_{rules}", lang)
    summ = result.summary_frame
    if "facet1" in t and "facet1" in summ:
        mask = summ["facet1"] == t["facet1"].iloc[0]
        if "facet2" in t and "facet2" in summ:
            mask &= summ["facet2"] == t["facet2"].iloc[0]
        summ = summ[mask]
    if result.params.get("categorical"):
        return f"{text}; {CATALOG.get('funnel', lang)}"
    bits = []
    if len(summ) == 1 and result.chart != "mr":
        r = summ.iloc[0]
        if pd.notna(r["longest_run"]) and rules == "anhoej":
            bits.append(
                CATALOG.get(
                    "runs_stats",
                    lang,
                    lr=int(r["longest_run"]),
                    lrmax=int(r["longest_run_max"]),
                    nc=int(r["n_crossings"]),
                    ncmin=int(r["n_crossings_min"]),
                )
            )
        if rules == "ihi" and "n_runs" in r and pd.notna(r["n_runs"]):
            bits.append(
                CATALOG.get("ihi_runs", lang, r=int(r["n_runs"]), lo=int(r["runs_lower"]), hi=int(r["runs_upper"]))
            )
    if result.chart != "mr":
        bits.append(CATALOG.get("runs_yes" if bool(summ["runs_signal"].any()) else "runs_no", lang))
    k = int(summ["sigma_signal"].sum())
    if k:
        bits.append(CATALOG.get("sigma_count", lang, k=k))
    return text + (": " + "; ".join(bits) if bits else "")


def plot_chart(
    result: ChartResult,
    ax: Axes | None = None,
    *,
    fig: Figure | None = None,
    lang: str | None = None,
    title: str | None = None,
    ylab: str | None = None,
    xlab: str | None = None,
    show_labels: bool = True,
    show_95: bool = False,
    show_notes: bool = True,
    percent: bool | None = None,
    legend: bool = True,
    caption: bool = True,
) -> Any:
    """Draw a :class:`~qikit.spc.core.ChartResult`.

    Parameters
    ----------
    result
        The chart to draw.
    ax
        Axes to draw into (not with facets). Default: a new figure.
    fig
        Figure to draw into when ``ax`` is None (used by the command line).
    lang
        ``'nb'`` or ``'en'``; default the chart's ``lang``, else ``$QIKIT_LANG`` or nb.
    title, ylab, xlab
        Texts; defaults from the chart type and column names.
    show_labels
        Write CL and limit values at the right edge.
    show_95
        Draw the 2-sigma limits too.
    show_notes
        Draw the ``notes`` as annotations.
    percent
        Percent y axis; default True for p and pp charts.
    legend, caption
        Draw the legend and the rule-set caption.

    Returns
    -------
    matplotlib.axes.Axes or numpy.ndarray
        The Axes; with facets, a 2-D array of Axes (one per facet combination).
    """
    lang_ = check_lang(lang if lang is not None else result.params.get("lang"), "plot_chart")
    nrow, ncol = _grid(result)
    facetted = nrow * ncol > 1 or "facet1" in result.table
    if facetted and ax is not None:
        raise QikitInputError("plot_chart(): a facetted chart draws its own grid of axes; pass ax=None (or fig=...).")
    if title is None:
        title = result.params.get("title") or _default_title(result, lang_)
    opts: dict[str, Any] = {
        "lang": lang_,
        "show_labels": show_labels,
        "show_95": show_95,
        "show_notes": show_notes,
        "percent": _percent_scale(result, percent),
        "caption": caption,
        "ylab": ylab if ylab is not None else result.params.get("ylab"),
        "xlab": xlab if xlab is not None else result.params.get("xlab"),
    }
    if not facetted:
        if ax is None:
            if fig is None:
                import matplotlib.pyplot as plt

                fig, ax = plt.subplots(figsize=figure_size(result), layout="constrained")
            else:
                ax = fig.add_subplot()
        single = _draw_panel(ax, result.table, result, **opts)
        ax.set_title(title, loc="left", fontweight="bold", pad=22 if caption else 8)
        if legend:
            ax.legend(
                handles=single,
                loc="upper center",
                bbox_to_anchor=(0.5, -0.13),
                ncol=min(len(single), 6),
                frameon=False,
                fontsize=8.5,
            )
        return ax

    if fig is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=figure_size(result), layout="constrained")
    axes = fig.subplots(nrow, ncol, sharey=True, squeeze=False)
    t = result.table
    f1 = list(t["facet1"].cat.categories)
    f2 = list(t["facet2"].cat.categories) if "facet2" in t else [None]
    used = np.zeros(axes.shape, dtype=bool)
    handles: list[Any] = []
    combos = [(a, b) for a in f1 for b in f2]
    for k, (a, b) in enumerate(combos):
        if "facet2" in t:
            i, j = f1.index(a), f2.index(b)
            mask = (t["facet1"] == a) & (t["facet2"] == b)
            label = f"{a} / {b}"
        else:
            i, j = divmod(k, ncol)
            mask = t["facet1"] == a
            label = str(a)
        sub = t[mask.to_numpy()]
        axk = axes[i, j]
        used[i, j] = True
        if len(sub) == 0:
            axk.set_axis_off()
            continue
        h = _draw_panel(axk, sub, result, **{**opts, "caption": False, "small": True})
        if len(h) > len(handles):
            handles = h
        axk.set_title(label, fontsize=9.5, loc="left")
    for i, j in zip(*np.nonzero(~used), strict=True):
        axes[i, j].set_axis_off()
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    if legend and handles:
        fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 6), frameon=False, fontsize=8.5)
    return axes


def _default_title(result: ChartResult, lang: str) -> str:
    base = CATALOG.get(f"chart_{result.chart}", lang)
    y = result.params.get("y")
    return f"{base}: {y}" if y else base


def _draw_panel(
    ax: Axes,
    t: pd.DataFrame,
    result: ChartResult,
    *,
    lang: str,
    show_labels: bool,
    show_95: bool,
    show_notes: bool,
    percent: float | None,
    caption: bool,
    ylab: str | None,
    xlab: str | None,
    small: bool = False,
) -> list[Any]:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    categorical = bool(result.params.get("categorical"))
    rules = str(result.params.get("rules", "anhoej"))
    xs = _xpos(t, result)
    y = t["y"].to_numpy(dtype=float)
    cl = t["cl"].to_numpy(dtype=float)
    lcl = t["lcl"].to_numpy(dtype=float)
    ucl = t["ucl"].to_numpy(dtype=float)
    part = t["part"].to_numpy()
    excluded = t["excluded"].to_numpy(dtype=bool)
    flagged = _flagged(t["signal_rules"])
    runs_sig = t["runs_signal"].to_numpy(dtype=bool)
    has_limits = bool(np.isfinite(lcl).any() or np.isfinite(ucl).any())
    ms = 4.5 if small else 5.5
    handles: list[Any] = []

    # parts: lines, limits, centre
    bounds = np.flatnonzero(np.concatenate(([True], part[1:] != part[:-1], [True])))
    for s0, s1 in zip(bounds[:-1], bounds[1:], strict=True):
        sl = slice(int(s0), int(s1))
        xp = xs[sl]
        if has_limits:
            lo_sl, hi_sl = lcl[sl], ucl[sl]
            varying = (np.nanmax(hi_sl) - np.nanmin(hi_sl) > 1e-12) if np.isfinite(hi_sl).any() else False
            step: Literal["mid"] | None = "mid" if varying else None
            draw = "steps-mid" if varying else "default"
            ok = np.isfinite(lo_sl) & np.isfinite(hi_sl)
            if ok.any():
                ax.fill_between(xp, lo_sl, hi_sl, where=ok, step=step, color=COL_RIBBON, linewidth=0, zorder=0)
            ax.plot(xp, lo_sl, color=COL_LIMIT, lw=1.0, drawstyle=draw, zorder=1)
            ax.plot(xp, hi_sl, color=COL_LIMIT, lw=1.0, drawstyle=draw, zorder=1)
            if show_95:
                ax.plot(xp, t["lcl_95"].to_numpy(dtype=float)[sl], color=COL_LIMIT, lw=0.7, ls=":", drawstyle=draw)
                ax.plot(xp, t["ucl_95"].to_numpy(dtype=float)[sl], color=COL_LIMIT, lw=0.7, ls=":", drawstyle=draw)
        sig = bool(runs_sig[sl].any())
        cl_draw = (
            "steps-mid"
            if np.nanmax(cl[sl]) - np.nanmin(cl[sl]) > 1e-12
            else "default"
            if np.isfinite(cl[sl]).any()
            else "default"
        )
        ax.plot(
            xp,
            cl[sl],
            color=COL_CL_SIGNAL if sig else COL_LINE,
            lw=1.6 if sig else 1.3,
            ls=(0, (6, 3)) if sig else "-",
            drawstyle=cl_draw,
            zorder=2,
        )
        if not categorical:
            ax.plot(xp, y[sl], color=COL_LINE, lw=1.1, zorder=3)

    target = t["target"].to_numpy(dtype=float)
    if np.isfinite(target).any():
        ax.plot(xs, target, color=COL_TARGET, lw=1.4, ls=":", zorder=2)

    # points
    normal = ~flagged & ~excluded
    if rules == "mdc" and "mdc_type" in t:
        kinds = t["mdc_type"].astype(str).str.split("_").str[0].replace({"common": "common_cause"}).to_numpy()
        for kind in ("common_cause", "improvement", "concern", "neutral"):
            sel = (kinds == kind) & ~excluded
            if sel.any():
                big = kind != "common_cause"
                ax.plot(
                    xs[sel],
                    y[sel],
                    ls="none",
                    marker=MDC_MARKERS[kind],
                    ms=ms + (1.5 if big else 0),
                    mfc=MDC_COLOURS[kind],
                    mec="#222222" if big else MDC_COLOURS[kind],
                    mew=0.6,
                    zorder=4,
                )
                handles.append(
                    Line2D(
                        [],
                        [],
                        ls="none",
                        marker=MDC_MARKERS[kind],
                        mfc=MDC_COLOURS[kind],
                        mec="#222222",
                        ms=ms + 1,
                        label=CATALOG.get("common_cause" if kind == "common_cause" else f"{kind}_type", lang),
                    )
                )
    else:
        ax.plot(xs[normal], y[normal], ls="none", marker="o", ms=ms, mfc=COL_DOT, mec=COL_DOT, zorder=4)
        handles.append(
            Line2D([], [], ls="none", marker="o", mfc=COL_DOT, mec=COL_DOT, ms=ms, label=CATALOG.get("data", lang))
        )
        sel = flagged & ~excluded
        if sel.any():
            ax.plot(
                xs[sel],
                y[sel],
                ls="none",
                marker="^",
                ms=ms + 2.5,
                mfc=COL_SIGNAL,
                mec=COL_SIGNAL_EDGE,
                mew=0.8,
                zorder=5,
            )
            handles.append(
                Line2D(
                    [],
                    [],
                    ls="none",
                    marker="^",
                    mfc=COL_SIGNAL,
                    mec=COL_SIGNAL_EDGE,
                    ms=ms + 2.5,
                    label=CATALOG.get("signal", lang),
                )
            )
    if excluded.any():
        ax.plot(
            xs[excluded],
            y[excluded],
            ls="none",
            marker="o",
            ms=ms + 0.5,
            mfc="white",
            mec=COL_EXCLUDED,
            mew=1.2,
            zorder=4,
        )
        handles.append(
            Line2D(
                [],
                [],
                ls="none",
                marker="o",
                mfc="white",
                mec=COL_EXCLUDED,
                mew=1.2,
                ms=ms,
                label=CATALOG.get("excluded", lang),
            )
        )
    cl_name = (
        "median" if result.chart in ("run", "g") else "mean" if result.chart in ("i", "xbar", "c", "mr") else "centre"
    )
    if not runs_sig.all():
        handles.append(Line2D([], [], color=COL_LINE, lw=1.3, label=CATALOG.get(cl_name, lang)))
    if runs_sig.any():
        handles.append(
            Line2D(
                [],
                [],
                color=COL_CL_SIGNAL,
                lw=1.6,
                ls=(0, (6, 3)),
                label=f"{CATALOG.get(cl_name, lang)}: {CATALOG.get('runs_yes', lang)}",
            )
        )
    if has_limits:
        handles.append(Patch(facecolor=COL_RIBBON, edgecolor=COL_LIMIT, label=CATALOG.get("limits", lang)))
    if np.isfinite(target).any():
        handles.append(Line2D([], [], color=COL_TARGET, lw=1.4, ls=":", label=CATALOG.get("target", lang)))

    # phases and baseline
    n_parts = len(bounds) - 1
    trans = ax.get_xaxis_transform()
    if n_parts > 1:
        labels = t["part_label"].astype(str).to_numpy() if "part_label" in t else None
        for k, s0 in enumerate(bounds[:-1]):
            if k > 0:
                ax.axvline(_mid(xs[s0 - 1], xs[s0]), color=COL_TEXT, lw=0.9, ls="--", zorder=1)
            lab = labels[s0] if labels is not None else CATALOG.get("part", lang, k=k + 1)
            ax.text(xs[s0], 0.985, f" {lab}", transform=trans, fontsize=8.5, color=COL_TEXT, va="top", ha="left")
    freeze = result.params.get("freeze")
    if freeze is not None and n_parts == 1 and 0 < int(freeze) < len(xs):
        ax.axvline(_mid(xs[int(freeze) - 1], xs[int(freeze)]), color=COL_TEXT, lw=0.9, ls=":", zorder=1)
        ax.text(
            xs[0],
            0.985,
            f" {CATALOG.get('baseline', lang)}",
            transform=trans,
            fontsize=8.5,
            color=COL_TEXT,
            va="top",
            ha="left",
        )

    # axes cosmetics
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=8.5 if small else 9)
    if categorical:
        cats = list(t["x"].astype(str))
        ax.set_xticks(xs)
        ax.set_xticklabels(cats, rotation=45 if len(cats) > 6 else 0, ha="right" if len(cats) > 6 else "center")
    elif result.params.get("x_kind") == "numeric" and np.issubdtype(np.asarray(xs).dtype, np.integer):
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    elif result.params.get("x_kind") == "date":
        import matplotlib.dates as mdates

        loc = mdates.AutoDateLocator(maxticks=8 if small else 12)
        ax.xaxis.set_major_locator(loc)
        ax.xaxis.set_major_formatter(_NorwegianDates(loc) if lang == "nb" else mdates.ConciseDateFormatter(loc))
    if percent is not None:
        from matplotlib.ticker import PercentFormatter

        yfin = y[np.isfinite(y)]
        spread = (float(np.ptp(yfin)) / percent) if yfin.size else 1.0
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=percent, decimals=0 if spread >= 0.05 else None))
        # Room for notes may stretch the axis above 100 %; a proportion never goes there, so no tick does.
        ax.yaxis.set_major_locator(_CappedLocator(percent))
    if not small:
        ax.set_ylabel(ylab or str(result.params.get("y") or CATALOG.get("value", lang)))
        ax.set_xlabel(xlab or str(result.params.get("x") or CATALOG.get("subgroup", lang)))

    # headroom for notes and phase labels, then value labels and notes
    finite = np.concatenate([a[np.isfinite(a)] for a in (y, cl, lcl, ucl, target)])
    if finite.size:
        lo, hi = float(finite.min()), float(finite.max())
        span: float = hi - lo if hi > lo else max(abs(hi), 1.0)
        notes = t["notes"]
        has_notes = show_notes and notes.notna().any()
        if not small or has_notes:
            top = hi + span * (0.55 if has_notes else 0.12 if n_parts > 1 or freeze else 0.05)
            ax.set_ylim(lo - span * 0.06, top)
        if show_labels and not small and has_limits | np.isfinite(cl).any():
            _value_labels(ax, xs, cl, lcl, ucl, percent, lo, hi)
        if has_notes:
            _notes(ax, xs, y, notes, hi, span)
    if caption:
        ax.text(
            0,
            1.01,
            _caption(result, t, lang),
            transform=ax.transAxes,
            fontsize=8.5,
            color=COL_TEXT,
            va="bottom",
            ha="left",
        )
    if rules == "mdc" and not small:
        _mdc_icons(ax, result, t, lang)
    ax.margins(x=0.02)
    return handles


def _value_labels(
    ax: Axes,
    xs: np.ndarray,
    cl: np.ndarray,
    lcl: np.ndarray,
    ucl: np.ndarray,
    percent: float | None,
    lo: float,
    hi: float,
) -> None:
    x_last = xs[-1]
    items = [(v[-1], lab) for v, lab in ((ucl, "UCL"), (cl, "CL"), (lcl, "LCL")) if np.isfinite(v[-1])]
    if not items:
        return
    span = hi - lo if hi > lo else 1.0
    placed: list[float] = []
    for val, _lab in sorted(items, key=lambda it: -it[0]):
        pos = val
        for p in placed:  # keep labels at least 6 % of the span apart
            if abs(pos - p) < 0.06 * span:
                pos = p - 0.06 * span
        placed.append(pos)
        ax.annotate(
            _fmt_value(val, percent),
            xy=(x_last, val),
            xytext=(6, (pos - val) / span * 200 if span else 0),
            textcoords="offset points",
            fontsize=8,
            color=COL_TEXT,
            va="center",
            ha="left",
            annotation_clip=False,
        )


def _notes(ax: Axes, xs: np.ndarray, y: np.ndarray, notes: pd.Series, hi: float, span: float) -> None:
    """Annotate the points that carry a note, so that no two boxes overlap.

    Each note gets the lowest of three levels above the data where its box does not overlap a box
    already placed (box widths estimated from the text and the axes' size). When the notes are too
    dense for that (a PDSA ramp with one note a month, say), the points get small numbers instead and
    the texts are listed under the chart, in order.
    """
    idx = np.flatnonzero(notes.notna().to_numpy())
    if idx.size == 0:
        return
    levels = (0.40, 0.24, 0.08)
    x_num = np.array([_num(v) for v in xs], dtype=float)
    x_lo, x_hi = ax.get_xlim() if len(xs) > 1 else (x_num[0] - 1, x_num[0] + 1)
    x_lo, x_hi = float(_num(x_lo)), float(_num(x_hi))
    fig_width_in = float(ax.get_figure(root=True).get_size_inches()[0])  # type: ignore[union-attr]
    axes_width_pt = ax.get_position().width * fig_width_in * 72
    per_pt = (x_hi - x_lo) / max(axes_width_pt, 1.0)  # data units per point
    wrap = 24
    texts = [textwrap.fill(str(notes.iloc[i]), wrap, max_lines=3, placeholder=" …") for i in idx]
    half_widths = [0.5 * (max(len(line) for line in t.split("\n")) * 7.5 * 0.56 + 8) * per_pt for t in texts]
    placed: dict[int, list[tuple[float, float]]] = {lv: [] for lv in range(len(levels))}
    chosen: list[int] = []
    for i, hw in zip(idx, half_widths, strict=True):
        left, right = x_num[i] - hw, x_num[i] + hw
        level = next(
            (lv for lv in range(len(levels)) if all(right < a or left > b for a, b in placed[lv])),
            None,
        )
        if level is None:
            chosen = []
            break
        placed[level].append((left, right))
        chosen.append(level)
    arrow = {"arrowstyle": "-|>", "color": "#7A7A7A", "lw": 0.8, "shrinkB": 4}
    box = {"boxstyle": "round,pad=0.25", "fc": "white", "ec": "#BBBBBB", "lw": 0.6}
    if chosen:
        for i, text, level in zip(idx, texts, chosen, strict=True):
            yp = y[i] if np.isfinite(y[i]) else hi
            ax.annotate(
                text, xy=(xs[i], yp), xytext=(xs[i], hi + span * levels[level]), fontsize=7.5, color=COL_TEXT,
                ha="center", va="bottom", arrowprops=arrow, bbox=box, zorder=6,
            )  # fmt: skip
        return
    # Too dense: numbered markers on the chart, the texts in a list under it.
    lines = []
    for k, i in enumerate(idx, start=1):
        yp = y[i] if np.isfinite(y[i]) else hi
        ax.annotate(
            str(k), xy=(xs[i], yp), xytext=(xs[i], hi + span * (0.22 if k % 2 else 0.10)), fontsize=7.5,
            color=COL_TEXT, ha="center", va="bottom", arrowprops=arrow, bbox={**box, "boxstyle": "circle,pad=0.2"},
            zorder=6,
        )  # fmt: skip
        lines.append(f"{k}  {notes.iloc[i]}")
    ax.text(
        0.0, -0.30, "\n".join(lines), transform=ax.transAxes, fontsize=7.5, color=COL_TEXT, va="top", ha="left",
        linespacing=1.3,
    )  # fmt: skip


def _num(v: Any) -> float:
    if isinstance(v, np.timedelta64):
        return float(v / np.timedelta64(1, "D"))
    if isinstance(v, np.datetime64 | pd.Timestamp):
        return float(pd.Timestamp(v).value / 86_400e9)
    return float(v)


def _mdc_icons(ax: Axes, result: ChartResult, t: pd.DataFrame, lang: str) -> None:
    summ = result.summary_frame
    if len(summ) == 0 or "variation_icon" not in summ:
        return
    last = summ.iloc[-1]
    var = last.get("variation_icon")
    ass = last.get("assurance_icon")
    icons = []
    if isinstance(var, str):
        kind = var.split("_")[0] if var != "common_cause" else "common_cause"
        letter = "~" if var == "common_cause" else ("H" if var.endswith("high") else "L")
        icons.append((letter, MDC_COLOURS[kind], CATALOG.get(var, lang)))
    if isinstance(ass, str):
        colour = {
            "pass": MDC_COLOURS["improvement"],
            "fail": MDC_COLOURS["concern"],
            "hit_and_miss": MDC_COLOURS["common_cause"],
        }[ass]
        letter = {"pass": "P", "fail": "F", "hit_and_miss": "?"}[ass]
        icons.append((letter, colour, CATALOG.get(ass, lang)))
    for k, (letter, colour, label) in enumerate(icons):
        x = 0.99 - 0.13 * (len(icons) - 1 - k)
        ax.text(
            x - 0.055,
            1.005,
            letter,
            transform=ax.transAxes,
            ha="center",
            va="bottom",
            fontsize=10,
            fontweight="bold",
            color="white",
            bbox={"boxstyle": "circle,pad=0.3", "fc": colour, "ec": "#333333", "lw": 0.6},
        )
        ax.text(x - 0.055, 1.0, label, transform=ax.transAxes, ha="center", va="top", fontsize=6.5, color=COL_TEXT)
