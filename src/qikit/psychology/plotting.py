"""Matplotlib pictures for :mod:`qikit.psychology`: radar chart, adopter bell, S-curve, W–I–E bars.

pyplot is imported inside the functions, so importing :mod:`qikit.psychology` stays light.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, cast

import numpy as np

from qikit._errors import QikitInputError
from qikit.i18n import Catalog, check_lang

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.projections.polar import PolarAxes

    from qikit.psychology.assessment import SelfAssessment
    from qikit.psychology.diffusion import AdopterCategories, Diffusion
    from qikit.psychology.wie import WieChecklist

__all__ = ["DATA_GID", "plot_adopters", "plot_diffusion", "plot_radar", "plot_wie"]

#: ``gid`` of the artists that show the data (as opposed to the frame: axes, labels, titles), so
#: interactive front ends can redraw only these on top of a cached background.
DATA_GID = "qikit:data"

_TEXT = Catalog(
    {
        "radar_title": ("«Snakk om forbedring!» – skår per område", "«Snakk om forbedring!» – score per area"),
        "not_relevant": ("ikke relevant", "not relevant"),
        "period": ("Periode", "Period"),
        "share": ("Andel som har tatt i bruk endringen", "Share who have adopted the change"),
        "simulated": ("Simulert, kumulativt", "Simulated, cumulative"),
        "bass": ("Bass-kurven (forventet)", "Bass curve (expected)"),
        "new": ("Nye per periode", "New per period"),
        "s_title": (
            "Spredning i en gruppe på {n} (p = {p:g}, q = {q:g})",
            "Spread in a group of {n} (p = {p:g}, q = {q:g})",
        ),
        "half": ("halvparten", "half"),
        "tipping": ("16 %: innovatører + tidlige brukere", "16 %: innovators + early adopters"),
        "time": ("Når personen tar i bruk endringen", "When the person adopts the change"),
        "bell_title": ("Rogers' brukerkategorier i en gruppe på {n}", "Rogers' adopter categories in a group of {n}"),
        "people": ("pers.", "people"),
        "wie_title": ("Vilje, ideer og gjennomføring", "Will, ideas and execution"),
        "score": ("Skår (0 = ingenting på plass, 1 = alt på plass)", "Score (0 = nothing in place, 1 = all in place)"),
        "weakest": ("svakest", "weakest"),
        "unanswered": ("ikke besvart", "not answered"),
        "answered": ("{k} av {n} besvart", "{k} of {n} answered"),
    }
)

_COLORS = ("#9e9e9e", "#1f77b4", "#d62728", "#2ca02c")
_BELL_COLORS = ("#08519c", "#3182bd", "#6baed6", "#9ecae1", "#c6dbef")


def _new_axes(figsize: tuple[float, float], polar: bool = False) -> Axes:
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=figsize)
    return fig.add_subplot(111, projection="polar" if polar else None)


def plot_radar(
    assessments: Sequence[SelfAssessment],
    *,
    ax: Axes | None = None,
    lang: str | None = None,
    labels: Literal["short", "full"] = "short",
    wrap: int = 16,
    title: str | None = None,
    colors: Sequence[str] | None = None,
) -> Axes:
    """Draw one or more self-assessments on a radar chart with the ten areas as spokes.

    Parameters
    ----------
    assessments
        :class:`~qikit.psychology.SelfAssessment` results; the first ones are drawn as dashed
        outlines, the last one filled (so ``[before, after]`` reads as before → after).
    ax
        A *polar* Axes to draw on; a new 7 × 7 inch figure if ``None``.
    lang
        Language of the area labels.
    labels
        ``"short"`` labels (default) or the areas' ``"full"`` titles.
    wrap
        Characters per line of the wrapped area labels.
    title
        Title; default "«Snakk om forbedring!» – score per area".
    colors
        One colour per assessment.

    Returns
    -------
    matplotlib.axes.Axes
        The polar Axes. One ``Line2D`` per assessment carries its label (for the legend).

    Notes
    -----
    Areas without a score (all themes not relevant) are gaps in the outline, and their label says
    "not relevant" (for the last assessment). The radial axis runs from 0 to 4, with rings at the
    four levels.
    """
    from qikit.psychology.assessment import AREAS

    lang_ = check_lang(lang, "plot_radar")
    if not assessments:
        raise QikitInputError("plot_radar(): give at least one self-assessment.")
    if ax is None:
        ax = _new_axes((7.0, 7.0), polar=True)
    elif getattr(ax, "name", "") != "polar":
        raise QikitInputError(
            "plot_radar(): ax must be a polar Axes, e.g. fig.add_subplot(projection='polar'); "
            f"got a {getattr(ax, 'name', type(ax).__name__)!r} Axes."
        )
    n = len(AREAS)
    angles = np.linspace(0.0, 2 * np.pi, n, endpoint=False)
    pax = cast("PolarAxes", ax)
    pax.set_theta_offset(np.pi / 2)
    pax.set_theta_direction(-1)
    ax.set_ylim(0, 4)
    ax.set_yticks([1, 2, 3, 4])
    ax.set_yticklabels(["1", "2", "3", "4"], fontsize=8, color="#555555")
    pax.set_rlabel_position(180 / n)  # between areas 1 and 2
    ax.set_xticks(angles)
    ax.set_xticklabels([])
    ax.grid(True, color="#cccccc", linewidth=0.8)
    palette = list(colors) if colors is not None else None
    k_last = len(assessments) - 1
    for k, res in enumerate(assessments):
        vals = res.area_scores.reindex([a.number for a in AREAS]).to_numpy(dtype=float)
        if palette is not None:
            color = palette[k % len(palette)]
        else:
            color = _COLORS[3] if (k == k_last and k > 0) else _COLORS[1] if k == k_last else _COLORS[k % 3]
        closed_a = np.append(angles, angles[0])
        closed_v = np.append(vals, vals[0])
        style = "-" if k == k_last else "--"
        ax.plot(
            closed_a,
            closed_v,
            style,
            color=color,
            linewidth=2.2 if k == k_last else 1.6,
            marker="o",
            markersize=5,
            label=res.label or f"#{k + 1}",
            zorder=3 + k,
            gid=DATA_GID,
        )
        ok = ~np.isnan(vals)
        if k == k_last and ok.sum() >= 3:
            ax.fill(angles[ok], vals[ok], color=color, alpha=0.15, zorder=2, gid=DATA_GID)
    last = assessments[-1]
    nr = _TEXT.get("not_relevant", lang_)
    for a, ang in zip(AREAS, angles, strict=True):
        text = a.text(lang_, "title" if labels == "full" else "short")
        body = textwrap.fill(text, width=wrap, break_long_words=False)
        label = f"{a.number}. {body}"
        missing_in = [
            res.label or f"#{k + 1}"
            for k, res in enumerate(assessments)
            if math.isnan(float(res.area_scores.get(a.number, math.nan)))
        ]
        grey = math.isnan(float(last.area_scores.get(a.number, math.nan)))
        if grey:
            label += f"\n({nr})"
        elif missing_in:
            label += f"\n({', '.join(missing_in)}: {nr})"
        # position on screen: theta measured clockwise from the top
        x = math.sin(ang)
        ha = "center" if abs(x) < 0.2 else ("left" if x > 0 else "right")
        y = math.cos(ang)
        va = "center" if abs(y) < 0.4 else ("bottom" if y > 0 else "top")
        ax.text(
            ang,
            4.35,
            label,
            ha=ha,
            va=va,
            fontsize=8.5,
            linespacing=1.1,
            clip_on=False,
            color="#777777" if grey else "black",
        )
    if len(assessments) > 1 or last.label:
        ax.legend(loc="upper right", bbox_to_anchor=(1.18, 1.13), fontsize=9, frameon=False)
    ax.set_title(title if title is not None else _TEXT.get("radar_title", lang_), pad=48, fontsize=12)
    return ax


def plot_adopters(
    result: AdopterCategories,
    *,
    ax: Axes | None = None,
    lang: str | None = None,
) -> Axes:
    """Draw Rogers' adopter bell: the normal curve cut at the mean and ±1, −2 standard deviations.

    Each category is shaded and labelled with its share and its count in the group.

    Returns
    -------
    matplotlib.axes.Axes
        One filled ``PolyCollection`` per category, in adoption order.
    """
    lang_ = check_lang(lang if lang is not None else str(result.params.get("lang", "nb")), "plot_adopters")
    if ax is None:
        ax = _new_axes((8.0, 4.2))
    z = np.linspace(-3.4, 3.4, 400)
    pdf = np.exp(-0.5 * z**2) / math.sqrt(2 * math.pi)
    ax.plot(z, pdf, color="black", linewidth=1.2)
    people = _TEXT.get("people", lang_)
    centres = (-2.65, -1.5, -0.5, 0.5, 1.9)
    for row, color, cz in zip(result.table.to_dict("records"), _BELL_COLORS, centres, strict=True):
        lo, hi = max(float(row["z_from"]), -3.4), min(float(row["z_to"]), 3.4)
        mask = (z >= lo) & (z <= hi)
        ax.fill_between(z[mask], 0, pdf[mask], color=color, alpha=0.9, linewidth=0)
        inside = abs(cz) < 1.0  # the two majorities: label inside the shaded area
        # Outside the majorities, sit above the highest point of the curve over the category, so the
        # label never crosses the curve.
        edge = min(abs(lo), abs(hi))
        y = 0.06 if inside else math.exp(-0.5 * edge**2) / math.sqrt(2 * math.pi) + 0.015
        label = textwrap.fill(str(row["label"]), 12, break_long_words=False)
        pct = f"{100 * float(row['share']):.3g}"
        if lang_ == "nb":
            pct = pct.replace(".", ",")  # decimal comma in bokmål
        ax.text(
            cz,
            y,
            f"{label}\n{pct} %\n{int(row['count'])} {people}",
            ha="center",
            va="bottom",
            fontsize=8.5,
            linespacing=1.1,
        )
    ax.set_xticks([-2, -1, 0, 1])
    ax.set_xticklabels(["x̄ − 2σ", "x̄ − σ", "x̄", "x̄ + σ"])
    ax.set_yticks([])
    ax.set_ylim(0, 0.5)
    ax.set_xlim(-3.4, 3.4)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel(_TEXT.get("time", lang_))
    ax.set_title(_TEXT.get("bell_title", lang_, n=result.n))
    return ax


def plot_diffusion(
    result: Diffusion,
    *,
    ax: Axes | None = None,
    lang: str | None = None,
    title: str | None = None,
) -> Axes:
    """Draw the S-curve of a diffusion: simulated cumulative share, the Bass curve, new adopters.

    ``title`` replaces the default title (group size, p and q).

    Returns
    -------
    matplotlib.axes.Axes
        Lines labelled "simulated" and "Bass curve", and bars for new adopters per period.
    """
    lang_ = check_lang(lang, "plot_diffusion")
    if ax is None:
        ax = _new_axes((8.0, 4.5))
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    from qikit.psychology.diffusion import bass_curve

    t = result.table
    bars = ax.bar(t.period, t.new_adopters / result.n, width=0.8, color="#9ecae1", label=_TEXT.get("new", lang_))
    for patch in bars.patches:
        patch.set_gid(DATA_GID)
    tt = np.linspace(0, result.periods, 300)
    ax.plot(
        tt,
        bass_curve(tt, p=result.p, q=result.q),
        color="#555555",
        linestyle="--",
        linewidth=1.6,
        label=_TEXT.get("bass", lang_),
        gid=DATA_GID,
    )
    ax.plot(
        t.period,
        t.share,
        color="#d62728",
        marker="o",
        markersize=4,
        linewidth=2,
        label=_TEXT.get("simulated", lang_),
        gid=DATA_GID,
    )
    for level, key in ((0.16, "tipping"), (0.5, "half")):
        ax.axhline(level, color="#999999", linewidth=0.8, linestyle=":")
        ax.text(
            result.periods, level + 0.012, _TEXT.get(key, lang_), ha="right", va="bottom", fontsize=8, color="#555555"
        )
    ax.set_ylim(0, 1.05)
    ax.set_xlim(-0.6, result.periods + 0.6)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(_TEXT.get("period", lang_))
    ax.set_ylabel(_TEXT.get("share", lang_))
    ax.set_title(title if title is not None else _TEXT.get("s_title", lang_, n=result.n, p=result.p, q=result.q))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="upper left", fontsize=9, frameon=False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return ax


def plot_wie(
    result: WieChecklist,
    *,
    ax: Axes | None = None,
    lang: str | None = None,
) -> Axes:
    """Draw the will / ideas / execution scores as bars; the weakest element is red.

    Returns
    -------
    matplotlib.axes.Axes
        Three horizontal bars (will on top).
    """
    from qikit.psychology.wie import ELEMENTS

    lang_ = check_lang(lang, "plot_wie")
    if ax is None:
        ax = _new_axes((6.5, 2.8))
    names = [nb if lang_ == "nb" else en for _, nb, en in ELEMENTS]
    ids = [e for e, _, _ in ELEMENTS]
    vals = [result.scores[e] for e in ids]
    y = np.arange(len(ids))[::-1]
    colors = ["#d62728" if e in result.weakest else "#1f77b4" for e in ids]
    bars = ax.barh(y, [0 if math.isnan(v) else v for v in vals], color=colors, height=0.6)
    for patch in bars.patches:
        patch.set_gid(DATA_GID)
    for yy, v, e in zip(y, vals, ids, strict=True):
        if math.isnan(v):
            txt = _TEXT.get("unanswered", lang_)
        else:
            sub = result.table[result.table.element == e]
            answered = _TEXT.get("answered", lang_, k=int(sub.points.notna().sum()), n=len(sub))
            txt = f"{v:.2f}" + (f"  ({_TEXT.get('weakest', lang_)})" if e in result.weakest else "")
            txt += f"  · {answered}"
        ax.text((0 if math.isnan(v) else v) + 0.02, yy, txt, va="center", fontsize=9, gid=DATA_GID)
    ax.set_yticks(y)
    ax.set_yticklabels(names)
    ax.set_xlim(0, 1.3)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.set_xlabel(_TEXT.get("score", lang_))
    ax.set_title(_TEXT.get("wie_title", lang_))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return ax
