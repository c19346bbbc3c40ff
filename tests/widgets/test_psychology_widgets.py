import math

import ipywidgets
import matplotlib
import pytest

matplotlib.use("Agg")

from qikit import QikitInputError  # noqa: E402
from qikit.widgets.psychology import diffusion_widget, self_assessment_widget, wie_widget  # noqa: E402

PNG = b"\x89PNG"


@pytest.mark.parametrize("factory", [self_assessment_widget, diffusion_widget, wie_widget])
def test_factories_work_without_arguments(factory):
    w = factory()
    assert isinstance(w, ipywidgets.Widget)
    assert w.label.value
    assert bytes(w.image.value).startswith(PNG)
    assert w.controls


@pytest.mark.parametrize("factory", [self_assessment_widget, diffusion_widget, wie_widget])
def test_bad_lang(factory):
    with pytest.raises(QikitInputError, match="lang"):
        factory(lang="de")


def test_self_assessment_widget_updates_radar_and_weakest():
    w = self_assessment_widget(lang="en")
    assert "Weakest area" in w.label.value
    assert w.result.after.weakest == (5,)  # the example ward
    c = w.controls
    c["area"].value = 5
    assert c["theme1"].description.startswith("5.1")
    before_png, before_label = w.image.value, w.label.value
    for theme in ("theme1", "theme2", "theme3"):
        c[theme].value = 4.0
    assert w.result.after.area_scores[5] == 4.0
    assert w.label.value != before_label and w.image.value != before_png
    assert 5 not in w.result.after.weakest
    # "not relevant" everywhere in area 5 gives no score
    for theme in ("theme1", "theme2", "theme3"):
        c[theme].value = -1.0
    assert math.isnan(w.result.after.area_scores[5])
    # editing "before" leaves "after" alone
    c["time"].value = "before"
    c["area"].value = 2
    c["theme1"].value = 4.0
    assert w.result.before.table.set_index("code").loc["2.1", "level"] == 4.0
    assert w.result.after.table.set_index("code").loc["2.1", "level"] == 3.0


def test_self_assessment_widget_custom_scores():
    scores = {a: [2, 2, 2] for a in range(1, 11)}
    w = self_assessment_widget(before=scores, after={**scores, 4: [1, 1, 1]})
    assert w.result.after.weakest == (4,)
    assert "4 Kommunikasjon i team" in w.label.value


def test_diffusion_widget_reacts_to_sliders():
    w = diffusion_widget(lang="en")
    first = w.label.value
    assert "Half have adopted" in first and "Innovators 1" in first
    w.controls["q"].value = 0.0
    w.controls["p"].value = 0.005
    assert w.result.q == 0.0 and w.result.p == 0.005
    assert w.label.value != first and "not" in w.label.value
    w.controls["n"].value = 200
    assert "Innovators 5" in w.label.value and w.result.n == 200
    w.controls["seed"].value = 99
    assert w.result.params["rng"] == 99


def test_wie_widget_names_the_weakest_element():
    w = wie_widget(lang="en")
    assert "none answered" in w.label.value
    png = w.image.value
    w.controls["will.1"].value = "yes"
    w.controls["ideas.1"].value = "no"
    assert "Weakest element: <b>Ideas</b>" in w.label.value
    assert w.image.value != png
    assert w.result.scores["will"] == 1.0
    w2 = wie_widget(answers={"execution.2": "partly"})
    assert "Gjennomføring" in w2.label.value
    with pytest.raises(QikitInputError):
        wie_widget(answers={"nope": "yes"})
