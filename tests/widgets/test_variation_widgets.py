import base64

import ipywidgets
import matplotlib
import pytest

from qikit.widgets.variation import causes_widget, funnel_widget, red_beads_widget, tampering_widget

matplotlib.use("Agg")

FACTORIES = [red_beads_widget, funnel_widget, causes_widget, tampering_widget]


def png(demo):
    (out,) = demo.output.outputs
    data = base64.b64decode(out["data"]["image/png"])
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return data


@pytest.mark.parametrize("factory", FACTORIES)
def test_no_arguments_gives_a_widget_with_label_and_figure(factory):
    demo = factory()
    assert isinstance(demo, ipywidgets.Widget)
    assert demo.label.value
    png(demo)
    en = factory(lang="en")
    assert en.label.value != demo.label.value or factory is causes_widget


@pytest.mark.parametrize("factory", FACTORIES)
def test_changing_the_seed_redraws(factory):
    demo = factory()
    label, image = demo.label.value, png(demo)
    demo.controls["seed"].value = 12345
    assert demo.label.value != label
    assert png(demo) != image


def test_draw_again_button_moves_the_seed():
    demo = red_beads_widget()
    demo.controls["again"].click()
    assert demo.controls["seed"].value == 2


def test_red_beads_views_and_limits():
    demo = red_beads_widget(lang="en")
    assert "outside the limits: <b>0</b>" in demo.label.value
    demo.controls["basis"].value = "bowl"
    assert "p̄ = 0.200" in demo.label.value
    demo.controls["view"].value = "ranking"
    png(demo)
    demo.controls["paddle"].value = 100
    assert "of 24" in demo.label.value and "CL = 20.0" in demo.label.value


def test_funnel_label_and_views():
    demo = funnel_widget(lang="en")
    demo.controls["rule"].value = 2
    assert "Rule 2" in demo.label.value and "theory 1.99 σ²" in demo.label.value
    for view in ("all", "spread", "one"):
        demo.controls["view"].value = view
        png(demo)


def test_causes_reveal_and_kinds():
    demo = causes_widget(lang="en")
    assert "hidden" in demo.label.value
    demo.controls["reveal"].value = True
    assert "shift of +2" in demo.label.value and "period 13" in demo.label.value
    for kind in ("stable", "trend", "outlier", "seasonal", "overdispersion"):
        demo.controls["kind"].value = kind
        assert demo.label.value
        png(demo)


def test_tampering_label():
    demo = tampering_widget(lang="en")
    assert "variance ×" in demo.label.value
    demo.controls["rule"].value = 1
    assert "variance × <b>1.00</b>" in demo.label.value


def test_bad_lang():
    from qikit import QikitInputError

    with pytest.raises(QikitInputError):
        red_beads_widget(lang="sv")


def test_lazy_lookup_from_package():
    import qikit.widgets

    assert qikit.widgets.red_beads_widget is red_beads_widget
