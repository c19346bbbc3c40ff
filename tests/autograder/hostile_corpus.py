"""A corpus of hostile and broken hand-ins for m05-run-charts, graded in one run with honest ones.

Every learner starts from the released notebook with the instructor's solution filled in (12 of 12
autograded points) and then misbehaves in one way. ``expected`` gives the honest autograded score and
what the grader must report; sandbox probes print a JSON verdict that the test reads back.

Points: baseline_median 2, after_median 2, anhoej_limits 2, longest_run 3, n_crossings 2,
baseline_signal 1 (= 12).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from autograder.demo import solution_of
from autograder.pipeline import Submission

ASSIGNMENT = "m05-run-charts"
FULL = 12


@dataclass
class Case:
    id: str
    about: str
    auto_score: float | None  # None: only "contained" is asserted
    status: str | None = "graded"
    reason: list[str] = field(default_factory=list)  # phrases the reason must contain
    honest: bool = False
    probe: bool = False


def _cells_by_gid(nb):
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if "nbgrader" in c.metadata}


def _solution_nb(release: Path, source: Path):
    nb = nbformat.read(str(release), as_version=4)
    src = _cells_by_gid(nbformat.read(str(source), as_version=4))
    for gid, cell in _cells_by_gid(nb).items():
        meta = cell.metadata["nbgrader"]
        if meta.get("solution") and cell.cell_type == "code":
            cell.source = solution_of(src[gid].source)
    return nb


def _insert_after(nb, gid: str, code: str) -> None:
    idx = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == gid)
    nb.cells.insert(idx + 1, nbformat.v4.new_code_cell(code))


PROBE = r"""
import json, os, socket, subprocess
verdict = {}
def can_read(p):
    try:
        with open(p, "rb") as fh:
            fh.read(1)
        return True
    except Exception:
        return False
def can_list(p):
    try:
        os.listdir(p)
        return True
    except Exception:
        return False
def can_write(p):
    try:
        with open(p, "w") as fh:
            fh.write("pwned")
        return True
    except Exception:
        return False
verdict["read_source_notebook"] = any(can_read(p) for p in SOURCE_NOTEBOOKS)
verdict["read_gradebook"] = any(can_read(p) for p in GRADEBOOKS)
verdict["list_other_learner"] = any(can_list(p) for p in OTHER_LEARNERS)
verdict["list_output_folder"] = can_list(OUT_DIR)
verdict["read_shadow"] = can_read("/etc/shadow")
verdict["read_host_home"] = can_list("/root") and bool(os.listdir("/root")) and os.listdir("/root") != [".pyenv"]
verdict["write_datasets"] = can_write(os.path.join(DATASETS, "pwned.txt"))
verdict["write_venv"] = can_write(os.path.join(VENV, "pwned.txt"))
verdict["write_root"] = can_write("/pwned.txt")
verdict["write_course"] = any(can_write(os.path.join(os.path.dirname(p), "pwned.txt")) for p in SOURCE_NOTEBOOKS)
try:
    s = socket.create_connection(("1.1.1.1", 53), timeout=2)
    s.close()
    verdict["network"] = True
except Exception:
    verdict["network"] = False
try:
    s = socket.create_connection(("127.0.0.1", 22), timeout=1)
    s.close()
    verdict["host_loopback"] = True
except Exception:
    verdict["host_loopback"] = False
verdict["host_processes_visible"] = len([p for p in os.listdir("/proc") if p.isdigit()]) > 20
try:
    big = bytearray(10 * 1024**3)
    verdict["alloc_10gb"] = True
    del big
except MemoryError:
    verdict["alloc_10gb"] = False
try:
    out = subprocess.run(["id", "-u"], capture_output=True, text=True, timeout=5).stdout.strip()
    verdict["uid_in_sandbox"] = out
except Exception as exc:
    verdict["uid_in_sandbox"] = repr(exc)
print("PROBE:" + json.dumps(verdict))
"""

FORK_BOMB = r"""
import os, time
children = 0
try:
    for _ in range(100000):
        pid = os.fork()
        if pid == 0:
            time.sleep(60)
            os._exit(0)
        children += 1
except OSError as exc:
    print("fork stopped after", children, "children:", type(exc).__name__)
