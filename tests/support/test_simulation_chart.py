"""The policy simulation's chart speaks the page's language (issue 13, point 14): Japanese
words drawn in a Japanese font when the server has one, English words otherwise — never a
"Glyph missing" warning (warnings fail the suite) and never empty boxes."""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import pytest
from django.utils import translation

from furima.process.registry import default_registry
from furima.simulate import chart as chart_module
from furima.simulate import load_behaviour, simulate
from furima.simulate.chart import ChartText, draw_chart, japanese_font
from furima.support import simulation
from tests.clients import signed_in
from tests.factories import make_staff


def _summaries():
    policy = default_registry().resolve("furima@1")
    return [simulate(policy, load_behaviour(), 100, 3)]


def test_a_japanese_page_gets_japanese_chart_words_in_a_japanese_font():
    if japanese_font() is None:
        pytest.skip("no Japanese font installed (apt-get install fonts-ipafont-gothic)")
    with translation.override("ja"):
        words = simulation._chart_words()
    assert words["font"] == japanese_font()
    assert words["text"].title == "発送通知から出品者への支払いまでの日数"
    assert "6時間ごと" in words["text"].per_bin.format(hours=6)


def test_japanese_words_draw_without_a_missing_glyph(tmp_path):
    if japanese_font() is None:
        pytest.skip("no Japanese font installed (apt-get install fonts-ipafont-gothic)")
    with translation.override("ja"):
        words = simulation._chart_words()
    path = tmp_path / "chart.png"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a "Glyph … missing" warning fails here
        draw_chart(_summaries(), path, **words)
    assert path.read_bytes().startswith(b"\x89PNG")


def test_without_a_japanese_font_the_chart_keeps_english_words(monkeypatch, tmp_path):
    monkeypatch.setattr(simulation, "japanese_font", lambda: None)
    with translation.override("ja"):
        words = simulation._chart_words()
    assert words == {"text": ChartText(), "font": None}
    draw_chart(_summaries(), tmp_path / "chart.png", **words)
    assert (tmp_path / "chart.png").read_bytes().startswith(b"\x89PNG")


def test_an_english_page_gets_english_words_in_the_default_font():
    with translation.override("en"):
        assert simulation._chart_words() == {"text": ChartText(), "font": None}


def test_the_japanese_font_is_the_first_installed_of_the_known_families(monkeypatch):
    from matplotlib import font_manager

    def installed(*names):
        fonts = [SimpleNamespace(name=name) for name in names]
        monkeypatch.setattr(font_manager, "fontManager", SimpleNamespace(ttflist=fonts))
        chart_module.japanese_font.cache_clear()

    try:
        installed("DejaVu Sans", "Noto Sans CJK JP", "IPAGothic")
        assert japanese_font() == "IPAGothic"
        installed("DejaVu Sans")
        assert japanese_font() is None
    finally:
        chart_module.japanese_font.cache_clear()


def test_the_desk_page_draws_its_chart_in_the_readers_language(db, monkeypatch):
    drawn = []

    def fake_draw(summaries, path, **words):
        drawn.append(words)
        path.write_bytes(b"\x89PNG")

    monkeypatch.setattr(simulation, "draw_chart", fake_draw)
    monkeypatch.setattr(simulation, "japanese_font", lambda: "IPAGothic")
    query = {"policy_a": "furima@1", "policy_b": "rakuma-2016@1", "trades": 100, "seed": 1}
    staff = signed_in(make_staff())
    assert staff.get("/support/simulate/", query, HTTP_ACCEPT_LANGUAGE="ja").status_code == 200
    assert staff.get("/support/simulate/", query, HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    assert [(w["font"], w["text"].days) for w in drawn] == [
        ("IPAGothic", "発送通知からの日数"),
        (None, "days from the shipping notice"),
    ]
