"""Import hand-ins from an LMS download (Canvas or Moodle) or a plain zip of folders.

* **Canvas** ("Download submissions"): one file per hand-in, named
  ``<lastfirst>_<userid>_<submissionid>_<original name>`` and ``<lastfirst>_late_<userid>_...`` for late
  ones; resubmissions get ``-1``, ``-2`` before the extension.
* **Moodle** ("Download all submissions"): one folder per learner,
  ``<Full Name>_<id>_assignsubmission_file_/<original name>`` (older versions put the prefix on each
  file name instead of a folder).
* **Folders**: ``<student>/<file>.ipynb`` or ``<student>/<assignment>/<file>.ipynb``.

Each learner gets a safe student id (``<name>-<lms id>``, ASCII, lower case); the roster (student id, LMS
id, name) goes beside the grades so ``lms-grades.csv`` can be imported back. Nothing is extracted by the
zip's own paths: entries are read and written to paths we build, so ``../`` entries, absolute paths and
symlinks cannot escape, and sizes are capped (zip bombs). Files that match no learner are reported.
"""

from __future__ import annotations

import re
import shutil
import stat
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from autograder.pipeline import Submission, check_student_id

MAX_ENTRY = 64 * 1024 * 1024
MAX_TOTAL = 2 * 1024 * 1024 * 1024

