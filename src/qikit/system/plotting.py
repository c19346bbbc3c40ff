"""Matplotlib drawings for :mod:`qikit.system`. pyplot is imported inside each function.

Every function takes ``ax=None`` (a new figure is made when it is None) and returns the ``Axes``.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from qikit.i18n import check_lang
from qikit.system._labels import LABELS
from qikit.system.drivers import MESSAGES
from qikit.variation.plotting import BLUE, GREY, ORANGE, RED, _axes, _tidy

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from qikit.system.drivers import DriverDiagram
    from qikit.system.flow import FlowResult
    from qikit.system.pareto import ParetoResult
    from qikit.system.swiss_cheese import SwissCheeseResult

__all__ = [
    "driver_diagram_size",
    "plot_driver_diagram",
    "plot_flow_census",
    "plot_flow_steps",
    "plot_pareto",
    "plot_swiss_cheese",
]

CHEESE = "#F6D55C"
CHEESE_EDGE = "#C9A227"
PALE_BLUE = "#D6E9F8"
PALE_GREEN = "#DDF2E6"
PALE_RED = "#FBE3D6"
DARK_BLUE = "#1F4E79"


def _fmt_p(p: float) -> str:
    if p == 0:
        return "0"
    if p >= 0.01:
        return f"{p:.3f}"
    if p >= 1e-5:
        return np.format_float_positional(p, precision=2, unique=False, fractional=False, trim="k")
    return f"{p:.1e}"


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def _fmt_one_in(x: float) -> str:
    if not np.isfinite(x):
        return "∞"
    return f"{x:,.0f}".replace(",", "\u202f")


def _holes_for(h: float, seed: int) -> list[tuple[float, float]]:
    """Illustrative hole positions (centre y, height) in a slice of height 1: total hole height ∝ h."""
    if h <= 0:
        return []
    n = 1 + int(min(h, 1.0) * 5)
    total = 0.08 + 0.62 * min(h, 1.0)
    size = total / n
    r = np.random.default_rng(1000 + seed)  # fixed: the picture of a layer does not change between runs
    slots = np.linspace(0.08 + size / 2, 0.92 - size / 2, n) if n > 1 else np.array([0.5])
    jitter = r.uniform(-0.03, 0.03, n)
    return [(float(np.clip(y + j, size / 2 + 0.02, 0.98 - size / 2)), size) for y, j in zip(slots, jitter, strict=True)]


def _nearest(holes: list[tuple[float, float]], y: float) -> tuple[float, float]:
    return min(holes, key=lambda hole: abs(hole[0] - y))


def plot_swiss_cheese(
    result: SwissCheeseResult, ax: Axes | None = None, *, n_show: int = 30, lang: str | None = None
) -> Axes:
    """Draw the defensive layers as cheese slices with holes, and simulated hazards that pass or are stopped.

    Hole sizes in the picture grow with each layer's failure probability (after latent conditions);
    their positions are illustrative. Trajectories come from the simulation (``trials``): red ones passed
    every layer and caused harm; grey ones were stopped (×) by the first layer that held. Harmful
    trajectories are always among those shown when the first 10 000 simulated hazards include any.
    """
    import matplotlib.patches as mpatches

    lang = check_lang(lang, "plot_swiss_cheese")
    t = result.table
    k = len(t)
    ax = _axes(ax, (max(7.0, 1.5 * k + 3.0), 4.6))
    width = 0.22
    holes = [_holes_for(float(h), i) for i, h in enumerate(t["hole_latent"])]
    for i in range(k):
        x = i + 1
        ax.add_patch(
            mpatches.FancyBboxPatch(
                (x - width / 2, 0.0),
                width,
                1.0,
                boxstyle="round,pad=0,rounding_size=0.05",
                fc=CHEESE,
                ec=CHEESE_EDGE,
                lw=1.5,
                zorder=2,
            )
        )
        for y, size in holes[i]:
            ax.add_patch(
                mpatches.Ellipse((x, y), width * 0.62, size * 0.9, fc="white", ec=CHEESE_EDGE, lw=0.8, zorder=3)
            )
        name = str(t["name"].iloc[i])
        h0, h1 = float(t["hole"].iloc[i]), float(t["hole_latent"].iloc[i])
        hole_txt = f"{h0:.2f}" if h0 == h1 else f"{h0:.2f}→{h1:.2f}"
        ax.text(x, -0.05, f"{name}\n{LABELS.get('hole', lang, h=hole_txt)}", ha="center", va="top", fontsize=8.5)

    ax.annotate(
        LABELS.get("hazard", lang),
        xy=(0.1, 0.5),
        xytext=(-0.4, 0.5),
        ha="center",
        va="center",
        fontsize=10,
        fontweight="bold",
        arrowprops={"arrowstyle": "->", "color": GREY},
        zorder=5,
    )
    ax.text(
        k + 0.75,
        0.5,
        LABELS.get("harm", lang),
        ha="center",
        va="center",
        fontsize=10,
        fontweight="bold",
        color="white",
        bbox={"boxstyle": "round", "fc": RED, "ec": RED},
        zorder=5,
    )

    traj = result.trajectories
    if traj is not None and len(traj) and n_show > 0:
        # The first n_show hazards as they came (honest proportions), plus up to two later harms
        # highlighted when none of the first ones got through.
        first = traj.iloc[:n_show]
        extra = traj.iloc[n_show:]
        extra = extra[extra["stopped_at"] == 0].iloc[: 0 if (first["stopped_at"] == 0).any() else 2]
        chosen = pd.concat([first, extra])
        m = len(chosen)
        for j, stop in enumerate(chosen["stopped_at"].tolist()):
            y0 = 0.06 + 0.88 * (j + 0.5) / m
            off = ((j * 0.618) % 1.0) - 0.5
            xs, ys = [0.18], [y0]
            last = k if stop == 0 else stop - 1
            for i in range(last):
                if holes[i]:
                    hy, hs = _nearest(holes[i], y0)
                    xs.append(i + 1)
                    ys.append(hy + off * hs * 0.5)
            if stop == 0:
                xs.append(k + 0.55)
                ys.append(0.5)
                ax.plot(xs, ys, color=RED, lw=1.8, alpha=0.9, zorder=4)
            else:
                xs.append(stop - width / 2)
                ys.append(ys[-1])
                ax.plot(xs, ys, color=GREY, lw=0.9, alpha=0.6, zorder=4)
                ax.plot([xs[-1]], [ys[-1]], marker="x", color="black", ms=5, mew=1.2, zorder=5)
        note = LABELS.get(
            "sim_note",
            lang,
            shown=len(first),
            trials=_thousands(result.trials or 0),
            harms=_thousands(result.harms or 0),
        )
        if len(extra):
            note += LABELS.get("sim_extra", lang, n=len(extra))
    else:
        note = LABELS.get("no_sim", lang)
    ax.text(0.0, -0.3, note, ha="left", va="top", fontsize=8, color=GREY)

    ax.set_xlim(-0.7, k + 1.1)
    ax.set_ylim(-0.38, 1.12)
    ax.axis("off")
    p_txt = LABELS.get("p_harm", lang, p=_fmt_p(result.p_harm))
    one = LABELS.get("one_in", lang, n=_fmt_one_in(result.one_in))
    ax.set_title(f"{LABELS.get('cheese_title', lang)}: {p_txt} ({one})", fontsize=11, loc="left")
    return ax


def plot_flow_census(result: FlowResult, ax: Axes | None = None, *, lang: str | None = None) -> Axes:
    """Draw the number of patients in the pathway over time, with L (its average) and λW from the output."""
    lang = check_lang(lang, "plot_flow_census")
    ax = _axes(ax, (8.0, 3.8))
    c = result.census()
    unit = str(result.params.get("time_unit", "min"))
    ax.step(c["time"], c["in_system"], where="post", color=BLUE, lw=0.8)
    a, b = result.window
    ax.axvspan(0, a, color=GREY, alpha=0.12, lw=0)
    ax.text(
        a / 2,
        1.0,
        LABELS.get("warmup", lang),
        transform=ax.get_xaxis_transform(),
        ha="center",
        va="top",
        fontsize=8,
        color=GREY,
    )
    ll = result.littles_law().iloc[0]
    ax.hlines(float(ll["L"]), a, b, color=ORANGE, lw=2.2, label=LABELS.get("L_line", lang, L=float(ll["L"])))
    ax.hlines(
        float(ll["lambda_W"]),
        a,
        b,
        color=RED,
        lw=1.5,
        ls="--",
        label=LABELS.get("lw_line", lang, lam=float(ll["lambda_"]), W=float(ll["W"]), LW=float(ll["lambda_W"])),
    )
    ax.set_xlabel(LABELS.get("time", lang, unit=unit))
    ax.set_ylabel(LABELS.get("in_system", lang))
    ax.set_xlim(0, float(c["time"].max()) if len(c) else b)
    ax.set_ylim(0, None)
    ax.legend(loc="upper right", fontsize=8, frameon=True, framealpha=0.9)
    ax.set_title(LABELS.get("flow_title", lang), fontsize=11, loc="left")
    _tidy(ax)
    return ax


def plot_flow_steps(result: FlowResult, ax: Axes | None = None, *, lang: str | None = None) -> Axes:
    """Draw the utilisation of each step (theoretical outline, simulated fill); the bottleneck in red."""
    lang = check_lang(lang, "plot_flow_steps")
    s = result.steps
    ax = _axes(ax, (8.0, 0.55 * len(s) + 1.6))
    unit = str(result.params.get("time_unit", "min"))
    y = np.arange(len(s))[::-1]
    colors = [RED if b else BLUE for b in s["bottleneck"]]
    ax.barh(y, s["utilisation_sim"], color=colors, alpha=0.75, height=0.55, label=LABELS.get("simulated", lang))
    ax.barh(
        y, s["utilisation"], fill=False, edgecolor="black", height=0.55, lw=1, ls="--", label=LABELS.get("theory", lang)
    )
    ax.axvline(1.0, color="black", lw=1)
    labels = [f"{name} (c = {cap})" for name, cap in zip(s["step"], s["capacity"], strict=True)]
    ax.set_yticks(y)
    ax.set_yticklabels(labels)
    xmax = max(1.0, float(np.nanmax(s[["utilisation", "utilisation_sim"]].to_numpy()))) + 0.6
    for yi, u, us, tp, b in zip(
        y, s["utilisation"], s["utilisation_sim"], s["max_throughput"], s["bottleneck"], strict=True
    ):
        txt = f"{u:.0%}  {LABELS.get('max_tp', lang, tp=tp, unit=unit)}"
        if b:
            txt += f"  ← {LABELS.get('bottleneck', lang)}"
        ax.text(max(u, us, 0) + 0.02, yi, txt, va="center", fontsize=8.5, color=RED if b else "black")
    ax.set_xlim(0, xmax)
    ax.xaxis.set_major_formatter(_percent())
    ax.set_xlabel(LABELS.get("utilisation", lang))
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.set_title(LABELS.get("util_title", lang), fontsize=11, loc="left")
    _tidy(ax)
    return ax


def _percent():  # type: ignore[no-untyped-def]
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(xmax=1.0, decimals=0)


def plot_pareto(
    result: ParetoResult, ax: Axes | None = None, *, lang: str | None = None, title: str | None = None
) -> Axes:
    """Draw a Pareto chart: bars largest first, the cumulative share on a second axis, the vital few marked."""
    lang = check_lang(lang, "plot_pareto")
    t = result.table
    k = len(t)
    ax = _axes(ax, (max(6.5, 0.75 * k + 2.5), 4.6))
    x = np.arange(k)
    colors = [BLUE if v else "#A9C6DE" for v in t["vital_few"]]
    ax.bar(x, t["count"], color=colors, width=0.75, zorder=2)
    longest = max(len(str(c)) for c in t["category"])
    tilt = k > 8 or (k > 4 and longest > 12)
    ax.set_xticks(x)
    ax.set_xticklabels(
        [_wrap(c, 22 if tilt else 14) for c in t["category"]],
        fontsize=8.5,
        rotation=30 if tilt else 0,
        ha="right" if tilt else "center",
        rotation_mode="anchor",
    )
    ax.set_ylabel(LABELS.get("count", lang))
    ax.set_ylim(0, float(t["count"].max()) * 1.1 if float(t["count"].max()) > 0 else 1)
    ax2 = ax.twinx()
    ax2.plot(x, t["cumulative_share"], color=ORANGE, marker="o", lw=2, zorder=3)
    ax2.axhline(result.threshold, color=GREY, ls="--", lw=1)
    ax2.text(
        k - 0.5,
        result.threshold,
        LABELS.get("threshold", lang, t=result.threshold),
        ha="right",
        va="bottom",
        fontsize=8,
        color=GREY,
    )
    ax2.set_ylim(0, 1.05)
    ax2.yaxis.set_major_formatter(_percent())
    ax2.set_ylabel(LABELS.get("cum_share", lang))
    n_vital = len(result.vital_few)
    if n_vital:
        share = float(t["cumulative_share"].iloc[n_vital - 1])
        ax.axvline(n_vital - 0.5, color=BLUE, ls=":", lw=1.2)
        ax.text(
            n_vital - 0.5,
            1.0,
            " " + LABELS.get("vital_few", lang, n=n_vital, k=k, share=share),
            transform=ax.get_xaxis_transform(),
            ha="left" if n_vital < k * 0.6 else "right",
            va="bottom",
            fontsize=8.5,
            color=BLUE,
        )
    ax.set_xlim(-0.6, k - 0.4)
    ax.spines["top"].set_visible(False)
    ax2.spines["top"].set_visible(False)
    ax.set_title(title or LABELS.get("pareto_title", lang), fontsize=11, loc="left", pad=18)
    return ax


def _wrap(text: object, width: int) -> str:
    return textwrap.fill(str(text), width, break_long_words=False)


def driver_diagram_size(dd: DriverDiagram, *, wrap: int = 24) -> tuple[float, float]:
    """A figure size (inches) that fits the diagram: 2.6 in per column, rows tall enough for the longest text."""
    lay = dd.layout()
    n_cols = int(lay["column"].max()) + 1 if len(lay) else 1
    n_rows = float(lay["row"].max()) + 1 if len(lay) else 1
    max_lines = max((_wrap(t, wrap).count("\n") + 1 for t in lay["text"]), default=1)
    return 2.6 * n_cols + 0.4, (0.22 + 0.15 * max_lines) * n_rows + 1.0


def plot_driver_diagram(dd: DriverDiagram, ax: Axes | None = None, *, lang: str | None = None, wrap: int = 24) -> Axes:
    """Draw a driver diagram left to right: aim, drivers by level, change ideas; problems in red dashes.

    Orphan change ideas and drivers with no path to the aim sit at the bottom of their column with a
    red dashed frame.
    """
    lang = check_lang(lang, "plot_driver_diagram")
    lay = dd.layout()
    n_cols = int(lay["column"].max()) + 1 if len(lay) else 1
    texts = {i: _wrap(tx, wrap) for i, tx in zip(lay["id"], lay["text"], strict=True)}
    n_rows = float(lay["row"].max()) + 1 if len(lay) else 1
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=driver_diagram_size(dd, wrap=wrap), layout="constrained")
    pos = {i: (float(c), -float(r)) for i, c, r in zip(lay["id"], lay["column"], lay["row"], strict=True)}
    kind = dict(zip(lay["id"], lay["kind"], strict=True))
    flagged = dict(zip(lay["id"], lay["flagged"], strict=True))
    # Aim: centre it on the rows of linked nodes.
    linked_rows = lay.loc[~lay["flagged"], "row"]
    if len(linked_rows):
        pos["A"] = (0.0, -float((linked_rows.min() + linked_rows.max()) / 2))
    for s, g in zip(dd.edges["source"], dd.edges["target"], strict=True):
        (x1, y1), (x0, y0) = pos[s], pos[g]
        bad = flagged[s] or flagged[g]
        ax.plot([x0, x1], [y0, y1], color=RED if bad else GREY, lw=1.0, ls="--" if bad else "-", zorder=1)
    fills = {"aim": DARK_BLUE, "driver": PALE_BLUE, "change": PALE_GREEN}
    for i in lay["id"]:
        x, y = pos[i]
        fc = PALE_RED if flagged[i] else fills[kind[i]]
        ec = RED if flagged[i] else (DARK_BLUE if kind[i] != "change" else "#2E8B57")
        ax.text(
            x,
            y,
            texts[i],
            ha="center",
            va="center",
            fontsize=8.5,
            zorder=3,
            color="white" if kind[i] == "aim" else "black",
            fontweight="bold" if kind[i] == "aim" else "normal",
            bbox={"boxstyle": "round,pad=0.4", "fc": fc, "ec": ec, "lw": 1.2, "ls": "--" if flagged[i] else "-"},
        )
    for c in range(n_cols):
        if c == 0:
            head = MESSAGES.get("aim", lang)
        elif c == n_cols - 1 and (lay["kind"] == "change").any():
            head = MESSAGES.get("change", lang)
        elif c == 1:
            head = MESSAGES.get("primary", lang)
        elif c == 2:
            head = MESSAGES.get("secondary", lang)
        else:
            head = MESSAGES.get("tertiary", lang, level=c)
        ax.text(c, 0.75, head, ha="center", va="bottom", fontsize=10, fontweight="bold", color=DARK_BLUE)
    if lay["flagged"].any():
        ax.text(
            -0.45, -(n_rows - 1) - 0.55, MESSAGES.get("flag_note", lang), ha="left", va="bottom", fontsize=8, color=RED
        )
    ax.set_xlim(-0.5, n_cols - 0.5)
    ax.set_ylim(-(n_rows - 1) - 0.6, 1.15)
    ax.axis("off")
    return ax
