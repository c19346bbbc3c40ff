#!/usr/bin/env python3
"""Install and set up a qikit course server (JupyterHub + nbgrader) on one Linux machine.

Run as root with the system's Python 3.11+ (the environment it creates must be readable by every user)::

    sudo python3 hub/qikit_hub.py install --settings /etc/qikit/hub.toml   # software: venv, proxy, configs
    sudo python3 hub/qikit_hub.py setup   --settings /etc/qikit/hub.toml   # exchange, grader accounts, courses
    sudo python3 hub/qikit_hub.py check   --settings /etc/qikit/hub.toml   # what is in place

``install`` is idempotent and skips steps already done for the same requirements; ``setup`` never
overwrites a course folder, gradebook or submission that is already there. See docs/jupyterhub.md.
Only the standard library is used, so this runs before anything is installed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pwd
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHP_VERSION = "configurable-http-proxy@^5"
COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "artifacts", "out", "__pycache__", "*.pyc", ".pytest_cache", ".mypy_cache", ".ruff_cache",
    "*.egg-info", "release", "submitted", "autograded", "feedback", "gradebook.db", ".ipynb_checkpoints",
    "node_modules",
)


def load_settings(path: str | os.PathLike[str]) -> dict:
    """Read the site settings (see hub/settings.example.toml), with defaults filled in."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    data.setdefault("prefix", "/opt/qikit")
    data.setdefault("state_dir", "/var/lib/qikit-hub")
    data.setdefault("exchange", "/srv/nbgrader/exchange")
    data.setdefault("home_base", "/home")
    data.setdefault("course", [])
    for course in data["course"]:
        course.setdefault("edition", course["id"].rsplit("-", 1)[-1])
        course.setdefault("grader", f"grader-{course['id']}")
        course.setdefault("instructors", [])
        course.setdefault("learners", [])
        course.setdefault("title", course["id"])
    return data


def log(msg: str) -> None:
    """Print a progress line."""
    print(f"qikit-hub: {msg}", flush=True)


def run(cmd: list[str], **kw) -> None:
    """Run a command, showing it; stop on failure."""
    log("$ " + " ".join(cmd))
    subprocess.run(cmd, check=True, **kw)


def _stamp(path: Path, key: str) -> bool:
    return path.is_file() and path.read_text().strip() == key


# ---------------------------------------------------------------------------------------------- install


def global_nbgrader_config(s: dict) -> str:
    """Nbgrader settings for every user: the exchange, one folder per course, access by hub group."""
    titles = {c["id"]: c["title"] for c in s["course"]}
    return (
        "# Written by hub/qikit_hub.py install: nbgrader settings for every user of the course server.\n"
        "c = get_config()  # noqa: F821\n"
        f"c.Exchange.root = {s['exchange']!r}\n"
        "# one exchange for several courses: assignments live under <course id>/ in it and in each home\n"
        "c.Exchange.path_includes_course = True\n"
        "# who may fetch and submit: members of the hub group nbgrader-<course id>\n"
        "c.Authenticator.plugin_class = 'nbgrader.auth.JupyterHubAuthPlugin'\n"
        f"c.NbGrader.course_titles = {titles!r}\n"
    )


