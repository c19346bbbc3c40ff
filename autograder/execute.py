"""nbgrader's ``Execute`` preprocessor, hardened for untrusted notebooks.

:class:`SandboxedExecute` replaces ``nbgrader.preprocessors.Execute`` in the autograde step. It runs
the notebook in a kernel from the worker's sandbox (:mod:`autograder.sandbox`) and adds:

* a **wall-clock budget per notebook**, on top of the per-cell timeout;
* **kernel death and uninterruptible cells**: the cell is marked as failed, a fresh kernel replays
  the cells before it, and grading goes on after it (at most ``max_restarts`` times);
* **output limits**: at most ``output_bytes_per_cell`` is kept per cell, and a kernel that floods more
  than ``output_bytes_flood`` is stopped;
* the **integrity guard** (``sandbox_runtime/qikit_guard.py``): before each test cell the kernel's
  builtins, modules and hooks are restored and tampering is reported;
* **no rigged partial credit**: a result value that appears in a test cell whose code does not end in
  an expression (so it can only come from the learner's code), or that comes with an error, is dropped.

What happened is written beside the grader's state as ``.qikit/exec/<assignment>/<student>/<nb>.json``
and becomes the learner's ``reason`` in ``grades.csv``.
"""

from __future__ import annotations

import ast
import json
import os
import signal
import time
from pathlib import Path
from queue import Empty

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_sync
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer, Type

from autograder.sandbox import SandboxKernelManager, ZygoteError, current_zygote

SIGNAL_NAMES = {
    signal.SIGKILL: "was killed (SIGKILL: out of memory, or stopped by the grader)",
    signal.SIGXCPU: "used up its CPU-time limit",
    signal.SIGXFSZ: "tried to write a file larger than the limit",
    signal.SIGSEGV: "crashed (segmentation fault)",
    signal.SIGABRT: "aborted (SIGABRT)",
    signal.SIGBUS: "crashed (bus error)",
    signal.SIGTERM: "was terminated",
}


