"""Interactive demos for :mod:`qikit.psychology`: self-assessment radar, diffusion, will–ideas–execution.

Each factory works with no arguments and returns an ``ipywidgets.VBox`` with three extra attributes
that notebooks and tests can use: ``controls`` (``{name: widget}``), ``label`` (an ``HTML`` widget
with the key number) and ``image`` (an ``Image`` widget with the PNG of the current picture). The
widgets only wire controls to the pure functions of :mod:`qikit.psychology` and their plots; they
compute nothing themselves.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
from matplotlib.figure import Figure

from qikit.i18n import Catalog, check_lang
from qikit.psychology import (
    AREAS,
    ELEMENTS,
    WIE_ITEMS,
    adopter_categories,
    compare,
    diffusion,
    example_scores,
    wie_checklist,
)
from qikit.psychology.plotting import plot_adopters, plot_diffusion, plot_radar, plot_wie
from qikit.widgets._base import FastFigure, assemble_demo

__all__ = ["diffusion_widget", "self_assessment_widget", "wie_widget"]

_T = Catalog(
    {
        "title_sa": ("«Snakk om forbedring!» – før og etter", "«Snakk om forbedring!» – before and after"),
        "title_diff": ("Spredning av en endring", "Spread of a change"),
        "title_wie": ("Vilje, ideer og gjennomføring", "Will, ideas and execution"),
        "time": ("Tidspunkt", "Time point"),
        "before": ("Før", "Before"),
        "after": ("Etter", "After"),
        "area": ("Område", "Area"),
        "theme": ("Tema", "Theme"),
        "nr": ("ikke relevant", "not relevant"),
        "weakest": ("Svakeste område «{when}»", "Weakest area «{when}»"),
        "mean_change": ("gjennomsnittlig endring", "mean change"),
        "n": ("Ansatte (n)", "Staff (n)"),
        "p": ("Innovasjon p", "Innovation p"),
        "q": ("Imitasjon q", "Imitation q"),
        "periods": ("Perioder", "Periods"),
        "seed": ("Frø", "Seed"),
        "s_title": ("Spredning i en gruppe på {n}", "Spread in a group of {n}"),
        "half": (
            "Halvparten har tatt i bruk endringen i periode <b>{sim}</b> (Bass-kurven: {bass:.1f}).",
            "Half have adopted the change by period <b>{sim}</b> (Bass curve: {bass:.1f}).",
        ),
        "never": (
            "Halvparten har <b>ikke</b> tatt i bruk endringen innen periode {periods} (Bass-kurven: {bass:.1f}).",
            "Half have <b>not</b> adopted the change by period {periods} (Bass curve: {bass:.1f}).",
        ),
        "weakest_wie": ("Svakeste element", "Weakest element"),
        "none": ("ingen besvart ennå", "none answered yet"),
        "unanswered": ("{k} av {n} punkter ubesvart", "{k} of {n} items unanswered"),
        "answer_none": ("–", "–"),
        "yes": ("ja", "yes"),
        "partly": ("delvis", "partly"),
        "no": ("nei", "no"),
    }
)


# --------------------------------------------------------------------------------------------------


def self_assessment_widget(
    lang: str | None = None,
    *,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> widgets.VBox:
    """Radar chart of a team's «Snakk om forbedring!» scores before and after, with editable levels.

    Choose the time point and the area, then set the level (1–4 or "not relevant") of each of its
    three themes; the radar chart and the weakest area update at once.

    Parameters
    ----------
    lang
        ``"nb"`` (default edition) or ``"en"``.
    before, after
        Scores in any form :func:`qikit.psychology.self_assessment` accepts as a dict; default: the
        made-up ward of :func:`qikit.psychology.example_scores`.

    Returns
    -------
    ipywidgets.VBox
        With ``controls`` (``time``, ``area``, ``theme1``, ``theme2``, ``theme3``), ``label`` (the
        weakest area after, and the mean change) and ``image`` (the radar chart).
    """
    lang_ = check_lang(lang, "self_assessment_widget")
    from qikit.psychology.assessment import _parse_scores

    state = {
        "before": _parse_scores(before if before is not None else example_scores("before"), "self_assessment_widget"),
        "after": _parse_scores(after if after is not None else example_scores("after"), "self_assessment_widget"),
    }
    nr = _T.get("nr", lang_)
    level_opts = [("1", 1.0), ("2", 2.0), ("3", 3.0), ("4", 4.0), (nr, -1.0)]
    time_w = widgets.ToggleButtons(
        options=[(_T.get("before", lang_), "before"), (_T.get("after", lang_), "after")],
        value="after",
        description=_T.get("time", lang_),
    )
    area_w = widgets.Dropdown(
        options=[(f"{a.number}. {a.text(lang_, 'short')}", a.number) for a in AREAS],
        value=1,
        description=_T.get("area", lang_),
        layout=widgets.Layout(width="360px"),
    )
    theme_ws = [
        widgets.Dropdown(
            options=level_opts, value=1.0, layout=widgets.Layout(width="360px"), style={"description_width": "initial"}
        )
        for _ in range(3)
    ]
    label = widgets.HTML()
    image = widgets.Image(format="png")
    canvas = FastFigure((8.2, 7.0))
    syncing = {"on": False}

    def load_themes() -> None:
        syncing["on"] = True
        area = AREAS[area_w.value - 1]
        for k, w in enumerate(theme_ws, start=1):
            v = state[time_w.value].get(f"{area.number}.{k}", math.nan)
            w.description = f"{area.number}.{k} {area.themes[k - 1][0 if lang_ == 'nb' else 1]}"
            w.value = -1.0 if math.isnan(v) else v
        syncing["on"] = False

    def update() -> None:
        before_d = {c: (None if math.isnan(v) else v) for c, v in state["before"].items()}
        after_d = {c: (None if math.isnan(v) else v) for c, v in state["after"].items()}
        res = compare(before_d, after_d, lang=lang_)
        box.result = res  # type: ignore[attr-defined]
        weakest = res.after.weakest
        names = ", ".join(f"{a} {AREAS[a - 1].text(lang_, 'short')}" for a in weakest) or "–"
        score = res.after.area_scores[weakest[0]] if weakest else math.nan
        label.value = (
            f"{_T.get('weakest', lang_, when=_T.get('after', lang_))}: <b>{names}</b> ({score:.2f}) · "
            f"{_T.get('mean_change', lang_)} <b>{res.mean_change:+.2f}</b>"
        )

        def draw(fig: Figure) -> None:
            ax = fig.add_subplot(projection="polar")
            plot_radar([res.before, res.after], ax=ax, lang=lang_)
            fig.subplots_adjust(left=0.2, right=0.8, top=0.8, bottom=0.1)

        # the static frame depends on which areas have no score (their labels say so)
        key = (tuple(res.before.area_scores.isna()), tuple(res.after.area_scores.isna()))
        image.value = canvas.render(key, draw)

    def on_theme(change: Any) -> None:
        if syncing["on"]:
            return
        area = area_w.value
        for k, w in enumerate(theme_ws, start=1):
            state[time_w.value][f"{area}.{k}"] = math.nan if w.value < 0 else float(w.value)
        update()

    def on_select(change: Any) -> None:
        load_themes()

    for w in theme_ws:
        w.observe(on_theme, names="value")
    time_w.observe(on_select, names="value")
    area_w.observe(on_select, names="value")
    controls = {"time": time_w, "area": area_w, "theme1": theme_ws[0], "theme2": theme_ws[1], "theme3": theme_ws[2]}
    box = assemble_demo(
        _T.get("title_sa", lang_), controls, [widgets.HBox([time_w, area_w]), *theme_ws], label, image, update
    )
    load_themes()
    update()
    return box


def diffusion_widget(lang: str | None = None, *, seed: int = 1) -> widgets.VBox:
    """The spread of a change on a ward: a simulated Bass S-curve beside Rogers' adopter bell.

    Parameters
    ----------
    lang
        ``"nb"`` or ``"en"``.
    seed
        Initial seed of the simulation (the ``seed`` control changes it).

    Returns
    -------
    ipywidgets.VBox
        With ``controls`` (``n``, ``p``, ``q``, ``periods``, ``seed``), ``label`` (the period when half
        have adopted, simulated and on the Bass curve) and ``image``.
    """
    lang_ = check_lang(lang, "diffusion_widget")
    style = {"description_width": "110px"}
    n_w = widgets.IntSlider(value=40, min=5, max=300, step=1, description=_T.get("n", lang_), style=style)
    p_w = widgets.FloatSlider(
        value=0.03, min=0.005, max=0.2, step=0.005, readout_format=".3f", description=_T.get("p", lang_), style=style
    )
    q_w = widgets.FloatSlider(
        value=0.38, min=0.0, max=0.8, step=0.02, readout_format=".2f", description=_T.get("q", lang_), style=style
    )
    periods_w = widgets.IntSlider(value=20, min=5, max=60, step=1, description=_T.get("periods", lang_), style=style)
    seed_w = widgets.BoundedIntText(value=seed, min=0, max=10**9, description=_T.get("seed", lang_), style=style)
    label = widgets.HTML()
    image = widgets.Image(format="png")
    canvas = FastFigure((11.0, 4.2))
    title = _T.get("s_title", lang_)

    def update(*_: Any) -> None:
        res = diffusion(n_w.value, p=p_w.value, q=q_w.value, periods=periods_w.value, rng=int(seed_w.value))
        cats = adopter_categories(n_w.value, lang=lang_)
        box.result = res  # type: ignore[attr-defined]
        half = res.first_period(0.5)
        from qikit.psychology import bass_time

        bass = bass_time(0.5, p=res.p, q=res.q)
        text = (
            _T.get("half", lang_, sim=half, bass=bass)
            if half is not None
            else _T.get("never", lang_, periods=res.periods, bass=bass)
        )
        counts = " · ".join(f"{lab} {c}" for lab, c in zip(cats.table.label, cats.table["count"], strict=True))
        label.value = f"{text}<br>{counts}"

        def draw(fig: Figure) -> None:
            ax1, ax2 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.15, 1]})
            plot_diffusion(res, ax=ax1, lang=lang_, title=title.format(n=res.n))
            plot_adopters(cats, ax=ax2, lang=lang_)
            fig.subplots_adjust(left=0.07, right=0.99, bottom=0.14, top=0.9, wspace=0.12)

        image.value = canvas.render((res.n, res.periods), draw)

    for w in (n_w, p_w, q_w, periods_w, seed_w):
        w.observe(update, names="value")
    controls = {"n": n_w, "p": p_w, "q": q_w, "periods": periods_w, "seed": seed_w}
    layout = [widgets.HBox([widgets.VBox([n_w, p_w, q_w]), widgets.VBox([periods_w, seed_w])])]
    box = assemble_demo(_T.get("title_diff", lang_), controls, layout, label, image, update)
    update()
    return box


def wie_widget(lang: str | None = None, *, answers: Mapping[str, str] | None = None) -> widgets.VBox:
    """The will–ideas–execution checklist: answer each item and see which element is weakest.

    Parameters
    ----------
    lang
        ``"nb"`` or ``"en"``.
    answers
        Initial answers ``{item id: "yes"|"partly"|"no"}``; default all unanswered.

    Returns
    -------
    ipywidgets.VBox
        With ``controls`` (one dropdown per item id, e.g. ``"will.1"``), ``label`` (the weakest
        element and its score) and ``image`` (bars of the three scores).
    """
    lang_ = check_lang(lang, "wie_widget")
    start = dict(answers or {})
    wie_checklist(start)  # validates the initial answers
    opts = [
        (_T.get("answer_none", lang_), ""),
        (_T.get("yes", lang_), "yes"),
        (_T.get("partly", lang_), "partly"),
        (_T.get("no", lang_), "no"),
    ]
    controls: dict[str, widgets.Dropdown] = {}
    sections: list[widgets.Widget] = []
    for e, nb, en in ELEMENTS:
        rows: list[widgets.Widget] = [widgets.HTML(f"<b>{nb if lang_ == 'nb' else en}</b>")]
        for item, texts in WIE_ITEMS.items():
            if not item.startswith(e + "."):
                continue
            w = widgets.Dropdown(
                options=opts, value=str(start.get(item, "") or ""), layout=widgets.Layout(width="95px")
            )
            controls[item] = w
            rows.append(widgets.HBox([w, widgets.Label(texts[0] if lang_ == "nb" else texts[1])]))
        sections.append(widgets.VBox(rows))
    label = widgets.HTML()
    image = widgets.Image(format="png")
    canvas = FastFigure((7.0, 2.6))
    labels = {e: (nb if lang_ == "nb" else en) for e, nb, en in ELEMENTS}

    def update(*_: Any) -> None:
        res = wie_checklist({k: w.value for k, w in controls.items() if w.value}, lang=lang_)
        box.result = res  # type: ignore[attr-defined]
        if res.weakest:
            names = ", ".join(labels[e] for e in res.weakest)
            head = f"{_T.get('weakest_wie', lang_)}: <b>{names}</b> ({res.scores[res.weakest[0]]:.2f})"
        else:
            head = f"{_T.get('weakest_wie', lang_)}: {_T.get('none', lang_)}"
        label.value = f"{head} · {_T.get('unanswered', lang_, k=len(res.unanswered), n=len(WIE_ITEMS))}"

        def draw(fig: Figure) -> None:
            ax = fig.add_subplot()
            plot_wie(res, ax=ax, lang=lang_)
            fig.subplots_adjust(left=0.2, right=0.97, bottom=0.22, top=0.86)

        image.value = canvas.render("wie", draw)

    for w in controls.values():
        w.observe(update, names="value")
    box = assemble_demo(_T.get("title_wie", lang_), controls, sections, label, image, update)
    update()
    return box
