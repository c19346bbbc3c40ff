"""qikit: a course kit for teaching improvement science in healthcare.

The four domains of improvement knowledge each have a subpackage:

- :mod:`qikit.system` (appreciation of a system: Swiss cheese, flow, Pareto, driver diagrams),
- :mod:`qikit.variation` (red beads, the funnel, common and special causes),
- :mod:`qikit.psychology` (self-assessment, diffusion, will/ideas/execution),
- :mod:`qikit.pdsa` (learning from experience: PDSA records and a simulator),

plus :mod:`qikit.spc` (run and control charts), :mod:`qikit.datasets` and :mod:`qikit.widgets`.

Subpackages load lazily, so ``import qikit`` stays light: it imports neither matplotlib,
ipywidgets nor nbgrader.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from qikit._errors import QikitInputError, QikitWarning

__version__ = "0.1.0"

_SUBPACKAGES = frozenset(
    {"spc", "variation", "system", "psychology", "pdsa", "widgets", "datasets", "i18n", "checks", "selfcheck"}
)

__all__ = ["QikitInputError", "QikitWarning", "__version__", *sorted(_SUBPACKAGES)]

if TYPE_CHECKING:  # pragma: no cover
    from qikit import datasets, i18n, pdsa, psychology, spc, system, variation, widgets  # noqa: F401


def __getattr__(name: str) -> object:
    # Lazy subpackages (PEP 562): `qikit.spc` is imported on first use only.
    if name in _SUBPACKAGES:
        module = importlib.import_module(f"qikit.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'qikit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _SUBPACKAGES)
