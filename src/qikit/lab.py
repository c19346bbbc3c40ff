"""``qikit lab``: JupyterLab on a learner's workspace (or, for instructors, on the course), and ``qikit lite``.

::

    qikit lab [--edition nb|en] [--dir DIR] [--port N] [--no-browser] [--instructor] [--prepare-only]
    qikit lite build [--edition nb|en|all] [--out DIR]

**Learners.** ``qikit lab`` prepares a workspace (default ``~/qikit-<edition>``) and starts JupyterLab in it:

* ``notebooks/``: copies of the self-paced notebooks of the edition;
* ``<assignment>/<assignment>.ipynb``: the learner version of every assignment (nbgrader's
  ``generate_assignment``: solutions and hidden tests removed), exactly where nbgrader's *Fetch* would put it;
* ``nbgrader_config.py``: the course id and an exchange folder, so the *Assignment List* works; the released
  assignments are also placed in that local exchange, so a self-learner sees them there and can *Submit*;
* ``progress.ipynb`` (``framgang.ipynb`` in bokmål): the progress overview in one cell;
* ``.qikit/``: the workspace marker and the last self-check results.

Files already in the workspace are **never overwritten**: a learner's work is kept, and the command says so.

**Instructors.** ``qikit lab --instructor`` starts JupyterLab in the course root (``course/<edition>``), where
nbgrader's *Formgrader* works (generate, release, collect, autograde, feedback), with the same exchange folder.

**JupyterLite.** ``qikit lite build`` writes a static JupyterLite site of the self-paced notebooks (Python runs
in the browser with Pyodide; see ``docs/jupyterlite.md``).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

EDITIONS = ("nb", "en")
CONFIG_MARKER = "# Written by `qikit lab`"
_SKIP_PARTS = {".ipynb_checkpoints", "__pycache__", ".DS_Store"}


class LabError(RuntimeError):
    """A problem the user can fix (``qikit lab`` prints it and exits with status 2)."""


# --------------------------------------------------------------------------------------------------
# Where things are


def find_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The qikit repository (the folder with ``course/``): ``explicit``, ``$QIKIT_HOME``, the install, the cwd."""
    here = Path(__file__).resolve()
    candidates = [explicit, os.environ.get("QIKIT_HOME"), here.parents[2], Path.cwd()]
    for candidate in candidates:
        if candidate and (Path(candidate) / "course" / "nbgrader_config.py").is_file():
            return Path(candidate).resolve()
    raise LabError(
        "cannot find the qikit course (a folder with course/nbgrader_config.py). Install qikit from a clone "
        "of its repository (make install, or pip install -e .), run the command inside the clone, or set "
        "QIKIT_HOME to the clone's folder."
    )


def _xdg(var: str, default: str) -> Path:
    value = os.environ.get(var, "").strip()
    return Path(value).expanduser() if value else Path.home() / default


def cache_dir() -> Path:
    """``$QIKIT_CACHE``, else ``$XDG_CACHE_HOME/qikit`` (``~/.cache/qikit``)."""
    value = os.environ.get("QIKIT_CACHE", "").strip()
    return Path(value).expanduser() if value else _xdg("XDG_CACHE_HOME", ".cache") / "qikit"


def default_exchange() -> Path:
    """``$QIKIT_EXCHANGE``, else ``$XDG_DATA_HOME/qikit/exchange`` (``~/.local/share/qikit/exchange``)."""
    value = os.environ.get("QIKIT_EXCHANGE", "").strip()
    return Path(value).expanduser() if value else _xdg("XDG_DATA_HOME", ".local/share") / "qikit" / "exchange"


def course_id(edition: str) -> str:
    """The nbgrader course id of an edition (``qikit-nb``, ``qikit-en``)."""
    return f"qikit-{edition}"


def assignment_ids(home: Path, edition: str) -> list[str]:
    """Every assignment of an edition: the folders of ``course/<edition>/source`` that hold a notebook."""
    source = home / "course" / edition / "source"
    if not source.is_dir():
        return []
    return sorted(p.name for p in source.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.rglob("*")
        if p.is_file() and not (_SKIP_PARTS & set(p.relative_to(folder).parts))
    )


def selfpaced_notebooks(home: Path, edition: str) -> list[Path]:
    """The self-paced notebooks of an edition (``notebooks/<edition>/**.ipynb``); may be empty."""
    return [p for p in _files(home / "notebooks" / edition) if p.suffix == ".ipynb"]


