"""Matplotlib pictures for :mod:`qikit.pdsa`: ramps of PDSA wheels, simulator runs, strategy comparison.

pyplot is imported inside the functions, so importing :mod:`qikit.pdsa` stays light.
"""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING, Any

import numpy as np

from qikit.i18n import Catalog, check_lang

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from qikit.pdsa.records import PdsaLog
    from qikit.pdsa.simulator import PdsaSimulator, StrategyComparison

__all__ = ["ACT_COLORS", "DATA_GID", "plot_ramp", "plot_simulation", "plot_strategies"]

#: ``gid`` of the artists that change between updates of an interactive view (the data, the
#: highlight), so front ends can redraw only these on top of a cached background.
DATA_GID = "qikit:data"

#: Colours of the act quadrant: adopt green, adapt orange, abandon red.
ACT_COLORS = {"adopt": "#2ca02c", "adapt": "#ff9f1c", "abandon": "#d62728"}
_PART_COLORS = {"P": "#c6dbef", "D": "#9ecae1", "S": "#6baed6"}

_TEXT = Catalog(
    {
        "adopt": ("innfør", "adopt"),
        "adapt": ("tilpass", "adapt"),
        "abandon": ("forkast", "abandon"),
        "running": ("pågår", "running"),
        "missing": ("mangler", "missing"),
        "problem": ("feil i loggen", "error in the log"),
        "warning": ("advarsel", "warning"),
        "ramp_title": ("PDSA-rampe", "PDSA ramp"),
        "cycle": ("Syklus", "Cycle"),
        "share_good": ("Andel gode utfall", "Share of good outcomes"),
        "with": ("Med endringen", "With the change"),
        "without": ("Uten (baseline)", "Without (baseline)"),
        "pooled_with": ("samlet, med", "pooled, with"),
        "pooled_without": ("samlet, uten", "pooled, without"),
        "sim_title": (
            "Samlet forbedring {d:+.1%} (± {se:.1%}) etter {n} pasienter med endringen",
            "Pooled improvement {d:+.1%} (± {se:.1%}) after {n} patients with the change",
        ),
        "sim_empty": ("Ingen sykluser ennå", "No cycles yet"),
        "truth": ("sann verdi", "true value"),
        "exposed": ("Pasienter som fikk endringen (gjennomsnitt)", "Patients given the change (mean)"),
        "right": ("Andel riktige beslutninger", "Share of right decisions"),
        "harm": ("skadelig eksponert", "exposed to harm"),
        "strat_title": (
            "Små tester mot én stor test ({n} skjulte sannheter)",
            "Small tests versus one big test ({n} hidden truths)",
        ),
        "strat_note": (
            "{right:.0%} riktig · {exp:.0f} fikk endringen · {harm:.1f} fikk en skadelig endring · "
            "skadelig innført {adopt_harm:.0%}",
            "{right:.0%} right · {exp:.0f} given the change · {harm:.1f} given a harmful change · "
            "harmful adopted {adopt_harm:.0%}",
        ),
    }
)


def _wheel(ax: Axes, x: float, y: float, r: float, cycle: Any, *, highlight: bool, problem: str, lang: str) -> None:
    from matplotlib.patches import Circle, Wedge

    parts = (
        ("P", 0, 90, bool(cycle.prediction)),
        ("A", 90, 180, bool(cycle.act)),
        ("S", 180, 270, bool(cycle.study)),
        ("D", 270, 360, bool(cycle.do)),
    )
    for letter, t1, t2, done in parts:
        if letter == "A":
            color = ACT_COLORS.get(cycle.act or "", "white")
        else:
            color = _PART_COLORS[letter] if done else "white"
        ax.add_artist(  # add_artist: no data-limit update (the limits are set once), much faster
            Wedge(
                (x, y),
                r,
                t1,
                t2,
                facecolor=color,
                edgecolor="#444444",
                linewidth=0.8,
                hatch=None if done else "////",
                zorder=3,
            )
        )
        mid = math.radians((t1 + t2) / 2)
        ax.text(
            x + 0.55 * r * math.cos(mid),
            y + 0.55 * r * math.sin(mid),
            letter,
            ha="center",
            va="center",
            fontsize=7,
            color="#222222" if done else "#999999",
            zorder=4,
        )
    ax.add_artist(
        Circle(
            (x, y),
            r,
            fill=False,
            edgecolor="black" if highlight else "#444444",
            linewidth=2.6 if highlight else 1.0,
            zorder=5,
            gid=DATA_GID,
        )
    )
    if problem:
        color = "#d62728" if problem == "error" else "#ff9f1c"
        ax.text(
            x - 0.8 * r,
            y + 0.85 * r,
            "!",
            color="white",
            fontsize=8,
            fontweight="bold",
            ha="center",
            va="center",
            zorder=6,
            bbox={"boxstyle": "circle,pad=0.15", "fc": color, "ec": "none"},
        )


