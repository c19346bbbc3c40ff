"""SPC explorer: chart type, rule set, an intervention slider and moving-range screening.

A thin ipywidgets shell over :func:`qikit.spc.chart` and :func:`qikit.spc.plotting.plot_chart`;
it computes nothing itself.

Examples
--------
>>> from qikit.widgets.spc import spc_explorer
>>> w = spc_explorer(lang="en")          # built-in example series, seeded
>>> w.controls["chart"].value = "i"      # the picture and the summary update
"""

from __future__ import annotations

import io
import warnings
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd

from qikit._errors import QikitInputError, QikitWarning
from qikit._rng import RngLike, as_generator
from qikit.i18n import Catalog, check_lang

__all__ = ["example_data", "spc_explorer"]

_TEXT = Catalog(
    {
        "chart": ("Diagram", "Chart"),
        "rules": ("Regelsett", "Rules"),
        "intervention": ("Intervensjon etter punkt", "Intervention after point"),
        "mode": ("Bruk", "Use"),
        "freeze": ("Frys basis", "Freeze baseline"),
        "part": ("Ny fase", "New phase"),
        "screen": ("Skjerm store glidende variasjonsbredder", "Screen large moving ranges"),
        "none": ("ingen", "none"),
        "signals": ("Signaler ved x = {xs}", "Signals at x = {xs}"),
        "more": ("… og {k} til", "… and {k} more"),
        "no_signals": ("Ingen signaler", "No signals"),
        "runs": (
            "Fase {part}: lengste serie {lr} (grense {lrmax}), krysninger {nc} (minst {ncmin}), "
            "{k} punkt utenfor grensene",
            "Part {part}: longest run {lr} (limit {lrmax}), crossings {nc} (at least {ncmin}), "
            "{k} point(s) outside the limits",
        ),
        "y_waits": ("Ventetid (dager)", "Waiting time (days)"),
    }
)

_VALUE_CHARTS = ("run", "i", "mr", "t")
_COUNT_CHARTS = ("c", "g")
_RATIO_CHARTS = ("p", "pp", "u", "up")


def example_data(rng: RngLike = 2024) -> pd.DataFrame:
    """A seeded example: 36 weeks of waiting times and infections, improving after week 20.

    Columns: ``week`` (1..36), ``waits`` (days, mean 30 then 24), ``infections`` (count) and
    ``patients`` (denominator; infection risk 18 % then 11 %).
    """
    g = as_generator(rng, "example_data")
    weeks = np.arange(1, 37)
    after = weeks > 20
    waits = np.round(g.normal(30.0, 4.0, weeks.size) - 6.0 * after, 1)
    patients = g.integers(60, 121, weeks.size)
    infections = g.binomial(patients, np.where(after, 0.11, 0.18))
    return pd.DataFrame({"week": weeks, "waits": waits, "infections": infections, "patients": patients})


class _Renderer:
    """One reusable Agg figure: clear, draw, encode (about 100 ms per update)."""

    def __init__(self, width: float = 8.0, height: float = 4.2) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        # No layout engine (it draws twice) and fast PNG compression.
        self.fig = Figure(figsize=(width, height), dpi=72)
        FigureCanvasAgg(self.fig)

    def __call__(self, result: Any, lang: str) -> bytes:
        from qikit.spc.plotting import plot_chart

        self.fig.clear()
        self.fig.subplots_adjust(left=0.08, right=0.91, top=0.86, bottom=0.22)
        plot_chart(result, fig=self.fig, lang=lang)
        buf = io.BytesIO()
        self.fig.savefig(buf, format="png", dpi=72, pil_kwargs={"compress_level": 1})
        return buf.getvalue()


