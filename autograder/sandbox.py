"""The grading sandbox: learner kernels run in bubblewrap, started warm from a per-worker fork server.

Only the learner's *kernel* runs inside the sandbox; the grader (nbgrader, the gradebook, the source
notebooks) stays outside. Each grading worker owns one sandbox (:class:`Zygote`): a ``bwrap``
process with its own user, PID, network, IPC, UTS and cgroup namespaces, no capabilities, no network,
a read-only view of the system, the Python installation, the installed packages and the course
datasets, and three size-limited scratch tmpfs (``/home/learner``, ``/tmp``, ``/dev/shm``). Inside it,
a fork server with numpy, pandas, matplotlib, qikit and ipykernel already imported forks one fresh
kernel per notebook (see ``sandbox_runtime/qikit_zygote.py``) and wipes everything between notebooks.

The grader talks to the kernel over ZeroMQ ``ipc`` sockets in a folder bound into the sandbox at the
same path, since the sandbox has no network. :class:`SandboxKernelManager` plugs this into nbclient
(and so into nbgrader's ``Execute`` preprocessor) as an ordinary ``AsyncKernelManager``.

What a learner's code can see: its own files (a copy), the datasets, ``/usr`` and the Python
environment (read-only). It cannot see the source notebooks, the gradebook, other learners' files or
the grader's output folder, cannot write outside its scratch space, and runs under CPU-time,
address-space, process-count, file-size and open-file limits, plus a wall-clock limit per notebook
enforced by the grader.
"""

from __future__ import annotations

import ast
import json
import os
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning.local_provisioner import LocalProvisioner

RUNTIME_DIR = Path(__file__).resolve().parent / "sandbox_runtime"
IN_SANDBOX_RUNTIME = "/opt/qikit-runtime"
IN_SANDBOX_MPL = "/opt/qikit-mpl"
IN_SANDBOX_INPUT = "/opt/qikit-input"
IN_SANDBOX_HOME = "/home/learner"
LEARNER_UID = 1000

MiB = 1024 * 1024

# Modules the fork server imports once, so kernels start warm (missing ones are skipped).
DEFAULT_PRELOAD = [
    "qikit",
    "qikit.spc",
    "qikit.datasets",
    "qikit.variation",
    "qikit.system",
    "qikit.psychology",
    "qikit.pdsa",
    "scipy",
    "scipy.stats",
]


class SandboxUnavailable(RuntimeError):
    """The OS offers no usable sandbox (no bubblewrap, or user namespaces are disabled)."""


@dataclass
class Limits:
    """Per-kernel resource limits (one kernel grades one notebook)."""

    cpu_seconds: int = 300
    memory_bytes: int = 4096 * MiB  # address space (RLIMIT_AS); a kernel with pandas+matplotlib uses ~1.3 GB
    processes: int = 128  # RLIMIT_NPROC inside the sandbox's user namespace (threads count)
    file_bytes: int = 64 * MiB  # largest file the kernel may write
    open_files: int = 512
    wall_seconds: int = 600  # per notebook, on top of the per-cell timeout
    home_bytes: int = 256 * MiB  # tmpfs sizes
    tmp_bytes: int = 256 * MiB
    shm_bytes: int = 64 * MiB
    ipc_bytes: int = 16 * MiB  # the one host-backed writable folder (sockets, connection file, kernel log)
    output_bytes_per_cell: int = 1 * MiB  # what is kept in the notebook
    output_bytes_flood: int = 64 * MiB  # a kernel that sends more output than this in one cell is stopped

    def rlimits(self) -> dict:
        return {
            "cpu": self.cpu_seconds,
            "as": self.memory_bytes,
            "nproc": self.processes,
            "fsize": self.file_bytes,
            "nofile": self.open_files,
            "core": 0,
        }


@dataclass
class SandboxStatus:
    """Whether the OS sandbox works here, and why not."""

    available: bool
    bwrap: str | None
    reason: str = ""


_STATUS: SandboxStatus | None = None


