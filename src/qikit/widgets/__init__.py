"""Interactive demos: thin ipywidgets shells over qikit's pure computations.

This is the only part of qikit that imports ipywidgets. Each engine has its own module
(``qikit.widgets.spc``, ``.variation``, ``.system``, ``.psychology``, ``.pdsa``); every factory
works with no arguments and returns an ``ipywidgets.Widget``. Factories are also reachable
directly from this package, e.g. ``qikit.widgets.red_beads_widget()``.
"""

from __future__ import annotations

import importlib

_MODULES = ("spc", "variation", "system", "psychology", "pdsa")


def __getattr__(name: str) -> object:
    # Look the factory up in the engine modules on first use, so importing this package is cheap.
    if name.startswith("_"):
        raise AttributeError(name)
    for mod_name in _MODULES:
        try:
            module = importlib.import_module(f"qikit.widgets.{mod_name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"qikit.widgets.{mod_name}":
                continue
            raise
        if hasattr(module, name):
            value = getattr(module, name)
            globals()[name] = value
            return value
    raise AttributeError(f"module 'qikit.widgets' has no attribute {name!r}")