# --------------------------------------------------------------------------------------------------
# Learner versions of the assignments (nbgrader generate_assignment, cached)


def _venv_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    bindir = str(Path(sys.executable).parent)
    parts = env.get("PATH", "").split(os.pathsep)
    if bindir not in parts:  # nbgrader runs `alembic`; jupyter finds its kernels and commands here
        env["PATH"] = os.pathsep.join([bindir, *parts])
    env.update(extra or {})
    return env


def _digest(paths: list[Path], root: Path) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    with contextlib.suppress(Exception):
        from importlib.metadata import version

        h.update(version("nbgrader").encode())
    return h.hexdigest()[:16]


_GENERATE = r"""
import json, sys
from nbgrader.apps import NbGraderAPI
from nbgrader.apps.baseapp import NbGrader
app = NbGrader()
app.load_config_file()
api = NbGraderAPI(config=app.config)
results = {}
for aid in sys.argv[1:]:
    r = api.generate_assignment(aid)
    results[aid] = {"success": bool(r.get("success")), "error": r.get("error", "")[-3000:]}
print("QIKIT-RESULT " + json.dumps(results))
"""


def released_assignments(
    home: Path, edition: str, *, cache: Path | None = None, only: list[str] | None = None, log=print
) -> dict[str, Path]:
    """The learner version of every assignment of ``edition``: ``{assignment_id: folder}``.

    Built with nbgrader's ``generate_assignment`` in a temporary copy of the course (so the instructor's
    course folder and gradebook are never touched) and cached by the hash of the sources and configuration.
    """
    cache = (cache or cache_dir()) / "releases" / edition
    course = home / "course"
    configs = [course / "nbgrader_config.py", course / edition / "nbgrader_config.py"]
    found: dict[str, Path] = {}
    todo: dict[str, Path] = {}
    for aid in assignment_ids(home, edition):
        if only is not None and aid not in only:
            continue
        key = _digest(configs + _files(course / edition / "source" / aid), course)
        target = cache / f"{aid}-{key}"
        if (target / ".qikit-complete").is_file():
            found[aid] = target
        else:
            todo[aid] = target
    if not todo:
        return found
    log(f"  building the learner versions of {', '.join(todo)} with nbgrader (once; cached in {cache}) ...")
    with tempfile.TemporaryDirectory(prefix="qikit-release-") as tmp:
        tcourse = Path(tmp) / "course"
        (tcourse / edition / "source").mkdir(parents=True)
        shutil.copy2(course / "nbgrader_config.py", tcourse / "nbgrader_config.py")
        shutil.copy2(course / edition / "nbgrader_config.py", tcourse / edition / "nbgrader_config.py")
        for aid in todo:
            shutil.copytree(course / edition / "source" / aid, tcourse / edition / "source" / aid,
                            ignore=shutil.ignore_patterns(*_SKIP_PARTS))
        proc = subprocess.run(
            [sys.executable, "-c", _GENERATE, *todo],
            cwd=tcourse / edition,
            env=_venv_env({"PYTHONWARNINGS": "ignore"}),
            capture_output=True,
            text=True,
            timeout=600,
        )
        line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("QIKIT-RESULT ")), "")
        if not line:
            raise LabError(f"nbgrader generate_assignment failed:\n{(proc.stderr or proc.stdout)[-3000:]}")
        results = json.loads(line.split(" ", 1)[1])
        for aid, target in todo.items():
            built = tcourse / edition / "release" / aid
            if not results.get(aid, {}).get("success") or not built.is_dir():
                # one broken assignment must not keep a learner from the others
                error = results.get(aid, {}).get("error", "").strip().splitlines()
                log(f"  warning: nbgrader could not generate {aid}; it is left out "
                    f"({error[-1] if error else 'no details'})")
                continue
            for old in cache.glob(f"{aid}-*"):
                shutil.rmtree(old, ignore_errors=True)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(built, target)
            (target / ".qikit-complete").write_text("ok\n")
            found[aid] = target
    return found


# --------------------------------------------------------------------------------------------------
# The learner's workspace


@dataclass
class Workspace:
    """What :func:`prepare_workspace` did."""

    path: Path
    edition: str
    course_id: str
    exchange: Path
    assignments: list[str] = field(default_factory=list)
    selfpaced: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def _copy_new(src: Path, dst: Path, ws: Workspace) -> None:
    rel = dst.relative_to(ws.path).as_posix()
    if dst.exists():
        ws.kept.append(rel)
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dst)
    ws.added.append(rel)


