"""The integrity guard inside each learner's kernel.

Installed right after the kernel starts, *before* any learner code runs. It snapshots what the test
cells rely on — builtins, the modules tests import (math, numpy, pandas, ...), ``sys.modules``, import
hooks, IPython's input transformers and event hooks, the shell's and kernel's methods, trace
functions, the SIGINT handler — and answers two requests the grader sends on the shell channel
(``qikit_guard_request``, handled without going through ``run_cell``, so a learner who patched the
shell cannot skip it):

* ``before_test``: restore everything above to the snapshot, temporarily remove names in the
  learner's namespace that shadow builtins or helpers defined by locked cells, stop learner threads,
  and report what had been tampered with;
* ``after_test``: put the learner's own names back (so later answer cells behave as they did);
* ``checkpoint``: after a locked (instructor) cell, remember the modules and functions it defined.

This raises the bar and reports what it saw; it is not a proof against a learner who studies the
guard and attacks it from inside the same process. The sandbox around the kernel, not this guard,
protects the gradebook, the source notebooks and other learners.
"""

from __future__ import annotations

import builtins
import signal
import sys
import threading
import types

GUARDED_MODULES = [
    "builtins",
    "math",
    "cmath",
    "operator",
    "functools",
    "itertools",
    "statistics",
    "numbers",
    "decimal",
    "fractions",
    "re",
    "json",
    "copy",
    "warnings",
    "types",
    "random",
    "numpy",
    "numpy.testing",
    "numpy.linalg",
    "pandas",
    "pandas.testing",
    "pandas.api.types",
    "IPython.core.interactiveshell",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.kernelbase",
]
GUARDED_CLASS_PATHS = [
    ("numpy", "ndarray"),
    ("pandas", "Series"),
    ("pandas", "DataFrame"),
    ("pandas", "Index"),
    ("IPython.core.interactiveshell", "InteractiveShell"),
    ("ipykernel.zmqshell", "ZMQInteractiveShell"),
    ("ipykernel.ipkernel", "IPythonKernel"),
    ("ipykernel.kernelbase", "Kernel"),
]
RIGGABLE_DUNDERS = (
    "__eq__",
    "__ne__",
    "__lt__",
    "__le__",
    "__gt__",
    "__ge__",
    "__bool__",
    "__float__",
    "__int__",
    "__index__",
    "__round__",
    "__abs__",
    "__len__",
    "__hash__",
    "__instancecheck__",
    "__subclasscheck__",
)
SCALARS = (bool, int, float, complex, str, bytes, tuple, list, dict, set, frozenset)
LIBRARY_HOOK_MODULES = ("matplotlib_inline", "matplotlib", "IPython", "ipykernel", "ipywidgets", "comm")

_state: dict = {}


def _is_learner_code(obj) -> bool:
    """True if ``obj`` is a function, method or class written in a notebook cell (not a library)."""
    func = getattr(obj, "__func__", obj)
    code = getattr(func, "__code__", None)
    if code is not None:
        name = code.co_filename
        return name.startswith(_state.get("cell_prefix", "\0")) or name.startswith("<")
    if isinstance(obj, type):
        return obj.__module__ == "__main__"
    return getattr(obj, "__module__", None) == "__main__"


def _describe(obj) -> str:
    return getattr(obj, "__qualname__", None) or type(obj).__name__


def _snapshot_dict(d: dict, include_private: bool = False) -> dict:
    return {
        k: v
        for k, v in d.items()
        if include_private or not k.startswith("_") or (k.startswith("__") and k.endswith("__"))
    }


