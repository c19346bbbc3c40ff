"""Run charts and control charts for healthcare improvement (qicharts2 conventions).

Compute with :func:`chart` or a named front door (:func:`run_chart`, :func:`i_chart`,
:func:`p_chart`, …); each returns a :class:`ChartResult` with ``.table``, ``.summary()`` and
``.plot()``. Runs analysis on a plain sequence: :func:`runs_analysis`, :func:`anhoej_limits`.
Plotting (matplotlib) is imported lazily by ``ChartResult.plot``; this package does not import it.

Examples
--------
>>> from qikit.spc import run_chart
>>> r = run_chart([3, 5, 4, 6, 5, 4, 9, 10, 11, 9, 12, 10, 11, 12])
>>> bool(r.runs_signal)
True
"""

from __future__ import annotations

from qikit.spc.api import (
    c_chart,
    g_chart,
    i_chart,
    ip_chart,
    mr_chart,
    p_chart,
    pp_chart,
    run_chart,
    s_chart,
    t_chart,
    u_chart,
    up_chart,
    xbar_chart,
)
from qikit.spc.core import AGGS, CHARTS, RULE_SETS, ChartResult, chart
from qikit.spc.runs import METHODS, RunsResult, anhoej_limits, ihi_runs_limits, runs_analysis

__all__ = [
    "AGGS",
    "CHARTS",
    "METHODS",
    "RULE_SETS",
    "ChartResult",
    "RunsResult",
    "anhoej_limits",
    "c_chart",
    "chart",
    "g_chart",
    "i_chart",
    "ihi_runs_limits",
    "ip_chart",
    "mr_chart",
    "p_chart",
    "pp_chart",
    "run_chart",
    "runs_analysis",
    "s_chart",
    "t_chart",
    "u_chart",
    "up_chart",
    "xbar_chart",
]