def _nbgrader_config(edition: str, exchange: Path) -> str:
    return (
        f"{CONFIG_MARKER} for the {edition} edition of the qikit course. It is rewritten when you run\n"
        "# `qikit lab` again, unless you remove the first line (then it is yours and left alone).\n"
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = {course_id(edition)!r}\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
        "c.Exchange.path_includes_course = False\n"
    )


_PROGRESS_NB = {
    "nb": ("framgang.ipynb", "# Min framgang\n\nKjør cellen under for å se hvilke moduler og oppgaver du har gjort. "
           "Oppgavene telles fra den siste egensjekken (`qikit check` eller `check()` i oppgaven)."),
    "en": ("progress.ipynb", "# My progress\n\nRun the cell below to see which modules and tasks you have done. "
           "Assignments count from their last self-check (`qikit check`, or `check()` in the assignment)."),
}


def _progress_notebook(edition: str) -> str:
    import nbformat

    _, text = _PROGRESS_NB[edition]
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(text),
        nbformat.v4.new_code_cell("from qikit.progress import progress\n\nprogress()"),
    ]
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata["qikit"] = {"edition": edition}
    return nbformat.writes(nb)


def prepare_workspace(
    home: Path,
    edition: str,
    path: Path,
    *,
    exchange: Path | None = None,
    cache: Path | None = None,
    assignments: list[str] | None = None,
    log=print,
) -> Workspace:
    """Create or update a learner workspace; never overwrite a file that is already there.

    ``assignments`` limits the assignments copied in (default: all of the edition).
    """
    exchange = (exchange or default_exchange()).expanduser().resolve()
    path = path.expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    ws = Workspace(path=path, edition=edition, course_id=course_id(edition), exchange=exchange)

    # self-paced notebooks, with the files next to them
    src_root = home / "notebooks" / edition
    for f in _files(src_root):
        _copy_new(f, path / "notebooks" / f.relative_to(src_root), ws)
    ws.selfpaced = [p.relative_to(src_root).as_posix() for p in selfpaced_notebooks(home, edition)]

    # learner versions of the assignments, where nbgrader's Fetch would put them
    releases = released_assignments(home, edition, cache=cache, only=assignments, log=log)
    outbound = exchange / ws.course_id / "outbound"
    for aid, folder in releases.items():
        for f in _files(folder):
            if f.name == ".qikit-complete":
                continue
            _copy_new(f, path / aid / f.relative_to(folder), ws)
        # the local exchange: released assignments appear in the Assignment List (never overwritten either)
        if not (outbound / aid).exists():
            outbound.mkdir(parents=True, exist_ok=True)
            shutil.copytree(folder, outbound / aid, ignore=shutil.ignore_patterns(".qikit-complete"))
    ws.assignments = sorted(releases)
    for sub in ("inbound", "feedback"):
        (exchange / ws.course_id / sub).mkdir(parents=True, exist_ok=True)
    outbound.mkdir(parents=True, exist_ok=True)

    # nbgrader configuration for the Assignment List and Validate
    cfg = path / "nbgrader_config.py"
    text = _nbgrader_config(edition, exchange)
    if not cfg.exists() or cfg.read_text(encoding="utf-8").startswith(CONFIG_MARKER):
        cfg.write_text(text, encoding="utf-8")
    else:
        log(f"  note: {cfg} is your own (no qikit marker), so it was left alone.")

    # progress notebook and the workspace marker
    name, _ = _PROGRESS_NB[edition]
    if not (path / name).exists():
        (path / name).write_text(_progress_notebook(edition), encoding="utf-8")
        ws.added.append(name)
    marker = path / ".qikit" / "workspace.json"
    marker.parent.mkdir(exist_ok=True)
    marker.write_text(
        json.dumps({"edition": edition, "course_id": ws.course_id, "home": str(home), "exchange": str(exchange)},
                   indent=1),
        encoding="utf-8",
    )
    return ws


