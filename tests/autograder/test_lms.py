"""Importing LMS downloads (Canvas, Moodle, plain folders) safely."""

from __future__ import annotations

import stat
import zipfile

import pytest

from autograder import lms

NB = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'


def make_zip(path, entries):
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries:
            if isinstance(data, tuple):  # (target, "symlink")
                info = zipfile.ZipInfo(name)
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                zf.writestr(info, data[0])
            else:
                zf.writestr(name, data)
    return path


def test_canvas_names_late_resubmissions_and_hostile_entries(tmp_path):
    z = make_zip(
        tmp_path / "canvas.zip",
        [
            ("nordmannkari_12345_777_m05-run-charts.ipynb", NB),
            ("hansenola_late_23456_778_m05-run-charts.ipynb", NB),
            ("aasaeroeyvind_34567_779_m05-run-charts.ipynb", b"old"),
            ("aasaeroeyvind_34567_780_m05-run-charts-1.ipynb", NB),
            ("aasaeroeyvind_34567_780_data.csv", b"a,b\n1,2\n"),
            ("../../evil.ipynb", NB),
            ("/abs/evil.ipynb", NB),
            ("link_45678_781_m05.ipynb", ("/etc/shadow", "symlink")),
            ("readme.txt", b"hello"),
            ("nonotebook_56789_782_essay.docx", b"doc"),
        ],
    )
    imp = lms.submissions_from_zip(z, "m05-run-charts", tmp_path / "in", due="2026-11-20 23:59:00 UTC")
    assert imp.kind == "Canvas"
    by_id = {s.student_id: s for s in imp.submissions}
    assert set(by_id) == {"nordmannkari-12345", "hansenola-23456", "aasaeroeyvind-34567"}
    assert by_id["hansenola-23456"].late is True and by_id["hansenola-23456"].timestamp.startswith(
        "2026-11-20 23:59:01"
    )
    assert by_id["nordmannkari-12345"].late is False and by_id["nordmannkari-12345"].timestamp is None
    newest = by_id["aasaeroeyvind-34567"].path / "m05-run-charts.ipynb"
    assert newest.read_bytes() == NB  # the resubmission (-1) wins over the first hand-in
    assert (by_id["aasaeroeyvind-34567"].path / "data.csv").exists()
    assert by_id["nordmannkari-12345"].lms_id == "12345"
    assert not (tmp_path / "evil.ipynb").exists() and not (tmp_path.parent / "evil.ipynb").exists()
    assert any("readme.txt" in u for u in imp.unmatched)
    assert any("no notebook" in u for u in imp.unmatched)  # the .docx-only learner
    assert any("symbolic link" in s for s in imp.skipped)
    assert any("unsafe path" in s for s in imp.skipped) or any("evil" in u for u in imp.unmatched)
    for p in (tmp_path / "in").rglob("*"):
        assert not p.is_symlink()
    lines = imp.report_lines()
    assert any("hansenola-23456" in line for line in lines)


def test_moodle_folders_and_flat_names(tmp_path):
    z = make_zip(
        tmp_path / "moodle.zip",
        [
            ("Åse Ødegård_1001_assignsubmission_file_/m05-run-charts.ipynb", NB),
            ("Åse Ødegård_1001_assignsubmission_onlinetext_/onlinetext.html", b"<p>hi</p>"),
            ("Per Hansen_1002_assignsubmission_file_m05-run-charts.ipynb", NB),
            ("Per Hansen_1002_assignsubmission_file_/../../escape.ipynb", NB),
        ],
    )
    imp = lms.submissions_from_zip(z, "m05-run-charts", tmp_path / "in")
    assert "Moodle" in imp.kind
    ids = sorted(s.student_id for s in imp.submissions)
    assert ids == ["aase-odegaard-1001", "per-hansen-1002"]
    assert any("onlinetext" in s for s in imp.skipped)
    assert not list(tmp_path.rglob("escape.ipynb"))


def test_plain_folders(tmp_path):
    z = make_zip(
        tmp_path / "folders.zip",
        [("alice/m05-run-charts/m05-run-charts.ipynb", NB), ("bob/m05-run-charts.ipynb", NB), ("__MACOSX/x", b"")],
    )
    imp = lms.submissions_from_zip(z, "m05-run-charts", tmp_path / "in")
    assert sorted(s.student_id for s in imp.submissions) == ["alice", "bob"]
    assert (tmp_path / "in" / "alice" / "m05-run-charts.ipynb").exists()


def test_zip_bomb_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(lms, "MAX_ENTRY", 1000)
    z = make_zip(tmp_path / "bomb.zip", [("big_1_1_m05.ipynb", b"0" * 5000), ("ok_2_2_m05.ipynb", NB)])
    imp = lms.submissions_from_zip(z, "m05", tmp_path / "in")
    assert [s.student_id for s in imp.submissions] == ["ok-2"]
    assert any("larger than" in s or "too much" in s for s in imp.skipped)


def test_not_a_zip(tmp_path):
    bad = tmp_path / "x.zip"
    bad.write_text("nope")
    with pytest.raises(ValueError):
        lms.submissions_from_zip(bad, "m05", tmp_path / "in")


def test_roster_for_lms_export(tmp_path):
    z = make_zip(tmp_path / "c.zip", [("doejane_99_1_m05.ipynb", NB)])
    imp = lms.submissions_from_zip(z, "m05", tmp_path / "in")
    path = lms.write_roster(tmp_path / "work", imp)
    assert "doejane-99,99,doejane" in path.read_text(encoding="utf-8")


def test_slug():
    assert lms.slug("Åse Ødegård") == "aase-odegaard"
    assert lms.slug("  ") == "learner"