def probe(refresh: bool = False) -> SandboxStatus:
    """Check once whether bubblewrap can create the namespaces the sandbox needs."""
    global _STATUS
    if _STATUS is not None and not refresh:
        return _STATUS
    bwrap = shutil.which("bwrap")
    if not bwrap:
        _STATUS = SandboxStatus(
            False,
            None,
            "bubblewrap (bwrap) is not installed. On Debian/Ubuntu: sudo apt-get install bubblewrap "
            "(or run scripts/system-deps.sh).",
        )
        return _STATUS
    args = [bwrap, *_namespace_args(), *_system_binds(), "--proc", "/proc", "--dev", "/dev", "/bin/true"]
    try:
        proc = subprocess.run(args, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as exc:
        _STATUS = SandboxStatus(False, bwrap, f"bwrap could not run: {exc}")
        return _STATUS
    if proc.returncode != 0:
        msg = (proc.stderr or proc.stdout).strip().splitlines()
        _STATUS = SandboxStatus(
            False,
            bwrap,
            "bwrap cannot create the sandbox here ("
            + (msg[-1] if msg else f"exit {proc.returncode}")
            + "). Unprivileged user namespaces may be disabled "
            "(sysctl kernel.unprivileged_userns_clone=1, or on Ubuntu 24.04+ an AppArmor profile for bwrap).",
        )
        return _STATUS
    _STATUS = SandboxStatus(True, bwrap, "")
    return _STATUS


def _namespace_args() -> list[str]:
    return [
        "--unshare-all",  # user, ipc, pid, net, uts, cgroup
        "--unshare-user",
        "--disable-userns",  # no nested user namespaces (no way back to capabilities)
        "--cap-drop",
        "ALL",
        "--uid",
        str(LEARNER_UID),
        "--gid",
        str(LEARNER_UID),
        "--die-with-parent",
        "--new-session",  # no TIOCSTI into the grader's terminal
        "--hostname",
        "qikit-sandbox",
    ]


def _system_binds() -> list[str]:
    args: list[str] = []
    for p in ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(p):
            args += ["--symlink", os.readlink(p), p]
        elif os.path.isdir(p):
            args += ["--ro-bind", p, p]
    for p in (
        "/etc/ld.so.cache",
        "/etc/ld.so.conf",
        "/etc/ld.so.conf.d",
        "/etc/localtime",
        "/etc/alternatives",
        "/etc/nsswitch.conf",
    ):
        args += ["--ro-bind-try", p, p]
    return args


def _editable_paths() -> list[str]:
    """Folders of editable installs in this environment (e.g. ``src/qikit``), except the grader's own."""
    paths: list[str] = []
    import site

    candidates = list(site.getsitepackages()) if hasattr(site, "getsitepackages") else []
    for sp in candidates:
        for finder in Path(sp).glob("__editable__*finder.py"):
            try:
                tree = ast.parse(finder.read_text(encoding="utf-8"))
            except (OSError, SyntaxError):
                continue
            for node in tree.body:
                if isinstance(node, (ast.Assign, ast.AnnAssign)):
                    target = node.targets[0] if isinstance(node, ast.Assign) else node.target
                    if isinstance(target, ast.Name) and target.id == "MAPPING" and node.value is not None:
                        try:
                            mapping = ast.literal_eval(node.value)
                        except ValueError:
                            continue
                        for pkg, path in mapping.items():
                            if pkg != "autograder" and os.path.isdir(path):
                                paths.append(path)
    return paths


def python_binds() -> list[str]:
    """Read-only folders the Python environment needs: the interpreter, the venv, editable packages."""
    roots: list[str] = []
    for p in (sys.base_prefix, sys.prefix, os.path.dirname(os.path.realpath(sys.executable))):
        rp = os.path.realpath(p)
        if rp.startswith("/usr/") or rp == "/usr":
            continue
        roots.append(rp)
        if p != rp:
            roots.append(p)
    roots += _editable_paths()
    out: list[str] = []
    for r in sorted(set(roots), key=len):
        if not any(r == o or r.startswith(o.rstrip("/") + "/") for o in out):
            out.append(r)
    return out


def datasets_dir() -> str | None:
    try:
        from qikit.datasets import _catalog

        return str(_catalog.datasets_dir())
    except Exception:
        return None


def mpl_cache_dir(fallback: Path) -> Path:
    """A matplotlib font cache for the sandboxes, built once per environment (a few seconds) and kept."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    import hashlib

    key = hashlib.sha256(f"{os.path.realpath(sys.executable)}\0{sys.version}".encode()).hexdigest()[:12]
    for dest in (Path(base) / "qikit" / f"mpl-{key}", fallback):
        try:
            prepare_mpl_cache(dest)
            if any(dest.glob("fontlist-*.json")):
                return dest
        except OSError:
            continue
    return fallback


def prepare_mpl_cache(dest: Path) -> None:
    """Give the sandbox a ready matplotlib font cache, so no kernel rebuilds it."""
    dest.mkdir(parents=True, exist_ok=True)
    if any(dest.glob("fontlist-*.json")):
        return
    env = {**os.environ, "MPLCONFIGDIR": str(dest), "MPLBACKEND": "Agg"}
    subprocess.run(
        [sys.executable, "-c", "import matplotlib.font_manager as f; f.fontManager"],
        env=env,
        capture_output=True,
        timeout=300,
    )


def short_root() -> Path:
    """A short private folder for sandbox state (unix socket paths must stay under 108 bytes)."""
    base = tempfile.gettempdir()
    if len(base) > 40:
        base = "/tmp"
    return Path(tempfile.mkdtemp(prefix="qk-", dir=base))


def process_limit_check() -> str:
    """How fork bombs are contained here: ``rlimit``, ``cgroup``, or a warning (root without cgroups)."""
    if not Cgroup.wanted():
        return "rlimit"
    import uuid as _uuid

    cg = Cgroup(f"probe-{_uuid.uuid4().hex[:8]}", 16, 256 * MiB)
    if cg.create():
        cg.remove()
        return "cgroup"
    return (
        "WARNING: running as root and no cgroup could be made, so the process limit is not enforced "
        "(Linux ignores RLIMIT_NPROC for root): run the grader as an ordinary user."
    )


def remove_cgroups(prefix: str) -> None:
    """Remove the cgroups of one grading run's sandboxes (their processes are killed first)."""
    for parent in (Cgroup.BASE / "pids" / "qikit", Cgroup.BASE / "memory" / "qikit", Cgroup.BASE / "qikit"):
        try:
            dirs = [d for d in parent.iterdir() if d.is_dir() and d.name.startswith(prefix + "-")]
        except OSError:
            continue
        for d in dirs:
            cg = Cgroup(d.name, 0, 0)
            cg.dirs = [d]
            cg.remove()


def _module_cache_path() -> Path | None:
    """Where the list of modules a kernel start imports is remembered (it is found once per environment)."""
    import hashlib

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    key = hashlib.sha256()
    for p in (os.path.realpath(sys.executable), sys.prefix, str(RUNTIME_DIR)):
        key.update(p.encode())
        try:
            key.update(str(os.stat(p).st_mtime_ns).encode())
        except OSError:
            pass
    key.update(sys.version.encode())
    try:
        import site

        for sp in site.getsitepackages():
            key.update(str(os.stat(sp).st_mtime_ns).encode())
    except (AttributeError, OSError):
        pass
    return Path(base) / "qikit" / f"kernel-modules-{key.hexdigest()[:16]}.json"


def _read_module_cache() -> list[str] | None:
    path = _module_cache_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path else None
    except (OSError, ValueError):
        return None
    return data if isinstance(data, list) and all(isinstance(x, str) for x in data) else None


def _write_module_cache(modules: list[str]) -> None:
    path = _module_cache_path()
    if not path:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(modules), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass


class ZygoteError(RuntimeError):
    """The fork server died or stopped answering."""


class Cgroup:
    """A cgroup (v1 ``pids`` + ``memory``, or v2) around one worker's whole sandbox, when we may make one.

    Needed when the grader runs as root: Linux does not enforce ``RLIMIT_NPROC`` for processes whose
    real user is root, even inside a user namespace, so without a ``pids`` cgroup a fork bomb would
    not be contained. It also caps the memory of the sandbox as a whole (kernel, its children and the
    tmpfs scratch space). As an ordinary user, ``RLIMIT_NPROC`` does the job and this is skipped.
    """

    BASE = Path("/sys/fs/cgroup")

    def __init__(self, name: str, pids_max: int, memory_max: int):
        self.name = name
        self.pids_max = pids_max
        self.memory_max = memory_max
        self.dirs: list[Path] = []
        self.procs_files: list[Path] = []

    @staticmethod
    def wanted() -> bool:
        return os.geteuid() == 0

    def create(self) -> bool:
        try:
            if (self.BASE / "cgroup.controllers").exists():  # cgroup v2
                parent = self.BASE / "qikit"
                parent.mkdir(exist_ok=True)
                ctrl = (self.BASE / "cgroup.controllers").read_text().split()
                want = [c for c in ("pids", "memory") if c in ctrl]
                if "pids" not in want:
                    return False
                (self.BASE / "cgroup.subtree_control").write_text(" ".join("+" + c for c in want))
                (parent / "cgroup.subtree_control").write_text(" ".join("+" + c for c in want))
                d = parent / self.name
                d.mkdir(exist_ok=True)
                (d / "pids.max").write_text(str(self.pids_max))
                if "memory" in want:
                    (d / "memory.max").write_text(str(self.memory_max))
                self.dirs = [d]
                self.procs_files = [d / "cgroup.procs"]
                return True
            if not (self.BASE / "pids" / "tasks").exists():
                return False
            self._remove_stale(self.BASE / "pids" / "qikit")
            self._remove_stale(self.BASE / "memory" / "qikit")
            d = self.BASE / "pids" / "qikit" / self.name
            d.mkdir(parents=True, exist_ok=True)
            (d / "pids.max").write_text(str(self.pids_max))
            self.dirs = [d]
            self.procs_files = [d / "cgroup.procs"]
            m = self.BASE / "memory"
            if (m / "tasks").exists():
                md = m / "qikit" / self.name
                md.mkdir(parents=True, exist_ok=True)
                try:
                    (md / "memory.limit_in_bytes").write_text(str(self.memory_max))
                    self.dirs.append(md)
                    self.procs_files.append(md / "cgroup.procs")
                except OSError:
                    md.rmdir()
            return True
        except OSError:
            self.remove()
            return False

    @staticmethod
    def _remove_stale(parent: Path) -> None:
        """Cgroups of graders that were killed: old empty ones are removed (rmdir refuses busy ones).

        Young ones are left alone: another worker may have just made its cgroup and not entered it yet.
        """
        try:
            for d in parent.iterdir():
                if d.is_dir() and time.time() - d.stat().st_mtime > 600:
                    try:
                        d.rmdir()
                    except OSError:
                        pass
        except OSError:
            pass

    def enter(self) -> None:
        """Move the calling process into the cgroup (used in the sandbox's ``preexec_fn``)."""
        pid = str(os.getpid())
        for f in self.procs_files:
            with open(f, "w") as fh:
                fh.write(pid)

    def kill_all(self) -> None:
        for d in self.dirs:
            try:
                for line in (d / "cgroup.procs").read_text().split():
                    try:
                        os.kill(int(line), signal.SIGKILL)
                    except (OSError, ValueError):
                        pass
            except OSError:
                pass

    def remove(self) -> None:
        self.kill_all()
        for d in self.dirs:
            for _ in range(50):
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.02)
        self.dirs = []


