"""Appreciation of a system: Swiss cheese, patient flow (Little's law, bottlenecks), Pareto, driver diagrams.

Pure computation (numpy/pandas); plots live in :mod:`qikit.system.plotting` and import matplotlib
only when called.

Examples
--------
>>> from qikit.system import swiss_cheese, pareto
>>> round(swiss_cheese([0.1, 0.1, 0.1]).p_harm, 6)
0.001
>>> pareto({"A": 8, "B": 1, "C": 1}).vital_few
('A',)
"""

from __future__ import annotations

from qikit.system.drivers import (
    AIM,
    DriverDiagram,
    DriverReport,
    driver_diagram,
    driver_diagram_from_edges,
    driver_diagram_from_text,
)
from qikit.system.flow import FlowResult, example_pathway, pathway_capacity, patient_flow
from qikit.system.pareto import ParetoResult, pareto
from qikit.system.swiss_cheese import SwissCheeseResult, p_all_fail, swiss_cheese

__all__ = [
    "AIM",
    "DriverDiagram",
    "DriverReport",
    "FlowResult",
    "ParetoResult",
    "SwissCheeseResult",
    "driver_diagram",
    "driver_diagram_from_edges",
    "driver_diagram_from_text",
    "example_pathway",
    "p_all_fail",
    "pareto",
    "pathway_capacity",
    "patient_flow",
    "swiss_cheese",
]
