import math

import pytest

from qikit import QikitInputError
from qikit.psychology import WIE_ITEMS, wie_checklist, wie_items


def test_items_in_both_languages():
    nb, en = wie_items("nb"), wie_items("en")
    assert len(nb) == len(en) == len(WIE_ITEMS) == 12
    assert nb.element_label.unique().tolist() == ["Vilje", "Ideer", "Gjennomføring"]
    assert en.element_label.unique().tolist() == ["Will", "Ideas", "Execution"]
    assert all(isinstance(t, str) and t for t in en.text)


def test_scores_by_hand_and_weakest():
    res = wie_checklist(
        {
            "will.1": "ja",
            "will.2": "delvis",
            "ideas.1": "no",
            "ideas.2": "partly",
            "execution.1": "yes",
            "execution.2": "yes",
            "execution.3": "nei",
        },
        lang="en",
    )
    assert res.scores["will"] == pytest.approx(0.75)
    assert res.scores["ideas"] == pytest.approx(0.25)
    assert res.scores["execution"] == pytest.approx(2 / 3)
    assert res.weakest == ("ideas",)
    assert len(res.unanswered) == 5 and "will.3" in res.unanswered
    t = res.table
    assert list(t.columns) == ["element", "item", "text", "answer", "points"]
    assert t.loc[t.item == "will.2", "answer"].item() == "partly"
    assert math.isnan(t.loc[t.item == "will.3", "points"].item())
    s = res.summary()
    assert s.n_answered.tolist() == [2, 2, 3]
    assert s.weakest.tolist() == [False, True, False]
    assert "Ideas" in res._repr_html_()


def test_ties_and_empty():
    res = wie_checklist({k: "yes" for k in WIE_ITEMS})
    assert res.weakest == ("will", "ideas", "execution")
    empty = wie_checklist()
    assert empty.weakest == ()
    assert all(math.isnan(v) for v in empty.scores.values())
    assert len(empty.unanswered) == 12
    partial = wie_checklist({"will.1": "no", "ideas.1": None, "ideas.2": ""})
    assert partial.weakest == ("will",)


def test_errors():
    with pytest.raises(QikitInputError, match="unknown item"):
        wie_checklist({"will.9": "yes"})
    with pytest.raises(QikitInputError, match="'yes', 'partly' or 'no'"):
        wie_checklist({"will.1": "maybe"})
    with pytest.raises(QikitInputError, match="lang"):
        wie_checklist({}, lang="sv")
