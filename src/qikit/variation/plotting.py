"""Matplotlib drawings for :mod:`qikit.variation`. pyplot is imported inside each function.

Every function takes ``ax=None`` (a new figure is made when it is None) and returns the ``Axes``.
Colours are the Okabe–Ito palette, readable with colour-vision deficiency.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from qikit._errors import check_choice
from qikit.i18n import check_lang
from qikit.variation._labels import LABELS

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from qikit.variation.causes import SimulatedProcess
    from qikit.variation.funnel import FunnelResult, TamperingResult
    from qikit.variation.red_beads import NpChart, RedBeadsResult

__all__ = [
    "BLUE",
    "GREY",
    "ORANGE",
    "RED",
    "plot_funnel",
    "plot_funnel_rules",
    "plot_np_chart",
    "plot_process",
    "plot_rank_reshuffle",
    "plot_ranking",
    "plot_tampering",
]

BLUE = "#0072B2"
ORANGE = "#E69F00"
RED = "#D55E00"
GREEN = "#009E73"
SKY = "#56B4E9"
PURPLE = "#CC79A7"
GREY = "#6E6E6E"
LIGHT = "#DDDDDD"


def _axes(ax: Axes | None, size: tuple[float, float] = (8.0, 4.5)) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=size, layout="constrained")
    return new


def _tidy(ax: Axes) -> None:
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)


def _limit_label(ax: Axes, y: float, text: str, color: str) -> None:
    ax.annotate(
        f"{text} {y:.1f}",
        xy=(1.0, y),
        xycoords=("axes fraction", "data"),
        xytext=(4, 0),
        textcoords="offset points",
        va="center",
        ha="left",
        fontsize=9,
        color=color,
        annotation_clip=False,
    )


def plot_np_chart(chart: NpChart, ax: Axes | None = None, *, lang: str | None = None) -> Axes:
    """Draw an np chart of red beads: one point per draw, days separated, workers on the axis."""
    lang = check_lang(lang, "plot_np_chart")
    ax = _axes(ax, (9.0, 4.5))
    t = chart.table
    x = t["draw"].to_numpy()
    y = t["red"].to_numpy()
    out = t["outside"].to_numpy(dtype=bool)
    ax.plot(x, y, color=BLUE, lw=1.2, marker="o", ms=5, zorder=3)
    if out.any():
        ax.plot(x[out], y[out], ls="none", marker="o", ms=8, color=RED, zorder=4)
    ax.axhline(chart.cl, color=GREEN, lw=1.5)
    ax.axhline(chart.ucl, color=RED, lw=1.2, ls="--")
    if chart.lcl > 0:
        ax.axhline(chart.lcl, color=RED, lw=1.2, ls="--")
    _limit_label(ax, chart.ucl, LABELS.get("ucl", lang), RED)
    _limit_label(ax, chart.cl, LABELS.get("cl", lang), GREEN)
    _limit_label(ax, chart.lcl, LABELS.get("lcl", lang), RED)
    days = t["day"].to_numpy()
    starts = [int(x[i]) for i in range(len(x)) if i == 0 or days[i] != days[i - 1]]
    for s in starts[1:]:
        ax.axvline(s - 0.5, color=LIGHT, lw=1, zorder=1)
    ymax = max(float(y.max()), chart.ucl) * 1.12 + 1
    for i, s in enumerate(starts):
        end = starts[i + 1] - 1 if i + 1 < len(starts) else int(x[-1])
        ax.text(
            (s + end) / 2,
            ymax,
            f"{LABELS.get('day', lang)} {days[s - int(x[0])]}",
            ha="center",
            va="top",
            fontsize=9,
            color=GREY,
        )
    ax.set_ylim(0, ymax * 1.04)
    ax.set_xlim(x[0] - 0.7, x[-1] + 0.7)
    if len(x) <= 60:
        ax.set_xticks(x)
        ax.set_xticklabels(t["worker"].tolist(), rotation=90, fontsize=8)
    else:
        ax.set_xlabel(LABELS.get("drop_no", lang))
    ax.set_ylabel(LABELS.get("red_per_paddle", lang, n=chart.n))
    basis = LABELS.get(f"red_beads_basis_{chart.basis}", lang, p=chart.p)
    ax.set_title(f"{LABELS.get('red_beads_title', lang)} ({basis})", fontsize=11, loc="left")
    _tidy(ax)
    return ax


def plot_ranking(result: RedBeadsResult, ax: Axes | None = None, *, lang: str | None = None) -> Axes:
    """Draw the workers' totals as ranked bars inside the band of the limits for a total."""
    lang = check_lang(lang, "plot_ranking")
    rk = result.ranking()
    ax = _axes(ax, (7.0, 0.45 * len(rk) + 1.8))
    ypos = np.arange(len(rk))[::-1]
    within = rk["within_limits"].to_numpy(dtype=bool)
    colors = [BLUE if w else RED for w in within]
    ax.barh(ypos, rk["red_total"], color=colors, height=0.6, zorder=3)
    # Limits for a total are the same for every worker when all drew equally often (the usual case).
    lcl, ucl = float(rk["lcl_total"].min()), float(rk["ucl_total"].max())
    ax.axvspan(lcl, ucl, color=GREEN, alpha=0.12, zorder=1)
    ax.axvline(lcl, color=RED, ls="--", lw=1)
    ax.axvline(ucl, color=RED, ls="--", lw=1)
    cl = (lcl + ucl) / 2 if lcl > 0 else float(rk["red_total"].mean())
    ax.axvline(cl, color=GREEN, lw=1.2)
    labels = [f"{LABELS.get('rank_label', lang, rank=r)}  {w}" for r, w in zip(rk["rank"], rk["worker"], strict=True)]
    ax.set_yticks(ypos)
    ax.set_yticklabels(labels)
    for yp, v in zip(ypos, rk["red_total"], strict=True):
        ax.text(v, yp, f" {v}", va="center", ha="left", fontsize=9, zorder=4)
    ax.set_xlim(0, max(ucl, float(rk["red_total"].max())) * 1.1)
    days = int(result.params["days"])  # type: ignore[call-overload]
    ax.set_xlabel(LABELS.get("red_total", lang, days=days))
    k_out = int((~within).sum())
    title = LABELS.get("ranking_title", lang) if k_out == 0 else LABELS.get("ranking_outside", lang, k=k_out)
    ax.set_title(title, fontsize=11, loc="left")
    _tidy(ax)
    return ax


