import base64

import ipywidgets
import matplotlib
import pytest

from qikit.widgets.system import (
    driver_diagram_widget,
    flow_widget,
    pareto_widget,
    parse_counts,
    swiss_cheese_widget,
)

matplotlib.use("Agg")

FACTORIES = [swiss_cheese_widget, flow_widget, pareto_widget, driver_diagram_widget]


def png(demo):
    (out,) = demo.output.outputs
    assert base64.b64decode(out["data"]["image/png"])[:4] == b"\x89PNG"
    return out["data"]["image/png"]


@pytest.mark.parametrize("factory", FACTORIES)
def test_no_arguments_gives_a_widget_with_label_and_figure(factory):
    demo = factory()
    assert isinstance(demo, ipywidgets.Widget)
    assert demo.label.value
    png(demo)
    assert factory(lang="en").label.value


def test_swiss_cheese_label_follows_the_sliders():
    demo = swiss_cheese_widget(lang="en")
    assert "p(harm) = <b>0.0015</b>" in demo.label.value  # 0.2 * 0.3 * 0.25 * 0.1
    assert "95 % CI" in demo.label.value
    demo.controls["on4"].value = False  # remove the barcode scan
    assert "p(harm) = <b>0.015</b>" in demo.label.value
    demo.controls["latent"].value = 2.0
    assert "p(harm) = <b>0.120</b>" in demo.label.value
    demo.controls["correlation"].value = 1.0
    assert "p(harm) = <b>0.400</b>" in demo.label.value
    demo.controls["trials"].value = 0
    assert "simulated" not in demo.label.value
    for i in range(1, 4):
        demo.controls[f"on{i}"].value = False
    assert "p(harm) = <b>1</b>" in demo.label.value
    assert demo.output.outputs == ()


def test_flow_label_and_bottleneck_moves():
    demo = flow_widget(lang="en")
    assert "Bottleneck: <b>Doctor</b>" in demo.label.value and "max 7.2 patients/hour" in demo.label.value
    before = png(demo)
    demo.controls["cap1"].value = 5  # five doctors
    assert "Bottleneck: <b>Tests and imaging</b>" in demo.label.value
    assert png(demo) != before
    demo.controls["arrivals"].value = 12.0
    assert "unstable" in demo.label.value


def test_pareto_builder():
    demo = pareto_widget(lang="en")
    assert "<b>3 of 8</b>" in demo.label.value
    demo.controls["threshold"].value = 0.9
    assert "<b>5 of 8</b>" in demo.label.value
    demo.controls["data"].value = "A: 9\nB: 1"
    assert "<b>1 of 2</b>" in demo.label.value
    demo.controls["data"].value = "nonsense line"
    assert "Category: 12" in demo.label.value and demo.output.outputs == ()


def test_parse_counts():
    assert parse_counts("Fall: 40\nLegemidler; 25\n# x\nFall = 2\nA\t3\nB, 1,5") == {
        "Fall": 42.0,
        "Legemidler": 25.0,
        "A": 3.0,
        "B": 1.5,
    }


def test_driver_diagram_builder_reports_orphans():
    demo = driver_diagram_widget(lang="en")
    assert "Errors: 1" in demo.label.value and "Hip protectors" in demo.label.value
    text = demo.controls["text"].value.replace("change: Hip protectors", "change: Hip protectors -> Safe environment")
    demo.controls["text"].value = text
    assert "Valid" in demo.label.value
    demo.controls["text"].value = text + "driver: Loop -> Loop\n"
    assert "Cycle" in demo.label.value
    demo.controls["text"].value = "aim: A\ndriver: X -> Y\n"
    assert "not a driver or the aim" in demo.label.value and demo.output.outputs == ()


def test_widgets_take_starting_data():
    import pytest

    from qikit import QikitInputError
    from qikit.widgets.system import flow_widget, pareto_widget, swiss_cheese_widget

    w = swiss_cheese_widget("en", holes={"Check": 0.1, "Scan": 0.05, "Double check": 0.06})
    assert "0.0003" in w.label.value  # 0.1 * 0.05 * 0.06 exactly
    assert {k for k in w.controls if k.startswith("hole")} == {"hole1", "hole2", "hole3"}
    with pytest.raises(QikitInputError, match="holes"):
        swiss_cheese_widget("en", holes={"A": 1.5})

    p = pareto_widget("en", data={"Falls": 50, "Medication": 30, "Other": 20})
    assert "Falls" in p.controls["data"].value and "Falls" in p.label.value

    f = flow_widget("en", steps=[("Triage", 1, 5.0), ("Doctor", 2, 30.0)])
    assert "Doctor" in f.label.value  # 2 doctors x 30 min = 4 per hour, the bottleneck
