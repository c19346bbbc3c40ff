"""A warm fork server for IPython kernels, run inside one worker's sandbox.

Started once per grading worker as ``python -I qikit_zygote.py CTL_IN_FD CTL_OUT_FD``. It imports
the heavy libraries once (numpy, pandas, matplotlib, qikit, IPython, ipykernel) and then, on request,
forks a *fresh* kernel for one notebook: a new session with a clean namespace, its own resource
limits and the learner's files copied into a size-limited tmpfs. A kernel is never reused. After each
notebook the grader asks for a ``sweep``: every process in the sandbox except this server is killed
and the scratch folders are emptied, so nothing one learner's code leaves behind reaches the next.

Protocol: one JSON object per line in each direction (``{"op": ...}`` → ``{"ok": true, ...}``).
This process stays single-threaded (forking a threaded process is unsafe).
"""

from __future__ import annotations

import ctypes
import io
import json
import os
import resource
import shutil
import signal
import stat
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
PR_SET_DUMPABLE = 4
PR_SET_PDEATHSIG = 1

_children: dict[int, int | None] = {}  # pid -> wait status (None while running)
_log = sys.stderr


def log(msg: str) -> None:
    try:
        _log.write(f"[zygote {time.strftime('%H:%M:%S')}] {msg}\n")
        _log.flush()
    except Exception:
        pass


def _prctl(option: int, arg: int) -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(option, arg, 0, 0, 0)
    except Exception:
        pass


def prewarm(modules: list[str], known: list[str] | None = None) -> dict:
    """Import and exercise the heavy libraries once, so every forked kernel starts warm."""
    t0 = time.monotonic()
    done, failed = [], []
    import numpy  # noqa: F401
    import pandas as pd

    # pandas lazily imports its formatters, parsers and HTML repr on first use.
    frame = pd.DataFrame({"month": ["2020-01", "2020-02"], "x": [1.0, float("nan")]})
    frame._repr_html_()
    frame.to_string()
    frame["x"].median()
    pd.read_csv(io.StringIO("a,b\n1,2\n"))
    import matplotlib

    # Render once with text (font loading, glyph caches) without choosing pyplot's backend: the
    # kernel picks the inline backend itself, as a normal kernel would.
    import matplotlib.pyplot  # noqa: F401
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 3))
    ax = fig.subplots()
    ax.plot([1, 2, 3], [3, 1, 2], marker="o")
    ax.set_title("warm-up")
    ax.set_xlabel("x")
    ax.axhline(2, linestyle="--")
    FigureCanvasAgg(fig).print_png(io.BytesIO())
    del fig, ax, frame
    done += ["numpy", "pandas", "matplotlib"]
    for name in modules:
        try:
            __import__(name)
            done.append(name)
        except Exception as exc:  # a missing optional module must not stop grading
            failed.append(f"{name}: {type(exc).__name__}: {exc}")
    # The kernel machinery itself.
    import ipykernel.ipkernel  # noqa: F401
    import ipykernel.kernelapp  # noqa: F401
    import ipykernel.zmqshell  # noqa: F401
    import IPython  # noqa: F401
    import jupyter_client.session  # noqa: F401
    import qikit_guard  # noqa: F401
    import zmq  # noqa: F401

    scouted = list(known) if known else _scout()
    for name in scouted:
        if name not in sys.modules:
            try:
                __import__(name)
            except BaseException:
                pass
    matplotlib.rcParams.update({})  # touch rcParams so they are parsed before forking
    import gc

    gc.collect()
    gc.freeze()  # keep the warm heap out of the children's collections: faster, and copy-on-write stays shared
    return {
        "seconds": round(time.monotonic() - t0, 3),
        "modules": done,
        "failed": failed,
        "scouted": scouted if not known else len(scouted),
    }


SCOUT_CODE = """
import pandas as pd
import matplotlib.pyplot as plt
_df = pd.DataFrame({"a": [1.0, 2.0, float("nan")], "b": ["x", "y", "z"]})
display(_df)
_fig, _ax = plt.subplots()
_ax.plot([1, 2, 3], [2, 1, 3], marker="o")
_ax.set_title("warm-up")
import warnings
warnings.warn("warm-up", UserWarning)
try:
    assert 1 == 2, "warm-up"
except AssertionError:
    pass
1 / 0
"""


def _scout() -> list[str]:
    """Start one throw-away kernel in a child and report which modules a kernel start imports.

    The fork server then imports them itself (it cannot start a kernel: that would create threads),
    so each real kernel starts without importing anything.
    """
    tmp = os.environ.get("TMPDIR", "/tmp")
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            null = os.open("/dev/null", os.O_RDWR)
            os.dup2(null, 1)
            before = set(sys.modules)
            from ipykernel.kernelapp import IPKernelApp
            from jupyter_client.connect import write_connection_file

            fn, _ = write_connection_file(
                os.path.join(tmp, "qikit-scout.json"), transport="ipc", ip=os.path.join(tmp, "qikit-scout")
            )
            app = IPKernelApp.instance()
            app.initialize(["-f", fn, "--HistoryManager.hist_file=:memory:"])
            app.shell.run_cell(SCOUT_CODE, store_history=False)
            new = sorted(set(sys.modules) - before)
            os.write(w, json.dumps(new).encode())
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(0)
    os.close(w)
    chunks = []
    while True:
        b = os.read(r, 65536)
        if not b:
            break
        chunks.append(b)
    os.close(r)
    os.waitpid(pid, 0)
    for name in os.listdir(tmp):
        if name.startswith("qikit-scout"):
            try:
                os.unlink(os.path.join(tmp, name))
            except OSError:
                pass
    try:
        names = json.loads(b"".join(chunks) or b"[]")
    except ValueError:
        return []
    return [n for n in names if n != "__main__" and not n.startswith("ipykernel_launcher")]


