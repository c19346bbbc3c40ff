"""Interactive demos for understanding variation: red beads, the funnel, common vs special causes, tampering.

Each factory works with no arguments and returns an ``ipywidgets.Widget`` (a :class:`DemoBox`):
controls wired to a pure function of :mod:`qikit.variation`, a label with the key number
(``.label.value``) and the figure in an ``ipywidgets.Output`` (``.output``). Figures are drawn on
bare matplotlib ``Figure`` objects (no pyplot state) and shown as PNG display data in the Output.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from qikit.i18n import Catalog, check_lang
from qikit.widgets._base import DemoBox, _slider, again_button, new_figure, seed_control

__all__ = ["DemoBox", "causes_widget", "funnel_widget", "red_beads_widget", "tampering_widget"]

TEXT = Catalog(
    {
        "rb_title": ("Rødperleforsøket", "The red bead experiment"),
        "workers": ("Arbeidere", "Workers"),
        "days": ("Dager", "Days"),
        "paddle": ("Spade (hull)", "Paddle (holes)"),
        "red": ("Røde i bollen", "Red in bowl"),
        "bias": ("Skjev spade", "Paddle bias"),
        "view": ("Vis", "Show"),
        "np": ("np-diagram", "np chart"),
        "ranking": ("Rangering", "Ranking"),
        "basis": ("Grenser", "Limits"),
        "basis_data": ("fra dataene", "from the data"),
        "basis_bowl": ("teoretiske", "theoretical"),
        "rb_label": (
            "p̄ = {p:.3f} · SL = {cl:.1f} · ØKG = {ucl:.1f} · NKG = {lcl:.1f} · utenfor grensene: <b>{out}</b> av {n}",
            "p̄ = {p:.3f} · CL = {cl:.1f} · UCL = {ucl:.1f} · LCL = {lcl:.1f} · outside the limits: <b>{out}</b> of {n}",
        ),
        "fn_title": ("Traktforsøket", "The funnel experiment"),
        "rule": ("Regel", "Rule"),
        "drops": ("Kuler", "Drops"),
        "one_rule": ("Én regel", "One rule"),
        "all_rules": ("Alle fire", "All four"),
        "spread": ("Spredning", "Spread"),
        "fn_label": (
            "Regel {rule}: gjennomsnittlig kvadratavvik fra målet = <b>{ms:.2f} σ²</b> (teori {th:.2f} σ²)",
            "Rule {rule}: mean squared deviation from target = <b>{ms:.2f} σ²</b> (theory {th:.2f} σ²)",
        ),
        "cs_title": ("Vanlig eller spesiell årsak?", "Common or special cause?"),
        "kind": ("Mønster", "Pattern"),
        "strength": ("Styrke (SD)", "Strength (SD)"),
        "periods": ("Perioder", "Periods"),
        "reveal": ("Vis fasiten", "Reveal the truth"),
        "cs_hidden": (
            "Gjennomsnitt {mean:.2f}, SD {sd:.2f}. Fasiten er skjult: hva tror du?",
            "Mean {mean:.2f}, SD {sd:.2f}. The truth is hidden: what do you think?",
        ),
        "tp_title": ("Fikling med en stabil prosess", "Tampering with a stable process"),
        "tp_label": (
            "SD uten justering {s:.2f} · med justering {t:.2f} · variansen × <b>{r:.2f}</b> (teori {th:.2f})",
            "SD left alone {s:.2f} · adjusted {t:.2f} · variance × <b>{r:.2f}</b> (theory {th:.2f})",
        ),
    }
)


def red_beads_widget(lang: str | None = None) -> DemoBox:
    """Deming's red bead experiment: draw, chart, and rank the willing workers.

    Controls: workers, days, paddle size, red beads in the bowl (3200 white), paddle bias, seed,
    limits from the data or the bowl, and np chart or ranking view. The label shows p̄, the limits
    and the number of points outside.
    """
    from qikit.variation import red_beads
    from qikit.variation.plotting import plot_rank_reshuffle

    lang = check_lang(lang, "red_beads_widget")
    seed = seed_control(lang)
    controls: dict[str, w.Widget] = {
        "workers": _slider(w.IntSlider, TEXT.get("workers", lang), 6, 2, 12, 1),
        "days": _slider(w.IntSlider, TEXT.get("days", lang), 4, 1, 8, 1),
        "paddle": _slider(w.IntSlider, TEXT.get("paddle", lang), 50, 10, 100, 5),
        "red": _slider(w.IntSlider, TEXT.get("red", lang), 800, 0, 3200, 100),
        "paddle_bias": _slider(w.FloatSlider, TEXT.get("bias", lang), 0.0, -0.5, 0.5, 0.05),
        "view": w.ToggleButtons(
            options=[(TEXT.get("np", lang), "np"), (TEXT.get("ranking", lang), "ranking")],
            value="np",
            description=TEXT.get("view", lang),
        ),
        "basis": w.ToggleButtons(
            options=[(TEXT.get("basis_data", lang), "data"), (TEXT.get("basis_bowl", lang), "bowl")],
            value="data",
            description=TEXT.get("basis", lang),
        ),
        "seed": seed,
    }
    controls["again"] = again_button(seed, lang)

    def render(v: dict[str, Any]) -> tuple[str, Any]:
        res = red_beads(
            workers=v["workers"],
            days=v["days"],
            paddle=v["paddle"],
            red=v["red"],
            white=3200,
            paddle_bias=v["paddle_bias"],
            rng=v["seed"],
        )
        chart = res.np_chart(basis=v["basis"])
        text = TEXT.get(
            "rb_label",
            lang,
            p=chart.p,
            cl=chart.cl,
            ucl=chart.ucl,
            lcl=chart.lcl,
            out=chart.n_outside,
            n=len(chart.table),
        )
        if v["view"] == "np":
            fig, ax = new_figure(9.0, 4.2, margins=(0.7, 0.9, 0.45, 0.75))
            chart.plot(ax=ax, lang=lang)
        else:
            fig, axes = new_figure(11.5, 4.2, 1, 2, margins=(1.1, 0.8, 0.45, 0.6), wspace=1.1)
            res.plot_ranking(ax=axes[0], lang=lang)
            plot_rank_reshuffle(res.rank_reshuffle(5, rng=v["seed"] + 10_000), ax=axes[1], lang=lang)
        return text, fig

    return DemoBox(
        title=TEXT.get("rb_title", lang),
        controls=controls,
        render=render,
        layout_rows=[["workers", "days", "paddle"], ["red", "paddle_bias", "basis"], ["view", "seed", "again"]],
    )


def funnel_widget(lang: str | None = None) -> DemoBox:
    """Deming's funnel: pick a rule, see where the marbles land; compare all four with the same marbles.

    The label gives the mean squared deviation from the target per coordinate in units of σ²
    (rule 1 ≈ 1, rule 2 ≈ 2, rules 3 and 4 growing with the number of drops).
    """
    from qikit.variation import funnel
    from qikit.variation.plotting import plot_funnel_rules

    lang = check_lang(lang, "funnel_widget")
    seed = seed_control(lang)
    controls: dict[str, w.Widget] = {
        "rule": w.ToggleButtons(
            options=[1, 2, 3, 4], value=1, description=TEXT.get("rule", lang), style={"button_width": "50px"}
        ),
        "drops": _slider(w.IntSlider, TEXT.get("drops", lang), 100, 10, 1000, 10),
        "view": w.ToggleButtons(
            options=[
                (TEXT.get("one_rule", lang), "one"),
                (TEXT.get("all_rules", lang), "all"),
                (TEXT.get("spread", lang), "spread"),
            ],
            value="one",
            description=TEXT.get("view", lang),
        ),
        "seed": seed,
    }
    controls["again"] = again_button(seed, lang)

    def render(v: dict[str, Any]) -> tuple[str, Any]:
        res = funnel(v["rule"], drops=v["drops"], rng=v["seed"])
        s = res.summary().iloc[0]
        text = TEXT.get("fn_label", lang, rule=v["rule"], ms=float(s["ratio"]), th=float(s["theory_mean_sq"]))
        if v["view"] == "one":
            fig, ax = new_figure(6.6, 5.8, margins=(0.6, 0.2, 0.75, 0.75))
            res.plot(ax=ax, lang=lang)
        elif v["view"] == "spread":
            fig, ax = new_figure(8.0, 4.0, margins=(0.8, 0.3, 0.45, 0.6))
            res.plot(ax=ax, kind="spread", lang=lang)
        else:
            fig, axes = new_figure(9.0, 9.0, 2, 2, margins=(0.5, 0.2, 0.75, 0.4), wspace=0.6, hspace=1.0)
            plot_funnel_rules([funnel(r, drops=v["drops"], rng=v["seed"]) for r in (1, 2, 3, 4)], axes=axes, lang=lang)
        return text, fig

    return DemoBox(
        title=TEXT.get("fn_title", lang),
        controls=controls,
        render=render,
        layout_rows=[["rule", "drops"], ["view", "seed", "again"]],
    )


def causes_widget(lang: str | None = None) -> DemoBox:
    """Common or special cause? Generate a pattern, guess, then reveal what was planted.

    ``strength`` is in standard deviations: the shift size, the outlier size (× 2), the seasonal
    amplitude, the trend's rise over the affected periods, or (overdispersion) ρ in percent.
    """
    from qikit.variation import PROCESS_KINDS, simulate_process
    from qikit.variation._labels import LABELS

    lang = check_lang(lang, "causes_widget")
    seed = seed_control(lang)
    controls: dict[str, w.Widget] = {
        "kind": w.Dropdown(
            options=[(LABELS.get(f"kind_{k}", lang), k) for k in PROCESS_KINDS],
            value="shift",
            description=TEXT.get("kind", lang),
        ),
        "strength": _slider(w.FloatSlider, TEXT.get("strength", lang), 2.0, 0.0, 4.0, 0.25),
        "periods": _slider(w.IntSlider, TEXT.get("periods", lang), 24, 12, 60, 1),
        "reveal": w.Checkbox(value=False, description=TEXT.get("reveal", lang)),
        "seed": seed,
    }
    controls["again"] = again_button(seed, lang)

    def render(v: dict[str, Any]) -> tuple[str, Any]:
        n, s, kind = v["periods"], v["strength"], v["kind"]
        kw: dict[str, Any] = {"periods": n}
        if kind == "shift":
            kw |= {"start": n // 2 + 1, "shift": s}
        elif kind == "trend":
            kw |= {"start": n // 3, "slope": s / max(1, n - n // 3)}
        elif kind == "outlier":
            kw |= {"at": (2 * n) // 3, "size": 2 * s}
        elif kind == "seasonal":
            kw |= {"amplitude": s, "period": 12}
        elif kind == "overdispersion":
            kw |= {"rho": s / 100}
        proc = simulate_process(kind, rng=v["seed"], **kw)
        summ = proc.summary().iloc[0]
        text = (
            html.escape(proc.describe(lang))
            if v["reveal"]
            else TEXT.get("cs_hidden", lang, mean=float(summ["mean"]), sd=float(summ["sd"]))
        )
        fig, ax = new_figure(8.5, 3.9, margins=(0.8, 0.3, 0.45, 0.6))
        proc.plot(ax=ax, reveal=v["reveal"], lang=lang)
        return text, fig

    return DemoBox(
        title=TEXT.get("cs_title", lang),
        controls=controls,
        render=render,
        layout_rows=[["kind", "strength", "periods"], ["reveal", "seed", "again"]],
    )


def tampering_widget(lang: str | None = None) -> DemoBox:
    """Adjusting a stable process after every point (funnel rules in one dimension) vs leaving it alone.

    The label gives both standard deviations and the variance ratio (about 2 for rule 2).
    """
    from qikit.variation import tampering

    lang = check_lang(lang, "tampering_widget")
    seed = seed_control(lang)
    controls: dict[str, w.Widget] = {
        "rule": w.ToggleButtons(
            options=[1, 2, 3, 4], value=2, description=TEXT.get("rule", lang), style={"button_width": "50px"}
        ),
        "periods": _slider(w.IntSlider, TEXT.get("periods", lang), 50, 20, 300, 10),
        "seed": seed,
    }
    controls["again"] = again_button(seed, lang)

    def render(v: dict[str, Any]) -> tuple[str, Any]:
        res = tampering(periods=v["periods"], rule=v["rule"], rng=v["seed"])
        s = res.summary().iloc[0]
        text = TEXT.get(
            "tp_label",
            lang,
            s=float(s["sd_stable"]),
            t=float(s["sd_tampered"]),
            r=float(s["var_ratio"]),
            th=float(s["theory_msd_ratio"]),
        )
        fig, ax = new_figure(8.5, 3.9, margins=(0.8, 0.3, 0.45, 0.6))
        res.plot(ax=ax, lang=lang)
        return text, fig

    return DemoBox(
        title=TEXT.get("tp_title", lang),
        controls=controls,
        render=render,
        layout_rows=[["rule", "periods"], ["seed", "again"]],
    )