def install(s: dict, src: Path | None) -> None:
    """The software: the shared environment, the proxy and the Jupyter settings (idempotent)."""
    prefix = Path(s["prefix"])
    prefix.mkdir(parents=True, exist_ok=True)
    prefix.chmod(0o755)
    repo = prefix / "src"
    if src is not None and src.resolve() != repo.resolve():
        log(f"copying the qikit repository {src} -> {repo}")
        shutil.copytree(src, repo, ignore=COPY_IGNORE, dirs_exist_ok=True)
    if not (repo / "pyproject.toml").is_file():
        sys.exit(f"qikit-hub: no qikit repository at {repo}: clone it there (git clone ... {repo}) or pass --src.")
    reqs = [repo / "pyproject.toml", repo / "hub" / "requirements.txt"]
    key = hashlib.sha256(b"".join(p.read_bytes() for p in reqs) + sys.version.encode()).hexdigest()[:16]
    venv = prefix / "venv"
    if not _stamp(venv / ".qikit-stamp", key):
        if not (venv / "bin" / "python").exists():
            run([sys.executable, "-m", "venv", str(venv)])
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        run([*pip, "--upgrade", "pip"])
        run([*pip, "-e", str(repo), "-r", str(repo / "hub" / "requirements.txt")])
        (venv / ".qikit-stamp").write_text(key + "\n")
    else:
        log(f"{venv}: up to date")
    node = prefix / "node"
    chp = node / "node_modules" / ".bin" / "configurable-http-proxy"
    if not chp.exists():
        if not shutil.which("npm"):
            sys.exit("qikit-hub: npm is missing: apt-get install nodejs npm")
        node.mkdir(exist_ok=True)
        run(["npm", "install", "--prefix", str(node), "--no-audit", "--no-fund", "--loglevel=error", CHP_VERSION])
    else:
        log(f"{chp}: present")
    etc = venv / "etc" / "jupyter"
    etc.mkdir(parents=True, exist_ok=True)
    (etc / "nbgrader_config.py").write_text(global_nbgrader_config(s), encoding="utf-8")
    # Learners' (and instructors' own) servers: no Formgrader and no Create Assignment there; instructors
    # grade in the course's Formgrader service. JupyterHub points their servers at this config folder.
    learner = prefix / "etc" / "learner-jupyter"
    (learner / "labconfig").mkdir(parents=True, exist_ok=True)
    (learner / "jupyter_server_config.d").mkdir(parents=True, exist_ok=True)
    (learner / "labconfig" / "page_config.json").write_text(json.dumps({"disabledExtensions": {
        "@jupyter/nbgrader:formgrader": True, "@jupyter/nbgrader:create-assignment": True}}, indent=1))
    (learner / "jupyter_server_config.d" / "qikit-learner.json").write_text(json.dumps({"ServerApp": {
        "jpserver_extensions": {"nbgrader.server_extensions.formgrader": False}}}, indent=1))
    for p in (prefix / "etc", learner, learner / "labconfig", learner / "jupyter_server_config.d"):
        p.chmod(0o755)
    log("install: done")


# ---------------------------------------------------------------------------------------------- setup


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def ensure_user(name: str, home_base: str, *, system: bool) -> None:
    """Create a Linux account unless it exists."""
    if _user_exists(name):
        return
    cmd = ["useradd", "--create-home", "--base-dir", home_base, "--shell", "/bin/bash"]
    if system:
        cmd += ["--system", "--shell", "/usr/sbin/nologin", "--home-dir", str(Path(home_base) / name)]
    run([*cmd, name])


def grader_config(course: dict, home: Path) -> str:
    """The grader account's nbgrader_config.py: the course root, its id and its gradebook."""
    root = home / "course" / course["edition"]
    return (
        f"# Written by hub/qikit_hub.py setup: the Formgrader of {course['id']} (runs as {course['grader']}).\n"
        "import os\n\n"
        "c = get_config()  # noqa: F821\n"
        f"load_subconfig({str(root / 'nbgrader_config.py')!r})  # noqa: F821 -- the course's own settings\n"
        f"c.CourseDirectory.root = {str(root)!r}\n"
        f"c.CourseDirectory.course_id = {course['id']!r}\n"
        "# one gradebook per course: PostgreSQL when the hub passes a URL, else sqlite in the course folder\n"
        f"c.CourseDirectory.db_url = os.environ.get('QIKIT_GRADEBOOK_URL') or 'sqlite:///{root}/gradebook.db'\n"
    )