def _prepare_mplconfig() -> None:
    """matplotlib wants a writable config folder; give it one with the grader's font cache in it."""
    src = os.environ.get("MPLCONFIGDIR", "")
    if not src or os.access(src, os.W_OK):
        return
    dest = os.path.join(os.environ.get("TMPDIR", "/tmp"), ".matplotlib")
    os.makedirs(dest, exist_ok=True)
    for name in os.listdir(src):
        if name.endswith(".json"):
            shutil.copyfile(os.path.join(src, name), os.path.join(dest, name))
    os.environ["MPLCONFIGDIR"] = dest


def _reap() -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        if pid in _children:
            _children[pid] = status


def _describe(status: int | None) -> dict:
    if status is None:
        return {"running": True}
    if os.WIFSIGNALED(status):
        return {"running": False, "signal": os.WTERMSIG(status), "returncode": -os.WTERMSIG(status)}
    return {"running": False, "returncode": os.WEXITSTATUS(status)}


def _clear_dir(path: str) -> None:
    """Remove everything inside ``path`` that lives on the same filesystem (never a mount point)."""
    try:
        dev = os.lstat(path).st_dev
        entries = os.listdir(path)
    except OSError:
        return
    for name in entries:
        full = os.path.join(path, name)
        try:
            st = os.lstat(full)
        except OSError:
            continue
        if st.st_dev != dev:
            continue  # a bind mount (e.g. the ipc folder): leave it
        try:
            if stat.S_ISDIR(st.st_mode):
                # may contain a mount point further down (the ipc folder lives under /tmp)
                sub_has_mount = False
                for root, dirs, _files in os.walk(full):
                    for d in dirs:
                        try:
                            if os.lstat(os.path.join(root, d)).st_dev != dev:
                                sub_has_mount = True
                        except OSError:
                            pass
                if sub_has_mount:
                    for sub in os.listdir(full):
                        _clear_tree_keep_mounts(os.path.join(full, sub), dev)
                else:
                    # make sure we may delete what a learner made read-only
                    for root, dirs, _files in os.walk(full):
                        for d in dirs:
                            try:
                                os.chmod(os.path.join(root, d), 0o700)
                            except OSError:
                                pass
                    os.chmod(full, 0o700)
                    shutil.rmtree(full, ignore_errors=True)
            else:
                os.unlink(full)
        except OSError:
            pass


def _clear_tree_keep_mounts(path: str, dev: int) -> None:
    try:
        st = os.lstat(path)
    except OSError:
        return
    if st.st_dev != dev:
        return
    if stat.S_ISDIR(st.st_mode):
        for name in os.listdir(path):
            _clear_tree_keep_mounts(os.path.join(path, name), dev)
        try:
            os.rmdir(path)
        except OSError:
            pass  # a parent of a mount point stays
    else:
        try:
            os.unlink(path)
        except OSError:
            pass


def _copy_in(src: str, dest: str) -> None:
    """Copy the learner's files (regular files and folders only; never symlinks) into ``dest``."""
    for name in os.listdir(src):
        s, d = os.path.join(src, name), os.path.join(dest, name)
        st = os.lstat(s)
        if stat.S_ISDIR(st.st_mode):
            os.mkdir(d)
            _copy_in(s, d)
        elif stat.S_ISREG(st.st_mode):
            shutil.copyfile(s, d)


def sweep(scratch: list[str]) -> dict:
    """Kill every other process in the sandbox and empty the scratch folders."""
    killed = 0
    for _ in range(50):
        try:
            os.kill(-1, signal.SIGKILL)  # Linux: every process we may signal, except us and init
            killed += 1
        except ProcessLookupError:
            break
        except OSError:
            break
        time.sleep(0.01)
        _reap()
    _reap()
    for path in scratch:
        _clear_dir(path)
    return {"killed_rounds": killed}


def _set_limits(limits: dict) -> None:
    table = {
        "cpu": resource.RLIMIT_CPU,
        "as": resource.RLIMIT_AS,
        "nproc": resource.RLIMIT_NPROC,
        "fsize": resource.RLIMIT_FSIZE,
        "nofile": resource.RLIMIT_NOFILE,
        "core": resource.RLIMIT_CORE,
        "stack": resource.RLIMIT_STACK,
    }
    for key, value in limits.items():
        if key in table and value is not None:
            soft = int(value)
            hard = soft + 5 if key == "cpu" else soft  # SIGXCPU first, then SIGKILL
            resource.setrlimit(table[key], (soft, hard))


