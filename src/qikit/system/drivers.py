"""Driver diagrams as a validated graph: aim → primary drivers → secondary drivers → change ideas.

Build one from two dicts (:func:`driver_diagram`), a table of links
(:func:`driver_diagram_from_edges`) or a few lines of text (:func:`driver_diagram_from_text`, used by
the widget). :meth:`DriverDiagram.validate` returns a report of orphan change ideas, drivers with no
path to the aim, cycles and duplicates; structurally invalid input (a link to a node that does not
exist, an empty aim) raises :class:`~qikit.QikitInputError` instead.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from qikit._common import frozen, html_repr
from qikit._errors import QikitInputError
from qikit.i18n import Catalog, check_lang

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = [
    "AIM",
    "DriverDiagram",
    "DriverReport",
    "driver_diagram",
    "driver_diagram_from_edges",
    "driver_diagram_from_text",
]

#: The word that stands for the aim in ``drivers`` links (the aim's own text works too).
AIM = "aim"
_AIM_WORDS = {"aim", "mål", "maal"}

MESSAGES = Catalog(
    {
        "orphan_change": (
            "Endringsideen «{node}» er ikke knyttet til noen driver. Knytt den til driveren den skal påvirke, "
            "eller stryk den.",
            "The change idea '{node}' is linked to no driver. Link it to the driver it should move, or drop it.",
        ),
        "change_to_aim": (
            "Endringsideen «{node}» er knyttet rett til målet. Hvilken driver skal den påvirke?",
            "The change idea '{node}' is linked straight to the aim. Which driver should it move?",
        ),
        "change_to_unlinked": (
            "Endringsideen «{node}» er bare knyttet til drivere uten vei til målet ({detail}).",
            "The change idea '{node}' is linked only to drivers with no path to the aim ({detail}).",
        ),
        "unlinked_driver": (
            "Driveren «{node}» har ingen vei til målet. Knytt den til målet eller til en primærdriver.",
            "The driver '{node}' has no path to the aim. Link it to the aim or to a primary driver.",
        ),
        "cycle": (
            "Syklus: {detail}. En driver kan ikke drive seg selv, direkte eller via andre.",
            "Cycle: {detail}. A driver cannot drive itself, directly or through others.",
        ),
        "duplicate": (
            "«{node}» står flere steder ({detail}). Slå sammen eller gi ulike navn.",
            "'{node}' appears more than once ({detail}). Merge them or give them different names.",
        ),
        "duplicate_link": (
            "«{node}» er knyttet til «{detail}» mer enn én gang.",
            "'{node}' is linked to '{detail}' more than once.",
        ),
        "driver_without_change": (
            "Driveren «{node}» har ingen endringsideer ennå.",
            "The driver '{node}' has no change ideas yet.",
        ),
        "ok": ("Driverdiagrammet er gyldig.", "The driver diagram is valid."),
        "flag_note": (
            "Rød stiplet ramme: ikke koblet til målet (se valideringen)",
            "Red dashed frame: not linked to the aim (see the validation)",
        ),
        "aim": ("Mål", "Aim"),
        "primary": ("Primærdrivere", "Primary drivers"),
        "secondary": ("Sekundærdrivere", "Secondary drivers"),
        "tertiary": ("Drivere, nivå {level}", "Drivers, level {level}"),
        "change": ("Endringsideer", "Change ideas"),
        "unlinked_column": ("Uten kobling", "Not linked"),
        "title": ("Driverdiagram", "Driver diagram"),
        "n_issues": ("{errors} feil, {warnings} merknader", "{errors} errors, {warnings} notes"),
    }
)

_KIND_NAMES = {
    "nb": {"aim": "mål", "driver": "driver", "change": "endringsidé"},
    "en": {"aim": "aim", "driver": "driver", "change": "change idea"},
}

_ERRORS = ("orphan_change", "unlinked_driver", "cycle", "duplicate", "change_to_unlinked")


@dataclass(frozen=True, eq=False)
class DriverReport:
    """What :meth:`DriverDiagram.validate` found.

    Attributes
    ----------
    table
        One row per issue: ``issue, severity, node, detail, message``. ``issue`` is one of
        ``orphan_change, change_to_unlinked, unlinked_driver, cycle, duplicate`` (severity
        ``"error"``) or ``change_to_aim, duplicate_link, driver_without_change`` (``"warning"``).
    lang
        Language of the messages.
    """

    table: pd.DataFrame
    lang: str

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings are allowed)."""
        return not bool((self.table["severity"] == "error").any())

    def _nodes(self, issue: str) -> list[str]:
        return self.table.loc[self.table["issue"] == issue, "node"].tolist()

    @property
    def orphans(self) -> list[str]:
        """Change ideas linked to no driver."""
        return self._nodes("orphan_change")

    @property
    def unlinked(self) -> list[str]:
        """Drivers with no path to the aim."""
        return self._nodes("unlinked_driver")

    @property
    def cycles(self) -> list[str]:
        """Each cycle as text, e.g. ``"A → B → A"``."""
        return self.table.loc[self.table["issue"] == "cycle", "detail"].tolist()

    @property
    def duplicates(self) -> list[str]:
        """Texts that appear more than once (exactly or apart from case and spaces)."""
        return self._nodes("duplicate")

    def messages(self) -> list[str]:
        """The issues as sentences (errors first)."""
        return self.table["message"].tolist()

    def summary(self) -> pd.DataFrame:
        """One row: ``ok, errors, warnings, orphans, unlinked, cycles, duplicates``."""
        sev = self.table["severity"]
        return pd.DataFrame(
            [
                {
                    "ok": self.ok,
                    "errors": int((sev == "error").sum()),
                    "warnings": int((sev == "warning").sum()),
                    "orphans": len(self.orphans),
                    "unlinked": len(self.unlinked),
                    "cycles": len(self.cycles),
                    "duplicates": len(self.duplicates),
                }
            ]
        )

    def __str__(self) -> str:
        if self.table.empty:
            return MESSAGES.get("ok", self.lang)
        return "\n".join(f"[{s}] {m}" for s, m in zip(self.table["severity"], self.table["message"], strict=True))

    def _repr_html_(self) -> str:
        return html_repr("Driver diagram check", self.summary(), self.table[["severity", "message"]], rows=30)


