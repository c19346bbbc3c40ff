"""Interactive demos for :mod:`qikit.pdsa`: the PDSA simulator and the ramp viewer.

Each factory works with no arguments and returns an ``ipywidgets.VBox`` with extra attributes
``controls`` (``{name: widget}``), ``label`` (an ``HTML`` widget with the key number) and ``image``
(an ``Image`` widget with the PNG of the current picture). The widgets only wire controls to
:mod:`qikit.pdsa`; they compute nothing themselves.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from qikit.i18n import Catalog, check_lang
from qikit.pdsa import ACTS, PdsaLog, PdsaSimulator, example_log
from qikit.pdsa.plotting import plot_ramp, plot_simulation
from qikit.widgets._base import FastFigure, assemble_demo

__all__ = ["pdsa_ramp_widget", "pdsa_simulator_widget"]

_T = Catalog(
    {
        "title_sim": ("PDSA-simulator: hva er den sanne effekten?", "PDSA simulator: what is the true effect?"),
        "title_ramp": ("PDSA-logg og ramper", "PDSA log and ramps"),
        "size": ("Testens størrelse", "Test size"),
        "run": ("Kjør syklus", "Run cycle"),
        "reveal": ("Avslør sannheten", "Reveal the truth"),
        "new": ("Ny prosess", "New process"),
        "final": ("Din beslutning", "Your decision"),
        "undecided": ("(ikke bestemt)", "(undecided)"),
        "adopt": ("innfør", "adopt"),
        "abandon": ("forkast", "abandon"),
        "start": (
            "Ny prosess med skjult sann effekt. Velg testens størrelse og kjør en syklus.",
            "A new process with a hidden true effect. Choose a test size and run a cycle.",
        ),
        "cycle": (
            "Syklus {k}: <b>{x1}/{n1}</b> med endringen ({p1:.0%}), {x0}/{n0} uten ({p0:.0%}). "
            "Samlet forbedring <b>{d:+.1%}</b> (standardfeil {se:.1%}) etter {exp} pasienter. "
            "Forslag: <b>{act}</b>.",
            "Cycle {k}: <b>{x1}/{n1}</b> with the change ({p1:.0%}), {x0}/{n0} without ({p0:.0%}). "
            "Pooled improvement <b>{d:+.1%}</b> (standard error {se:.1%}) after {exp} patients. "
            "Suggestion: <b>{act}</b>.",
        ),
        "truth": (
            "Sannheten: uten endring {p0:.0%}, med endring {p1:.0%} (effekt <b>{delta:+.0%}</b>). "
            "Riktig beslutning med terskel {thr:.0%}: <b>{right}</b>. {verdict} "
            "{exp} pasienter fikk endringen{harm}.",
            "The truth: without the change {p0:.0%}, with it {p1:.0%} (effect <b>{delta:+.0%}</b>). "
            "Right decision with threshold {thr:.0%}: <b>{right}</b>. {verdict} "
            "{exp} patients were given the change{harm}.",
        ),
        "right": ("Din beslutning var riktig.", "Your decision was right."),
        "wrong": ("Din beslutning var feil.", "Your decision was wrong."),
        "no_decision": ("Du tok ingen beslutning.", "You made no decision."),
        "harmful": (" – en skadelig endring", " – a harmful change"),
        "cycle_sel": ("Syklus", "Cycle"),
        "log": ("Logg", "Log"),
        "good_log": ("eksempel", "example"),
        "bad_log": ("eksempel med feil", "example with problems"),
        "report": (
            "<b>{e}</b> feil, <b>{w}</b> advarsler i loggen",
            "<b>{e}</b> errors, <b>{w}</b> warnings in the log",
        ),
        "prediction": ("Prediksjon", "Prediction"),
        "question": ("Spørsmål", "Question"),
        "plan": ("Plan", "Plan"),
        "do": ("Utfør", "Do"),
        "study": ("Studer", "Study"),
        "act": ("Handle", "Act"),
        "scale": ("Skala", "Scale"),
        "idea": ("Endringsidé", "Change idea"),
        "empty": ("(mangler)", "(missing)"),
    }
)


def pdsa_simulator_widget(
    lang: str | None = None,
    *,
    seed: int | None = None,
    threshold: float = 0.05,
) -> widgets.VBox:
    """Test a change whose true effect is hidden: pick a test size, run cycles, decide, then reveal.

    Parameters
    ----------
    lang
        ``"nb"`` or ``"en"``.
    seed
        Seed of the first hidden process (``None``: a fresh one); "New process" adds 1.
    threshold
        Smallest improvement worth adopting.

    Returns
    -------
    ipywidgets.VBox
        With ``controls`` (``size``, ``run``, ``decision``, ``reveal``, ``new`` — buttons respond to
        ``.click()``), ``label`` (the last cycle's counts, the pooled improvement and the suggested
        act; after revealing, the truth and whether the decision was right), ``image``, and
        ``simulator`` (the current :class:`~qikit.pdsa.PdsaSimulator`).
    """
    lang_ = check_lang(lang, "pdsa_simulator_widget")
    first_seed = int(np.random.default_rng().integers(0, 10**6)) if seed is None else int(seed)
    size_w = widgets.Dropdown(
        options=[1, 2, 5, 10, 20, 50, 100],
        value=10,
        description=_T.get("size", lang_),
        style={"description_width": "initial"},
    )
    run_w = widgets.Button(description=_T.get("run", lang_), button_style="primary")
    decision_w = widgets.Dropdown(
        options=[
            (_T.get("undecided", lang_), ""),
            (_T.get("adopt", lang_), "adopt"),
            (_T.get("abandon", lang_), "abandon"),
        ],
        value="",
        description=_T.get("final", lang_),
        style={"description_width": "initial"},
    )
    reveal_w = widgets.Button(description=_T.get("reveal", lang_), button_style="warning")
    new_w = widgets.Button(description=_T.get("new", lang_))
    label = widgets.HTML()
    image = widgets.Image(format="png")
    canvas = FastFigure((7.5, 3.9))
    state: dict[str, Any] = {"seed": first_seed, "revealed": False}

    def new_sim() -> None:
        state["sim"] = PdsaSimulator(rng=state["seed"], threshold=threshold, lang=lang_)
        state["revealed"] = False
        box.simulator = state["sim"]  # type: ignore[attr-defined]

    def draw() -> None:
        sim: PdsaSimulator = state["sim"]
        n_cycles = len(sim.observations)
        min_cycles = 10 * (n_cycles // 10 + 1)  # the x axis grows in steps of 10 cycles

        def draw_fig(fig: Figure) -> None:
            ax = fig.add_subplot()
            plot_simulation(sim, ax=ax, lang=lang_, show_truth=state["revealed"], min_cycles=min_cycles)
            fig.subplots_adjust(left=0.11, right=0.86, bottom=0.14, top=0.9)

        key = (id(sim), min_cycles, n_cycles > 0, state["revealed"])
        image.value = canvas.render(key, draw_fig)

    def update(*_: Any) -> None:
        sim: PdsaSimulator = state["sim"]
        if state["revealed"]:
            truth = sim.reveal(decision_w.value or None)
            verdict = (
                _T.get("no_decision", lang_)
                if truth.correct is None
                else _T.get("right" if truth.correct else "wrong", lang_)
            )
            label.value = _T.get(
                "truth",
                lang_,
                p0=truth.p0,
                p1=truth.p1,
                delta=truth.delta,
                thr=truth.threshold,
                right=_T.get(truth.right_decision, lang_),
                verdict=verdict,
                exp=truth.exposed,
                harm=_T.get("harmful", lang_) if truth.harmful and truth.exposed else "",
            )
        elif not sim.observations:
            label.value = _T.get("start", lang_)
        else:
            o = sim.observations[-1]
            dec = sim.decide(final=False)
            act = ACTS[dec.act][0 if lang_ == "nb" else 1]
            label.value = _T.get(
                "cycle",
                lang_,
                k=o.cycle,
                x1=o.successes,
                n1=o.size,
                p1=o.proportion,
                x0=o.baseline_successes,
                n0=o.baseline_size,
                p0=o.baseline_proportion,
                d=dec.difference,
                se=dec.se,
                exp=sim.exposed,
                act=act,
            )
        draw()

    def on_run(_: Any) -> None:
        if state["revealed"]:
            return
        state["sim"].run_cycle(size=int(size_w.value))
        update()

    def on_reveal(_: Any) -> None:
        state["revealed"] = True
        update()

    def on_new(_: Any) -> None:
        state["seed"] += 1
        new_sim()
        decision_w.value = ""
        update()

    def on_decision(_: Any) -> None:
        if state["revealed"]:
            update()

    run_w.on_click(on_run)
    reveal_w.on_click(on_reveal)
    new_w.on_click(on_new)
    decision_w.observe(on_decision, names="value")
    controls = {"size": size_w, "run": run_w, "decision": decision_w, "reveal": reveal_w, "new": new_w}
    layout = [widgets.HBox([size_w, run_w]), widgets.HBox([decision_w, reveal_w, new_w])]
    box = assemble_demo(_T.get("title_sim", lang_), controls, layout, label, image, update)
    new_sim()
    update()
    return box


def _cycle_html(log: PdsaLog, number: int, lang: str) -> str:
    cyc = next((c for c in log.cycles if c.number == number), None)
    if cyc is None:
        return ""
    empty = f"<i>{_T.get('empty', lang)}</i>"

    def row(key: str, value: str) -> str:
        cell = html.escape(value) if value else empty
        return f"<tr><th style='text-align:left;padding-right:8px'>{_T.get(key, lang)}</th><td>{cell}</td></tr>"

    act = ACTS[cyc.act][0 if lang == "nb" else 1] if cyc.act else ""
    rows = [
        row("idea", cyc.change_idea),
        row("scale", cyc.scale),
        row("question", cyc.question),
        row("prediction", cyc.prediction),
        row("plan", cyc.plan),
        row("do", cyc.do),
        row("study", cyc.study),
        row("act", act),
    ]
    return f"<b>{cyc.number}. {html.escape(cyc.title)}</b><table>{''.join(rows)}</table>"


def pdsa_ramp_widget(lang: str | None = None, *, log: PdsaLog | None = None) -> widgets.VBox:
    """View a PDSA log as ramps, read each cycle, and see the problems validation finds.

    Parameters
    ----------
    lang
        ``"nb"`` or ``"en"``.
    log
        A :class:`~qikit.pdsa.PdsaLog`; default: a choice between :func:`qikit.pdsa.example_log`
        and the same log with planted problems.

    Returns
    -------
    ipywidgets.VBox
        With ``controls`` (``log``, ``cycle``), ``label`` (number of errors and warnings), ``image``
        (the ramp picture with the chosen cycle outlined), and ``details`` (the chosen cycle and the
        validation report as HTML).
    """
    lang_ = check_lang(lang, "pdsa_ramp_widget")
    logs: dict[str, PdsaLog] = (
        {"log": log}
        if log is not None
        else {"good": example_log(lang_), "problems": example_log(lang_, with_problems=True)}
    )
    log_w = widgets.Dropdown(
        options=[(_T.get("good_log", lang_), "good"), (_T.get("bad_log", lang_), "problems")]
        if log is None
        else [(log.title or "log", "log")],
        description=_T.get("log", lang_),
    )
    cycle_w = widgets.Dropdown(description=_T.get("cycle_sel", lang_))
    label = widgets.HTML()
    details = widgets.HTML()
    image = widgets.Image(format="png")
    canvas = FastFigure((11.0, 5.0))
    syncing = {"on": False}

    def set_cycles() -> None:
        current = logs[log_w.value]
        numbers = sorted({c.number for c in current.cycles})
        syncing["on"] = True
        cycle_w.options = [
            (f"{c.number}. {c.title}"[:60], c.number) for c in sorted(current.cycles, key=lambda c: c.number)
        ]
        cycle_w.value = numbers[0] if numbers else None
        syncing["on"] = False

    def update(*_: Any) -> None:
        if syncing["on"]:
            return
        current = logs[log_w.value]
        rep = current.validate(lang=lang_)
        label.value = _T.get("report", lang_, e=rep.n_errors, w=rep.n_warnings)
        sel = cycle_w.value
        report_rows = rep.table[rep.table.cycle == sel] if sel is not None else rep.table.iloc[0:0]
        problems = "".join(
            f"<li><b>{html.escape(str(r.severity))}</b> ({html.escape(str(r.check))}): "
            f"{html.escape(str(r.message))}</li>"
            for r in report_rows.itertuples(index=False)
        )
        details.value = _cycle_html(current, sel, lang_) + (f"<ul>{problems}</ul>" if problems else "")
        box.result = rep  # type: ignore[attr-defined]

        def draw(fig: Figure) -> None:
            ax = fig.add_subplot()
            plot_ramp(current, ax=ax, lang=lang_, highlight=sel)
            fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.93)

        image.value = canvas.render(log_w.value, draw)

    def on_log(_: Any) -> None:
        set_cycles()
        update()

    log_w.observe(on_log, names="value")
    cycle_w.observe(update, names="value")
    controls = {"log": log_w, "cycle": cycle_w}
    box = assemble_demo(_T.get("title_ramp", lang_), controls, [widgets.HBox([log_w, cycle_w])], label, image, update)
    box.children = (*box.children, details)
    box.details = details  # type: ignore[attr-defined]
    set_cycles()
    update()
    return box