def _kernel_child(req: dict) -> None:
    """In the forked child: become a fresh kernel process for one notebook. Never returns."""
    code = 1
    try:
        os.setsid()
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # if the fork server dies, so does this kernel, at once
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD, signal.SIGPIPE, signal.SIGXCPU):
            signal.signal(sig, signal.SIG_DFL)
        # A file over the size limit: an OSError (EFBIG) for the learner's code, not a dead kernel.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        null = os.open("/dev/null", os.O_RDWR)
        logfd = os.open(req.get("log") or "/dev/null", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(null, 0)
        os.dup2(logfd, 1)
        os.dup2(logfd, 2)
        os.closerange(3, 4096)
        sys.stdin = open(0, closefd=False)
        sys.stdout = open(1, "w", closefd=False, buffering=1)
        sys.stderr = open(2, "w", closefd=False, buffering=1)
        os.environ.clear()
        os.environ.update(req.get("env", {}))
        os.chdir(req["cwd"])
        os.umask(0o077)
        # Fresh randomness per kernel, as in a newly started process.
        import random

        random.seed()
        try:
            import numpy as np

            np.random.seed()
        except Exception:
            pass
        import gc

        gc.unfreeze()
        _set_limits(req.get("limits", {}))
        sys.argv = ["ipykernel_launcher", "-f", req["connection_file"], *req.get("extra_arguments", [])]
        if "" not in sys.path:
            sys.path.insert(0, "")
        import qikit_guard
        from ipykernel.kernelapp import IPKernelApp

        t0 = time.monotonic()
        app = IPKernelApp.instance()
        app.initialize(sys.argv[1:])
        t1 = time.monotonic()
        _inline_integration()
        qikit_guard.install(app)
        if os.environ.get("QIKIT_ZYGOTE_TIMING"):
            print(
                f"[qikit] initialize {t1 - t0:.3f}s guard {time.monotonic() - t1:.3f}s", file=sys.__stderr__, flush=True
            )
        app.start()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:
            pass
        os._exit(code)


def _inline_integration() -> None:
    """Register matplotlib-inline with the new shell, as its first import would in a normal kernel."""
    mod = sys.modules.get("matplotlib_inline.backend_inline")
    if mod is not None and hasattr(mod, "_enable_matplotlib_integration"):
        try:
            mod._enable_matplotlib_integration()
        except Exception:
            traceback.print_exc()


def spawn(req: dict) -> dict:
    cwd = req["cwd"]
    _clear_dir(cwd)
    if req.get("copy_from"):
        _copy_in(req["copy_from"], cwd)
    pid = os.fork()
    if pid == 0:
        _kernel_child(req)  # never returns
    _children[pid] = None
    return {"pid": pid}


def main() -> None:
    global _log
    ctl_in = os.fdopen(int(sys.argv[1]), "r", buffering=1, encoding="utf-8")
    ctl_out = os.fdopen(int(sys.argv[2]), "w", buffering=1, encoding="utf-8")
    # Anything a library prints while warming up goes to the log, never into the control pipe.
    os.dup2(2, 1)
    sys.path.insert(0, HERE)
    _prepare_mplconfig()
    _prctl(PR_SET_DUMPABLE, 0)  # kernels we fork cannot ptrace us or read our memory
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    config = json.loads(ctl_in.readline())
    try:
        info = prewarm(config.get("preload", []), config.get("known_modules"))
        import threading

        info["threads"] = threading.active_count()
        info["native_threads"] = len(os.listdir("/proc/self/task"))
        ctl_out.write(json.dumps({"ok": True, "ready": True, **info}) + "\n")
    except BaseException as exc:
        ctl_out.write(json.dumps({"ok": False, "error": f"{type(exc).__name__}: {exc}"}) + "\n")
        raise
    scratch = config.get("scratch", [])
    for line in ctl_in:
        try:
            req = json.loads(line)
            op = req.get("op")
            _reap()
            if op == "spawn":
                reply = spawn(req)
            elif op == "poll":
                reply = _describe(_children.get(int(req["pid"]), 0))
            elif op == "signal":
                pid, sig = int(req["pid"]), int(req["sig"])
                if _children.get(pid, 0) is None:
                    try:
                        os.killpg(pid, sig)
                    except OSError:
                        try:
                            os.kill(pid, sig)
                        except OSError:
                            pass
                reply = {}
            elif op == "sweep":
                reply = sweep(scratch)
                _children.clear()
            elif op == "ping":
                reply = {"pid": os.getpid()}
            elif op == "exit":
                sweep(scratch)
                ctl_out.write(json.dumps({"ok": True}) + "\n")
                return
            else:
                raise ValueError(f"unknown op {op!r}")
            ctl_out.write(json.dumps({"ok": True, **reply}) + "\n")
        except Exception as exc:
            log(traceback.format_exc())
            ctl_out.write(json.dumps({"ok": False, "error": f"{type(exc).__name__}: {exc}"}) + "\n")


if __name__ == "__main__":
    main()
