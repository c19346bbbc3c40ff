import pandas as pd
import pytest

from qikit import QikitInputError
from qikit.system import driver_diagram, driver_diagram_from_edges, driver_diagram_from_text

AIM = "Redusere fall med skade på sengepost 5 med 30 % innen 31.12.2025"


def valid():
    return driver_diagram(
        AIM,
        drivers={
            "Trygt miljø": "mål",
            "Risikovurdering": "aim",
            "Ryddige gulv": "Trygt miljø",
            "Screening ved innkomst": ["Risikovurdering"],
        },
        changes={
            "Daglig gulvsjekk": "Ryddige gulv",
            "Nattlys": ["Ryddige gulv", "Trygt miljø"],
            "Sjekkliste": "Screening ved innkomst",
        },
    )


def test_valid_diagram_has_levels_and_no_issues():
    dd = valid()
    rep = dd.validate("en")
    assert rep.ok and rep.table.empty
    assert str(rep) == "The driver diagram is valid."
    t = dd.table.set_index("text")
    assert t.loc[AIM, "level"] == 0
    assert t.loc["Trygt miljø", "level"] == 1 and t.loc["Ryddige gulv", "level"] == 2
    assert t.loc["Daglig gulvsjekk", "level"] == 3
    s = dd.summary().iloc[0]
    assert (s["primary"], s["secondary"], s["changes"], s["links"]) == (2, 2, 3, 8)


def test_finds_planted_orphans_unlinked_cycles_and_duplicates():
    dd = driver_diagram(
        AIM,
        drivers={
            "Trygt miljø": "mål",
            "Ryddige gulv": "Trygt miljø",
            "Opplæring": None,  # unlinked
            "A": "B",  # cycle, unlinked
            "B": "A",
            "ryddige  GULV": "Trygt miljø",  # near-duplicate of a driver
        },
        changes={
            "Daglig gulvsjekk": "Ryddige gulv",
            "Hoftebeskyttere": None,  # orphan
            "Plakat": [],  # orphan
            "E-læring": "Opplæring",  # linked only to an unlinked driver
            "Trygt miljø": "Ryddige gulv",  # same text as a driver
            "Visitt": "mål",  # skips the drivers
        },
    )
    rep = dd.validate("en")
    assert not rep.ok
    assert rep.orphans == ["Hoftebeskyttere", "Plakat"]
    assert set(rep.unlinked) == {"Opplæring", "A", "B"}
    assert rep.cycles == ["A → B → A"]
    assert set(rep.duplicates) == {"Trygt miljø", "Ryddige gulv"}
    issues = set(rep.table["issue"])
    assert {"change_to_unlinked", "change_to_aim"} <= issues
    assert rep.table.loc[rep.table["issue"] == "change_to_aim", "severity"].item() == "warning"
    assert rep.table["severity"].tolist() == sorted(rep.table["severity"].tolist())  # errors first
    s = rep.summary().iloc[0]
    assert s["orphans"] == 2 and s["cycles"] == 1 and s["errors"] >= 7
    assert "Hoftebeskyttere" in str(rep)


def test_self_loop_and_duplicate_link():
    dd = driver_diagram(AIM, drivers={"X": ["X", "aim"], "Y": ["aim", "aim"]}, changes={"c": "X", "d": "Y"})
    rep = dd.validate("nb")
    assert rep.cycles == ["X → X"]
    assert "duplicate_link" in set(rep.table["issue"])
    assert "Syklus" in " ".join(rep.messages())


def test_driver_without_change_is_a_warning():
    dd = driver_diagram(AIM, drivers={"X": "aim"})
    rep = dd.validate("en")
    assert rep.ok
    assert rep.table["issue"].tolist() == ["driver_without_change"]


def test_messages_in_both_languages():
    dd = driver_diagram(AIM, drivers={"X": "aim"}, changes={"c": None})
    nb = dd.validate("nb").messages()[0]
    en = dd.validate("en").messages()[0]
    assert "Endringsideen «c»" in nb and "The change idea 'c'" in en
    with pytest.raises(QikitInputError, match="lang must be"):
        dd.validate("de")


