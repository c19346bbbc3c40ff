"""Understanding variation: Deming's red beads and funnel, common- and special-cause generators, tampering.

Pure computation (numpy/pandas); plots live in :mod:`qikit.variation.plotting` and import matplotlib
only when called. Every stochastic function takes ``rng`` (an int seed or a ``numpy.random.Generator``).

Examples
--------
>>> from qikit.variation import red_beads, funnel
>>> red_beads(rng=1).np_chart().n_outside
0
>>> funnel(1, drops=10, rng=1).rule
1
"""

from __future__ import annotations

from qikit.variation.causes import (
    PROCESS_KINDS,
    SimulatedProcess,
    outlier_process,
    overdispersed_counts,
    seasonal_process,
    shift_process,
    simulate_process,
    stable_process,
    trend_process,
)
from qikit.variation.funnel import (
    FUNNEL_RULES,
    FunnelResult,
    TamperingResult,
    funnel,
    funnel_path,
    funnel_theory_var,
    tampering,
)
from qikit.variation.red_beads import (
    DEFAULT_WORKERS,
    NpChart,
    RedBeadsResult,
    red_bead_distribution,
    red_beads,
    red_beads_from_table,
)

__all__ = [
    "DEFAULT_WORKERS",
    "FUNNEL_RULES",
    "PROCESS_KINDS",
    "FunnelResult",
    "NpChart",
    "RedBeadsResult",
    "SimulatedProcess",
    "TamperingResult",
    "funnel",
    "funnel_path",
    "funnel_theory_var",
    "outlier_process",
    "overdispersed_counts",
    "red_bead_distribution",
    "red_beads",
    "red_beads_from_table",
    "seasonal_process",
    "shift_process",
    "simulate_process",
    "stable_process",
    "tampering",
    "trend_process",
]
