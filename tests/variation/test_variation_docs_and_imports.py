import doctest
import importlib
import subprocess
import sys

import pytest

MODULES = [
    "qikit.variation",
    "qikit.variation.red_beads",
    "qikit.variation.funnel",
    "qikit.variation.causes",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_import_is_light():
    code = "import sys, qikit.variation; print([m for m in ('matplotlib', 'ipywidgets') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_public_functions_have_docstrings_with_examples():
    import qikit.variation as v

    for name in ("red_beads", "funnel", "tampering", "shift_process", "overdispersed_counts"):
        doc = getattr(v, name).__doc__
        assert "Examples" in doc and ">>>" in doc
    assert "Deming" in v.red_beads.__doc__ and "Deming" in v.funnel.__doc__
