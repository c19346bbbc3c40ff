"""Learning from experience (domain K): PDSA records, ramps and a simulator with a hidden truth.

* :class:`Cycle` and :class:`PdsaLog` record Plan–Do–Study–Act cycles (plan with an explicit
  prediction; act: adopt / adapt / abandon, or «innfør» / «tilpass» / «forkast»);
  :meth:`PdsaLog.validate` reports incomplete or inconsistent cycles; ``.plot()`` draws the ramps.
* :class:`PdsaSimulator` hides a true change effect; :func:`decide` is the decision rule and
  :func:`compare_strategies` compares many small tests with one big test, exactly and fast.

Plotting lives in :mod:`qikit.pdsa.plotting` (matplotlib is imported only when drawing).
"""

from __future__ import annotations

from qikit.pdsa.records import (
    ACTS,
    CHECKS,
    COLUMNS,
    Cycle,
    PdsaLog,
    ValidationReport,
    example_log,
    order_by_scale,
    parse_act,
    scale_rank,
)
from qikit.pdsa.simulator import (
    DEFAULT_STRATEGIES,
    CycleObservation,
    Decision,
    PdsaSimulator,
    Strategy,
    StrategyComparison,
    Truth,
    compare_strategies,
    decide,
    draw_truths,
)

__all__ = [
    "ACTS",
    "CHECKS",
    "COLUMNS",
    "DEFAULT_STRATEGIES",
    "Cycle",
    "CycleObservation",
    "Decision",
    "PdsaLog",
    "PdsaSimulator",
    "Strategy",
    "StrategyComparison",
    "Truth",
    "ValidationReport",
    "compare_strategies",
    "decide",
    "draw_truths",
    "example_log",
    "order_by_scale",
    "parse_act",
    "scale_rank",
]