@dataclass
class Zygote:
    """One worker's sandbox with its warm kernel fork server."""

    root: Path
    name: str
    limits: Limits = field(default_factory=Limits)
    sandboxed: bool = True
    preload: list[str] = field(default_factory=lambda: list(DEFAULT_PRELOAD))
    proc: subprocess.Popen | None = None
    info: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.dir = Path(self.root) / self.name
        self.ipc_dir = self.dir / "ipc"
        self.in_dir = self.dir / "in"
        self.mpl_dir = Path(self.root) / "mpl"  # see prepare(): usually a persistent cache
        self._lock = threading.Lock()
        self.starts = 0
        self.ready = False
        self.cgroup: Cgroup | None = None
        self.process_limit = "rlimit"

    # -- paths as the kernel sees them -------------------------------------------------------
    @property
    def kernel_cwd(self) -> str:
        return IN_SANDBOX_HOME if self.sandboxed else str(self.dir / "home")

    @property
    def kernel_tmp(self) -> str:
        return "/tmp" if self.sandboxed else str(self.dir / "tmp")

    def kernel_env(self) -> dict:
        venv_bin = os.path.dirname(sys.executable)
        env = {
            "HOME": self.kernel_cwd,
            "USER": "learner",
            "LOGNAME": "learner",
            "PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "TMPDIR": self.kernel_tmp,
            "IPYTHONDIR": os.path.join(self.kernel_tmp, ".ipython"),
            "MPLCONFIGDIR": os.path.join(self.kernel_tmp, ".matplotlib"),
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            "PYTHONNOUSERSITE": "1",
            "NBGRADER_EXECUTION": os.environ.get("NBGRADER_EXECUTION", "autograde"),
        }
        ds = datasets_dir()
        if ds:
            env["QIKIT_DATASETS"] = ds
        return env

    # -- lifecycle ----------------------------------------------------------------------------
    def bwrap_args(self) -> list[str]:
        st = probe()
        if not st.available or not st.bwrap:
            raise SandboxUnavailable(st.reason)
        lim = self.limits
        args = [st.bwrap, *_namespace_args(), *_system_binds()]
        # The scratch /tmp first: the venv, the datasets or the grading folder may live under /tmp
        # (a CI checkout, say), and binds made after it stay visible on top of the empty tmpfs.
        args += ["--size", str(lim.tmp_bytes), "--tmpfs", "/tmp"]
        for p in python_binds():
            args += ["--ro-bind", p, p]
        ds = datasets_dir()
        if ds:
            args += ["--ro-bind", ds, ds]
        args += ["--ro-bind", str(RUNTIME_DIR), IN_SANDBOX_RUNTIME]
        args += ["--ro-bind", str(self.mpl_dir), IN_SANDBOX_MPL]
        args += ["--ro-bind", str(self.dir / "passwd"), "/etc/passwd"]
        args += ["--ro-bind", str(self.dir / "group"), "/etc/group"]
        args += ["--proc", "/proc", "--dev", "/dev"]
        args += ["--size", str(lim.shm_bytes), "--tmpfs", "/dev/shm", "--remount-ro", "/dev"]
        args += ["--size", str(lim.home_bytes), "--tmpfs", IN_SANDBOX_HOME]
        args += ["--ro-bind", str(self.in_dir), IN_SANDBOX_INPUT]
        args += ["--bind", str(self.ipc_dir), str(self.ipc_dir)]
        args += ["--remount-ro", "/", "--chdir", "/"]
        args += ["--clearenv"]
        for k, v in self._server_env().items():
            args += ["--setenv", k, v]
        return args

    def _server_env(self) -> dict:
        env = self.kernel_env()
        env["HOME"] = self.kernel_tmp
        env["MPLCONFIGDIR"] = IN_SANDBOX_MPL if self.sandboxed else str(self.mpl_dir)
        return env

    def start(self, timeout: float = 120) -> None:
        """Start (or restart) the sandbox and wait until the fork server is warm."""
        self.launch()
        self.wait_ready(timeout)

    def launch(self) -> None:
        """Start (or restart) the sandbox; the fork server warms up while the caller does other work."""
        self.close()
        self.ready = False
        for d in (self.ipc_dir, self.in_dir, self.dir / "home", self.dir / "tmp"):
            d.mkdir(parents=True, exist_ok=True)
        self.ipc_dir.chmod(0o700)
        (self.dir / "passwd").write_text(
            f"learner:x:{LEARNER_UID}:{LEARNER_UID}:learner:{IN_SANDBOX_HOME}:/bin/false\n", encoding="utf-8"
        )
        (self.dir / "group").write_text(f"learner:x:{LEARNER_UID}:\n", encoding="utf-8")
        if not any(self.mpl_dir.glob("fontlist-*.json")):
            self.mpl_dir = mpl_cache_dir(self.mpl_dir)
        c2p_r, c2p_w = os.pipe()  # zygote -> grader
        p2c_r, p2c_w = os.pipe()  # grader -> zygote
        if self.sandboxed:
            script = f"{IN_SANDBOX_RUNTIME}/qikit_zygote.py"
            argv = [*self.bwrap_args(), sys.executable, "-I", script, str(p2c_r), str(c2p_w)]
            env = None
        else:
            script = str(RUNTIME_DIR / "qikit_zygote.py")
            argv = [sys.executable, "-I", script, str(p2c_r), str(c2p_w)]
            env = {**self._server_env(), "HOME": str(self.dir / "tmp")}
        preexec = None
        if Cgroup.wanted():
            # As root, RLIMIT_NPROC is not enforced: contain the sandbox in a pids (+ memory) cgroup.
            lim = self.limits
            cg = Cgroup(
                f"{self.root.name}-{self.name}",
                pids_max=lim.processes,
                memory_max=lim.memory_bytes + lim.home_bytes + lim.tmp_bytes + lim.shm_bytes + 1024 * MiB,
            )
            if cg.create():
                self.cgroup = cg
                preexec = cg.enter
                self.process_limit = "cgroup"
            else:
                self.process_limit = "none (running as root without cgroups: fork bombs are not contained)"
        log = open(self.dir / "zygote.log", "ab")
        try:
            self.proc = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                pass_fds=(p2c_r, c2p_w),
                env=env,
                start_new_session=True,
                preexec_fn=preexec,
            )
        finally:
            log.close()
            os.close(p2c_r)
            os.close(c2p_w)
        self._out = os.fdopen(p2c_w, "w", buffering=1, encoding="utf-8")
        self._in = os.fdopen(c2p_r, "r", buffering=1, encoding="utf-8")
        self.starts += 1
        scratch = (
            [IN_SANDBOX_HOME, "/tmp", "/dev/shm"] if self.sandboxed else [str(self.dir / "home"), str(self.dir / "tmp")]
        )
        self._send({"preload": self.preload, "scratch": scratch, "known_modules": _read_module_cache()})

    def wait_ready(self, timeout: float = 120) -> None:
        if self.ready:
            return
        reply = self._recv(timeout)
        if not reply.get("ok"):
            raise ZygoteError(f"the sandbox's fork server failed to start: {reply.get('error')}\n{self.log_tail()}")
        if isinstance(reply.get("scouted"), list):
            _write_module_cache(reply["scouted"])
            reply["scouted"] = len(reply["scouted"])
        self.info = reply
        self.ready = True

    def log_tail(self, n: int = 20) -> str:
        try:
            lines = (self.dir / "zygote.log").read_text(encoding="utf-8", errors="replace").splitlines()
            return "\n".join(lines[-n:])
        except OSError:
            return ""

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def _send(self, obj: dict) -> None:
        try:
            self._out.write(json.dumps(obj) + "\n")
            self._out.flush()
        except (BrokenPipeError, OSError, ValueError) as exc:
            raise ZygoteError(f"the sandbox's fork server is gone ({exc})") from None

    def _recv(self, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ZygoteError("the sandbox's fork server did not answer in time")
            r, _, _ = select.select([self._in], [], [], min(left, 1.0))
            if r:
                line = self._in.readline()
                if not line:
                    raise ZygoteError("the sandbox's fork server exited\n" + self.log_tail())
                return json.loads(line)
            if not self.alive():
                raise ZygoteError("the sandbox's fork server exited\n" + self.log_tail())

    def request(self, obj: dict, timeout: float = 30) -> dict:
        if not self.ready and self.alive():
            self.wait_ready()
        with self._lock:
            if not self.alive():
                raise ZygoteError("the sandbox's fork server is not running")
            self._send(obj)
            reply = self._recv(timeout)
        if not reply.get("ok"):
            raise ZygoteError(reply.get("error", "fork server error"))
        return reply

    def ensure(self) -> None:
        if not self.alive():
            self.launch()
        self.wait_ready()

    def close(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                try:
                    self._out.write(json.dumps({"op": "exit"}) + "\n")
                    self._out.flush()
                    self.proc.wait(timeout=5)
                except Exception:
                    pass
            if self.proc.poll() is None:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except OSError:
                    pass
                try:
                    self.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    pass
            for f in ("_out", "_in"):
                try:
                    getattr(self, f).close()
                except Exception:
                    pass
            self.proc = None
        if self.cgroup is not None:
            self.cgroup.remove()
            self.cgroup = None

    # -- per notebook --------------------------------------------------------------------------
    def stage(self, source_dir: str | os.PathLike | None, ignore: list[str] | None = None) -> None:
        """Put the learner's working files (never notebooks, never symlinks) where the kernel copies them from."""
        clear_dir(self.in_dir)
        if not source_dir:
            return
        import fnmatch

        patterns = ["*.ipynb", "timestamp.txt", ".*", *(ignore or [])]
        budget = [self.limits.home_bytes // 2]

        def copy(src: Path, dest: Path) -> None:
            for entry in os.scandir(src):
                if any(fnmatch.fnmatch(entry.name, p) for p in patterns):
                    continue
                st = entry.stat(follow_symlinks=False)
                if stat.S_ISDIR(st.st_mode):
                    (dest / entry.name).mkdir()
                    copy(Path(entry.path), dest / entry.name)
                elif stat.S_ISREG(st.st_mode):
                    budget[0] -= st.st_size
                    if budget[0] < 0:
                        raise ValueError("the submission's files are too large for the sandbox")
                    shutil.copyfile(entry.path, dest / entry.name, follow_symlinks=False)

        copy(Path(source_dir), self.in_dir)

    def spawn(self, connection_file: str, extra_arguments: list[str], log: str | None = None) -> int:
        env = self.kernel_env()
        reply = self.request(
            {
                "op": "spawn",
                "connection_file": connection_file,
                "extra_arguments": extra_arguments,
                "cwd": self.kernel_cwd,
                "copy_from": IN_SANDBOX_INPUT if self.sandboxed else str(self.in_dir),
                "env": env,
                "limits": self.limits.rlimits(),
                "log": log,
            }
        )
        return int(reply["pid"])

    def poll(self, pid: int) -> dict:
        return self.request({"op": "poll", "pid": pid})

    def signal(self, pid: int, sig: int) -> None:
        self.request({"op": "signal", "pid": pid, "sig": int(sig)})

    def sweep(self) -> None:
        """Kill whatever the last kernel left behind and empty the scratch space."""
        if self.alive():
            try:
                self.request({"op": "sweep"}, timeout=60)
            except ZygoteError:
                self.close()
        clear_dir(self.ipc_dir)
        clear_dir(self.in_dir)

    def ipc_usage_exceeded(self) -> bool:
        total, count = 0, 0
        try:
            for entry in os.scandir(self.ipc_dir):
                count += 1
                if count > 200:
                    return True
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                if stat.S_ISREG(st.st_mode):
                    total += st.st_size
                elif stat.S_ISDIR(st.st_mode):
                    return True
        except OSError:
            return False
        return total > self.limits.ipc_bytes


def clear_dir(path: Path) -> None:
    """Empty ``path`` without following symlinks (a learner may have planted some)."""
    try:
        entries = list(os.scandir(path))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)
        except OSError:
            pass


# -- jupyter_client integration ---------------------------------------------------------------------

_CURRENT: Zygote | None = None


def set_current_zygote(z: Zygote | None) -> None:
    """The fork server the kernels of this process are started from (one per grading worker)."""
    global _CURRENT
    _CURRENT = z


def current_zygote() -> Zygote:
    if _CURRENT is None:
        raise ZygoteError("no sandbox fork server in this process (set_current_zygote was not called)")
    return _CURRENT


class KernelLimitExceeded(RuntimeError):
    """The kernel was stopped because it broke a limit (disk quota)."""


class SandboxProvisioner(LocalProvisioner):
    """Starts the kernel by asking the worker's fork server instead of spawning a process."""

    zy_pid: int | None = None
    exit_info: dict | None = None
    limit_hit: str | None = None
    _extra: list[str] = []

    @property
    def has_process(self) -> bool:
        return self.zy_pid is not None

    async def pre_launch(self, **kwargs):
        self._extra = list(kwargs.get("extra_arguments", []) or [])
        return await super().pre_launch(**kwargs)

    async def launch_kernel(self, cmd, **kwargs):
        zy = current_zygote()
        zy.ensure()
        zy.stage(kwargs.get("cwd"), ignore=getattr(self.parent, "stage_ignore", None))
        km = self.parent
        self.zy_pid = zy.spawn(km.connection_file, self._extra, log=str(zy.ipc_dir / "kernel.log"))
        self.pid = self.zy_pid
        self.pgid = self.zy_pid
        self.exit_info = None
        self.cwd = zy.kernel_cwd
        await self._wait_for_sockets(km)
        return self.connection_info

    async def _wait_for_sockets(self, km, timeout: float = 20.0) -> None:
        """Return once the kernel has bound its sockets, so the client connects at once.

        (ZeroMQ would otherwise retry the connection every 100 ms, and jupyter_client waits up
        to a second for the first ``kernel_info`` reply.)
        """
        import asyncio

        ports = [km.shell_port, km.iopub_port, km.stdin_port, km.hb_port, km.control_port]
        paths = [f"{km.ip}-{p}" for p in ports]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(os.path.exists(p) for p in paths):
                return
            if await self.poll() is not None:
                return  # died while starting: nbclient reports it
            await asyncio.sleep(0.005)

    async def poll(self):
        if self.zy_pid is None:
            return 0
        zy = current_zygote()
        try:
            info = zy.poll(self.zy_pid)
        except ZygoteError:
            self.exit_info = {"running": False, "returncode": -9, "zygote": "gone"}
            return -9
        if info.get("running"):
            if zy.ipc_usage_exceeded():
                self.limit_hit = "wrote too much data into the sandbox's shared folder"
                zy.signal(self.zy_pid, signal.SIGKILL)
            return None
        self.exit_info = info
        return int(info.get("returncode", 0))

    async def wait(self):
        ret = 0
        if self.zy_pid is not None:
            import asyncio

            while (ret := await self.poll()) is None:
                await asyncio.sleep(0.005)
            self.zy_pid = None
        return ret

    async def send_signal(self, signum: int) -> None:
        if self.zy_pid is not None:
            try:
                current_zygote().signal(self.zy_pid, signum)
            except ZygoteError:
                pass

    async def kill(self, restart: bool = False) -> None:
        import asyncio

        await self.send_signal(signal.SIGKILL)
        # jupyter_client then polls every 0.1 s until the kernel is gone: be gone before it looks.
        for _ in range(100):
            if await self.poll() is not None:
                return
            await asyncio.sleep(0.002)

    async def terminate(self, restart: bool = False) -> None:
        await self.send_signal(signal.SIGTERM)

    async def cleanup(self, restart: bool = False) -> None:
        try:
            current_zygote().sweep()
        except ZygoteError:
            pass
        self.zy_pid = None

    def resolve_path(self, path_str: str):
        return None


class SandboxKernelClient(AsyncKernelClient):
    """A kernel client that is ready as soon as the kernel has answered, not 0.2 s later.

    jupyter_client's ``wait_for_ready`` ends by draining IOPub until it has been quiet for 0.2 s: a
    fixed cost per kernel. Here it waits for the kernel's ``idle`` after ``kernel_info`` (the last
    message it sends), then drains what is already there; nbclient ignores stale IOPub messages anyway.
    """

    async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
        import asyncio
        from queue import Empty

        deadline = time.monotonic() + (timeout if timeout is not None else 60)
        while True:
            msg_id = self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                idle = False
                end = time.monotonic() + 1.0
                while time.monotonic() < end:
                    try:
                        msg = await self.iopub_channel.get_msg(timeout=max(0.0, end - time.monotonic()))
                    except Empty:
                        break
                    if (
                        msg.get("parent_header", {}).get("msg_id") == msg_id
                        and msg["msg_type"] == "status"
                        and msg["content"].get("execution_state") == "idle"
                    ):
                        idle = True
                        break
                if idle:
                    self._handle_kernel_info_reply(reply)
                    break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")
            await asyncio.sleep(0)
        while True:  # drop whatever else is already queued, without waiting
            try:
                await self.iopub_channel.get_msg(timeout=0)
            except Empty:
                break

    wait_for_ready = _async_wait_for_ready  # the base class binds its own function to this name


class SandboxKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` whose kernels come from the worker's sandboxed fork server."""

    stage_ignore: list[str] = []

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.client_factory = SandboxKernelClient
        zy = current_zygote()
        tag = uuid.uuid4().hex[:8]
        self.transport = "ipc"
        self.ip = str(zy.ipc_dir / f"k{tag}")
        self.connection_file = str(zy.ipc_dir / f"kernel-{tag}.json")
        self.shutdown_wait_time = 1.0

    async def _async_pre_start_kernel(self, **kw):
        self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
        if self.provisioner is None:
            self.provisioner = SandboxProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)