@dataclass(frozen=True, eq=False)
class DriverDiagram:
    """A driver diagram: the aim, drivers and change ideas and the links between them.

    Attributes
    ----------
    aim
        The aim (what, how much, by when, for whom).
    table
        One row per node: ``id, kind, text, level``. ``kind`` is ``aim``, ``driver`` or ``change``;
        ``level`` is 0 for the aim, 1 for primary drivers (linked to the aim), 2 for secondary drivers,
        and so on (the shortest path to the aim); change ideas get the level after the deepest driver
        level; unlinked drivers and orphan change ideas have a missing level.
    edges
        One row per link: ``source, target`` (node ids; a link says "source drives target", from the
        change idea towards the aim).
    params
        How the diagram was built.
    """

    aim: str
    table: pd.DataFrame
    edges: pd.DataFrame
    params: Mapping[str, object]

    def validate(self, lang: str | None = None) -> DriverReport:
        """Check the diagram; see :class:`DriverReport`. Never raises for a badly linked diagram."""
        return _validate(self, check_lang(lang, "DriverDiagram.validate"))

    def to_edges(self) -> pd.DataFrame:
        """The diagram as a table ``kind, node, drives`` that :func:`driver_diagram_from_edges` reads back."""
        text = dict(zip(self.table["id"], self.table["text"], strict=True))
        kind = dict(zip(self.table["id"], self.table["kind"], strict=True))
        rows = [{"kind": "aim", "node": self.aim, "drives": None}]
        linked = set(self.edges["source"])
        for nid in self.table["id"]:
            if kind[nid] == "aim":
                continue
            if nid not in linked:
                rows.append({"kind": kind[nid], "node": text[nid], "drives": None})
        for s, t in zip(self.edges["source"], self.edges["target"], strict=True):
            rows.append({"kind": kind[s], "node": text[s], "drives": AIM if kind[t] == "aim" else text[t]})
        return pd.DataFrame(rows, columns=["kind", "node", "drives"])

    def layout(self) -> pd.DataFrame:
        """Positions for drawing, left to right: ``id, kind, text, column, row, flagged``.

        ``column`` 0 is the aim, then one column per driver level, then change ideas. Rows follow the
        tree so that children sit next to their parents; unlinked drivers and orphan change ideas go
        at the bottom of their column and are ``flagged``.
        """
        return _layout(self)

    def summary(self) -> pd.DataFrame:
        """One row: ``aim, primary, secondary, drivers, changes, links``."""
        t = self.table
        return pd.DataFrame(
            [
                {
                    "aim": self.aim,
                    "primary": int(((t["kind"] == "driver") & (t["level"] == 1)).sum()),
                    "secondary": int(((t["kind"] == "driver") & (t["level"] == 2)).sum()),
                    "drivers": int((t["kind"] == "driver").sum()),
                    "changes": int((t["kind"] == "change").sum()),
                    "links": len(self.edges),
                }
            ]
        )

    def plot(self, ax: Axes | None = None, *, lang: str | None = None, wrap: int = 24) -> Axes:
        """Draw the diagram left to right; see :func:`qikit.system.plotting.plot_driver_diagram`."""
        from qikit.system.plotting import plot_driver_diagram

        return plot_driver_diagram(self, ax=ax, lang=lang, wrap=wrap)

    def _repr_html_(self) -> str:
        return html_repr("Driver diagram", self.summary(), self.table, rows=30)