@pytest.mark.parametrize(
    ("aim", "drivers", "changes", "match"),
    [
        ("", {}, {}, "aim must be a non-empty text"),
        (None, {}, {}, "aim must be"),
        (AIM, {"Trygt miljø": "Trygt miljo"}, {}, "Did you mean 'Trygt miljø'"),
        (AIM, {"X": "aim"}, {"c": "Y"}, "not a driver or the aim"),
        (AIM, {"X": "aim"}, {"c": "X", "d": "c"}, "linked to the change idea 'c'"),
        (AIM, ["X"], {}, "drivers must be a dict"),
        (AIM, {"X": 3}, {}, "must be a text, a list of texts or None"),
        (AIM, {"X": ["aim", 3]}, {}, "must be texts"),
        (AIM, {"": "aim"}, {}, "needs a text"),
    ],
)
def test_structurally_invalid_input_raises(aim, drivers, changes, match):
    with pytest.raises(QikitInputError, match=match):
        driver_diagram(aim, drivers, changes)


def test_edges_round_trip_and_text_format():
    dd = valid()
    edges = dd.to_edges()
    assert list(edges.columns) == ["kind", "node", "drives"]
    back = driver_diagram_from_edges(edges)
    pd.testing.assert_frame_equal(back.edges, dd.edges)
    pd.testing.assert_frame_equal(back.table, dd.table)
    text = """
    # a comment
    mål: Færre fall
    driver: Trygt miljø -> mål
    driver: Ryddige gulv -> Trygt miljø
    tiltak: Nattlys -> Ryddige gulv; Trygt miljø
    tiltak: Hoftebeskyttere
    """
    dd2 = driver_diagram_from_text(text)
    assert dd2.aim == "Færre fall"
    assert dd2.validate().orphans == ["Hoftebeskyttere"]
    assert len(dd2.edges) == 4
    rows = [("aim", "Færre fall"), ("primary", "Trygt miljø", "aim"), ("endringsidé", "Nattlys", "Trygt miljø")]
    assert driver_diagram_from_edges(rows).validate().ok


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "holds no nodes"),
        ("driver: X -> mål", "exactly one aim"),
        ("mål: A\nmål: B", "exactly one aim"),
        ("mål: A\nX -> mål", "needs a kind first"),
        ("mål: A\nwish: X -> mål", "unknown kind 'wish'"),
    ],
)
def test_bad_text(text, match):
    with pytest.raises(QikitInputError, match=match):
        driver_diagram_from_text(text)


def test_layout_left_to_right_and_flags():
    dd = driver_diagram(AIM, drivers={"P": "aim", "S": "P", "U": None}, changes={"c": "S", "o": None, "e": "U"})
    lay = dd.layout().set_index("text")
    assert lay.loc[AIM, "column"] == 0 and lay.loc["P", "column"] == 1 and lay.loc["S", "column"] == 2
    assert lay.loc["c", "column"] == lay.loc["o", "column"] == 3
    assert lay.loc[["U", "o", "e"], "flagged"].all() and not lay.loc[["P", "S", "c"], "flagged"].any()
    assert lay.loc["U", "row"] == lay.loc["e", "row"]  # an unlinked driver sits beside its change idea
    assert lay.loc["o", "row"] > lay.loc["c", "row"]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_plot(lang):
    dd = driver_diagram(AIM, drivers={"P": "aim", "S": "P"}, changes={"c": "S", "o": None})
    ax = dd.plot(lang=lang)
    texts = [t.get_text() for t in ax.texts]
    assert ("Primærdrivere" if lang == "nb" else "Primary drivers") in texts
    assert sum(1 for t in ax.texts if t.get_bbox_patch() is not None) == 5  # aim, 2 drivers, 2 changes
    red = [t for t in ax.texts if t.get_bbox_patch() is not None and t.get_bbox_patch().get_linestyle() == "--"]
    assert [t.get_text() for t in red] == ["o"]


def test_table_with_missing_cells():
    df = pd.DataFrame(
        {
            "kind": ["aim", "driver", "change", "change"],
            "node": ["A", "X", "c", "orphan"],
            "drives": pd.array([pd.NA, "aim", "X", pd.NA], dtype="string"),
        }
    )
    assert driver_diagram_from_edges(df).validate().orphans == ["orphan"]
    df2 = pd.DataFrame({"kind": ["aim", "change"], "node": ["A", "o"], "drives": [None, None]})
    assert driver_diagram_from_edges(df2).validate().orphans == ["o"]
