"""Building blocks shared by the widget modules: the demo box, bare figures, seed controls."""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as w
import numpy as np

from qikit._errors import QikitInputError
from qikit.i18n import Catalog
from qikit.psychology.plotting import DATA_GID

TEXT = Catalog({"seed": ("Frø", "Seed"), "again": ("Trekk på nytt", "Draw again")})


class DemoBox(w.VBox):
    """A demo: a title, controls, a label with the key number and an Output with the figure.

    Attributes
    ----------
    controls
        ``{name: widget}``; setting a control's ``.value`` redraws the demo.
    label
        ``ipywidgets.HTML`` with the key number(s).
    output
        ``ipywidgets.Output`` holding the figure as PNG display data.
    """

    def __init__(
        self,
        *,
        title: str,
        controls: Mapping[str, w.Widget],
        render: Callable[[dict[str, Any]], tuple[str, Any]],
        layout_rows: list[list[str]] | None = None,
        dpi: int = 80,
    ) -> None:
        super().__init__()
        self.controls: dict[str, w.Widget] = dict(controls)
        self.label = w.HTML()
        self.output = w.Output(layout=w.Layout(min_height="200px"))
        self._render = render
        self._dpi = dpi
        rows = layout_rows or [list(self.controls)]
        boxes = [w.HBox([self.controls[n] for n in row], layout=w.Layout(flex_flow="row wrap")) for row in rows]
        self.children = [w.HTML(f"<h3 style='margin:4px 0'>{html.escape(title)}</h3>"), *boxes, self.label, self.output]
        for c in self.controls.values():
            if hasattr(c, "value"):
                c.observe(self._on_change, names="value")
        self.update()

    def values(self) -> dict[str, Any]:
        """Current control values."""
        return {k: c.value for k, c in self.controls.items() if hasattr(c, "value")}

    def _on_change(self, _change: object) -> None:
        self.update()

    def update(self) -> None:
        """Recompute and redraw from the current control values."""
        try:
            text, fig = self._render(self.values())
        except QikitInputError as exc:
            text, fig = f"<span style='color:#D55E00'>{html.escape(str(exc))}</span>", None
        self.label.value = text
        if fig is None:
            self.output.outputs = ()
            return
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=self._dpi, pil_kwargs={"compress_level": 1})
        png = base64.b64encode(buf.getvalue()).decode("ascii")
        self.output.outputs = (
            {
                "output_type": "display_data",
                "data": {"image/png": png, "text/plain": "<matplotlib figure>"},
                "metadata": {},
            },
        )


def new_figure(
    width: float,
    height: float,
    nrows: int = 1,
    ncols: int = 1,
    *,
    margins: tuple[float, float, float, float] = (0.8, 0.3, 0.5, 0.6),
    wspace: float = 0.9,
    hspace: float = 0.9,
) -> tuple[Any, Any]:
    """A bare matplotlib Figure (no pyplot state, nothing leaks into the notebook) and its axes.

    The layout is fixed rather than computed (``margins`` = left, right, top, bottom and the gaps
    between panels, in inches): a layout engine would draw every figure twice, which is most of the
    cost of an update.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    left, right, top, bottom = margins
    panel_w = (width - left - right - wspace * (ncols - 1)) / ncols
    panel_h = (height - top - bottom - hspace * (nrows - 1)) / nrows
    fig.subplots_adjust(
        left=left / width,
        right=1 - right / width,
        top=1 - top / height,
        bottom=bottom / height,
        wspace=wspace / panel_w,
        hspace=hspace / panel_h,
    )
    axes = fig.subplots(nrows, ncols)
    return fig, axes


def seed_control(lang: str, value: int = 1) -> w.BoundedIntText:
    """An integer box for the random seed."""
    return w.BoundedIntText(
        value=value, min=0, max=10**9, description=TEXT.get("seed", lang), layout=w.Layout(width="170px")
    )


def again_button(seed: w.BoundedIntText, lang: str) -> w.Button:
    """A button that moves the seed on by one: "draw again"."""
    btn = w.Button(description=TEXT.get("again", lang), icon="refresh")

    def click(_b: object) -> None:
        seed.value = seed.value + 1

    btn.on_click(click)
    return btn


def _slider(kind: type, desc: str, value: float, lo: float, hi: float, step: float) -> Any:
    return kind(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=desc,
        continuous_update=False,
        style={"description_width": "initial"},
    )


class FastFigure:
    """A matplotlib figure rendered to PNG for an ``ipyw.Image``, redrawing only what changed.

    ``render(key, draw)`` clears the figure and calls ``draw(fig)`` to rebuild every artist (cheap).
    Rasterising is the expensive part, so when ``key`` (a description of everything *static* in the
    picture: axes, labels, titles) is the same as last time, only the artists tagged with
    ``gid == DATA_GID`` are rasterised, on top of the cached background. A new key draws it all.
    Shared by the psychology and PDSA w.
    """

    def __init__(self, figsize: tuple[float, float], dpi: int = 72) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.fig = Figure(figsize=figsize, dpi=dpi)
        self.canvas = FigureCanvasAgg(self.fig)
        self._key: object = None
        self._background: Any = None

    def render(self, key: object, draw: Callable[[Any], None]) -> bytes:
        from PIL import Image

        fig = self.fig
        fig.clf()
        draw(fig)
        dynamic = [
            a
            for ax in fig.axes
            for a in (*ax.lines, *ax.patches, *ax.collections, *ax.texts, *ax.artists, ax.title)
            if a.get_gid() == DATA_GID
        ]
        if key is None or key != self._key or self._background is None:
            for a in dynamic:
                a.set_visible(False)
            self.canvas.draw()
            self._background = self.canvas.copy_from_bbox(fig.bbox)
            self._key = key
            for a in dynamic:
                a.set_visible(True)
        else:
            self.canvas.restore_region(self._background)
        renderer = self.canvas.get_renderer()
        for a in sorted(dynamic, key=lambda a: a.get_zorder()):
            a.draw(renderer)
        buf = io.BytesIO()
        Image.fromarray(np.asarray(self.canvas.buffer_rgba())).save(buf, format="png", compress_level=1)
        return buf.getvalue()


def assemble_demo(
    title: str,
    controls: Mapping[str, w.Widget],
    layout: list[w.Widget],
    label: w.HTML,
    image: w.Image,
    update: Callable[..., None],
) -> w.VBox:
    """Assemble a demo: a heading, the control rows, the label and the picture, with handles for tests."""
    heading = w.HTML(f"<h3 style='margin:4px 0'>{html.escape(title)}</h3>")
    box = w.VBox([heading, *layout, label, image])
    box.controls = dict(controls)  # type: ignore[attr-defined]
    box.label = label  # type: ignore[attr-defined]
    box.image = image  # type: ignore[attr-defined]
    box.update = update  # type: ignore[attr-defined]
    return box