def is_test_cell(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution") and cell.get("cell_type") == "code"


def is_locked_code(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return (
        cell.get("cell_type") == "code"
        and bool(meta.get("locked"))
        and not meta.get("solution")
        and not meta.get("grade")
    )


def ends_with_expression(source: str) -> bool:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    return bool(tree.body) and isinstance(tree.body[-1], ast.Expr)


def cell_label(cell, index: int, cells=None) -> str:
    gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    if gid:
        return gid
    if cells is not None:
        for j in range(index - 1, -1, -1):
            prev = cells[j].get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if prev:
                return f"cell {index + 1} (after {prev})"
    return f"cell {index + 1}"


def _error(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


class _KernelStopped(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class SandboxedExecute(Execute):
    """Execute a learner's notebook in the sandbox, robustly (see the module docstring)."""

    kernel_manager_class = Type(SandboxKernelManager, config=True)
    notebook_wall_seconds = Integer(600, help="wall-clock budget for one notebook").tag(config=True)
    max_restarts = Integer(2, help="fresh kernels after a kernel died or a cell could not be stopped").tag(config=True)
    output_bytes_per_cell = Integer(1024 * 1024).tag(config=True)
    output_bytes_flood = Integer(64 * 1024 * 1024).tag(config=True)
    guard = Bool(True, help="run the integrity guard around test cells").tag(config=True)
    guard_timeout = Integer(10).tag(config=True)

    def __init__(self, **kw):
        kw.setdefault("kernel_manager_class", SandboxKernelManager)
        super().__init__(**kw)
        self.shutdown_kernel = "immediate"

    # -- the notebook ----------------------------------------------------------------------------
    def preprocess(self, nb, resources=None, km=None):
        from nbclient.client import NotebookClient

        NotebookClient.__init__(self, nb, km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        t0 = time.monotonic()
        self._deadline = t0 + self.notebook_wall_seconds
        self._findings: list[str] = []
        self._events: list[str] = []
        self._skip: dict[int, str] = {}  # cell index -> why it was taken out of the run
        self._out_of_time = False
        restarts = 0
        start_failures = 0
        start = 0
        n = len(self.nb.cells)
        while True:
            self._current = None
            self._flooded = None
            self._blame = None
            try:
                with self.setup_kernel():
                    info = self.wait_for_reply(self.kc.kernel_info())
                    if info is not None:
                        self.nb.metadata["language_info"] = info["content"]["language_info"]
                    for index in range(n):
                        if index in self._skip:
                            continue
                        if index >= start and time.monotonic() >= self._deadline:
                            self._out_of_time = True
                            break
                        self._run_cell(index, replay=index < start)
                break
            except KeyboardInterrupt:
                raise
            except Exception as exc:  # the kernel died, hung, or spoke garbage: that cell's fault
                if self._current is None:
                    # The kernel never started: a problem of the grader's sandbox, not of the notebook.
                    start_failures += 1
                    if start_failures > 1:
                        raise RuntimeError(f"the sandbox could not start a kernel: {exc}") from exc
                    current_zygote().start()
                    continue
                index = self._current
                if self._blame is not None:
                    index = self._blame[0]
                reason = self._death_reason(exc)
                cell = self.nb.cells[index]
                self._skip[index] = reason
                cell.outputs = [_error("KernelStopped", f"This cell {reason}. The grader went on without it.")]
                self._events.append(f"{cell_label(cell, index, self.nb.cells)} {reason}")
                restarts += 1
                if time.monotonic() >= self._deadline:
                    self._out_of_time = True
                    break
                if restarts > self.max_restarts:
                    self._events.append("too many kernel restarts: the remaining cells were not run")
                    break
                start = index + 1
                try:
                    current_zygote().ensure()
                except Exception as zexc:
                    self._events.append(f"the sandbox could not be restarted ({zexc})")
                    break
        not_run = [
            i
            for i, c in enumerate(self.nb.cells)
            if c.cell_type == "code" and c.source.strip() and i not in self._executed and i not in self._skip
        ]
        why = "the notebook used up its time budget" if self._out_of_time else "the kernel was stopped earlier"
        for i in not_run:
            self.nb.cells[i].outputs = [_error("NotRun", f"Not run: {why}.")]
        if self._out_of_time:
            self._events.append(
                f"time budget of {self.notebook_wall_seconds} s for the notebook used up"
                + (f"; {len(not_run)} cell(s) not run" if not_run else "")
            )
        self.set_widgets_metadata()
        self._write_report(time.monotonic() - t0, restarts)
        return self.nb, self.resources

    def _death_reason(self, exc: Exception) -> str:
        if isinstance(exc, _KernelStopped):
            return exc.reason
        if self._blame is not None:
            return self._blame[1]
        prov = getattr(self, "_prov", None)
        if prov is not None and getattr(prov, "limit_hit", None):
            return prov.limit_hit
        if isinstance(exc, CellTimeoutError):
            return f"did not stop after the time limit ({self.timeout} s) and the kernel had to be stopped"
        if isinstance(exc, ZygoteError):
            return "took the sandbox down"
        if not isinstance(exc, (DeadKernelError, RuntimeError)):
            return f"broke the kernel's messages ({type(exc).__name__}: {str(exc)[:80]}) and the kernel was stopped"
        info = getattr(prov, "exit_info", None) or {}
        if "signal" in info:
            sig = info["signal"]
            return "stopped the kernel: it " + SIGNAL_NAMES.get(sig, f"got signal {sig}")
        if "returncode" in info:
            return f"ended the kernel (exit code {info['returncode']}, e.g. os._exit or a crash)"
        if time.monotonic() >= self._deadline:
            return "ran past the notebook's time budget"
        return f"stopped the kernel ({type(exc).__name__}: {str(exc)[:120]})"

    def _get_timeout(self, cell):
        timeout = super()._get_timeout(cell)
        left = max(1, int(self._deadline - time.monotonic())) if hasattr(self, "_deadline") else None
        if left is None:
            return timeout
        return left if timeout is None else min(timeout, left)

    # -- one cell --------------------------------------------------------------------------------
    def _run_cell(self, index: int, replay: bool = False) -> None:
        cell = self.nb.cells[index]
        if cell.cell_type != "code":
            return
        self._current = index
        self._prov = getattr(getattr(self, "km", None), "provisioner", None)
        self._cell_bytes = 0
        self._cell_truncated = False
        test = is_test_cell(cell)
        if test and self.guard:
            found = self._guard("before_test")
            for f in found:
                if f not in self._findings:
                    self._findings.append(f)
        self.execute_cell(cell, index, store_history=True)
        self._executed.add(index)
        # A cell that killed the fork server (and so, a moment later, its own kernel) is this one:
        # the server cannot answer once a kill is pending, however fast the cell finished.
        try:
            current_zygote().request({"op": "ping"}, timeout=10)
        except ZygoteError:
            raise _KernelStopped("killed the sandbox's fork server (and with it the kernel)") from None
        if test:
            if self.guard:
                self._guard("after_test")
            self._sanitize_test_outputs(cell, index)
        elif is_locked_code(cell) and self.guard:
            self._guard("checkpoint")

    def reset_execution_trackers(self):
        super().reset_execution_trackers()
        self._executed = set()

    def _sanitize_test_outputs(self, cell, index: int) -> None:
        outs = cell.get("outputs", [])
        results = [o for o in outs if o.get("output_type") == "execute_result"]
        if not results:
            return
        has_error = any(o.get("output_type") == "error" for o in outs)
        legit = ends_with_expression(cell.source) and len(results) == 1 and not has_error
        if not legit:
            cell.outputs = [o for o in outs if o.get("output_type") != "execute_result"]
            if not ends_with_expression(cell.source):
                msg = f"a value was injected into the result of the test cell {cell_label(cell, index)} (ignored)"
                if msg not in self._findings:
                    self._findings.append(msg)

    async def _async_guard(self, action: str) -> list[str]:
        kc = self.kc
        msg = kc.session.msg("qikit_guard_request", {"action": action})
        kc.shell_channel.send(msg)
        msg_id = msg["header"]["msg_id"]
        deadline = time.monotonic() + self.guard_timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return [
                    f"the grader's integrity check got no answer before {action.replace('_', ' ')} (tampered with?)"
                ]
            try:
                reply = await kc.shell_channel.get_msg(timeout=min(left, 1.0))
            except Empty:
                if not await self.kc.is_alive():
                    raise DeadKernelError("Kernel died") from None
                continue
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                content = reply.get("content", {})
                if content.get("status") != "ok":
                    return [f"the grader's integrity check failed ({content.get('error', '?')})"]
                return list(content.get("findings", []))

    _guard = run_sync(_async_guard)

    # -- output limits -----------------------------------------------------------------------------
    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        size = len(content.get("text", "")) if "text" in content else 0
        for v in (content.get("data") or {}).values():
            size += len(v) if isinstance(v, str) else len(json.dumps(v))
        if "traceback" in content:
            size += sum(len(x) for x in content.get("traceback", []))
        self._cell_bytes = getattr(self, "_cell_bytes", 0) + size
        if self._cell_bytes > self.output_bytes_flood and getattr(self, "_blame", None) is None:
            mb = self.output_bytes_flood // (1024 * 1024)
            self._blame = (self._current, f"printed more than {mb} MB of output and was stopped")
            self._kill_kernel()
            return None
        if self._cell_bytes > self.output_bytes_per_cell and msg.get("msg_type") != "error":
            if not self._cell_truncated:
                self._cell_truncated = True
                note = NotebookNode(
                    output_type="stream",
                    name="stdout",
                    text=f"\n[... output truncated by the grader: more than "
                    f"{self.output_bytes_per_cell // 1024} kB ...]\n",
                )
                outs.append(note)
            return None
        return super().output(outs, msg, display_id, cell_index)

    def _kill_kernel(self) -> None:
        prov = getattr(getattr(self, "km", None), "provisioner", None)
        pid = getattr(prov, "zy_pid", None)
        if pid:
            try:
                current_zygote().signal(pid, signal.SIGKILL)
            except Exception:
                pass

    # -- report ---------------------------------------------------------------------------------------
    def _write_report(self, seconds: float, restarts: int) -> None:
        path = (self.resources or {}).get("metadata", {}).get("path")
        name = (self.resources or {}).get("unique_key") or "notebook"
        if not path:
            return
        p = Path(path)
        try:
            work, student, assignment = p.parents[2], p.parent.name, p.name
        except IndexError:
            return
        dest = work / ".qikit" / "exec" / assignment / student
        dest.mkdir(parents=True, exist_ok=True)
        report = {
            "notebook": name,
            "seconds": round(seconds, 2),
            "restarts": restarts,
            "events": self._events,
            "integrity": self._findings,
            "out_of_time": self._out_of_time,
        }
        tmp = dest / f".{name}.json.tmp"
        tmp.write_text(json.dumps(report, indent=1), encoding="utf-8")
        os.replace(tmp, dest / f"{name}.json")
