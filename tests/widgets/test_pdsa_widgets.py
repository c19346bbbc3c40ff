import ipywidgets
import matplotlib
import pytest

matplotlib.use("Agg")

from qikit import QikitInputError  # noqa: E402
from qikit.pdsa import PdsaSimulator, example_log  # noqa: E402
from qikit.widgets.pdsa import pdsa_ramp_widget, pdsa_simulator_widget  # noqa: E402

PNG = b"\x89PNG"


@pytest.mark.parametrize("factory", [pdsa_simulator_widget, pdsa_ramp_widget])
def test_factories_work_without_arguments(factory):
    w = factory()
    assert isinstance(w, ipywidgets.Widget)
    assert w.label.value and bytes(w.image.value).startswith(PNG) and w.controls
    with pytest.raises(QikitInputError, match="lang"):
        factory(lang="xx")


def test_simulator_widget_runs_cycles_and_reveals():
    w = pdsa_simulator_widget(lang="en", seed=5)
    assert "Choose a test size" in w.label.value
    c = w.controls
    c["size"].value = 20
    png = w.image.value
    c["run"].click()
    assert w.label.value.startswith("Cycle 1:") and "/20</b>" in w.label.value
    assert w.image.value != png
    c["run"].click()
    assert w.label.value.startswith("Cycle 2:")
    # the widget shows what the simulator with the same seed observes
    ref = PdsaSimulator(rng=5)
    ref.run_cycle(20)
    ref.run_cycle(20)
    assert w.simulator.table.equals(ref.table)
    truth = ref.reveal()
    c["decision"].value = truth.right_decision
    c["reveal"].click()
    assert "The truth" in w.label.value and "Your decision was right" in w.label.value
    c["decision"].value = "abandon" if truth.right_decision == "adopt" else "adopt"
    assert "Your decision was wrong" in w.label.value
    c["run"].click()  # no more cycles after revealing
    assert len(w.simulator.observations) == 2
    c["new"].click()
    assert "Choose a test size" in w.label.value and not w.simulator.observations
    assert c["decision"].value == ""


def test_simulator_widget_axis_grows_after_ten_cycles():
    w = pdsa_simulator_widget(seed=1)
    for _ in range(11):
        w.controls["run"].click()
    assert len(w.simulator.observations) == 11
    assert w.label.value.startswith("Syklus 11:")


def test_ramp_widget_selects_cycles_and_logs():
    w = pdsa_ramp_widget(lang="en")
    assert "<b>0</b> errors" in w.label.value
    c = w.controls
    png = w.image.value
    c["cycle"].value = 4
    assert "4. Pharmacist phones the GP" in w.details.value
    assert w.image.value != png
    c["log"].value = "problems"
    assert "<b>3</b> errors, <b>2</b> warnings" in w.label.value
    c["cycle"].value = 3
    assert "missing_prediction" in w.details.value and "(missing)" in w.details.value


def test_ramp_widget_with_own_log():
    log = example_log("nb", with_problems=True)
    w = pdsa_ramp_widget(log=log)
    assert "<b>3</b> feil" in w.label.value
    assert list(w.controls["cycle"].options)[0][1] == 1