CANVAS_RE = re.compile(r"^(?P<name>[^_/]+?)(?P<late>_late|_LATE)?_(?P<uid>\d+)_(?P<sub>\d+)_(?P<file>[^/]+)$")
MOODLE_RE = re.compile(
    r"^(?P<name>[^/]+?)_(?P<uid>\d+)_assignsubmission_(?P<plugin>[a-z]+)_(?:/(?P<file>.+)|(?P<flat>[^/]+))$"
)
RESUBMISSION_RE = re.compile(r"^(?P<stem>.+?)-(?P<n>\d+)(?P<ext>\.ipynb)$")
_TRANSLIT = str.maketrans({"æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "å": "aa", "Å": "aa", "ß": "ss"})


def slug(text: str) -> str:
    """ASCII, lower case, letters/digits/dashes: 'Åse Ødegård' -> 'aase-odegard'."""
    text = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "learner"


@dataclass
class Imported:
    """What an LMS zip held: one submission per learner, and what could not be used."""

    kind: str
    submissions: list[Submission] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def report_lines(self) -> list[str]:
        lines = [f"imported {len(self.submissions)} learner(s) from a {self.kind} download"]
        late = [s.student_id for s in self.submissions if s.late]
        if late:
            lines.append(f"  marked late by the LMS: {', '.join(late)}")
        for name in self.unmatched:
            lines.append(f"  could not match to a learner: {name}")
        for name in self.skipped:
            lines.append(f"  skipped: {name}")
        return lines


def _safe_name(name: str) -> str:
    base = name.replace("\\", "/").split("/")[-1]
    base = re.sub(r"[^A-Za-z0-9._ ()-]+", "_", base).strip(" .") or "file"
    return base[:120]


def _read_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int]) -> bytes:
    if info.file_size > MAX_ENTRY:
        raise ValueError(f"{info.filename} is larger than {MAX_ENTRY // (1024 * 1024)} MB")
    out = bytearray()
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            out += chunk
            budget[0] -= len(chunk)
            if len(out) > MAX_ENTRY or budget[0] < 0:
                raise ValueError(f"{info.filename} unpacks to too much data (zip bomb?)")
    return bytes(out)


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def submissions_from_zip(zip_path: Path, assignment: str, dest: Path, *, due: str | None = None) -> Imported:
    """Unpack ``zip_path`` into ``dest/<student>/`` and return one :class:`Submission` per learner."""
    zip_path = Path(zip_path)
    if not zipfile.is_zipfile(zip_path):
        raise ValueError("not a zip file")
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    budget = [MAX_TOTAL]
    learners: dict[str, dict] = {}  # student id -> {"uid", "name", "late", "files": {name: (version, bytes)}}
    kinds: set[str] = set()
    result = Imported(kind="")
    with zipfile.ZipFile(zip_path) as zf:
        for info in zf.infolist():
            name = info.filename
            if info.is_dir() or name.startswith("__MACOSX/") or name.split("/")[-1].startswith("."):
                continue
            if _is_symlink(info):
                result.skipped.append(f"{name} (a symbolic link)")
                continue
            parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
            if not parts or ".." in parts or name.startswith("/"):
                result.skipped.append(f"{name} (unsafe path)")
                continue
            rel = "/".join(parts)
            m_moodle = MOODLE_RE.match(rel)
            m_canvas = CANVAS_RE.match(parts[-1]) if len(parts) == 1 else None
            if m_moodle:
                kinds.add("Moodle")
                if m_moodle.group("plugin") != "file":
                    result.skipped.append(f"{name} (Moodle {m_moodle.group('plugin')}, not a file)")
                    continue
                uid, full = m_moodle.group("uid"), m_moodle.group("name")
                filename = m_moodle.group("file") or m_moodle.group("flat")
                sid = f"{slug(full)}-{uid}"
                entry = learners.setdefault(sid, {"uid": uid, "name": full, "late": None, "files": {}})
                version = 0
            elif m_canvas:
                kinds.add("Canvas")
                uid, lastfirst = m_canvas.group("uid"), m_canvas.group("name")
                filename = m_canvas.group("file")
                sid = f"{slug(lastfirst)}-{uid}"
                entry = learners.setdefault(sid, {"uid": uid, "name": lastfirst, "late": False, "files": {}})
                if m_canvas.group("late"):
                    entry["late"] = True
                version = 0
                rm = RESUBMISSION_RE.match(filename)
                if rm:  # Canvas numbers resubmissions: keep the newest as the plain name
                    filename, version = rm.group("stem") + rm.group("ext"), int(rm.group("n"))
            elif len(parts) >= 2:
                kinds.add("folder")
                sid = slug(parts[0]) if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", parts[0]) else parts[0]
                inner = parts[1:]
                if len(inner) >= 2 and inner[0] == assignment:
                    inner = inner[1:]
                filename = "/".join(inner)
                entry = learners.setdefault(sid, {"uid": parts[0], "name": parts[0], "late": None, "files": {}})
                version = 0
            else:
                result.unmatched.append(name)
                continue
            try:
                check_student_id(sid)
            except ValueError:
                result.unmatched.append(f"{name} (no usable learner id)")
                continue
            try:
                data = _read_entry(zf, info, budget)
            except ValueError as exc:
                result.skipped.append(str(exc))
                continue
            key = "/".join(_safe_name(p) for p in filename.split("/")) if "/" in filename else _safe_name(filename)
            old = entry["files"].get(key)
            if old is None or version >= old[0]:
                entry["files"][key] = (version, data, info.date_time)
    result.kind = " + ".join(sorted(kinds)) or "unknown"
    for sid, entry in sorted(learners.items()):
        if not any(k.endswith(".ipynb") for k in entry["files"]):
            result.unmatched.append(f"{entry['name']} ({sid}): no notebook in the hand-in")
            continue
        folder = dest / sid
        folder.mkdir()
        for key, (_, data, _) in entry["files"].items():
            target = folder.joinpath(*key.split("/"))
            if folder.resolve() not in target.resolve().parents:
                result.skipped.append(f"{key} (unsafe path)")
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        timestamp = None
        if entry["late"] and due:
            # Canvas says "late" but not when: count it as just after the due date.
            from datetime import timedelta

            from nbgrader.utils import parse_utc

            timestamp = (parse_utc(due) + timedelta(seconds=1)).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
        result.submissions.append(
            Submission(sid, folder, timestamp=timestamp, late=entry["late"], lms_id=entry["uid"], name=entry["name"])
        )
    return result


def write_roster(work: Path, imported: Imported) -> Path:
    """Remember who is who (student id, LMS id, name) for the LMS grade export."""
    import csv
    import io

    from autograder.durable import atomic_write_text

    path = work / ".qikit" / "roster.csv"
    rows = {}
    if path.is_file():
        with path.open(encoding="utf-8") as fh:
            rows = {r["student_id"]: r for r in csv.DictReader(fh)}
    for s in imported.submissions:
        rows[s.student_id] = {"student_id": s.student_id, "lms_id": s.lms_id, "name": s.name}
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=["student_id", "lms_id", "name"], lineterminator="\n")
    w.writeheader()
    for sid in sorted(rows):
        w.writerow(rows[sid])
    atomic_write_text(path, buf.getvalue())
    return path