def _links(func: str, owner: str, value: object) -> list[str]:
    if value is None:
        return []
    if value is pd.NA or (isinstance(value, float) and math.isnan(value)):  # missing cells of a table
        return []
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, Sequence):
        out = []
        for v in value:
            if not isinstance(v, str):
                raise QikitInputError(f"{func}(): links of {owner!r} must be texts; got {v!r}.")
            if v.strip():
                out.append(v.strip())
        return out
    raise QikitInputError(f"{func}(): what {owner!r} drives must be a text, a list of texts or None; got {value!r}.")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def driver_diagram(
    aim: str,
    drivers: Mapping[str, object] | None = None,
    changes: Mapping[str, object] | None = None,
) -> DriverDiagram:
    """Build a driver diagram from the aim and two dicts of links.

    Parameters
    ----------
    aim
        The aim: what, how much, by when, for whom (e.g. "Reduce falls with harm on ward 5 by 30 %
        by 31 December 2025").
    drivers
        ``{driver: what it drives}``: primary drivers drive the aim (write ``"aim"``/``"mål"`` or the
        aim's text), secondary drivers drive a primary driver, and so on. The value is a text, a list
        of texts (several links) or ``None`` (not linked yet).
    changes
        ``{change idea: driver(s) it acts on}``, with the same kinds of values. ``None`` or ``[]``
        makes an orphan change idea.

    Returns
    -------
    DriverDiagram
        Check it with :meth:`~DriverDiagram.validate`; draw it with :meth:`~DriverDiagram.plot`.

    Raises
    ------
    QikitInputError
        For structurally invalid input: an empty aim, a link to a text that is neither the aim nor a
        driver (a close match is suggested), a change idea linked to another change idea.

    Notes
    -----
    A driver diagram (Langley et al. 2009; IHI) shows a theory of improvement: the *aim*; the
    *primary drivers*, system components that directly influence the aim; the *secondary drivers*
    that act on them; and the *change ideas* to test with PDSA cycles. Every change idea should link
    to a driver, and every driver should have a path to the aim: otherwise the team tests changes
    with no theory of why they would help. Levels are the shortest path to the aim.

    References
    ----------
    Langley GJ, Moen RD, Nolan KM, Nolan TW, Norman CL, Provost LP. *The Improvement Guide*. 2nd ed.
    Jossey-Bass; 2009.
    Bennett B, Provost L. What's your theory? Driver diagram serves as tool for building and testing
    theories for improvement. *Quality Progress* 2015;48(7):36–43.

    Examples
    --------
    >>> dd = driver_diagram(
    ...     "Redusere fall med skade med 30 % innen 31.12.2025",
    ...     drivers={"Trygt miljø": "mål", "Ryddige gulv": "Trygt miljø"},
    ...     changes={"Daglig gulvsjekk": "Ryddige gulv", "Hoftebeskyttere": None},
    ... )
    >>> report = dd.validate("en")
    >>> report.ok, report.orphans
    (False, ['Hoftebeskyttere'])
    """
    func = "driver_diagram"
    if not isinstance(aim, str) or not aim.strip():
        raise QikitInputError(f"{func}(): aim must be a non-empty text (what, how much, by when); got {aim!r}.")
    aim = aim.strip()
    for name, value in (("drivers", drivers), ("changes", changes)):
        if value is not None and not isinstance(value, Mapping):
            raise QikitInputError(
                f"{func}(): {name} must be a dict {{text: what it drives}}; got {type(value).__name__}."
            )
    drv = {str(k).strip(): _links(func, str(k), v) for k, v in (drivers or {}).items()}
    chg = {str(k).strip(): _links(func, str(k), v) for k, v in (changes or {}).items()}
    for label, mapping in (("driver", drv), ("change idea", chg)):
        if "" in mapping:
            raise QikitInputError(f"{func}(): every {label} needs a text; found an empty one.")
    return _build(func, aim, drv, chg, params={"source": "dicts"})


