import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from qikit.variation import funnel_path, red_bead_distribution

finite = st.floats(-100, 100, allow_nan=False)


@given(arrays(float, st.integers(1, 40), elements=finite))
def test_rule_2_is_difference_of_errors(e):
    f, z = funnel_path(e, 2)
    assert np.allclose(z[1:], e[1:] - e[:-1])
    assert np.allclose(z[0], e[0])
    assert np.allclose(f[1:], -e[:-1])


@given(arrays(float, st.integers(1, 40), elements=finite))
def test_rules_3_and_4_recursions(e):
    _, z3 = funnel_path(e, 3)
    _, z4 = funnel_path(e, 4)
    assert np.allclose(z3[1:], -z3[:-1] + e[1:], atol=1e-6)
    assert np.allclose(z4, np.cumsum(e), atol=1e-6)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 60), st.integers(0, 300), st.integers(0, 300), st.floats(-2, 2))
def test_bead_distribution_is_a_distribution(paddle, red, white, bias):
    if paddle > red + white:
        return
    d = red_bead_distribution(paddle=paddle, red=red, white=white, paddle_bias=bias)
    assert np.isclose(d["probability"].sum(), 1.0)
    assert (d["probability"] >= 0).all()
    assert d["red"].min() >= max(0, paddle - white) and d["red"].max() <= min(paddle, red)