def setup(s: dict, create_local_users: bool) -> None:
    """Exchange folder, grader accounts and their course folders (never overwritten)."""
    repo = Path(s["prefix"]) / "src"
    exchange = Path(s["exchange"])
    exchange.mkdir(parents=True, exist_ok=True)
    exchange.chmod(0o1777)  # everyone writes; the sticky bit keeps users from deleting each other's files
    for parent in exchange.parents:
        if parent == Path("/"):
            break
        if parent.stat().st_mode & 0o005 != 0o005:
            log(f"warning: {parent} is not world-readable: learners cannot reach the exchange")
    Path(s["home_base"]).mkdir(parents=True, exist_ok=True)
    for course in s["course"]:
        ensure_user(course["grader"], s["home_base"], system=True)
        pw = pwd.getpwnam(course["grader"])
        home = Path(pw.pw_dir)
        home.mkdir(parents=True, exist_ok=True)
        course_dir = home / "course"
        if not (course_dir / course["edition"] / "source").is_dir():
            log(f"{course['id']}: copying the course into {course_dir}")
            (course_dir).mkdir(exist_ok=True)
            shutil.copy2(repo / "course" / "nbgrader_config.py", course_dir / "nbgrader_config.py")
            shutil.copytree(repo / "course" / course["edition"], course_dir / course["edition"], ignore=COPY_IGNORE,
                            dirs_exist_ok=True)
        else:
            log(f"{course['id']}: {course_dir} exists; left as it is (update source/ from git by hand)")
        (home / "nbgrader_config.py").write_text(grader_config(course, home), encoding="utf-8")
        run(["chown", "-R", f"{pw.pw_uid}:{pw.pw_gid}", str(home)])
        home.chmod(0o700)  # solutions, hidden tests and the gradebook stay with the grader account
    if create_local_users:
        users = sorted({u for c in s["course"] for u in c["instructors"] + c["learners"]}
                       | set(s.get("admin_users", [])))
        for user in users:
            ensure_user(user, s["home_base"], system=False)
    log("setup: done")


# ---------------------------------------------------------------------------------------------- check


def check(s: dict) -> int:
    """Print what is in place; 0 when everything is."""
    prefix = Path(s["prefix"])
    problems = []
    items = {
        "environment": prefix / "venv" / "bin" / "jupyterhub",
        "single-user server": prefix / "venv" / "bin" / "jupyterhub-singleuser",
        "proxy": prefix / "node" / "node_modules" / ".bin" / "configurable-http-proxy",
        "nbgrader settings": prefix / "venv" / "etc" / "jupyter" / "nbgrader_config.py",
        "exchange": Path(s["exchange"]),
    }
    for name, path in items.items():
        ok = path.exists()
        print(f"  [{'ok' if ok else '--'}] {name}: {path}")
        if not ok:
            problems.append(name)
    if Path(s["exchange"]).exists() and (Path(s["exchange"]).stat().st_mode & 0o1777) != 0o1777:
        problems.append("exchange permissions (want 1777)")
    for course in s["course"]:
        ok = _user_exists(course["grader"])
        print(f"  [{'ok' if ok else '--'}] {course['id']}: grader account {course['grader']}")
        if not ok:
            problems.append(course["grader"])
    print("all in place" if not problems else f"missing: {', '.join(problems)}")
    return 0 if not problems else 1


def main(argv: list[str] | None = None) -> int:
    """The command line (see the module docstring)."""
    parser = argparse.ArgumentParser(prog="qikit_hub.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("install", "setup", "check"))
    parser.add_argument("--settings", default=os.environ.get("QIKIT_HUB_SETTINGS", "/etc/qikit/hub.toml"))
    parser.add_argument("--src", help="install: copy the qikit repository from here into PREFIX/src")
    parser.add_argument("--create-local-users", action="store_true",
                        help="setup: also create local Linux accounts for the instructors and learners")
    args = parser.parse_args(argv)
    s = load_settings(args.settings)
    if args.command != "check" and os.geteuid() != 0:
        sys.exit("qikit-hub: run as root (sudo): it creates accounts, folders and a shared environment.")
    if args.command == "install":
        install(s, Path(args.src) if args.src else None)
    elif args.command == "setup":
        setup(s, args.create_local_users)
    else:
        return check(s)
    return 0


if __name__ == "__main__":
    sys.exit(main())
