"""The human side of change (domain P): self-assessment, diffusion of innovations, will–ideas–execution.

* :func:`self_assessment` and :func:`compare` score the team self-assessment «Snakk om forbedring!»
  (ten areas, three themes each, levels 1–4 or "not relevant") and compare two time points;
  ``.plot()`` draws the radar chart.
* :func:`adopter_categories` splits a ward's staff into Rogers' adopter categories;
  :func:`diffusion` simulates the spread of a change (Bass model) and :func:`bass_curve` gives the
  deterministic curve.
* :func:`wie_checklist` scores the will / ideas / execution checklist and names the weakest element.

Plotting lives in :mod:`qikit.psychology.plotting` (matplotlib is imported only when drawing).
"""

from __future__ import annotations

from qikit.psychology.assessment import (
    AREAS,
    LEVELS,
    Area,
    AssessmentComparison,
    SelfAssessment,
    areas_table,
    compare,
    example_scores,
    self_assessment,
)
from qikit.psychology.diffusion import (
    ADOPTER_CATEGORIES,
    AdopterCategories,
    Diffusion,
    adopter_categories,
    bass_curve,
    bass_time,
    diffusion,
)
from qikit.psychology.wie import ANSWERS, ELEMENTS, WIE_ITEMS, WieChecklist, wie_checklist, wie_items

__all__ = [
    "ADOPTER_CATEGORIES",
    "ANSWERS",
    "AREAS",
    "ELEMENTS",
    "LEVELS",
    "WIE_ITEMS",
    "AdopterCategories",
    "Area",
    "AssessmentComparison",
    "Diffusion",
    "SelfAssessment",
    "WieChecklist",
    "adopter_categories",
    "areas_table",
    "bass_curve",
    "bass_time",
    "compare",
    "diffusion",
    "example_scores",
    "self_assessment",
    "wie_checklist",
    "wie_items",
]
