import shutil
import sys
from pathlib import Path

import pytest
from tests.browser.jlab import CHROMIUM, CHROMIUM_ARGS, LabServer

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # for `tests.learner.helpers`, however pytest is started
    sys.path.insert(0, str(REPO))

SHOTS = REPO / "artifacts" / "screenshots"


def _need_browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM} (scripts/system-deps.sh installs it)")
    pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")


@pytest.fixture(scope="session")
def shots():
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


@pytest.fixture(scope="session")
def page():
    """One headless Chromium page for the whole browser session."""
    _need_browser()
    import tempfile

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="qikit-chromium-") as profile, sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900})
        pg = ctx.pages[0] if ctx.pages else ctx.new_page()
        pg.set_default_timeout(60_000)
        yield pg
        ctx.close()


@pytest.fixture(scope="session")
def learner_lab(tmp_path_factory):
    """`qikit lab`'s learner workspace (English edition) served by one JupyterLab for the session.

    The bokmål self-paced notebooks are copied in as notebooks-nb/, so both editions run in one server.
    """
    _need_browser()
    from qikit.lab import prepare_workspace

    tmp = tmp_path_factory.mktemp("learner-lab")
    cache = tmp_path_factory.getbasetemp() / "qikit-cache"  # shared with the learner tests
    cache.mkdir(exist_ok=True)
    ws = prepare_workspace(REPO, "en", tmp / "qikit-en", exchange=tmp / "exchange", cache=cache,
                           assignments=["m05-run-charts"],
                           log=lambda *a: None)
    nb_src = REPO / "notebooks" / "nb"
    if nb_src.is_dir():
        shutil.copytree(nb_src, ws.path / "notebooks-nb", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    server = LabServer(ws.path, tmp / "server", extra_env={"QIKIT_LANG": "en"}).start()
    server.workspace = ws
    yield server
    server.shutdown_kernels()
    server.stop()


@pytest.fixture(scope="session")
def instructor_lab(tmp_path_factory):
    """`qikit lab --instructor`: JupyterLab on a copy of the course root (so no gradebook lands in the repo)."""
    _need_browser()
    from qikit.lab import instructor_setup

    tmp = tmp_path_factory.mktemp("instructor-lab")
    home = tmp / "home"
    (home / "course").mkdir(parents=True)
    shutil.copy2(REPO / "course" / "nbgrader_config.py", home / "course" / "nbgrader_config.py")
    shutil.copytree(REPO / "course" / "en", home / "course" / "en",
                    ignore=shutil.ignore_patterns("release", "submitted", "autograded", "feedback", "gradebook.db",
                                                  ".ipynb_checkpoints"))
    root, env = instructor_setup(home, "en", tmp / "exchange" / "exchange")
    server = LabServer(root, tmp / "server", extra_env=env).start()
    yield server
    server.stop()