def plot_rank_reshuffle(ranks: pd.DataFrame, ax: Axes | None = None, *, lang: str | None = None) -> Axes:
    """Draw each worker's rank in successive runs of the same system (a "bump chart").

    ``ranks`` is the table of :meth:`RedBeadsResult.rank_reshuffle` (``run, worker, red_total, rank``).
    """
    lang = check_lang(lang, "plot_rank_reshuffle")
    ax = _axes(ax, (7.0, 4.0))
    palette = [BLUE, ORANGE, GREEN, RED, PURPLE, SKY, GREY, "#000000"]
    workers = list(dict.fromkeys(ranks["worker"].tolist()))
    last_run = int(ranks["run"].max())
    final: dict[float, list[tuple[str, str]]] = {}
    for i, w in enumerate(workers):
        d = ranks[ranks["worker"] == w].sort_values("run")
        c = palette[i % len(palette)]
        ax.plot(d["run"], d["rank"], marker="o", color=c, lw=2, alpha=0.85)
        last = d[d["run"] == last_run]
        if len(last):
            final.setdefault(float(last["rank"].iloc[0]), []).append((w, c))
    for rank, names in final.items():
        # Tied workers share a rank: write their names side by side instead of on top of each other.
        offset = 6.0
        for name, c in names:
            ax.annotate(
                name,
                xy=(last_run, rank),
                xytext=(offset, 0),
                textcoords="offset points",
                va="center",
                fontsize=9,
                color=c,
            )
            offset += 5.4 * len(name) + 8
    ax.invert_yaxis()
    ax.set_xticks(sorted(ranks["run"].unique().tolist()))
    ax.set_yticks(range(1, len(workers) + 1))
    ax.set_xlabel(LABELS.get("run", lang))
    ax.set_ylabel(LABELS.get("rank", lang))
    widest = max((sum(len(n) + 1 for n, _ in v) for v in final.values()), default=6)
    ax.set_xlim(0.8, last_run + 0.3 + 0.1 * widest)
    ax.set_title(LABELS.get("reshuffle_title", lang), fontsize=11, loc="left")
    _tidy(ax)
    return ax


