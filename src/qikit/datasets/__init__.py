"""The course's datasets: real historical data and seeded synthetic hospital data, each with a dictionary.

::

    from qikit import datasets
    datasets.list_datasets()                      # name, title, kind, rows, modules, file
    df = datasets.load("semmelweis_monthly")      # a DataFrame; df.attrs is the data dictionary
    print(datasets.describe("falls", lang="en"))  # the dictionary as text
    datasets.truth("falls")                       # what the generator planted (synthetic sets only)

The files live in the repository's ``datasets/`` folder (``$QIKIT_DATASETS`` overrides it): one CSV and one
``NAME.json`` data dictionary per dataset, plus ``NAME.truth.json`` for synthetic ones.
``python -m qikit.datasets.build`` regenerates the synthetic files byte for byte (see
:mod:`qikit.datasets.synthetic`).
"""

from __future__ import annotations

from qikit.datasets._catalog import ENV_VAR, datasets_dir
from qikit.datasets._loader import chart_annotations, describe, dictionary, list_datasets, load, path, truth

__all__ = [
    "ENV_VAR",
    "chart_annotations",
    "datasets_dir",
    "describe",
    "dictionary",
    "list_datasets",
    "load",
    "path",
    "truth",
]
