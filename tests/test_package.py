"""The package's promises: a light import, a console script, clear CLI errors."""

import subprocess
import sys

import pytest

from qikit.cli import main

HEAVY = ("matplotlib", "ipywidgets", "nbgrader")


@pytest.mark.parametrize(
    "stmt",
    [
        "import qikit",
        "import qikit.spc",
        "import qikit.datasets",
        "import qikit.variation, qikit.system, qikit.psychology, qikit.pdsa",
    ],
)
def test_import_is_light(stmt):
    code = f"import sys; {stmt}; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "", f"{stmt} imported {out.strip()}"


def test_version_and_help(capsys):
    assert main(["--version"]) == 0
    assert "qikit" in capsys.readouterr().out
    assert main([]) == 0
    assert "demo" in capsys.readouterr().out


def test_unknown_command_exits_2(capsys):
    assert main(["frobnicate"]) == 2
    assert "unknown command 'frobnicate'" in capsys.readouterr().err


def test_console_script_installed():
    exe = __import__("shutil").which("qikit") or str(__import__("pathlib").Path(sys.executable).parent / "qikit")
    out = subprocess.run([exe, "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "qikit demo" not in out.stderr


def test_lazy_subpackage_errors():
    import qikit

    with pytest.raises(AttributeError):
        qikit.no_such_thing  # noqa: B018