def spc_explorer(
    data: pd.DataFrame | None = None,
    *,
    y: str | None = None,
    n: str | None = None,
    x: str | None = None,
    chart: str = "run",
    rules: str = "anhoej",
    lang: str | None = None,
    rng: RngLike = 2024,
) -> widgets.VBox:
    """An interactive run/control chart for teaching.

    Parameters
    ----------
    data
        A DataFrame; default :func:`example_data` (seeded with ``rng``).
    y, n, x
        Column names; with the example data, ``waits`` (or ``infections``/``patients`` for ratio
        charts) and ``week``.
    chart, rules
        Initial chart type and rule set.
    lang
        ``'nb'`` or ``'en'`` for all labels.
    rng
        Seed for the example data.

    Returns
    -------
    ipywidgets.VBox
        The widget. ``.controls`` maps ``chart, rules, intervention, mode, screen_mr`` to their
        controls, ``.image`` is the picture, ``.summary`` the text, ``.result()`` the current
        :class:`~qikit.spc.ChartResult`.
    """
    from qikit.spc import chart as spc_chart

    lang_ = check_lang(lang, "spc_explorer")
    if data is None:
        data = example_data(rng)
        y = y or "waits"
        x = x or "week"
        counts: str = "infections"
        denom: str | None = "patients"
    else:
        if y is None:
            raise QikitInputError("spc_explorer(): name the column to chart with y='column'.")
        counts, denom = y, n
    user_ratio = data is not None and n is not None and y is not None and y in data and n in data
    charts = list(_VALUE_CHARTS) + list(_COUNT_CHARTS) + (list(_RATIO_CHARTS) if denom is not None else [])
    if chart not in charts:
        raise QikitInputError(f"spc_explorer(): chart must be one of {', '.join(map(repr, charts))}; got {chart!r}.")
    n_points = len(data) if x is None else int(pd.Series(data[x]).nunique())

    w_chart = widgets.Dropdown(options=charts, value=chart, description=_TEXT.get("chart", lang_))
    w_rules = widgets.Dropdown(
        options=["anhoej", "ihi", "hcdg", "mdc"], value=rules, description=_TEXT.get("rules", lang_)
    )
    w_int = widgets.IntSlider(
        value=0,
        min=0,
        max=max(n_points - 1, 0),
        step=1,
        continuous_update=False,
        description=_TEXT.get("intervention", lang_),
        style={"description_width": "initial"},
        layout=widgets.Layout(width="420px"),
    )
    w_mode = widgets.ToggleButtons(
        options=[(_TEXT.get("freeze", lang_), "freeze"), (_TEXT.get("part", lang_), "part")],
        value="freeze",
        description=_TEXT.get("mode", lang_),
    )
    w_screen = widgets.Checkbox(value=True, description=_TEXT.get("screen", lang_), indent=False)
    image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
    summary = widgets.HTML()
    state: dict[str, Any] = {}
    render = _Renderer()

    def compute() -> Any:
        kind = w_chart.value
        kwargs: dict[str, Any] = {
            "x": x,
            "chart": kind,
            "rules": w_rules.value,
            "screen_mr": w_screen.value,
            "lang": lang_,
        }
        if kind in _RATIO_CHARTS or (user_ratio and kind in ("run", "i")):
            # With the user's own numerator and denominator, run and I charts chart the ratio
            # (as qicharts2 does), not the raw count.
            kwargs.update(y=counts, n=denom)
        elif kind in _COUNT_CHARTS and data is not None and counts in data:
            kwargs.update(y=counts)
        else:
            kwargs.update(y=y)
        if w_int.value > 0:
            kwargs["freeze" if w_mode.value == "freeze" else "part"] = (
                int(w_int.value) if w_mode.value == "freeze" else [int(w_int.value)]
            )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", QikitWarning)
            return spc_chart(data, **kwargs)

    def update(_change: object = None) -> None:
        try:
            res = compute()
        except QikitInputError as exc:
            summary.value = f"<p style='color:#b00'>{exc}</p>"
            return
        state["result"] = res
        image.value = render(res, lang_)
        lines = []
        for r in res.summary_records():
            if r["longest_run"] is not None:
                lines.append(
                    _TEXT.get(
                        "runs",
                        lang_,
                        part=r["part"],
                        lr=r["longest_run"],
                        lrmax=r["longest_run_max"],
                        nc=r["n_crossings"],
                        ncmin=r["n_crossings_min"],
                        k=r["sigma_signal"],
                    )
                )
        sig = res.signals()
        if len(sig):
            from qikit.spc._prepare import _fmt

            shown = [_fmt(v) for v in sig["x"].tolist()[:8]]  # a long list would bury the picture
            if len(sig) > 8:
                shown.append(_TEXT.get("more", lang_, k=len(sig) - 8))
            lines.append(_TEXT.get("signals", lang_, xs=", ".join(shown)))
        else:
            lines.append(_TEXT.get("no_signals", lang_))
        summary.value = "<br>".join(lines)

    for w in (w_chart, w_rules, w_int, w_mode, w_screen):
        w.observe(update, names="value")
    update()
    box = widgets.VBox([widgets.HBox([w_chart, w_rules]), widgets.HBox([w_int, w_mode]), w_screen, image, summary])
    box.controls = {
        "chart": w_chart,
        "rules": w_rules,
        "intervention": w_int,
        "mode": w_mode,  # type: ignore[attr-defined]
        "screen_mr": w_screen,
    }
    box.image = image  # type: ignore[attr-defined]
    box.summary = summary  # type: ignore[attr-defined]
    box.result = lambda: state.get("result")  # type: ignore[attr-defined]
    return box
