"""Interactive demos for appreciation of a system: Swiss cheese, patient flow, Pareto, driver diagrams.

Each factory works with no arguments and returns an ``ipywidgets.Widget`` (a
:class:`~qikit.widgets.variation.DemoBox`) with ``.controls``, a ``.label`` holding the key number and
an ``.output`` with the figure.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

import ipywidgets as w

from qikit._errors import QikitInputError
from qikit.i18n import Catalog, check_lang
from qikit.widgets._base import DemoBox, _slider, again_button, new_figure, seed_control

__all__ = [
    "driver_diagram_widget",
    "flow_widget",
    "parse_counts",
    "pareto_widget",
    "swiss_cheese_widget",
]

TEXT = Catalog(
    {
        "sc_title": ("Sveitserostmodellen", "The Swiss cheese model"),
        "layer_names": (
            "Forskrivning|Farmasøytkontroll|Dobbeltkontroll|Strekkodeskanning",
            "Prescribing|Pharmacist review|Double-check|Barcode scan",
        ),
        "active": ("med", "on"),
        "latent": ("Latente forhold ×", "Latent conditions ×"),
        "correlation": ("Samvariasjon ρ", "Correlation ρ"),
        "trials": ("Simulerte farer", "Simulated hazards"),
        "sc_label": (
            "p(skade) = <b>{p}</b> (1 av {one}){sim}",
            "p(harm) = <b>{p}</b> (1 in {one}){sim}",
        ),
        "sc_sim": (
            " · simulert {ps} (95 % KI {lo}–{hi}, SE {se})",
            " · simulated {ps} (95 % CI {lo}–{hi}, SE {se})",
        ),
        "no_layers": (
            "Ingen barrierer: hver fare når pasienten. p(skade) = <b>1</b>",
            "No defences: every hazard reaches the patient. p(harm) = <b>1</b>",
        ),
        "fl_title": ("Pasientflyt og flaskehals", "Patient flow and the bottleneck"),
        "arrivals": ("Ankomster per time", "Arrivals per hour"),
        "cv": ("Variasjon i behandlingstid (CV)", "Service-time variation (CV)"),
        "days": ("Dager", "Days"),
        "fl_label": (
            "Flaskehals: <b>{b}</b> ({u:.0%}) · maks {tp:.1f} pasienter/time · L = {L:.1f} ≈ λW = {LW:.1f}"
            " · liggetid {W:.0f} min{warn}",
            "Bottleneck: <b>{b}</b> ({u:.0%}) · max {tp:.1f} patients/hour · L = {L:.1f} ≈ λW = {LW:.1f}"
            " · length of stay {W:.0f} min{warn}",
        ),
        "unstable": (
            " · <span style='color:#D55E00'>ustabilt: køen vokser</span>",
            " · <span style='color:#D55E00'>unstable: the queue grows</span>",
        ),
        "pa_title": ("Paretoanalyse", "Pareto analysis"),
        "pa_data": ("Kategori: antall", "Category: count"),
        "threshold": ("Terskel", "Threshold"),
        "pa_label": (
            "De få viktige: <b>{n} av {k}</b> kategorier ({names}) = {share:.0%} av {total:g}",
            "The vital few: <b>{n} of {k}</b> categories ({names}) = {share:.0%} of {total:g}",
        ),
        "pa_default": (
            "Fall: 62\nLegemiddelhendelser: 41\nPasientidentifikasjon: 6\nInfeksjon: 9\nTrykksår: 8\n"
            "Kommunikasjon og overføring: 27\nMedisinsk utstyr: 5\nAnnet: 4",
            "Falls: 62\nMedication incidents: 41\nPatient identification: 6\nInfection: 9\nPressure ulcers: 8\n"
            "Communication and handover: 27\nMedical equipment: 5\nOther: 4",
        ),
        "dd_title": ("Driverdiagram", "Driver diagram"),
        "dd_text": ("Diagram", "Diagram"),
        "dd_help": (
            "Én linje per element: <code>mål: …</code>, <code>driver: tekst -&gt; det den driver</code>, "
            "<code>tiltak: tekst -&gt; driver; driver</code>.",
            "One line per element: <code>aim: …</code>, <code>driver: text -&gt; what it drives</code>, "
            "<code>change: text -&gt; driver; driver</code>.",
        ),
        "dd_ok": ("<b>Gyldig</b>: {n} drivere, {c} endringsideer.", "<b>Valid</b>: {n} drivers, {c} change ideas."),
        "dd_bad": ("<b>Feil: {e}</b> · merknader: {wn}", "<b>Errors: {e}</b> · notes: {wn}"),
        "dd_default": (
            "mål: Redusere fall med skade på sengepost 5 med 30 % innen 31.12.2025\n"
            "driver: Trygt miljø -> mål\n"
            "driver: Risikovurdering av alle pasienter -> mål\n"
            "driver: Ryddige gulv og godt lys -> Trygt miljø\n"
            "driver: Screening ved innkomst -> Risikovurdering av alle pasienter\n"
            "tiltak: Daglig gulvsjekk -> Ryddige gulv og godt lys\n"
            "tiltak: Nattlys på alle rom -> Ryddige gulv og godt lys\n"
            "tiltak: Sjekkliste for fallrisiko -> Screening ved innkomst\n"
            "tiltak: Hoftebeskyttere\n",
            "aim: Reduce falls with harm on ward 5 by 30 % by 31 December 2025\n"
            "driver: Safe environment -> aim\n"
            "driver: Risk assessment of every patient -> aim\n"
            "driver: Clear floors and good lighting -> Safe environment\n"
            "driver: Screening on admission -> Risk assessment of every patient\n"
            "change: Daily floor check -> Clear floors and good lighting\n"
            "change: Night lights in every room -> Clear floors and good lighting\n"
            "change: Falls-risk checklist -> Screening on admission\n"
            "change: Hip protectors\n",
        ),
    }
)


def _p(p: float) -> str:
    if p == 0:
        return "0"
    if p >= 0.01:
        return f"{p:.3f}"
    return f"{p:.2g}" if p >= 1e-4 else f"{p:.1e}"


def _int_text(x: float) -> str:
    if x == float("inf"):
        return "∞"
    return f"{x:,.0f}".replace(",", "\u202f")


def swiss_cheese_widget(lang: str | None = None, *, holes: Mapping[str, float] | None = None) -> DemoBox:
    """Swiss cheese with defensive layers, latent conditions and correlated failures.

    Controls: the hole size of each layer and whether it is in place, the latent-condition factor, the
    correlation ρ, the number of simulated hazards and the seed. The label shows the exact p(harm)
    and, with a simulation, the estimate with its 95 % confidence interval.

    Parameters
    ----------
    lang
        ``"nb"`` or ``"en"``.
    holes
        ``{layer name: hole probability}`` for 1–6 layers, e.g. an assignment's own numbers.
        Default: four medication-safety layers (0.2, 0.3, 0.25, 0.1).
    """
    from qikit.system import swiss_cheese

    lang = check_lang(lang, "swiss_cheese_widget")
    if holes is None:
        layers = list(zip(TEXT.get("layer_names", lang).split("|"), (0.2, 0.3, 0.25, 0.1), strict=True))
    else:
        layers = [(str(k), float(v)) for k, v in dict(holes).items()]
        if not 1 <= len(layers) <= 6 or not all(0.0 <= h <= 1.0 for _, h in layers):
            raise QikitInputError(
                "swiss_cheese_widget(): holes must map 1 to 6 layer names to probabilities between 0 and 1; "
                f"got {holes!r}."
            )
    names = [name for name, _ in layers]
    controls: dict[str, w.Widget] = {}
    for i, (name, h) in enumerate(layers, start=1):
        controls[f"hole{i}"] = _slider(w.FloatSlider, name, h, 0.0, 1.0, 0.01)
        controls[f"on{i}"] = w.Checkbox(
            value=True, description=TEXT.get("active", lang), indent=False, layout=w.Layout(width="60px")
        )
    controls["latent"] = _slider(w.FloatSlider, TEXT.get("latent", lang), 1.0, 1.0, 5.0, 0.1)
    controls["correlation"] = _slider(w.FloatSlider, TEXT.get("correlation", lang), 0.0, 0.0, 1.0, 0.05)
    controls["trials"] = w.Dropdown(
        options=[0, 1_000, 10_000, 100_000],
        value=10_000,
        description=TEXT.get("trials", lang),
        style={"description_width": "initial"},
    )
    seed = seed_control(lang)
    controls["seed"] = seed
    controls["again"] = again_button(seed, lang)

    def render(v: dict[str, Any]) -> tuple[str, Any]:
        chosen = {names[i - 1]: v[f"hole{i}"] for i in range(1, len(names) + 1) if v[f"on{i}"]}
        if not chosen:
            return TEXT.get("no_layers", lang), None
        res = swiss_cheese(
            chosen, latent=v["latent"], correlation=v["correlation"], trials=v["trials"] or None, rng=v["seed"]
        )
        sim = ""
        if res.p_harm_simulated is not None and res.ci is not None:
            sim = TEXT.get(
                "sc_sim", lang, ps=_p(res.p_harm_simulated), lo=_p(res.ci[0]), hi=_p(res.ci[1]), se=_p(res.se or 0.0)
            )
        text = TEXT.get("sc_label", lang, p=_p(res.p_harm), one=_int_text(res.one_in), sim=sim)
        k = len(chosen)
        fig, ax = new_figure(max(7.0, 1.5 * k + 3.0), 4.4, margins=(0.1, 0.1, 0.4, 0.1))
        res.plot(ax=ax, lang=lang)
        return text, fig

    pairs = [[f"hole{i}", f"on{i}"] for i in range(1, len(names) + 1)]
    rows = [sum(pairs[j : j + 2], []) for j in range(0, len(pairs), 2)]
    rows += [["latent", "correlation"], ["trials", "seed", "again"]]
    return DemoBox(title=TEXT.get("sc_title", lang), controls=controls, render=render, layout_rows=rows)


def flow_widget(lang: str | None = None, *, steps: object = None) -> DemoBox:
    """A patient pathway (emergency department): change arrivals and capacities, find the bottleneck.

    Controls: arrivals per hour, servers at each step, service-time variation, simulated days and the
    seed. The label names the bottleneck, the maximum throughput and checks Little's law on the
    simulated output.

    Parameters
    ----------
    lang
        ``"nb"`` or ``"en"``.
    steps
        The pathway, in any form :func:`qikit.system.patient_flow` accepts (e.g. the ``ed_flow_steps``
        dataset). Default: :func:`qikit.system.example_pathway`.
    """
    from qikit.system import example_pathway, patient_flow
    from qikit.system.flow import _parse_steps

    lang = check_lang(lang, "flow_widget")
    path = example_pathway(lang) if steps is None else _parse_steps("flow_widget", steps)
    controls: dict[str, w.Widget] = {
        "arrivals": _slider(w.FloatSlider, TEXT.get("arrivals", lang), 6.0, 1.0, 12.0, 0.5),
    }
    for i, (name, cap, svc) in enumerate(zip(path["step"], path["capacity"], path["service"], strict=True)):
        controls[f"cap{i}"] = _slider(w.IntSlider, f"{name} ({svc:g} min)", int(cap), 1, max(8, 2 * int(cap)), 1)
    controls["cv"] = _slider(w.FloatSlider, TEXT.get("cv", lang), 1.0, 0.0, 1.5, 0.1)
    controls["days"] = _slider(w.IntSlider, TEXT.get("days", lang), 7, 2, 28, 1)
    seed = seed_control(lang)
    controls["seed"] = seed
    controls["again"] = again_button(seed, lang)

    def render(v: dict[str, Any]) -> tuple[str, Any]:
        steps = path.copy()
        steps["capacity"] = [v[f"cap{i}"] for i in range(len(path))]
        res = patient_flow(
            steps,
            arrival_rate=v["arrivals"] / 60.0,
            duration=v["days"] * 24 * 60.0,
            warmup=24 * 60.0,
            service_cv=v["cv"],
            time_unit="min",
            rng=v["seed"],
        )
        s = res.summary().iloc[0]
        text = TEXT.get(
            "fl_label",
            lang,
            b=html.escape(res.bottleneck),
            u=float(s["utilisation_max"]),
            tp=res.max_throughput * 60,
            L=float(s["L"]),
            LW=float(s["lambda_W"]),
            W=float(s["W"]),
            warn="" if res.stable else TEXT.get("unstable", lang),
        )
        fig, axes = new_figure(10.0, 6.4, 2, 1, margins=(2.2, 0.3, 0.4, 0.55), hspace=0.9)
        res.plot(ax=axes[0], lang=lang)
        res.plot_steps(ax=axes[1], lang=lang)
        return text, fig

    caps = [f"cap{i}" for i in range(len(path))]
    rows = [["arrivals", "cv", "days"], *[caps[j : j + 2] for j in range(0, len(caps), 2)], ["seed", "again"]]
    return DemoBox(title=TEXT.get("fl_title", lang), controls=controls, render=render, layout_rows=rows)


_COUNT_LINE = re.compile(r"^(?P<cat>.*?)\s*[:;=\t,]?\s*(?P<n>\d+(?:[.,]\d+)?)\s*$")


def parse_counts(text: str) -> dict[str, float]:
    r"""Read ``category: count`` lines (``:``, ``;``, ``=``, a tab or a comma before the number).

    Blank lines and lines starting with ``#`` are skipped; a category given twice is summed.

    Examples
    --------
    >>> parse_counts("Fall: 40\nLegemidler; 25\n\nFall: 2")
    {'Fall': 42.0, 'Legemidler': 25.0}
    """
    out: dict[str, float] = {}
    for no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = _COUNT_LINE.match(line)
        if not m or not m.group("cat").strip():
            raise QikitInputError(f"pareto_widget: line {no} ({line!r}) must look like 'Category: 12'.")
        cat = m.group("cat").strip().rstrip(":;=,").strip()
        out[cat] = out.get(cat, 0.0) + float(m.group("n").replace(",", "."))
    return out


def pareto_widget(lang: str | None = None, *, data: Mapping[str, float] | None = None) -> DemoBox:
    """Pareto builder: type categories and counts, move the threshold, see the vital few.

    The label lists the vital few with their cumulative share.

    Parameters
    ----------
    lang
        ``"nb"`` or ``"en"``.
    data
        Starting counts ``{category: count}`` (e.g. from the ``incidents`` dataset:
        ``dict(zip(df["category_nb"], df["count"]))``). Default: a small example.
    """
    from qikit.system import pareto

    lang = check_lang(lang, "pareto_widget")
    start = TEXT.get("pa_default", lang)
    if data is not None:
        start = "\n".join(f"{k}: {float(v):g}" for k, v in dict(data).items())
        parse_counts(start)  # a clear error now rather than an empty widget
    controls: dict[str, w.Widget] = {
        "data": w.Textarea(
            value=start,
            description=TEXT.get("pa_data", lang),
            continuous_update=False,
            rows=9,
            layout=w.Layout(width="420px"),
            style={"description_width": "initial"},
        ),
        "threshold": _slider(w.FloatSlider, TEXT.get("threshold", lang), 0.8, 0.5, 0.95, 0.05),
    }
    other = {"nb": "Annet", "en": "Other"}[lang]

    def render(v: dict[str, Any]) -> tuple[str, Any]:
        counts = parse_counts(v["data"])
        res = pareto(counts, threshold=v["threshold"], last=other if other in counts else None)
        s = res.summary().iloc[0]
        text = TEXT.get(
            "pa_label",
            lang,
            n=int(s["n_vital"]),
            k=int(s["categories"]),
            names=html.escape(", ".join(res.vital_few)),
            share=float(s["vital_share"]),
            total=float(s["total"]),
        )
        k = len(res.table)
        fig, ax = new_figure(max(7.0, 0.85 * k + 2.5), 5.0, margins=(0.9, 0.8, 0.6, 1.2))
        res.plot(ax=ax, lang=lang)
        return text, fig

    return DemoBox(
        title=TEXT.get("pa_title", lang), controls=controls, render=render, layout_rows=[["data", "threshold"]]
    )


def driver_diagram_widget(lang: str | None = None) -> DemoBox:
    """Driver-diagram builder and validator: edit the lines, see the diagram and what is wrong with it.

    The text format is that of :func:`qikit.system.driver_diagram_from_text`. The label says whether
    the diagram is valid and lists orphan change ideas, unlinked drivers, cycles and duplicates.
    """
    from qikit.system import driver_diagram_from_text
    from qikit.system.plotting import driver_diagram_size

    lang = check_lang(lang, "driver_diagram_widget")
    controls: dict[str, w.Widget] = {
        "text": w.Textarea(
            value=TEXT.get("dd_default", lang),
            description=TEXT.get("dd_text", lang),
            continuous_update=False,
            rows=10,
            layout=w.Layout(width="95%"),
            style={"description_width": "initial"},
        ),
    }

    def render(v: dict[str, Any]) -> tuple[str, Any]:
        dd = driver_diagram_from_text(v["text"])
        rep = dd.validate(lang)
        s = rep.summary().iloc[0]
        sm = dd.summary().iloc[0]
        if rep.table.empty:
            text = TEXT.get("dd_ok", lang, n=int(sm["drivers"]), c=int(sm["changes"]))
        else:
            items = "".join(
                f"<li style='color:{'#D55E00' if sev == 'error' else '#555'}'>{html.escape(m)}</li>"
                for sev, m in zip(rep.table["severity"], rep.table["message"], strict=True)
            )
            head = (
                TEXT.get("dd_ok", lang, n=int(sm["drivers"]), c=int(sm["changes"]))
                if rep.ok
                else TEXT.get("dd_bad", lang, e=int(s["errors"]), wn=int(s["warnings"]))
            )
            text = f"{head}<ul style='margin:2px 0'>{items}</ul>"
        fig, ax = new_figure(*driver_diagram_size(dd), margins=(0.05, 0.05, 0.05, 0.05))
        dd.plot(ax=ax, lang=lang)
        return text, fig

    box = DemoBox(title=TEXT.get("dd_title", lang), controls=controls, render=render, layout_rows=[["text"]])
    kids = list(box.children)
    box.children = [kids[0], w.HTML(TEXT.get("dd_help", lang)), *kids[1:]]
    return box