def install(app) -> None:
    """Snapshot the pristine state and register the request handler on the kernel."""
    import tempfile

    shell = app.shell
    kernel = app.kernel
    _state["shell"] = shell
    _state["kernel"] = kernel
    _state["cell_prefix"] = tempfile.gettempdir().rstrip("/") + "/ipykernel_"
    _state["builtins"] = dict(builtins.__dict__)
    _state["builtins_dict"] = builtins.__dict__
    _state["ns0"] = dict(shell.user_ns)
    modules = {}
    for name in GUARDED_MODULES:
        mod = sys.modules.get(name)
        if mod is None:
            try:
                mod = __import__(name, fromlist=["_"])
            except Exception:
                continue
        modules[name] = (mod, _snapshot_dict(vars(mod)))
    _state["modules"] = modules
    classes = {}
    for modname, clsname in GUARDED_CLASS_PATHS:
        mod = sys.modules.get(modname)
        cls = getattr(mod, clsname, None) if mod else None
        if isinstance(cls, type):
            classes[f"{modname}.{clsname}"] = (cls, _snapshot_dict(dict(vars(cls))))
    _state["classes"] = classes
    _state["meta_path"] = list(sys.meta_path)
    _state["path_hooks"] = list(sys.path_hooks)
    _state["sys_hooks"] = {k: getattr(sys, k) for k in ("displayhook", "excepthook", "stdout", "stderr")}
    _state["recursionlimit"] = sys.getrecursionlimit()
    _state["switchinterval"] = sys.getswitchinterval()
    _state["sigint"] = signal.getsignal(signal.SIGINT)
    _state["transformers"] = {
        k: list(getattr(shell, k, []) or [])
        for k in ("input_transformers_cleanup", "input_transformers_post", "ast_transformers")
    }
    _state["events"] = {k: list(v) for k, v in shell.events.callbacks.items()}
    _state["threads"] = {t.ident for t in threading.enumerate()}
    _state["locked_names"] = {}
    _state["stash"] = {}
    _state["audit"] = []
    import os

    _state["cwd"] = os.getcwd()
    import warnings

    _state["warning_filters"] = list(warnings.filters)
    try:
        import numpy as np

        _state["np_err"] = np.geterr()
    except Exception:
        _state["np_err"] = None

    def audit(event, args):
        if event == "sys.addaudithook":
            if _state.get("armed"):
                _state["audit"].append("tried to add an audit hook (blocked)")
                raise RuntimeError("blocked by the grader")
        elif event.startswith("ctypes.") and _state.get("armed") and not _state.get("busy"):
            if len(_state["audit"]) < 50:
                _state["audit"].append(f"used ctypes ({event})")

    sys.addaudithook(audit)
    _state["armed"] = True
    kernel.shell_handlers["qikit_guard_request"] = _handle


def _handle(stream, ident, parent):
    kernel = _state["kernel"]
    content = parent.get("content", {})
    action = content.get("action")
    _state["busy"] = True
    try:
        if action == "before_test":
            reply = {"status": "ok", "findings": before_test()}
        elif action == "after_test":
            after_test()
            reply = {"status": "ok", "findings": []}
        elif action == "checkpoint":
            checkpoint()
            reply = {"status": "ok", "findings": []}
        else:
            reply = {"status": "error", "findings": [], "error": f"unknown action {action!r}"}
    except Exception as exc:  # never let the guard itself break the kernel
        reply = {"status": "error", "findings": [], "error": f"{type(exc).__name__}: {exc}"}
    finally:
        _state["busy"] = False
    kernel.session.send(stream, "qikit_guard_reply", reply, parent, ident)


def checkpoint() -> None:
    """Remember the modules, functions and classes that a locked (instructor) cell bound."""
    ns = _state["shell"].user_ns
    for name, value in list(ns.items()):
        if name.startswith("_") or name in _state["locked_names"]:
            continue
        if isinstance(value, types.ModuleType) or (
            callable(value) and not _is_learner_code(value) and not isinstance(value, SCALARS)
        ):
            _state["locked_names"][name] = value


def _restore_mapping(label, target_set, target_del, current: dict, snap: dict, findings: list) -> None:
    for key, value in snap.items():
        if key not in current:
            target_set(key, value)
            findings.append(f"deleted {label}{key} (restored)")
        elif current[key] is not value:
            new = current[key]
            target_set(key, value)
            findings.append(f"replaced {label}{key} with {_describe(new)} (restored)")