def describe(ws: Workspace) -> str:
    """What :func:`prepare_workspace` did, for people."""
    lines = [f"qikit lab: workspace {ws.path} ({'bokmål' if ws.edition == 'nb' else 'English'} edition, "
             f"course id {ws.course_id})"]
    lines.append(f"  assignments: {', '.join(ws.assignments) or 'none yet'}")
    lines.append(f"  self-paced notebooks (in notebooks/): {len(ws.selfpaced) or 'none yet'}")
    if ws.added:
        lines.append(f"  copied {len(ws.added)} new file(s): {', '.join(ws.added[:8])}"
                     + (" ..." if len(ws.added) > 8 else ""))
    if ws.kept:
        lines.append(f"  kept {len(ws.kept)} file(s) that were already there (your work is never overwritten): "
                     + ", ".join(ws.kept[:8]) + (" ..." if len(ws.kept) > 8 else ""))
        lines.append("  (to get a fresh copy of a file, rename or delete yours and run `qikit lab` again)")
    lines.append(f"  nbgrader: Assignment List and Validate use {ws.path / 'nbgrader_config.py'}; "
                 f"exchange folder {ws.exchange}")
    lines.append(f"  check your work: `qikit check <assignment>/<assignment>.ipynb`, or Validate in the toolbar; "
                 f"progress: open {_PROGRESS_NB[ws.edition][0]}")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# Starting JupyterLab


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def lab_command(root: Path, *, port: int | None, no_browser: bool, extra: list[str] | None = None) -> list[str]:
    """The ``jupyter lab`` command line for a server on ``root``."""
    cmd = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={root}"]
    if port:
        cmd += [f"--ServerApp.port={port}"]
    if no_browser:
        cmd += ["--no-browser"]
    if _is_root():
        cmd += ["--allow-root"]  # JupyterLab refuses to run as root without it
    return cmd + list(extra or [])


def instructor_setup(home: Path, edition: str, exchange: Path) -> tuple[Path, dict[str, str]]:
    """The course root and environment for an instructor's server (Formgrader + the exchange)."""
    root = home / "course" / edition
    if not (root / "nbgrader_config.py").is_file():
        raise LabError(f"{root} is not an nbgrader course root (no nbgrader_config.py).")
    for sub in ("inbound", "outbound", "feedback"):
        (exchange / course_id(edition) / sub).mkdir(parents=True, exist_ok=True)
    # The course's own config has no exchange folder; add one through an extra Jupyter config folder,
    # which nbgrader's Formgrader, Assignment List and command line all read.
    conf = exchange.parent / "jupyter-config"
    conf.mkdir(parents=True, exist_ok=True)
    (conf / "nbgrader_config.py").write_text(
        f"{CONFIG_MARKER} --instructor.\nc = get_config()  # noqa: F821\n"
        f"c.Exchange.root = {str(exchange)!r}\n",
        encoding="utf-8",
    )
    paths = [str(conf), *[p for p in os.environ.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep) if p]]
    return root, {"JUPYTER_CONFIG_PATH": os.pathsep.join(paths)}


def _parser() -> argparse.ArgumentParser:
    from qikit.i18n import default_lang

    parser = argparse.ArgumentParser(
        prog="qikit lab",
        description="Start JupyterLab on your qikit workspace: the self-paced notebooks and the assignments of "
        "one edition, with nbgrader's Validate and Assignment List (and the Formgrader with --instructor).",
    )
    parser.add_argument("--edition", choices=EDITIONS, default=default_lang(),
                        help="nb (bokmål) or en (English); default $QIKIT_LANG or nb")
    parser.add_argument("--dir", help="the workspace folder (default ~/qikit-<edition>)")
    parser.add_argument("--port", type=int, help="the port for JupyterLab (default: the first free from 8888)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    parser.add_argument("--instructor", action="store_true",
                        help="open the course root (course/<edition>) with the Formgrader instead")
    parser.add_argument("--exchange", help="nbgrader exchange folder (default ~/.local/share/qikit/exchange)")
    parser.add_argument("--home", help="the qikit repository (default: where qikit is installed from)")
    parser.add_argument("--prepare-only", action="store_true",
                        help="prepare the workspace and print the command, but do not start JupyterLab")
    return parser


