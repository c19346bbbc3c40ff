"""JupyterHub configuration of a qikit course server (one machine; see docs/jupyterhub.md).

Everything site-specific is in the settings file (hub/settings.example.toml; path in $QIKIT_HUB_SETTINGS,
default /etc/qikit/hub.toml). Start with::

    QIKIT_HUB_SETTINGS=/etc/qikit/hub.toml /opt/qikit/venv/bin/jupyterhub -f /opt/qikit/src/hub/jupyterhub_config.py

What it sets up:

* users log in through the authenticator of the settings (PAM = the server's Linux accounts by default);
* each user gets their own JupyterLab server as their own Linux user (LocalProcessSpawner), with qikit,
  ipywidgets and nbgrader's learner tools (Assignment List, Validate) - no Formgrader there;
* each course runs its Formgrader as a hub service under its grader account, with its own gradebook
  (PostgreSQL through an environment variable, else sqlite), open to the course's instructors only;
* hub groups: ``formgrade-<course>`` (instructors and the grader: the Formgrader) and ``nbgrader-<course>``
  (instructors and learners: fetch and submit, checked by nbgrader's JupyterHubAuthPlugin);
* nbgrader's exchange is one shared folder (settings ``exchange``).
"""

import os
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python < 3.11
    sys.exit("qikit's JupyterHub configuration needs Python 3.11 or newer (tomllib)")

c = get_config()  # noqa: F821 -- provided by JupyterHub

SETTINGS = Path(os.environ.get("QIKIT_HUB_SETTINGS", "/etc/qikit/hub.toml"))
S = tomllib.loads(SETTINGS.read_text(encoding="utf-8"))
PREFIX = Path(S.get("prefix", "/opt/qikit"))
VENV_BIN = PREFIX / "venv" / "bin"
STATE = Path(S.get("state_dir", "/var/lib/qikit-hub"))
STATE.mkdir(parents=True, exist_ok=True)
STATE.chmod(0o700)
COURSES = S.get("course", [])
PATH = os.pathsep.join([str(VENV_BIN), "/usr/local/bin", "/usr/bin", "/bin"])

# --- the hub and its proxy ---------------------------------------------------------------------------
c.JupyterHub.bind_url = S.get("bind_url", "http://127.0.0.1:8000")
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.command = [str(PREFIX / "node" / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
if S.get("ssl_cert") and S.get("ssl_key"):
    c.JupyterHub.ssl_cert = S["ssl_cert"]
    c.JupyterHub.ssl_key = S["ssl_key"]

# --- who logs in -------------------------------------------------------------------------------------
AUTH = S.get("authenticator", "pam")
if AUTH == "dummy":  # tests only: one shared password from the environment
    c.JupyterHub.authenticator_class = "dummy"
    c.DummyAuthenticator.password = os.environ["QIKIT_HUB_DUMMY_PASSWORD"]
else:
    c.JupyterHub.authenticator_class = AUTH
admins = set(S.get("admin_users", []))
instructors = {u for co in COURSES for u in co.get("instructors", [])}
learners = {u for co in COURSES for u in co.get("learners", [])}
c.Authenticator.admin_users = admins
c.Authenticator.allowed_users = admins | instructors | learners

# --- groups and roles: instructors and learners ------------------------------------------------------
groups: dict[str, dict[str, list[str]]] = {}
roles: list[dict] = [
    # a user's server token may do what its user may (nbgrader reads the user's groups and the services)
    {"name": "server", "scopes": ["inherit"]},
]
services: list[dict] = []
for co in COURSES:
    cid = co["id"]
    grader = co.get("grader", f"grader-{cid}")
    groups[f"formgrade-{cid}"] = {"users": sorted(set(co.get("instructors", [])) | {grader})}
    groups[f"nbgrader-{cid}"] = {"users": sorted(set(co.get("instructors", [])) | set(co.get("learners", [])))}
    roles.append({"name": f"formgrade-{cid}", "groups": [f"formgrade-{cid}"],
                  "scopes": [f"access:services!service={cid}", "list:services", f"read:services!service={cid}"]})
    roles.append({"name": f"nbgrader-{cid}", "groups": [f"nbgrader-{cid}"],
                  "scopes": ["list:services", f"read:services!service={cid}"]})
    # the Formgrader service reads users and groups (nbgrader's JupyterHubAuthPlugin) and may add learners
    # to its own course group (Formgrader -> Manage Students)
    roles.append({"name": f"course-service-{cid}", "services": [cid],
                  "scopes": ["list:users", "read:users", "read:groups", f"groups!group=nbgrader-{cid}"]})
    gradebook = os.environ.get(co.get("gradebook_url_env", ""), "") if co.get("gradebook_url_env") else ""
    home = Path(S.get("home_base", "/home")) / grader
    try:
        import pwd

        home = Path(pwd.getpwnam(grader).pw_dir)
    except KeyError:
        pass
    services.append({
        "name": cid,
        "display": True,
        "url": f"http://127.0.0.1:{int(co['port'])}",
        "command": [str(VENV_BIN / "jupyterhub-singleuser")],
        "user": grader,
        "cwd": str(home),
        "oauth_no_confirm": True,
        "environment": {
            "JUPYTERHUB_DEFAULT_URL": "/lab",
            "PATH": PATH,
            "HOME": str(home),
            "QIKIT_LANG": co.get("edition", "nb"),
            "QIKIT_GRADEBOOK_URL": gradebook,
        },
    })

c.JupyterHub.load_groups = groups
c.JupyterHub.load_roles = roles
c.JupyterHub.services = services

# --- each user's own server --------------------------------------------------------------------------
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(VENV_BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.environment = {
    "PATH": PATH,
    # learner tools only: no Formgrader, no Create Assignment (see hub/qikit_hub.py install)
    "JUPYTER_CONFIG_PATH": str(PREFIX / "etc" / "learner-jupyter"),
}
c.Spawner.http_timeout = 90
c.Spawner.start_timeout = 120
if S.get("mem_limit"):
    c.Spawner.mem_limit = S["mem_limit"]  # enforced by container spawners; LocalProcessSpawner only reports it
if S.get("cpu_limit"):
    c.Spawner.cpu_limit = float(S["cpu_limit"])

# --- stop idle servers -------------------------------------------------------------------------------
cull = int(S.get("cull_idle_seconds", 0) or 0)
if cull > 0 and (VENV_BIN / "python").exists():
    c.JupyterHub.load_roles.append({"name": "idle-culler", "services": ["idle-culler"],
                                    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]})
    c.JupyterHub.services.append({"name": "idle-culler",
                                  "command": [str(VENV_BIN / "python"), "-m", "jupyterhub_idle_culler",
                                              f"--timeout={cull}"]})

# --- site additions (e.g. an OAuth authenticator's settings) -----------------------------------------
extra = Path(S.get("extra_config", "/etc/qikit/jupyterhub_extra.py"))
if extra.is_file():
    load_subconfig(str(extra))  # noqa: F821