"""


def build(work: Path, dest: Path, probe_paths: dict) -> tuple[list[Submission], list[Case]]:
    """Write every hand-in under ``dest/<id>/`` from ``work``'s release and source."""
    release = work / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    source = work / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    base = _solution_nb(release, source)
    subs: list[Submission] = []
    cases: list[Case] = []

    def add(case: Case, nb=None, *, filename: str | None = None, raw: str | None = None) -> None:
        folder = dest / case.id
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / (filename or release.name)
        if raw is not None:
            target.write_text(raw, encoding="utf-8")
        else:
            nbformat.write(nb, str(target))
        subs.append(Submission(case.id, folder, timestamp="2026-11-20 12:00:00.000000 UTC"))
        cases.append(case)

    def nb_with(**answers):
        nb = copy.deepcopy(base)
        cells = _cells_by_gid(nb)
        for gid, code in answers.items():
            cells[gid].source = code
        return nb

    # --- honest learners: their scores must be exact ------------------------------------------------
    add(Case("honest-solution", "the instructor's solution", FULL, honest=True), copy.deepcopy(base))
    add(
        Case("honest-floor", "rounds log2 down: loses task 3 only", 10, honest=True),
        nb_with(
            answer_anhoej_limits="def anhoej_limits(n):\n    longest_limit = math.floor(math.log2(n)) + 3\n"
            "    k, cdf = 0, 0.0\n    while True:\n        cdf += math.comb(n - 1, k) / 2 ** (n - 1)\n"
            "        if cdf >= 0.05:\n            return longest_limit, k\n        k += 1\n"
        ),
    )
    warn = copy.deepcopy(base)
    _insert_after(
        warn,
        "answer_baseline_median",
        "import warnings, sys\nwarnings.warn('noisy', FutureWarning)\nprint('to stderr', file=sys.stderr)",
    )
    _cells_by_gid(warn)["answer_n_crossings"].source = "import sys\n" + _cells_by_gid(base)[
        "answer_n_crossings"
    ].source.replace("    crossings, side = 0, 0", "    print('counting', file=sys.stderr)\n    crossings, side = 0, 0")
    add(Case("honest-warns", "correct, with warnings and stderr output everywhere", FULL, honest=True), warn)

    # --- runaway code -------------------------------------------------------------------------------
    add(
        Case("h-loop", "an endless loop in task 2", 10, reason=["timeout in answer_after_median"]),
        nb_with(answer_after_median="while True:\n    pass\n"),
    )
    add(
        Case(
            "h-ignore-interrupt",
            "an endless loop that ignores interrupts, in task 2",
            10,
            reason=["answer_after_median", "stopped"],
        ),
        nb_with(
            answer_after_median="import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass\n"
        ),
    )
    exit_nb = copy.deepcopy(base)
    _insert_after(exit_nb, "test_after_median", "import os\nos._exit(3)")
    add(Case("h-exit", "ends its kernel with os._exit after task 2", FULL, reason=["ended the kernel"]), exit_nb)
    kz = copy.deepcopy(base)
    _insert_after(
        kz, "test_after_median", "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nos.kill(-1, signal.SIGKILL)"
    )
    add(
        Case(
            "h-kill-parent", "kills its parent process (the fork server) and everything it can", FULL, reason=["cell"]
        ),
        kz,
    )
    mem = copy.deepcopy(base)
    _insert_after(mem, "test_after_median", "hog = bytearray(10 * 1024**3)")
    _insert_after(mem, "test_longest_run", "import numpy as np\nhog = np.ones((40000, 40000))")
    add(Case("h-memory", "allocates 10 GB (and 12.8 GB with numpy)", FULL), mem)
    flood = copy.deepcopy(base)
    _insert_after(flood, "test_after_median", "s = 'x' * 1_000_000\nfor _ in range(3):\n    print(s)")
    _insert_after(flood, "test_longest_run", "s = 'y' * 4_000_000\nfor _ in range(25):\n    print(s)")
    add(Case("h-flood", "prints 3 MB, then 100 MB", FULL, reason=["MB of output"]), flood)
    fb = copy.deepcopy(base)
    _insert_after(fb, "test_after_median", FORK_BOMB)
    add(Case("h-fork-bomb", "forks until it cannot", FULL), fb)
    disk = copy.deepcopy(base)
    _insert_after(
        disk,
        "test_after_median",
        "import os\nfor folder in ('.', '/tmp', '/dev/shm'):\n    try:\n"
        "        with open(os.path.join(folder, 'fill.bin'), 'wb') as fh:\n"
        "            for _ in range(2048):\n                fh.write(b'0' * (1 << 20))\n"
        "    except OSError as exc:\n        print(folder, 'full:', exc.errno)\n",
    )
    add(Case("h-disk", "fills every folder it can write", FULL), disk)

    # --- structure and metadata --------------------------------------------------------------------
    no_tests = copy.deepcopy(base)
    no_tests.cells = [
        c for c in no_tests.cells if not (c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code")
    ]
    _cells_by_gid(no_tests)["answer_after_median"].source = "after_median = 0.9"
    add(
        Case(
            "h-delete-tests",
            "deletes every test cell, and answers task 2 wrongly",
            10,
            reason=["deleted the locked cell"],
        ),
        no_tests,
    )
    edited = nb_with(answer_after_median="after_median = 0.9")
    for c in edited.cells:
        if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code":
            c.source = "pass"
    add(
        Case(
            "h-edit-tests",
            "replaces every test with `pass`, answers task 2 wrongly",
            10,
            reason=["edited the locked cell"],
        ),
        edited,
    )
    retyped = nb_with(answer_after_median="after_median = 0.9")
    for c in retyped.cells:
        if c.metadata.get("nbgrader", {}).get("grade_id") in ("test_after_median", "test_longest_run"):
            c.cell_type = "markdown"
            c.pop("outputs", None)
            c.pop("execution_count", None)
    add(
        Case(
            "h-cell-types",
            "turns two test cells into markdown, answers task 2 wrongly",
            10,
            reason=["changed the type"],
        ),
        retyped,
    )
    meta = nb_with(answer_after_median="after_median = 0.9")
    cells = _cells_by_gid(meta)
    cells["test_after_median"].metadata["nbgrader"].update(grade=False, locked=False)
    cells["answer_baseline_median"].metadata["nbgrader"].update(grade=True, points=100)
    cells["test_longest_run"].metadata["nbgrader"]["grade_id"] = "test_n_crossings"
    dup = copy.deepcopy(cells["answer_anhoej_limits"])
    dup.source = "def anhoej_limits(n):\n    return (6, 2)\n"
    dup["id"] = "copied-cell"
    meta.cells.insert(meta.cells.index(cells["answer_anhoej_limits"]), dup)
    meta.metadata["kernelspec"] = {"name": "bash", "display_name": "Bash", "language": "bash"}
    add(
        Case(
            "h-metadata",
            "rewrites grading metadata, duplicates a cell, changes the kernel; task 2 wrong",
            10,
            reason=["metadata"],
        ),
        meta,
    )
    moved = copy.deepcopy(base)
    moved.cells = list(reversed(moved.cells))
    add(Case("h-reorder", "reverses the order of all cells", FULL, reason=["moved cells"]), moved)
    add(
        Case("h-rename", "renames the file", FULL, reason=["renamed"]),
        copy.deepcopy(base),
        filename="my answers (final).ipynb",
    )
    add(
        Case("h-bad-json", "hands in a file cut off mid-save", 0, status="failed", reason=["invalid notebook"]),
        raw=json.dumps(nbformat.v4.new_notebook(), indent=1)[:40],
    )
    add(
        Case("h-not-notebook", "hands in JSON that is not a notebook", 0, status="failed", reason=["invalid notebook"]),
        raw='{"hello": "world"}',
    )

    # --- cheating -------------------------------------------------------------------------------------
    add(
        Case("h-cheat-isclose", "wrong task 2; math.isclose always True", 10, reason=["integrity", "math.isclose"]),
        nb_with(answer_after_median="import math\nmath.isclose = lambda *a, **k: True\nafter_median = 0.9"),
    )
    add(
        Case(
            "h-cheat-builtins",
            "wrong tasks 2 and 6; replaces builtins type and float",
            9,
            reason=["integrity", "built-in"],
        ),
        nb_with(
            answer_after_median="import builtins\nafter_median = 0.9\n"
            "builtins.float = lambda x=0: 0.020635950071433942\n",
            answer_baseline_signal="import builtins\nbaseline_signal = 'yes'\nbuiltins.type = lambda *a: bool\n",
        ),
    )
    add(
        Case(
            "h-cheat-shadow",
            "wrong task 2; defines its own float() and type() in the notebook",
            10,
            reason=["integrity", "redefined the built-in"],
        ),
        nb_with(
            answer_after_median="after_median = 'abc'\n"
            "def float(x=0):\n    return 0.020635950071433942\n"
            "def type(x):\n    return __builtins__.float\n"
        ),
    )
    add(
        Case(
            "h-cheat-sysmodules",
            "wrong task 2; a fake math module in sys.modules",
            10,
            reason=["integrity", "sys.modules"],
        ),
        nb_with(
            answer_after_median="import sys, types\nfake = types.ModuleType('math')\n"
            "fake.isclose = lambda *a, **k: True\nfake.log2 = __import__('math').log2\n"
            "fake.comb = __import__('math').comb\nsys.modules['math'] = fake\nafter_median = 0.9"
        ),
    )
    add(
        Case(
            "h-cheat-transformer",
            "wrong tasks 2 and 3; an IPython transformer that deletes every assert",
            8,
            reason=["integrity", "transformer"],
        ),
        nb_with(
            answer_after_median="ip = get_ipython()\n"
            "ip.input_transformers_post.append(lambda lines: [l for l in lines if 'assert' not in l])\n"
            "after_median = 0.9",
            answer_anhoej_limits="def anhoej_limits(n):\n    return (6, 2)\n",
        ),
    )
    add(
        Case(
            "h-cheat-run-cell",
            "wrong task 2; patches the shell so that every later cell runs `pass`",
            10,
            reason=["integrity", "patched the IPython shell"],
        ),
        nb_with(
            answer_after_median="after_median = 0.9\nip = get_ipython()\n"
            "_orig = ip.run_cell\n_orig_async = ip.run_cell_async\n"
            "ip.run_cell = lambda raw_cell, *a, **k: _orig('pass', *a, **k)\n"
            "async def _fake(raw_cell, *a, **k):\n    return await _orig_async('pass', *a, **k)\n"
            "ip.run_cell_async = _fake\n"
        ),
    )
    add(
        Case(
            "h-cheat-hooks",
            "wrong task 2; an IPython hook, a trace function and a silenced traceback",
            10,
            reason=["integrity"],
        ),
        nb_with(
            answer_after_median="import sys\nafter_median = 0.9\n"
            "def _hook(info):\n    sys.settrace(lambda *a: None)\n"
            "get_ipython().events.register('pre_run_cell', _hook)\n"
            "get_ipython().showtraceback = lambda *a, **k: None\n"
        ),
    )
    add(
        Case(
            "h-cheat-thread",
            "wrong task 2; a background thread keeps patching math.isclose",
            10,
            reason=["integrity", "thread"],
        ),
        nb_with(
            answer_after_median="import threading, math, time\nafter_median = 0.9\n"
            "def _patch():\n    while True:\n        math.isclose = lambda *a, **k: True\n        time.sleep(0.0001)\n"
            "threading.Thread(target=_patch, daemon=True).start()\n"
        ),
    )
    add(
        Case(
            "h-rigged-eq",
            "answers with rigged objects (tasks 1, 3; its rigged median also spoils task 6)",
            7,
            reason=["integrity", "own class"],
        ),
        nb_with(
            answer_baseline_median="class Rigged(float):\n    def __eq__(self, other):\n        return True\n"
            "    def __ne__(self, other):\n        return False\n    __hash__ = float.__hash__\n"
            "baseline_median = Rigged(0.5)",
            answer_anhoej_limits="class T(tuple):\n    def __eq__(self, other):\n        return True\n"
            "    __hash__ = tuple.__hash__\n"
            "class I(int):\n    def __eq__(self, other):\n        return True\n    __hash__ = int.__hash__\n"
            "def anhoej_limits(n):\n    return T((I(0), I(0)))\n",
        ),
    )
    add(
        Case(
            "h-inject-result",
            "wrong task 3; its function writes a result value into the test cell",
            10,
            reason=["integrity", "injected"],
        ),
        nb_with(answer_anhoej_limits="def anhoej_limits(n):\n    get_ipython().displayhook(100)\n    return (0, 0)\n"),
    )
    leak = copy.deepcopy(base)
    _insert_after(
        leak,
        "test_anhoej_limits",
        "for src in In:\n    if 'reference_limits' in src or 'isclose' in src:\n        print(src)\n"
        "raise RuntimeError(In[-2])",
    )
    add(
        Case("h-leak-tests", "prints the hidden tests it ran (from IPython's input history) and raises them", FULL),
        leak,
    )

    # --- the sandbox ------------------------------------------------------------------------------------
    probe = copy.deepcopy(base)
    consts = "\n".join(f"{k} = {v!r}" for k, v in probe_paths.items())
    _insert_after(probe, "test_after_median", consts + "\n" + PROBE)
    add(Case("h-sandbox-probe", "tries to read and write everything it should not", FULL, probe=True), probe)
    return subs, cases