def _restore_builtins(findings: list) -> None:
    # Runs first and uses only dict operations on objects captured at install time, so that a
    # learner who replaced builtins such as ``vars`` or ``isinstance`` cannot subvert the rest.
    bd = _state["builtins_dict"]
    for key, value in _state["builtins"].items():
        if bd.get(key, bd) is not value:
            bd[key] = value
            if not key.startswith("_") or key in ("__import__", "__build_class__"):
                findings.append("replaced the built-in " + key + " (restored)")


def before_test() -> list[str]:
    findings: list[str] = []
    _restore_builtins(findings)
    # Threads started by learner code keep running between cells (and could undo what follows): stop them.
    stopped = []
    for t in threading.enumerate():
        if t.ident in _state["threads"] or t is threading.current_thread():
            continue
        target = getattr(t, "_target", None) or getattr(type(t), "run", None)
        if target is not None and _is_learner_code(target):
            _stop_thread(t)
            stopped.append(t)
            findings.append(f"left a background thread running ({t.name}; stopped)")
    for t in stopped:
        t.join(0.5)
    shell = _state["shell"]
    kernel = _state["kernel"]
    ns = shell.user_ns

    # 1. builtins, guarded modules and classes
    for name, (mod, snap) in _state["modules"].items():
        if name == "builtins":
            continue
        d = vars(mod)
        _restore_mapping(f"{name}.", lambda k, v, m=mod: setattr(m, k, v), None, d, snap, findings)
        if sys.modules.get(name) is not mod:
            sys.modules[name] = mod
            findings.append(f"replaced the module {name} in sys.modules (restored)")
    for qual, (cls, snap) in _state["classes"].items():
        d = dict(vars(cls))
        for key, value in snap.items():
            if d.get(key, None) is not value:
                try:
                    setattr(cls, key, value)
                    findings.append(f"replaced {qual}.{key} (restored)")
                except Exception:
                    findings.append(f"replaced {qual}.{key} (could not restore)")
        for key in d.keys() - snap.keys():
            if key in RIGGABLE_DUNDERS:
                try:
                    delattr(cls, key)
                    findings.append(f"added {qual}.{key} (removed)")
                except Exception:
                    pass
    # 2. import system, sys hooks, tracing, signals
    if sys.meta_path != _state["meta_path"]:
        sys.meta_path[:] = _state["meta_path"]
        findings.append("changed the import system (sys.meta_path; restored)")
    if sys.path_hooks != _state["path_hooks"]:
        sys.path_hooks[:] = _state["path_hooks"]
        findings.append("changed the import system (sys.path_hooks; restored)")
    for key, value in _state["sys_hooks"].items():
        if getattr(sys, key) is not value:
            setattr(sys, key, value)
            if key in ("displayhook", "excepthook"):
                findings.append(f"replaced sys.{key} (restored)")
    if sys.gettrace() is not None or sys.getprofile() is not None:
        sys.settrace(None)
        sys.setprofile(None)
        findings.append("installed a trace or profile function (removed)")
    threading.settrace(None)
    threading.setprofile(None)
    if sys.getrecursionlimit() != _state["recursionlimit"]:
        sys.setrecursionlimit(_state["recursionlimit"])
    if sys.getswitchinterval() != _state["switchinterval"]:
        sys.setswitchinterval(_state["switchinterval"])
    import os

    try:
        if os.getcwd() != _state["cwd"]:
            os.chdir(_state["cwd"])
    except OSError:
        try:
            os.chdir(_state["cwd"])
        except OSError:
            pass
    # Warnings must never turn a correct answer into a failure: reset the filters and numpy's error mode.
    import warnings

    if warnings.filters != _state["warning_filters"]:
        warnings.filters[:] = _state["warning_filters"]
        warnings._filters_mutated()
    if _state.get("np_err") is not None:
        try:
            import numpy as np

            if np.geterr() != _state["np_err"]:
                np.seterr(**_state["np_err"])
        except Exception:
            pass
    # 3. IPython: transformers, event hooks, patched methods on the shell and kernel
    for key, snap in _state["transformers"].items():
        cur = getattr(shell, key, None)
        if cur is not None and list(cur) != snap:
            cur[:] = snap
            findings.append(f"added an IPython input/AST transformer ({key}; removed)")
    for event, cbs in shell.events.callbacks.items():
        snap = _state["events"].get(event, [])
        keep = []
        for cb in cbs:
            if cb in snap:
                keep.append(cb)
                continue
            mod = getattr(cb, "__module__", "") or ""
            if mod.startswith(LIBRARY_HOOK_MODULES) and not _is_learner_code(cb):
                keep.append(cb)  # e.g. matplotlib-inline's flush_figures
            else:
                findings.append(f"registered an IPython '{event}' hook ({_describe(cb)}; removed)")
        if keep != cbs:
            cbs[:] = keep
    for obj, label in ((shell, "the IPython shell"), (kernel, "the kernel")):
        for key, value in list(vars(obj).items()):
            if callable(value) and _is_learner_code(value):
                try:
                    delattr(obj, key)
                    findings.append(f"patched {label} ({key}; restored)")
                except Exception:
                    findings.append(f"patched {label} ({key}; could not restore)")
    # 4. the learner's namespace: names that shadow builtins or locked helpers, for the test only
    stash = _state["stash"] = {}
    bdict = _state["builtins"]
    if ns.get("__builtins__") is not builtins:
        stash["__builtins__"] = (ns.get("__builtins__"), builtins)
        ns["__builtins__"] = builtins
        findings.append("replaced __builtins__ in the notebook (restored)")
    ns0 = _state["ns0"]
    for name in list(ns):
        if name.startswith("_") or (name in ns0 and ns[name] is ns0[name]):
            continue
        if name in bdict and ns[name] is not bdict[name]:
            value = ns.pop(name)
            stash[name] = (value, None)
            if callable(value):
                findings.append(f"redefined the built-in {name} (the tests used the real one)")
    for name, original in _state["locked_names"].items():
        if name in ns and ns[name] is not original:
            stash[name] = (ns[name], original)
            findings.append(f"redefined {name} from a locked cell (the tests used the original)")
            ns[name] = original
    # 6. answers whose class rigs comparisons or conversions
    for name, value in list(ns.items()):
        if name.startswith("_") or isinstance(value, (types.ModuleType, types.FunctionType, type)):
            continue
        cls = type(value)
        if cls.__module__ == "__main__" or _is_learner_code(cls):
            rigged = [d for d in RIGGABLE_DUNDERS if _overrides(cls, d)]
            if rigged or issubclass(cls, SCALARS):
                findings.append(
                    f"{name} is an instance of the notebook's own class {cls.__name__}"
                    + (f" that overrides {', '.join(rigged)}" if rigged else "")
                )
    findings.extend(_state["audit"])
    _state["audit"] = []
    return findings


def _overrides(cls: type, dunder: str) -> bool:
    value = vars(cls).get(dunder, None)
    if value is None:
        return False
    if hasattr(cls, "__dataclass_fields__"):
        code = getattr(value, "__code__", None)
        if code is not None and code.co_filename.startswith("<"):
            return False  # generated by @dataclass: compares fields honestly
    return True


def after_test() -> None:
    ns = _state["shell"].user_ns
    for name, (learner_value, placed) in _state.get("stash", {}).items():
        current = ns.get(name, None)
        if placed is None and name not in ns:
            ns[name] = learner_value
        elif placed is not None and current is placed:
            ns[name] = learner_value
    _state["stash"] = {}


def _stop_thread(t: threading.Thread) -> None:
    try:
        import ctypes

        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(t.ident), ctypes.py_object(SystemExit))
    except Exception:
        pass