def _funnel_scatter(
    result: FunnelResult, ax: Axes, lang: str, lim: float | None, colorbar: bool, legend: str = "below"
) -> None:
    import textwrap

    import matplotlib.patches as mpatches

    t = result.table
    ax.plot(
        t["funnel_x"], t["funnel_y"], color=GREY, lw=0.7, alpha=0.35, zorder=2, label=LABELS.get("funnel_path", lang)
    )
    sc = ax.scatter(
        t["x"],
        t["y"],
        c=t["drop"],
        cmap="viridis",
        s=18,
        zorder=3,
        edgecolor="none",
        label=LABELS.get("drops_legend", lang),
    )
    ax.plot([0], [0], marker="+", ms=16, mew=2.5, color=RED, zorder=4, ls="none", label=LABELS.get("target", lang))
    r95 = 2.4477 * result.sigma  # sqrt of the chi-square(2) 95 % point: rule 1 keeps 95 % inside
    ax.add_patch(mpatches.Circle((0, 0), r95, fill=False, ls=":", color=RED, lw=1, zorder=1))
    if lim is None:
        lim = max(float(t[["x", "y", "funnel_x", "funnel_y"]].abs().to_numpy().max()), r95) * 1.08
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    rule_text = textwrap.fill(LABELS.get(f"rule_{result.rule}", lang), 48)
    ax.set_title(f"{LABELS.get('funnel_title', lang, rule=result.rule)}\n{rule_text}", fontsize=10, loc="left")
    if legend == "below":
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.07), ncols=3, fontsize=8, frameon=False)
    elif legend == "inside":
        ax.legend(loc="upper right", fontsize=8, frameon=True, framealpha=0.85)
    if colorbar:
        cb = ax.figure.colorbar(sc, ax=ax, shrink=0.7, pad=0.02)
        cb.set_label(LABELS.get("drop_no", lang), fontsize=8)


def plot_funnel(
    result: FunnelResult,
    ax: Axes | None = None,
    *,
    kind: str = "scatter",
    lang: str | None = None,
    lim: float | None = None,
) -> Axes:
    """Draw a funnel experiment.

    ``kind="scatter"``: the drops on the table around the target (colour = drop order), the funnel's
    path in grey and a dotted circle that holds 95 % of drops under rule 1. ``kind="spread"``: the
    running SD per coordinate against the drop number, with its theoretical value.
    """
    lang = check_lang(lang, "plot_funnel")
    check_choice("plot_funnel", "kind", kind, ("scatter", "spread"))
    if kind == "scatter":
        ax = _axes(ax, (6.0, 5.2))
        _funnel_scatter(result, ax, lang, lim, colorbar=True)
        return ax
    ax = _axes(ax, (7.0, 4.0))
    t = result.table
    k = t["drop"].to_numpy()
    theory = np.sqrt(np.cumsum(t["theory_var"].to_numpy()) / k)
    ax.plot(k, t["running_sd"], color=BLUE, lw=1.8, label=LABELS.get("running_sd", lang))
    ax.plot(k, theory, color=ORANGE, lw=1.5, ls="--", label=LABELS.get("theory_sd", lang))
    ax.axhline(result.sigma, color=GREY, lw=0.8, ls=":")
    ax.set_xlabel(LABELS.get("drop_no", lang))
    ax.set_ylabel(LABELS.get("sd_axis", lang))
    ax.set_ylim(0, None)
    ax.legend(frameon=False, fontsize=9)
    ax.set_title(
        f"{LABELS.get('funnel_title', lang, rule=result.rule)}: {LABELS.get('spread_title', lang)}",
        fontsize=11,
        loc="left",
    )
    _tidy(ax)
    return ax


