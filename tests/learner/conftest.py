import os
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # for `tests.learner.helpers`, however pytest is started
    sys.path.insert(0, str(REPO))



@pytest.fixture(scope="session")
def qikit_cache(tmp_path_factory):
    """One cache of learner versions (nbgrader generate_assignment) for the whole session."""
    cache = tmp_path_factory.getbasetemp() / "qikit-cache"  # shared with the browser tests' workspace
    cache.mkdir(exist_ok=True)
    old = os.environ.get("QIKIT_CACHE")
    os.environ["QIKIT_CACHE"] = str(cache)
    yield cache
    if old is None:
        os.environ.pop("QIKIT_CACHE", None)
    else:
        os.environ["QIKIT_CACHE"] = old


@pytest.fixture(scope="session")
def learner_versions(qikit_cache):
    """{edition: {assignment: folder}} of the learner versions of every assignment."""
    from qikit.lab import released_assignments

    return {ed: released_assignments(REPO, ed, cache=qikit_cache, only=["m05-run-charts"], log=lambda *a: None)
            for ed in ("nb", "en")}


@pytest.fixture
def learner_copy(tmp_path, learner_versions):
    """A function (edition, assignment) -> path of a fresh copy of the learner version in tmp_path."""

    def make(edition: str, assignment: str = "m05-run-charts") -> Path:
        folder = tmp_path / edition / assignment
        shutil.copytree(learner_versions[edition][assignment], folder)
        return folder / f"{assignment}.ipynb"

    return make