def main(argv: list[str] | None = None) -> int:
    """``qikit lab``: see the module docstring. Returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["lite"]:  # `qikit lab lite build` until `qikit lite` has its own entry
        return lite_main(args_list[1:])
    try:
        args = _parser().parse_args(args_list)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        home = find_home(args.home)
        exchange = Path(args.exchange).expanduser().resolve() if args.exchange else default_exchange()
        if args.instructor:
            root, extra_env = instructor_setup(home, args.edition, exchange)
            print(f"qikit lab --instructor: course root {root} (course id {course_id(args.edition)})")
            print(f"  Formgrader: Nbgrader menu -> Formgrader; exchange folder {exchange}")
            print("  generated folders (release/, submitted/, autograded/, feedback/, gradebook.db) are not in git")
        else:
            ws_path = Path(args.dir) if args.dir else Path.home() / f"qikit-{args.edition}"
            ws = prepare_workspace(home, args.edition, ws_path, exchange=exchange)
            print(describe(ws))
            root, extra_env = ws.path, {}
    except LabError as exc:
        print(f"qikit lab: {exc}", file=sys.stderr)
        return 2
    cmd = lab_command(root, port=args.port, no_browser=args.no_browser)
    env = _venv_env({"QIKIT_LANG": args.edition, **extra_env})
    if args.prepare_only:
        print("  to start it: " + " ".join(cmd))
        return 0
    print("  starting: " + " ".join(cmd))
    print("  stop JupyterLab with Ctrl+C (twice) in this window.", flush=True)
    try:
        return subprocess.call(cmd, cwd=root, env=env)
    except KeyboardInterrupt:
        return 0


# --------------------------------------------------------------------------------------------------
# JupyterLite: a static site of the self-paced notebooks



LITE_SETUP_CELL = {
    "nb": "# Bare i JupyterLite (Python i nettleseren): installer pakkene. Tar litt tid første gang.\n",
    "en": "# JupyterLite only (Python in the browser): install the packages. Takes a while the first time.\n",
}
LITE_SETUP_CODE = (
    "import sys\n"
    "if sys.platform == \"emscripten\":\n"
    "    import os\n"
    "    import piplite\n"
    "    await piplite.install([\"numpy\", \"pandas\", \"matplotlib\", \"ipywidgets\"])\n"
    "    await piplite.install(\"qikit\", deps=False)\n"
    "    import qikit\n"
    "    datasets = os.path.join(os.path.dirname(qikit.__file__), \"_data\", \"datasets\")\n"
    "    os.environ.setdefault(\"QIKIT_DATASETS\", datasets)\n"
)


def lite_notebook(path: Path, edition: str) -> str:
    """A self-paced notebook made ready for JupyterLite: Pyodide kernel and a first set-up cell."""
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    nb.metadata["kernelspec"] = {"name": "python", "display_name": "Python (Pyodide)", "language": "python"}
    nb.metadata.setdefault("qikit", {}).setdefault("edition", edition)
    cell = nbformat.v4.new_code_cell(LITE_SETUP_CELL[edition] + LITE_SETUP_CODE)
    cell.metadata["tags"] = ["qikit-lite-setup"]
    nb.cells.insert(0, cell)
    nb.nbformat_minor = max(int(nb.get("nbformat_minor", 5)), 5)  # cell ids
    for i, c in enumerate(nb.cells):
        c.setdefault("id", f"qikit-{i}")
        if c.get("cell_type") == "code":
            c["outputs"], c["execution_count"] = [], None
    return nbformat.writes(nb)


def _record_line(name: str, data: bytes) -> list[str]:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return [name, f"sha256={digest}", str(len(data))]


def build_qikit_wheel(home: Path, out: Path) -> Path:
    """A pure-Python wheel of qikit for Pyodide, with the datasets inside (``qikit/_data/datasets``).

    Built directly from the source tree (no build backend, no network). It declares no dependencies:
    JupyterLite's set-up cell installs numpy, pandas, matplotlib and ipywidgets itself.
    """
    from qikit import __version__

    src = home / "src" / "qikit"
    name = f"qikit-{__version__}-py3-none-any.whl"
    dist = f"qikit-{__version__}.dist-info"
    out.mkdir(parents=True, exist_ok=True)
    target = out / name
    records: list[list[str]] = []
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        def add(arcname: str, data: bytes) -> None:
            info = zipfile.ZipInfo(arcname, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
            records.append(_record_line(arcname, data))

        for f in _files(src):
            if f.suffix in (".pyc",):
                continue
            add("qikit/" + f.relative_to(src).as_posix(), f.read_bytes())
        for f in _files(home / "datasets"):
            add("qikit/_data/datasets/" + f.relative_to(home / "datasets").as_posix(), f.read_bytes())
        add(f"{dist}/METADATA", (
            f"Metadata-Version: 2.1\nName: qikit\nVersion: {__version__}\n"
            "Summary: qikit for JupyterLite (Pyodide): the library and its datasets\n").encode())
        add(f"{dist}/WHEEL", b"Wheel-Version: 1.0\nGenerator: qikit.lab\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerows(records)
        writer.writerow([f"{dist}/RECORD", "", ""])
        info = zipfile.ZipInfo(f"{dist}/RECORD", date_time=(2020, 1, 1, 0, 0, 0))
        info.external_attr = 0o644 << 16
        zf.writestr(info, buf.getvalue())
    return target


def lite_venv(home: Path, *, venv: Path | None = None, log=print) -> Path:
    """A separate virtual environment with JupyterLite's build tools (``lite/requirements.txt``).

    Separate because ``jupyter lite build`` bundles every JupyterLab extension it finds in its environment,
    and nbgrader's extensions would not work in the browser.
    """
    reqs = home / "lite" / "requirements.txt"
    key = hashlib.sha256(reqs.read_bytes() + sys.version.encode()).hexdigest()[:12]
    venv = venv or Path(os.environ.get("QIKIT_LITE_VENV", "") or cache_dir() / "lite-venv")
    stamp = venv / ".qikit-stamp"
    if stamp.is_file() and stamp.read_text().strip() == key:
        return venv
    log(f"qikit lite: installing the JupyterLite build tools into {venv} (once) ...")
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "-r", str(reqs)], check=True)
    stamp.write_text(key + "\n")
    return venv


def build_lite(
    home: Path,
    out: Path,
    *,
    editions: tuple[str, ...] = EDITIONS,
    notebooks: dict[str, Path] | None = None,
    venv: Path | None = None,
    log=print,
) -> Path:
    """Build the JupyterLite site of the self-paced notebooks into ``out``; return ``out``.

    ``notebooks`` maps an edition to a folder of notebooks to use instead of ``notebooks/<edition>``.
    """
    venv = lite_venv(home, venv=venv, log=log)
    out = out.expanduser().resolve()
    with tempfile.TemporaryDirectory(prefix="qikit-lite-") as tmp:
        stage = Path(tmp)
        shutil.copy2(home / "lite" / "jupyter-lite.json", stage / "jupyter-lite.json")
        if (home / "lite" / "jupyter_lite_config.json").is_file():
            shutil.copy2(home / "lite" / "jupyter_lite_config.json", stage / "jupyter_lite_config.json")
        contents = stage / "contents"
        contents.mkdir()
        count = 0
        for ed in editions:
            folder = (notebooks or {}).get(ed, home / "notebooks" / ed)
            for f in _files(folder):
                dst = contents / ed / f.relative_to(folder)
                dst.parent.mkdir(parents=True, exist_ok=True)
                if f.suffix == ".ipynb":
                    dst.write_text(lite_notebook(f, ed), encoding="utf-8")
                    count += 1
                else:
                    shutil.copy2(f, dst)
        readme = home / "lite" / "README.md"
        if readme.is_file():
            shutil.copy2(readme, contents / "README.md")
        wheel = build_qikit_wheel(home, stage / "wheels")
        cmd = [str(venv / "bin" / "jupyter"), "lite", "build", "--lite-dir", str(stage),
               "--contents", str(contents), "--output-dir", str(out), "--piplite-wheels", str(wheel)]
        log(f"qikit lite: {count} notebook(s) for {', '.join(editions)}; running jupyter lite build ...")
        env = dict(os.environ)
        env.pop("JUPYTER_CONFIG_DIR", None)
        env["PATH"] = os.pathsep.join([str(venv / "bin"), env.get("PATH", "")])
        proc = subprocess.run(cmd, cwd=stage, env=env, capture_output=True, text=True, timeout=600)
        if proc.returncode != 0:
            raise LabError(f"jupyter lite build failed:\n{(proc.stdout + proc.stderr)[-4000:]}")
    log(f"qikit lite: site written to {out} (serve it as static files; see docs/jupyterlite.md)")
    return out


def lite_main(argv: list[str] | None = None) -> int:
    """``qikit lite build [--edition nb|en|all] [--out DIR]``."""
    parser = argparse.ArgumentParser(prog="qikit lite", description="Build the JupyterLite site (no-install route).")
    sub = parser.add_subparsers(dest="command")
    build = sub.add_parser("build", help="build the static JupyterLite site of the self-paced notebooks")
    build.add_argument("--edition", choices=(*EDITIONS, "all"), default="all")
    build.add_argument("--out", default="out/lite", help="output folder (default %(default)s)")
    build.add_argument("--home", help="the qikit repository (default: where qikit is installed from)")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.command != "build":
        parser.print_help()
        return 2
    try:
        home = find_home(args.home)
        editions = EDITIONS if args.edition == "all" else (args.edition,)
        build_lite(home, Path(args.out), editions=editions)
    except (LabError, subprocess.CalledProcessError) as exc:
        print(f"qikit lite: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
