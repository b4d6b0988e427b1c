"""The translation catalogues: every visible string has Japanese, the compiled catalogues
match their sources, and the catalogue lists exactly the strings the code uses (CI fails
when a new string was not extracted)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "furima"
LOCALE = PACKAGE / "locale"


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def test_every_string_has_a_japanese_translation():
    untranslated = [entry.msgid for entry in catalogue("ja").untranslated_entries()]
    assert untranslated == []
    assert catalogue("ja").fuzzy_entries() == []


def test_the_compiled_catalogues_match_their_sources():
    for language in ("ja", "en"):
        source = {
            e.msgid: (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in catalogue(language)
        }
        compiled = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
        built = {e.msgid: (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in compiled}
        translated = {k: v for k, v in source.items() if v[0] or any(s for _, s in v[1])}
        assert {k: built.get(k) for k in translated} == translated, f"recompile {language}"


def test_the_catalogue_lists_exactly_the_strings_in_the_code(tmp_path):
    if shutil.which("xgettext") is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("gettext (xgettext) is missing; CI must install it")
        pytest.skip("gettext (xgettext) is not installed: catalogue freshness not checked")
    copy = tmp_path / "furima"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "ja", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "furima.settings"},
    )
    fresh = {e.msgid for e in polib.pofile(str(copy / "locale/ja/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in catalogue("ja")}
    assert fresh == committed, "run `furima makemessages -l ja -l en` in src/furima and translate"
