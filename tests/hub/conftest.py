import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # for `tests.learner.helpers`, however pytest is started
    sys.path.insert(0, str(REPO))
