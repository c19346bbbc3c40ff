"""End-to-end on loopback: a qikit course server (JupyterHub + nbgrader) from hub/, one course cycle.

The test installs everything itself with the same installer an IT department uses (hub/qikit_hub.py:
a shared environment with JupyterHub from PyPI and configurable-http-proxy from npm, cached between runs
in /var/tmp/qikit-hub-test/prefix), creates local Linux users, starts the hub with hub/jupyterhub_config.py
(DummyAuthenticator with a test password instead of PAM), and then, over HTTP through the proxy:

* a learner logs in; the instructor's and the learner's servers spawn as their own Linux users;
* the instructor generates and releases m05-run-charts in the course's Formgrader service;
* the learner fetches it (nbgrader Assignment List handlers), works (the solution), validates and submits;
* the instructor collects, autogrades (12 of 12 automatic points), generates and releases feedback;
* the learner fetches the feedback: it shows the score and no hidden tests.

Needs root (users, setuid spawning), npm and a world-readable Python 3.11+ (Debian's /usr/bin/python3).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from tests.learner.helpers import REFLECTION, solution_code, source_notebook

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow

BASE = Path(os.environ.get("QIKIT_HUB_TEST_BASE", "/var/tmp/qikit-hub-test"))
COURSE, EDITION, ASSIGNMENT = "qikit-en", "en", "m05-run-charts"
GRADER, INSTRUCTOR, LEARNER = "qkt-grader-en", "qkt-instr", "qkt-learner"
USERS = (GRADER, INSTRUCTOR, LEARNER)
T0 = time.monotonic()


def log(msg: str) -> None:
    print(f"[{time.monotonic() - T0:6.1f}s] {msg}", flush=True)


def system_python() -> str | None:
    """A Python 3.11+ that every user can run (the venv it makes is shared by all users)."""
    for candidate in (os.environ.get("QIKIT_HUB_PYTHON"), "/usr/bin/python3", sys.executable):
        if not candidate or not Path(candidate).exists():
            continue
        probe = subprocess.run(
            ["runuser", "-u", "nobody", "--", candidate, "-c",
             "import sys, venv, ensurepip; assert sys.version_info >= (3, 11)"],
            capture_output=True)
        if probe.returncode == 0:
            return candidate
    return None


def free_port() -> int:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _kill_user_processes(user: str) -> None:
    """End the processes the hub started as a test user (by pid, found in /proc)."""
    import pwd

    try:
        uid = pwd.getpwnam(user).pw_uid
    except KeyError:
        return
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if proc.stat().st_uid == uid:
                os.kill(int(proc.name), signal.SIGKILL)
        except (OSError, ProcessLookupError):
            pass


def _remove_users() -> None:
    for user in USERS:
        _kill_user_processes(user)
        subprocess.run(["userdel", "--remove", user], capture_output=True)
        subprocess.run(["groupdel", user], capture_output=True)


def start_postgres(run_dir: Path) -> tuple[str, subprocess.Popen] | None:
    """A throwaway PostgreSQL on loopback for the course's gradebook (None when PostgreSQL is missing)."""
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not bins or not shutil.which("runuser"):
        return None
    bindir = bins[-1].parent
    data = run_dir / "pg"
    data.mkdir()
    shutil.chown(data, "postgres", "postgres")
    subprocess.run(["runuser", "-u", "postgres", "--", str(bindir / "initdb"), "-D", str(data), "-A", "trust",
                    "-U", "postgres"], check=True, capture_output=True)
    port = free_port()
    proc = subprocess.Popen(["runuser", "-u", "postgres", "--", str(bindir / "postgres"), "-D", str(data), "-p",
                             str(port), "-k", str(data), "-h", "127.0.0.1"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    for _ in range(100):
        ok = subprocess.run([str(bindir / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)], capture_output=True)
        if ok.returncode == 0:
            break
        time.sleep(0.2)
    subprocess.run(["runuser", "-u", "postgres", "--", str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port),
                    "qikit_en"], check=True)
    return f"postgresql+psycopg2://postgres@127.0.0.1:{port}/qikit_en", proc


class Hub:
    def __init__(self, base_url: str, token: str, proc: subprocess.Popen, run_dir: Path, log_file: Path):
        import requests

        self.base, self.token, self.proc, self.run_dir, self.log_file = base_url, token, proc, run_dir, log_file
        self.http = requests.Session()
        self.tokens: dict[str, str] = {}

    def api(self, method: str, path: str, token: str | None = None, **kw):
        headers = {"Authorization": f"token {token or self.token}"}
        return self.http.request(method, self.base + path, headers=headers, timeout=120, **kw)

    def tail(self) -> str:
        return self.log_file.read_text(errors="replace")[-6000:]


@pytest.fixture(scope="module")
def hub():
    if os.geteuid() != 0:
        pytest.skip("needs root: it creates local users and the hub spawns servers as them")
    for tool in ("npm", "useradd", "runuser"):
        if not shutil.which(tool):
            pytest.skip(f"{tool} is missing (scripts/system-deps.sh installs nodejs, npm and the rest)")
    python = system_python()
    if python is None:
        pytest.skip("no Python 3.11+ with venv that other users can run (apt-get install python3-venv)")
    pytest.importorskip("requests")

    BASE.mkdir(parents=True, exist_ok=True)
    BASE.chmod(0o755)
    run_dir = Path(tempfile.mkdtemp(prefix="run-", dir=BASE))
    run_dir.chmod(0o755)
    _remove_users()  # left over from a run that was killed
    port, grader_port = free_port(), free_port()
    settings = run_dir / "hub.toml"
    settings.write_text(
        f'prefix = "{BASE / "prefix"}"\n'
        f'state_dir = "{run_dir / "state"}"\n'
        f'exchange = "{run_dir / "srv" / "exchange"}"\n'
        f'home_base = "{run_dir / "home"}"\n'
        f'bind_url = "http://127.0.0.1:{port}"\n'
        'authenticator = "dummy"\nadmin_users = []\ncull_idle_seconds = 0\n'
        f'[[course]]\nid = "{COURSE}"\nedition = "{EDITION}"\ngrader = "{GRADER}"\nport = {grader_port}\n'
        f'instructors = ["{INSTRUCTOR}"]\nlearners = ["{LEARNER}"]\n'
        'gradebook_url_env = "QIKIT_TEST_GRADEBOOK_URL"\n')
    installer = REPO / "hub" / "qikit_hub.py"
    t = time.monotonic()
    subprocess.run([python, str(installer), "install", "--settings", str(settings), "--src", str(REPO)],
                   check=True, timeout=1200)
    log(f"installed the course server environment ({time.monotonic() - t:.0f} s)")
    subprocess.run([python, str(installer), "setup", "--settings", str(settings), "--create-local-users"],
                   check=True, timeout=300)
    assert subprocess.run([python, str(installer), "check", "--settings", str(settings)]).returncode == 0

    token = secrets.token_hex(32)
    password = secrets.token_hex(12)
    test_config = run_dir / "test_jupyterhub_config.py"
    test_config.write_text(
        "c = get_config()  # noqa: F821\n"
        f"load_subconfig({str(REPO / 'hub' / 'jupyterhub_config.py')!r})  # noqa: F821 -- the real configuration\n"
        "# the test drives the hub through its REST API with this service token\n"
        f"c.JupyterHub.services.append({{'name': 'e2e-driver', 'api_token': {token!r}}})\n"
        "c.JupyterHub.load_roles.append({'name': 'e2e-driver', 'services': ['e2e-driver'], 'scopes': "
        "['admin:users', 'admin:servers', 'tokens', 'admin:groups', 'list:services', 'read:services']})\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "QIKIT_"))}
    env.update(QIKIT_HUB_SETTINGS=str(settings), QIKIT_HUB_DUMMY_PASSWORD=password, PYTHONWARNINGS="ignore")
    pg = start_postgres(run_dir)  # the course's gradebook on PostgreSQL, as in production
    if pg is not None:
        env["QIKIT_TEST_GRADEBOOK_URL"] = pg[0]
        log("PostgreSQL gradebook up")
    hub_log = run_dir / "jupyterhub.log"
    (run_dir / "state").mkdir(exist_ok=True)
    proc = subprocess.Popen([str(BASE / "prefix" / "venv" / "bin" / "jupyterhub"), "-f", str(test_config)],
                            cwd=run_dir / "state", env=env, stdout=open(hub_log, "w"), stderr=subprocess.STDOUT)
    h = Hub(f"http://127.0.0.1:{port}", token, proc, run_dir, hub_log)
    h.password = password
    h.gradebook_url = pg[0] if pg else None
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if h.api("GET", "/hub/api/").status_code == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the hub did not start:\n" + h.tail())
            time.sleep(0.5)
        log("hub up")
        yield h
    finally:
        proc.send_signal(signal.SIGTERM)  # the hub stops the servers and services it started
        try:
            proc.wait(45)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if pg is not None:
            pg[1].terminate()
            try:
                pg[1].wait(20)
            except subprocess.TimeoutExpired:
                pg[1].kill()
        artifacts = REPO / "artifacts" / "hub"
        artifacts.mkdir(parents=True, exist_ok=True)
        shutil.copy2(hub_log, artifacts / "jupyterhub.log")
        _remove_users()
        shutil.rmtree(run_dir, ignore_errors=True)


def _wait(what: str, check, timeout: float = 120.0, every: float = 1.0):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")


def _ok(resp, what: str) -> dict | list:
    assert resp.status_code in (200, 201), f"{what}: HTTP {resp.status_code}: {resp.text[:2000]}"
    return resp.json() if resp.text else {}


def _solve(nb: dict) -> dict:
    """The learner's work: the source's solutions in the answer cells, a reflection in the text cell."""
    src = json.loads(source_notebook(EDITION).read_text(encoding="utf-8"))
    solutions = {c["metadata"]["nbgrader"]["grade_id"]: solution_code("".join(c["source"]))
                 for c in src["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("solution")
                 and c["cell_type"] == "code"}
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution") and cell["cell_type"] == "code":
            cell["source"] = solutions[meta["grade_id"]]
        elif meta.get("solution"):
            cell["source"] = REFLECTION[EDITION]
    return nb


def test_course_cycle_on_jupyterhub(hub):
    fg = f"/services/{COURSE}/formgrader/api"
    user = {u: f"/user/{u}" for u in (INSTRUCTOR, LEARNER)}

    # --- log in (the authenticator) and get API tokens -----------------------------------------------
    import requests

    s = requests.Session()
    s.get(hub.base + "/hub/login", timeout=30)
    bad = s.post(hub.base + "/hub/login", data={"username": LEARNER, "password": "wrong",
                                                 "_xsrf": s.cookies.get("_xsrf", "")}, allow_redirects=False)
    assert bad.status_code == 403, bad.status_code
    good = s.post(hub.base + "/hub/login", data={"username": LEARNER, "password": hub.password,
                                                  "_xsrf": s.cookies.get("_xsrf", "")}, allow_redirects=False)
    assert good.status_code == 302 and any(c.name.startswith("jupyterhub-") for c in s.cookies), good.text[:500]
    me = s.get(hub.base + "/hub/api/user", headers={"X-XSRFToken": s.cookies.get("_xsrf", "")}, timeout=30)
    assert me.status_code == 200 and me.json()["name"] == LEARNER
    assert f"nbgrader-{COURSE}" in me.json()["groups"]
    log("learner logged in with the password; wrong password refused")
    for u in (INSTRUCTOR, LEARNER):
        hub.tokens[u] = _ok(hub.api("POST", f"/hub/api/users/{u}/tokens", json={"note": "e2e", "expires_in": 3600}),
                            "token")["token"]

    # --- spawn both servers (as their Linux users) -----------------------------------------------------
    for u in (INSTRUCTOR, LEARNER):
        r = hub.api("POST", f"/hub/api/users/{u}/server")
        assert r.status_code in (201, 202), r.text
    for u in (INSTRUCTOR, LEARNER):
        _wait(f"{u}'s server", lambda u=u: hub.api("GET", f"/hub/api/users/{u}").json()
              .get("servers", {}).get("", {}).get("ready"), timeout=180)
    log("servers of the instructor and the learner are ready")
    whoami = _ok(hub.api("POST", f"{user[LEARNER]}/api/contents", token=hub.tokens[LEARNER],
                         json={"type": "file", "ext": ".txt"}), "create file")
    hub.api("DELETE", f"{user[LEARNER]}/api/contents/{whoami['path']}", token=hub.tokens[LEARNER])
    home = hub.run_dir / "home" / LEARNER
    assert home.is_dir() and home.stat().st_uid != 0  # the learner's files belong to the learner

    # learner servers: nbgrader's learner tools, no Formgrader
    version = hub.api("GET", f"{user[LEARNER]}/nbgrader_version?version=0.9.6", token=hub.tokens[LEARNER])
    assert version.status_code == 200
    assert hub.api("GET", f"{user[LEARNER]}/formgrader", token=hub.tokens[LEARNER]).status_code == 404
    lab_page = hub.api("GET", f"{user[LEARNER]}/lab", token=hub.tokens[LEARNER]).text
    page_config = json.loads(re.search(r'id="jupyter-config-data"[^>]*>(.*?)</script>', lab_page, re.S).group(1))
    assert "@jupyter/nbgrader:formgrader" in page_config["disabledExtensions"]
    federated = json.dumps(page_config.get("federated_extensions", []))
    assert "@jupyter/nbgrader" in federated and "@jupyter-widgets/jupyterlab-manager" in federated

    # --- the course's Formgrader service: instructors yes, learners no ---------------------------------
    _wait("the Formgrader service", lambda: hub.api("GET", f"{fg}/status", token=hub.tokens[INSTRUCTOR])
          .status_code == 200, timeout=120)
    assert hub.api("GET", f"{fg}/status", token=hub.tokens[LEARNER]).status_code == 403
    log("Formgrader service answers the instructor and refuses the learner")

    # --- instructor: generate and release --------------------------------------------------------------
    r = _ok(hub.api("POST", f"{fg}/assignment/{ASSIGNMENT}/assign", token=hub.tokens[INSTRUCTOR]), "generate")
    assert r["success"], r
    r = _ok(hub.api("POST", f"{fg}/assignment/{ASSIGNMENT}/release", token=hub.tokens[INSTRUCTOR]), "release")
    assert r["success"], r
    log("instructor generated and released the assignment")

    # --- learner: list, fetch, work, validate, submit --------------------------------------------------
    lt = hub.tokens[LEARNER]
    listing = _ok(hub.api("GET", f"{user[LEARNER]}/assignments", token=lt, params={"course_id": COURSE}), "list")
    assert listing["success"] and any(a["assignment_id"] == ASSIGNMENT and a["status"] == "released"
                                      for a in listing["value"]), listing
    listing = _ok(hub.api("POST", f"{user[LEARNER]}/assignments/fetch", token=lt,
                          data={"course_id": COURSE, "assignment_id": ASSIGNMENT}), "fetch")
    assert any(a["assignment_id"] == ASSIGNMENT and a["status"] == "fetched" for a in listing["value"]), listing
    path = f"{COURSE}/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
    model = _ok(hub.api("GET", f"{user[LEARNER]}/api/contents/{path}", token=lt), "open notebook")
    text = json.dumps(model["content"])
    assert "BEGIN HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text and "Rubric" not in text
    _ok(hub.api("PUT", f"{user[LEARNER]}/api/contents/{path}", token=lt,
                json={"type": "notebook", "format": "json", "content": _solve(model["content"])}), "save")
    val = _ok(hub.api("POST", f"{user[LEARNER]}/assignments/validate", token=lt, data={"path": path}), "validate")
    assert val["success"] and val["value"] == {}, val  # nbgrader: no failed and no changed cells
    out = _ok(hub.api("POST", f"{user[LEARNER]}/assignments/submit", token=lt,
                      data={"course_id": COURSE, "assignment_id": ASSIGNMENT}), "submit")
    assert "value" in out and any(a["status"] == "submitted" for a in out["value"]), out
    log("learner fetched, solved, validated and submitted")

    # --- instructor: collect, autograde, feedback ------------------------------------------------------
    it = hub.tokens[INSTRUCTOR]
    r = _ok(hub.api("POST", f"{fg}/assignment/{ASSIGNMENT}/collect", token=it), "collect")
    assert r["success"], r
    r = _ok(hub.api("POST", f"{fg}/submission/{ASSIGNMENT}/{LEARNER}/autograde", token=it), "autograde")
    assert r["success"], r.get("error", r)
    sub = _ok(hub.api("GET", f"{fg}/submission/{ASSIGNMENT}/{LEARNER}", token=it), "submission")
    log(f"autograded: score {sub['score']} of {sub['max_score']}, needs manual grade: {sub['needs_manual_grade']}")
    assert sub["autograded"] and sub["score"] == 12 and sub["max_score"] == 15 and sub["needs_manual_grade"]
    if hub.gradebook_url:  # the grade is in the course's PostgreSQL gradebook
        import sqlalchemy

        with sqlalchemy.create_engine(hub.gradebook_url).connect() as conn:
            rows = conn.execute(sqlalchemy.text("select count(*) from grade")).scalar()
            students = conn.execute(sqlalchemy.text("select id from student")).scalars().all()
        assert rows >= 7 and LEARNER in students
        assert not (hub.run_dir / "home" / GRADER / "course" / EDITION / "gradebook.db").exists()
        log("the grades are in the PostgreSQL gradebook")
    r = _ok(hub.api("POST", f"{fg}/assignment/{ASSIGNMENT}/generate_feedback", token=it), "generate feedback")
    assert r["success"], r
    r = _ok(hub.api("POST", f"{fg}/assignment/{ASSIGNMENT}/release_feedback", token=it), "release feedback")
    assert r["success"], r
    log("instructor collected, autograded and released feedback")

    # --- learner: fetch feedback -----------------------------------------------------------------------
    listing = _ok(hub.api("POST", f"{user[LEARNER]}/assignments/fetch_feedback", token=lt,
                          data={"course_id": COURSE, "assignment_id": ASSIGNMENT}), "fetch feedback")
    fb_dir = _ok(hub.api("GET", f"{user[LEARNER]}/api/contents/{COURSE}/{ASSIGNMENT}/feedback", token=lt), "feedback")
    stamps = [e["path"] for e in fb_dir["content"] if e["type"] == "directory"]
    assert stamps, fb_dir
    html = _ok(hub.api("GET", f"{user[LEARNER]}/api/contents/{stamps[0]}/{ASSIGNMENT}.html", token=lt,
                       params={"format": "text", "type": "file"}), "feedback file")["content"]
    assert re.search(r"Score:\s*12(\.0)?\s*/\s*15", html), html[:3000]
    assert "BEGIN HIDDEN TESTS" not in html and "_reference_limits" not in html
    log("learner fetched the feedback (12 / 15, no hidden tests)")