def _build(
    func: str,
    aim: str,
    drv: dict[str, list[str]],
    chg: dict[str, list[str]],
    *,
    params: dict[str, object],
) -> DriverDiagram:
    ids = {"A": aim}
    kinds = {"A": "aim"}
    driver_id: dict[str, str] = {}
    for i, d in enumerate(drv, start=1):
        driver_id[d] = f"D{i}"
        ids[f"D{i}"] = d
        kinds[f"D{i}"] = "driver"
    change_id: dict[str, str] = {}
    for i, c in enumerate(chg, start=1):
        change_id[c] = f"C{i}"
        ids[f"C{i}"] = c
        kinds[f"C{i}"] = "change"
    aim_n = _norm(aim)

    def resolve(owner: str, target: str) -> str:
        if _norm(target) in _AIM_WORDS or _norm(target) == aim_n:
            return "A"
        if target in driver_id:
            return driver_id[target]
        by_norm = {_norm(d): i for d, i in driver_id.items()}
        if _norm(target) in by_norm:
            return by_norm[_norm(target)]
        if target in change_id:
            raise QikitInputError(
                f"{func}(): {owner!r} is linked to the change idea {target!r}; links go to drivers or the aim. "
                "If it is a driver, list it under drivers."
            )
        close = difflib.get_close_matches(target, list(driver_id) + [AIM], n=1, cutoff=0.6)
        hint = f" Did you mean {close[0]!r}?" if close else " Add it as a driver first."
        raise QikitInputError(f"{func}(): {owner!r} is linked to {target!r}, which is not a driver or the aim.{hint}")

    edges = []
    for d, targets in drv.items():
        for t in targets:
            edges.append((driver_id[d], resolve(d, t)))
    for c, targets in chg.items():
        for t in targets:
            edges.append((change_id[c], resolve(c, t)))
    edge_df = (
        pd.DataFrame(edges, columns=["source", "target"])
        if edges
        else pd.DataFrame({"source": pd.Series([], dtype="str"), "target": pd.Series([], dtype="str")})
    )
    levels = _levels(list(ids), edges, kinds)
    table = pd.DataFrame(
        {
            "id": pd.Series(list(ids), dtype="str"),
            "kind": pd.Series([kinds[i] for i in ids], dtype="str"),
            "text": pd.Series([ids[i] for i in ids], dtype="str"),
            "level": pd.array([levels.get(i) for i in ids], dtype="Int64"),
        }
    )
    return DriverDiagram(aim=aim, table=table, edges=edge_df, params=frozen(params))


def _levels(nodes: list[str], edges: list[tuple[str, str]], kinds: dict[str, str]) -> dict[str, int]:
    children: dict[str, list[str]] = {n: [] for n in nodes}
    for s, t in edges:
        if kinds[s] == "driver":
            children[t].append(s)
    level = {"A": 0}
    frontier = ["A"]
    while frontier:
        nxt = []
        for n in frontier:
            for c in children[n]:
                if c not in level:
                    level[c] = level[n] + 1
                    nxt.append(c)
        frontier = nxt
    deepest = max([lv for n, lv in level.items() if kinds[n] == "driver"], default=0)
    for s, t in edges:
        if kinds[s] == "change" and t in level:
            level[s] = deepest + 1
    return level


