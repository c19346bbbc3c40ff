"""Named front doors, one per chart type: ``run_chart(data, y=..., ...)`` and friends.

Each is :func:`qikit.spc.chart` with ``chart`` fixed; data first, everything else keyword-only.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from qikit.spc.core import ChartResult, chart

__all__ = [
    "c_chart",
    "g_chart",
    "i_chart",
    "ip_chart",
    "mr_chart",
    "p_chart",
    "pp_chart",
    "run_chart",
    "s_chart",
    "t_chart",
    "u_chart",
    "up_chart",
    "xbar_chart",
]

_DESCRIPTIONS = {
    "run": ("run_chart", "Run chart: the data over time with the median, and Anhøj runs analysis."),
    "i": ("i_chart", "Individuals (XmR) chart: mean, and limits from the (screened) average moving range."),
    "mr": ("mr_chart", "Moving-range chart: |y_i - y_(i-1)| with UCL = 3.267 × average moving range."),
    "xbar": ("xbar_chart", "Xbar chart of subgroup means; raw observations share an x per subgroup."),
    "s": ("s_chart", "S chart of subgroup standard deviations (pooled SD centre line for varying n)."),
    "t": ("t_chart", "T chart of times between rare events (I chart of y^(1/3.6), back-transformed)."),
    "p": ("p_chart", "P chart of proportions y/n with binomial limits (clamped to [0, 1])."),
    "pp": ("pp_chart", "Laney P′ chart: p chart with limits widened for overdispersion (large n)."),
    "c": ("c_chart", "C chart of counts per period with Poisson limits."),
    "u": ("u_chart", "U chart of rates y/n (events per unit) with Poisson limits."),
    "up": ("up_chart", "Laney U′ chart: u chart with limits widened for overdispersion (large n)."),
    "g": ("g_chart", "G chart of opportunities (e.g. days or cases) between rare events."),
    "ip": ("ip_chart", "I′ chart (Taylor): individuals of rates or averages with varying subgroup size."),
}


def _make(kind: str) -> Callable[..., ChartResult]:
    name, line = _DESCRIPTIONS[kind]

    def front_door(data: Any = None, /, **kwargs: Any) -> ChartResult:
        if "chart" in kwargs:
            from qikit._errors import QikitInputError

            raise QikitInputError(f"{name}(): chart is fixed to {kind!r}; use qikit.spc.chart() to choose it.")
        kwargs.setdefault("_func", name)
        return chart(data, chart=kind, **kwargs)

    sig = inspect.signature(chart)
    params = [p for p in sig.parameters.values() if p.name not in ("chart", "_func")]
    params[0] = params[0].replace(kind=inspect.Parameter.POSITIONAL_OR_KEYWORD)
    front_door.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
    front_door.__name__ = front_door.__qualname__ = name
    front_door.__doc__ = (
        f"{line}\n\n"
        f"Same arguments as :func:`qikit.spc.chart` with ``chart={kind!r}``; data first, the rest keyword-only.\n\n"
        "Returns\n-------\nChartResult\n    ``.table``, ``.summary()``, ``.plot()``, ``.signals()``.\n"
    )
    front_door.__module__ = __name__
    return front_door


run_chart = _make("run")
i_chart = _make("i")
mr_chart = _make("mr")
xbar_chart = _make("xbar")
s_chart = _make("s")
t_chart = _make("t")
p_chart = _make("p")
pp_chart = _make("pp")
c_chart = _make("c")
u_chart = _make("u")
up_chart = _make("up")
g_chart = _make("g")
ip_chart = _make("ip")
