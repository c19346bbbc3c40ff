import numpy as np

from qikit.checks import check_equal, check_number, check_set


def test_check_number(capsys):
    assert check_number(0.1052, 0.1052, tol=5e-4, lang="en")
    assert check_number(np.float64(0.1049), 0.1052, tol=5e-4, lang="en")
    assert not check_number(10.52, 0.1052, tol=5e-4, lang="nb", hint="andel, ikke prosent")
    assert "andel, ikke prosent" in capsys.readouterr().out
    assert not check_number(..., 1.0, lang="en")
    assert "not filled in" in capsys.readouterr().out
    assert not check_number("0.1", 0.1, lang="en")
    assert not check_number(True, 1.0, lang="en")


def test_check_equal_accepts_numpy_numbers_but_not_bools():
    assert check_equal(np.int64(8), 8, lang="en")
    assert check_equal(8.0, 8, lang="en")
    assert not check_equal(True, 1, lang="en")
    assert check_equal(np.bool_(True), True, lang="en")
    assert not check_equal(1, True, lang="en")
    assert check_equal(" Effective ", "effective", lang="en")


def test_check_set_says_what_is_missing(capsys):
    assert check_set(["a", "b"], {"b", "a"}, lang="en")
    assert not check_set(["a"], {"a", "b"}, lang="en")
    assert "missing: b" in capsys.readouterr().out