def plot_ramp(
    log: PdsaLog,
    *,
    ax: Axes | None = None,
    lang: str | None = None,
    highlight: int | None = None,
    show_problems: bool = True,
    wrap: int = 24,
) -> Axes:
    """Draw a PDSA log as ramps: linked PDSA wheels climbing towards the aim, one ramp per change idea.

    Parameters
    ----------
    log
        The :class:`~qikit.pdsa.PdsaLog`.
    ax
        Axes to draw on; a new figure sized to the log if ``None``.
    lang
        Language of the labels.
    highlight
        A cycle number to outline in bold.
    show_problems
        Mark cycles with errors from :meth:`~qikit.pdsa.PdsaLog.validate` with a red "!".
    wrap
        Characters per line in the cycle labels.

    Returns
    -------
    matplotlib.axes.Axes
        Each wheel is four ``Wedge`` patches (P, D, S filled blue when recorded, hatched when
        missing; A coloured by the decision: adopt green, adapt orange, abandon red).

    Notes
    -----
    The picture follows the classic ramp of Langley et al. (2009): each cycle builds on the one before
    and tests grow in scale as knowledge grows. Cycles are placed in number order within their ramp.
    """
    from matplotlib.patches import FancyArrowPatch, Patch

    lang_ = check_lang(lang, "plot_ramp")
    ramps = log.ramps()
    problems: dict[int, str] = {}
    if show_problems:
        rep = log.validate(lang=lang_)
        for c, sev in zip(rep.table.cycle, rep.table.severity, strict=True):
            if sev == "error" or int(c) not in problems:
                problems[int(c)] = str(sev)
    step, r, text_w = 1.0, 0.36, 3.4
    max_len = max((len(c) for c in ramps.values()), default=1)
    widths = [len(c) * step + text_w for c in ramps.values()]
    total_w = sum(widths) if widths else 4.0
    if ax is None:
        import matplotlib.pyplot as plt

        figw = min(16.0, max(6.5, 0.95 * total_w + 0.5))
        figh = min(10.0, max(3.8, 0.95 * (max_len * step + 2.6)))
        _, ax = plt.subplots(figsize=(figw, figh))
    x0 = 0.0
    for (idea, cycles), width in zip(ramps.items(), widths, strict=True):
        n = len(cycles)
        if n > 1:
            ax.add_patch(
                FancyArrowPatch(
                    (x0 - 0.5, -0.5),
                    (x0 + (n - 1) * step + 0.55, (n - 1) * step + 0.55),
                    arrowstyle="simple,head_width=14,head_length=12,tail_width=7",
                    color="#dddddd",
                    zorder=1,
                    mutation_scale=1.0,
                )
            )
        for i, c in enumerate(cycles):
            cx, cy = x0 + i * step, i * step
            _wheel(ax, cx, cy, r, c, highlight=(c.number == highlight), problem=problems.get(c.number, ""), lang=lang_)
            act = _TEXT.get(c.act, lang_) if c.act else _TEXT.get("running", lang_)
            title = textwrap.shorten(c.title or "", width=2 * wrap, placeholder="…")
            body = textwrap.fill(f"{c.number}. {title}", width=wrap, break_long_words=False)
            meta = f"{c.scale or '?'} → {act}"
            ax.text(
                cx + r + 0.08,
                cy - 0.02,
                f"{body}\n{meta}",
                ha="left",
                va="center",
                fontsize=7.5,
                linespacing=1.05,
                zorder=6,
                color="#222222",
            )
        label = textwrap.fill(idea or "–", width=int(2.2 * wrap), break_long_words=False)
        ax.text(x0 - r, -0.75, label, ha="left", va="top", fontsize=8.5, style="italic", color="#333333")
        x0 += width
    handles = [Patch(facecolor=ACT_COLORS[a], edgecolor="#444444", label=_TEXT.get(a, lang_)) for a in ACT_COLORS]
    handles.append(Patch(facecolor="white", edgecolor="#444444", hatch="////", label=_TEXT.get("missing", lang_)))
    if "error" in problems.values():
        handles.append(Patch(facecolor="#d62728", edgecolor="none", label="! " + _TEXT.get("problem", lang_)))
    if "warning" in problems.values():
        handles.append(Patch(facecolor="#ff9f1c", edgecolor="none", label="! " + _TEXT.get("warning", lang_)))
    ax.legend(handles=handles, loc="upper left", fontsize=8, frameon=False, ncol=1)
    ax.set_xlim(-1.0, max(total_w - 0.5, 3.0))
    ax.set_ylim(-1.35, max_len * step + 0.2)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(log.title or _TEXT.get("ramp_title", lang_), fontsize=11)
    return ax