def _find_cycles(nodes: list[str], adj: dict[str, list[str]]) -> list[list[str]]:
    # Tarjan's strongly connected components; each component with more than one node, or a self-loop,
    # is reported once as a cycle through its nodes.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def strong(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in adj.get(v, []):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in adj.get(v, []):
                out.append(_cycle_path(comp, adj))

    for v in nodes:
        if v not in index:
            strong(v)
    return out


def _cycle_path(comp: list[str], adj: dict[str, list[str]]) -> list[str]:
    # Walk inside the component from its first node until we return to it.
    members = set(comp)
    start = sorted(comp)[0]
    path = [start]
    seen = {start}
    v = start
    while True:
        nxt = [w for w in adj.get(v, []) if w in members]
        if start in nxt and (len(path) > 1 or v == start):
            path.append(start)
            return path
        step = next((w for w in nxt if w not in seen), None)
        if step is None:
            path.append(start)
            return path
        path.append(step)
        seen.add(step)
        v = step


def _validate(dd: DriverDiagram, lang: str) -> DriverReport:
    t = dd.table
    text = dict(zip(t["id"], t["text"], strict=True))
    kind = dict(zip(t["id"], t["kind"], strict=True))
    level = {i: (None if pd.isna(lv) else int(lv)) for i, lv in zip(t["id"], t["level"], strict=True)}
    edges = list(zip(dd.edges["source"], dd.edges["target"], strict=True))
    rows: list[dict[str, object]] = []

    def add(issue: str, node: str, detail: str = "") -> None:
        severity = "error" if issue in _ERRORS else "warning"
        msg = MESSAGES.get(issue, lang, node=node, detail=detail)
        rows.append({"issue": issue, "severity": severity, "node": node, "detail": detail, "message": msg})

    out_links: dict[str, list[str]] = {i: [] for i in text}
    in_links: dict[str, list[str]] = {i: [] for i in text}
    for s, g in edges:
        out_links[s].append(g)
        in_links[g].append(s)

    # Cycles among drivers.
    drivers = [i for i in text if kind[i] == "driver"]
    adj = {i: [g for g in out_links[i] if kind[g] == "driver"] for i in drivers}
    for cyc in _find_cycles(drivers, adj):
        add("cycle", text[cyc[0]], " → ".join(text[c] for c in cyc))
    # Drivers with no path to the aim.
    for i in drivers:
        if level[i] is None:
            add("unlinked_driver", text[i])
    # Change ideas.
    for i in (n for n in text if kind[n] == "change"):
        targets = out_links[i]
        if not targets:
            add("orphan_change", text[i])
            continue
        if any(kind[g] == "aim" for g in targets):
            add("change_to_aim", text[i])
        drv_targets = [g for g in targets if kind[g] == "driver"]
        if drv_targets and all(level[g] is None for g in drv_targets) and not any(kind[g] == "aim" for g in targets):
            add("change_to_unlinked", text[i], ", ".join(text[g] for g in drv_targets))
    # Duplicates: the same text (apart from case and spaces) used for more than one node.
    groups: dict[str, list[str]] = {}
    for i in text:
        groups.setdefault(_norm(text[i]), []).append(i)
    for members in groups.values():
        if len(members) > 1:
            where = ", ".join(f"{_KIND_NAMES[lang][kind[m]]} «{text[m]}»" for m in members)
            add("duplicate", text[members[0]], where)
    # The same link given twice.
    seen: set[tuple[str, str]] = set()
    for s, g in edges:
        if (s, g) in seen:
            add("duplicate_link", text[s], text[g])
        seen.add((s, g))
    # Drivers at the end of a branch with nothing to test.
    for i in drivers:
        if level[i] is not None and not in_links[i]:
            add("driver_without_change", text[i])

    table = pd.DataFrame(rows, columns=["issue", "severity", "node", "detail", "message"])
    if not table.empty:
        order = {"error": 0, "warning": 1}
        table = table.sort_values("severity", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
    table = table.astype({"issue": "str", "severity": "str", "node": "str", "detail": "str", "message": "str"})
    return DriverReport(table=table, lang=lang)


_KIND_WORDS = {
    "aim": "aim",
    "mål": "aim",
    "maal": "aim",
    "driver": "driver",
    "drivers": "driver",
    "primary": "driver",
    "secondary": "driver",
    "primærdriver": "driver",
    "sekundærdriver": "driver",
    "drivkraft": "driver",
    "change": "change",
    "change idea": "change",
    "idea": "change",
    "endringsidé": "change",
    "endringside": "change",
    "endringsidè": "change",
    "tiltak": "change",
}


def _kind(func: str, word: object, where: str) -> str:
    key = _norm(str(word))
    if key not in _KIND_WORDS:
        raise QikitInputError(f"{func}(): {where}: unknown kind {word!r}; use aim/mål, driver or change/tiltak.")
    return _KIND_WORDS[key]


def driver_diagram_from_edges(
    edges: pd.DataFrame | Sequence[Sequence[object]], *, aim: str | None = None
) -> DriverDiagram:
    """Build a driver diagram from a table of links.

    Parameters
    ----------
    edges
        A DataFrame with columns ``kind, node, drives`` or a list of ``(kind, node, drives)`` rows.
        ``kind`` is ``aim``/``mål``, ``driver`` (also ``primary``, ``secondary``, ``primærdriver``,
        ``sekundærdriver``) or ``change`` (also ``tiltak``, ``endringsidé``). A node linked to several
        nodes has several rows; ``drives`` may be empty (not linked). The aim may be a row of kind
        ``aim`` or given as ``aim=``.
    aim
        The aim's text, if the table has no aim row.

    Returns
    -------
    DriverDiagram

    Examples
    --------
    >>> rows = [("aim", "Færre fall", None), ("driver", "Trygt miljø", "aim"),
    ...         ("change", "Nattlys", "Trygt miljø"), ("change", "Nattlys", "aim")]
    >>> dd = driver_diagram_from_edges(rows)
    >>> dd.summary()[["drivers", "changes", "links"]].iloc[0].tolist()
    [1, 1, 3]
    """
    func = "driver_diagram_from_edges"
    if isinstance(edges, pd.DataFrame):
        missing = {"kind", "node", "drives"} - set(edges.columns)
        if missing:
            raise QikitInputError(f"{func}(): edges needs the columns kind, node, drives; missing {sorted(missing)}.")
        rows = list(zip(edges["kind"], edges["node"], edges["drives"], strict=True))
    elif isinstance(edges, Sequence) and not isinstance(edges, str):
        rows = []
        for i, r in enumerate(edges, start=1):
            if isinstance(r, str) or not isinstance(r, Sequence) or len(r) not in (2, 3):
                raise QikitInputError(f"{func}(): row {i} must be (kind, node, drives); got {r!r}.")
            rows.append((r[0], r[1], r[2] if len(r) == 3 else None))
    else:
        raise QikitInputError(f"{func}(): edges must be a DataFrame or a list of (kind, node, drives) rows.")
    aims = [str(n).strip() for k, n, _ in rows if _kind(func, k, f"node {n!r}") == "aim"]
    aim_set = list(dict.fromkeys(aims))
    if aim is not None:
        aim_set = list(dict.fromkeys([aim.strip(), *aim_set]))
    if len(aim_set) != 1:
        raise QikitInputError(
            f"{func}(): a driver diagram has exactly one aim; found {len(aim_set)} ({aim_set}). "
            "Give one row of kind 'aim' or pass aim=."
        )
    drv: dict[str, list[str]] = {}
    chg: dict[str, list[str]] = {}
    for k, n, d in rows:
        kind = _kind(func, k, f"node {n!r}")
        if kind == "aim":
            continue
        if not isinstance(n, str) or not n.strip():
            raise QikitInputError(f"{func}(): every {kind} needs a text; got {n!r}.")
        target = drv if kind == "driver" else chg
        target.setdefault(n.strip(), []).extend(_links(func, n, d))
    return _build(func, aim_set[0], drv, chg, params={"source": "edges"})


def driver_diagram_from_text(text: str) -> DriverDiagram:
    """Build a driver diagram from lines of text (what the widget's text box holds).

    One node per line, ``kind: text -> link; link``. ``kind`` as in :func:`driver_diagram_from_edges`
    (``mål``/``aim``, ``driver``, ``tiltak``/``change``); links after ``->`` are separated by ``;``.
    Blank lines and lines starting with ``#`` are ignored.

    Examples
    --------
    >>> dd = driver_diagram_from_text('''
    ... mål: Færre fall med skade
    ... driver: Trygt miljø -> mål
    ... tiltak: Nattlys -> Trygt miljø
    ... tiltak: Hoftebeskyttere
    ... ''')
    >>> dd.validate("nb").orphans
    ['Hoftebeskyttere']
    """
    func = "driver_diagram_from_text"
    if not isinstance(text, str):
        raise QikitInputError(f"{func}(): text must be a string; got {type(text).__name__}.")
    rows: list[tuple[str, str, str | None]] = []
    for no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if ":" not in line:
            raise QikitInputError(
                f"{func}(): line {no} ({line!r}) needs a kind first, e.g. 'driver: Trygt miljø -> mål'."
            )
        kind, rest = line.split(":", 1)
        if "->" in rest:
            node, links = rest.split("->", 1)
            targets = [x.strip() for x in links.split(";") if x.strip()]
        else:
            node, targets = rest, []
        node = node.strip()
        if not targets:
            rows.append((kind, node, None))
        for tg in targets:
            rows.append((kind, node, tg))
    if not rows:
        raise QikitInputError(f"{func}(): the text holds no nodes; start with a line 'mål: …' (or 'aim: …').")
    return driver_diagram_from_edges(rows)


def _layout(dd: DriverDiagram) -> pd.DataFrame:
    t = dd.table
    kind = dict(zip(t["id"], t["kind"], strict=True))
    level = {i: (None if pd.isna(lv) else int(lv)) for i, lv in zip(t["id"], t["level"], strict=True)}
    deepest = max([lv for i, lv in level.items() if kind[i] == "driver" and lv is not None], default=0)
    change_col = deepest + 1
    # Children (towards the changes) in input order.
    children: dict[str, list[str]] = {i: [] for i in t["id"]}
    for s, g in zip(dd.edges["source"], dd.edges["target"], strict=True):
        if s not in children[g]:
            children[g].append(s)

    column: dict[str, int] = {}
    row: dict[str, float] = {}
    flagged: dict[str, bool] = {}
    next_row = [0.0]
    placed: set[str] = set()

    def place(node: str) -> float:
        placed.add(node)
        kids = [
            c
            for c in children[node]
            if c not in placed
            and level.get(c) is not None
            and (kind[c] == "change" or (level[c] or 0) > (level[node] or 0))
        ]
        ys = [place(c) for c in kids]
        # Change ideas linked to several drivers are drawn once, under their first driver.
        y = (min(ys) + max(ys)) / 2 if ys else next_row[0]
        if not ys:
            next_row[0] += 1
        row[node] = y
        column[node] = change_col if kind[node] == "change" else (level[node] or 0)
        flagged[node] = False
        return y

    place("A")
    # Anything not reached from the aim (unlinked drivers with their change ideas, then orphan change
    # ideas) goes at the bottom, flagged.
    rest = [i for i in t["id"] if i not in placed]
    if rest:
        next_row[0] += 0.5

    def place_flagged(node: str) -> float:
        placed.add(node)
        kids = [c for c in children[node] if c not in placed]
        ys = [place_flagged(c) for c in kids]
        y = (min(ys) + max(ys)) / 2 if ys else next_row[0]
        if not ys:
            next_row[0] += 1
        row[node] = y
        column[node] = change_col if kind[node] == "change" else max(1, change_col - 1)
        flagged[node] = True
        return y

    for i in rest:
        if i not in placed and kind[i] == "driver":
            place_flagged(i)
    for i in rest:
        if i not in placed:
            place_flagged(i)
    out = pd.DataFrame(
        {
            "id": t["id"],
            "kind": t["kind"],
            "text": t["text"],
            "column": [column[i] for i in t["id"]],
            "row": [row[i] for i in t["id"]],
            "flagged": [flagged[i] for i in t["id"]],
        }
    )
    out["column"] = out["column"].astype(np.int64)
    return out