def plot_funnel_rules(
    results: Sequence[FunnelResult], axes: Any = None, *, lang: str | None = None, share: bool = True
) -> Any:
    """Draw several funnel results side by side (e.g. rules 1–4 with the same seed).

    With ``share=True`` all panels use the same scale, so the growth under rules 3 and 4 is visible.
    Returns the array of Axes.
    """
    lang = check_lang(lang, "plot_funnel_rules")
    if axes is None:
        import matplotlib.pyplot as plt

        n = len(results)
        ncols = 2 if n > 1 else 1
        nrows = (n + ncols - 1) // ncols
        _, axes = plt.subplots(nrows, ncols, figsize=(5.2 * ncols, 4.6 * nrows), layout="constrained", squeeze=False)
    flat = np.ravel(axes)
    lim = None
    if share:
        lim = max(float(r.table[["x", "y", "funnel_x", "funnel_y"]].abs().to_numpy().max()) for r in results)
        lim = max(lim, 2.4477 * max(r.sigma for r in results)) * 1.08
    for i, (r, a) in enumerate(zip(results, flat, strict=False)):
        _funnel_scatter(r, a, lang, lim, colorbar=False, legend="inside" if i == 0 else "none")
    for a in flat[len(results) :]:
        a.set_visible(False)
    return axes


def plot_process(
    proc: SimulatedProcess, ax: Axes | None = None, *, reveal: bool = False, lang: str | None = None
) -> Axes:
    """Draw a simulated series; with ``reveal=True`` add the true level and mark the planted special cause."""
    lang = check_lang(lang, "plot_process")
    ax = _axes(ax, (8.0, 4.0))
    t = proc.table
    counts = "proportion" in t
    y = t["proportion"] if counts else t["y"]
    x = t["x"]
    ax.plot(x, y, color=BLUE, marker="o", ms=4, lw=1.2, zorder=3)
    ax.axhline(float(y.mean()), color=GREY, lw=1, ls="--", label=LABELS.get("mean_line", lang))
    if reveal:
        true = t["true_p"] if counts else t["true_mean"]
        steps = "steps-mid" if proc.kind in ("shift", "outlier") else "default"
        ax.plot(x, true, color=ORANGE, lw=2, drawstyle=steps, label=LABELS.get("true_mean", lang), zorder=2)
        sp = t["special"].to_numpy(dtype=bool)
        if sp.any():
            ax.plot(
                x[sp],
                y[sp],
                ls="none",
                marker="o",
                ms=9,
                mfc="none",
                mec=RED,
                mew=1.8,
                zorder=4,
                label=LABELS.get("planted", lang),
            )
        ax.set_title(proc.describe(lang), fontsize=10, loc="left")
    else:
        ax.set_title(LABELS.get("guess_title", lang), fontsize=10, loc="left")
    ax.set_xlabel(LABELS.get("period", lang))
    ax.set_ylabel(LABELS.get("proportion" if counts else "value", lang))
    ax.legend(frameon=False, fontsize=8, loc="best")
    _tidy(ax)
    return ax


def plot_tampering(result: TamperingResult, ax: Axes | None = None, *, lang: str | None = None) -> Axes:
    """Draw the process left alone and the same process adjusted after every point."""
    lang = check_lang(lang, "plot_tampering")
    ax = _axes(ax, (8.0, 4.0))
    t = result.table
    s = result.summary().iloc[0]
    target = float(result.params["target"])  # type: ignore[arg-type]
    ax.axhline(target, color=GREY, lw=1, ls=":")
    ax.plot(
        t["x"],
        t["y_stable"],
        color=BLUE,
        lw=1.3,
        marker="o",
        ms=3,
        label=LABELS.get("untampered", lang, sd=float(s["sd_stable"])),
    )
    ax.plot(
        t["x"],
        t["y_tampered"],
        color=RED,
        lw=1.3,
        marker="s",
        ms=3,
        alpha=0.85,
        label=LABELS.get("tampered", lang, rule=result.rule, sd=float(s["sd_tampered"])),
    )
    ax.set_xlabel(LABELS.get("period", lang))
    ax.set_ylabel(LABELS.get("value", lang))
    ax.legend(frameon=False, fontsize=9, loc="upper left", ncols=2)
    lo, hi = ax.get_ylim()
    ax.set_ylim(lo, hi + 0.18 * (hi - lo))
    ax.set_title(LABELS.get("tampering_title", lang), fontsize=11, loc="left")
    _tidy(ax)
    return ax