def plot_simulation(
    sim: PdsaSimulator,
    *,
    ax: Axes | None = None,
    lang: str | None = None,
    show_truth: bool = False,
    min_cycles: int = 1,
) -> Axes:
    """Draw a simulator's cycles: the proportion of good outcomes with and without the change.

    The x axis shows at least ``min_cycles`` cycles (so it need not rescale after every cycle).
    Dots are single cycles (size ∝ patients), lines the pooled running proportions. With
    ``show_truth=True`` (after :meth:`~qikit.pdsa.PdsaSimulator.reveal`) the true proportions are
    drawn as dashed lines.
    """
    lang_ = check_lang(lang, "plot_simulation")
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(7.0, 4.0))
    t = sim.table
    if len(t):
        k = t.cycle.to_numpy()
        n1 = t["size"].cumsum()
        p1 = t.successes.cumsum() / n1
        n0 = t.baseline_size.cumsum() + sim.history
        p0 = (t.baseline_successes.cumsum() + sim.history_successes) / n0.where(n0 > 0)
        ax.scatter(
            k - 0.08,
            t.proportion,
            s=12 + 3 * t["size"],
            color="#1f77b4",
            alpha=0.6,
            zorder=3,
            label=_TEXT.get("with", lang_),
            gid=DATA_GID,
        )
        ax.scatter(
            k + 0.08,
            t.baseline_proportion,
            s=12 + 3 * t.baseline_size,
            color="#7f7f7f",
            alpha=0.6,
            marker="s",
            zorder=3,
            label=_TEXT.get("without", lang_),
            gid=DATA_GID,
        )
        ax.plot(k, p1, color="#1f77b4", linewidth=2, label=_TEXT.get("pooled_with", lang_), gid=DATA_GID)
        ax.plot(
            k, p0, color="#7f7f7f", linewidth=2, linestyle="-.", label=_TEXT.get("pooled_without", lang_), gid=DATA_GID
        )
        last = t.iloc[-1]
        headline = _TEXT.get(
            "sim_title", lang_, d=float(last.pooled_difference), se=float(last.pooled_se), n=int(last.exposed)
        )
        ax.set_xlim(0.5, max(int(max(k)), min_cycles) + 0.5)
    else:
        headline = _TEXT.get("sim_empty", lang_)
        ax.set_xlim(0.5, max(1, min_cycles) + 0.5)
    # the headline changes every cycle: a plain text artist (tagged as data), not the axes title
    ax.text(0.5, 1.03, headline, transform=ax.transAxes, ha="center", va="bottom", fontsize=10, gid=DATA_GID)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if show_truth:
        truth = sim.reveal()
        ax.axhline(truth.p1, color="#1f77b4", linestyle="--", linewidth=1)
        ax.axhline(truth.p0, color="#7f7f7f", linestyle="--", linewidth=1)
        ax.text(
            ax.get_xlim()[1],
            truth.p1,
            f" {_TEXT.get('truth', lang_)} {truth.p1:.0%}",
            va="center",
            fontsize=8,
            color="#1f77b4",
        )
        ax.text(
            ax.get_xlim()[1],
            truth.p0,
            f" {_TEXT.get('truth', lang_)} {truth.p0:.0%}",
            va="center",
            fontsize=8,
            color="#7f7f7f",
        )
    from matplotlib.ticker import PercentFormatter

    ax.set_ylim(-0.03, 1.03)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(_TEXT.get("cycle", lang_))
    ax.set_ylabel(_TEXT.get("share_good", lang_))
    if len(t):
        ax.legend(loc="lower left", fontsize=8, frameon=False, ncol=2)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return ax


def plot_strategies(
    result: StrategyComparison,
    *,
    ax: Axes | None = None,
    lang: str | None = None,
) -> Axes:
    """Draw each strategy's share of right decisions as a bar, annotated with its cost and risk.

    The text beside each bar gives the mean number of patients given the change, the mean number
    given a harmful change, and the chance of adopting a harmful change.

    Returns
    -------
    matplotlib.axes.Axes
        One horizontal bar per strategy (first strategy on top).
    """
    lang_ = check_lang(lang, "plot_strategies")
    s = result.summary()
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(8.0, 1.0 + 0.6 * max(len(s), 1)))
    y = np.arange(len(s))[::-1]
    ax.barh(y, s.p_right, color="#1f77b4", height=0.6, alpha=0.85)
    records = s.to_dict("records")
    for yy, rec in zip(y, records, strict=True):
        harmful = float(rec["p_adopt_harmful"])
        txt = _TEXT.get(
            "strat_note",
            lang_,
            right=rec["p_right"],
            exp=rec["exposed"],
            harm=rec["harm_exposed"],
            adopt_harm=0.0 if math.isnan(harmful) else harmful,
        )
        ax.text(float(rec["p_right"]) + 0.01, yy, txt, va="center", fontsize=8)
    ax.set_yticks(y)
    ax.set_yticklabels([f"{rec['strategy']}\n({rec['sizes']})" for rec in records], fontsize=8.5)
    from matplotlib.ticker import PercentFormatter

    ax.set_xlim(0, 1.9)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(_TEXT.get("right", lang_))
    ax.set_title(_TEXT.get("strat_title", lang_, n=len(result.table) // max(1, len(result.strategies))), fontsize=10)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return ax
