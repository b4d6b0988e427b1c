"""The compiled engine (furima/_compiled): used only while fresh, and it changes no figure.

The pure-Python modules stay the reference; tools/test.sh also runs the engine's and the
simulator's tests with FURIMA_PURE_PYTHON=1.
"""

from __future__ import annotations

import importlib.machinery
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from furima import _compiled
from furima.process import default_registry
from furima.simulate import load_behaviour, simulate
from furima.simulate.render import as_json

IN_CI = os.environ.get("CI", "").lower() in ("true", "1", "yes")
PURE = os.environ.get(_compiled.PURE_PYTHON_VARIABLE) == "1"


def _fake_build(tmp_path, source_text: str = "X = 1\n"):
    """A package root with furima/process/engine.py, and a "compiled" folder holding an
    extension file for it and a manifest with the source's digest."""
    root = tmp_path / "furima"
    (root / "process").mkdir(parents=True)
    source = root / "process" / "engine.py"
    source.write_text(source_text)
    here = tmp_path / "compiled"
    here.mkdir()
    (here / f"engine{importlib.machinery.EXTENSION_SUFFIXES[0]}").write_bytes(b"")
    manifest = here / "sources.json"
    manifest.write_text(json.dumps({"furima.process.engine": _compiled.digest(source)}))
    return root, here, manifest, source


def test_a_compiled_module_is_used_while_its_source_is_unchanged(tmp_path):
    root, here, manifest, _ = _fake_build(tmp_path)
    found = _compiled.fresh_modules(manifest, root, here)
    assert list(found) == ["furima.process.engine"]
    assert found["furima.process.engine"].parent == here


def test_editing_the_source_retires_its_compiled_module(tmp_path):
    root, here, manifest, source = _fake_build(tmp_path)
    source.write_text("X = 2\n")
    assert _compiled.fresh_modules(manifest, root, here) == {}


def test_no_manifest_or_no_extension_means_pure_python(tmp_path):
    root, here, manifest, _ = _fake_build(tmp_path)
    for extension in here.glob("engine*"):
        extension.unlink()
    assert _compiled.fresh_modules(manifest, root, here) == {}
    assert _compiled.fresh_modules(tmp_path / "missing.json", root, here) == {}
    manifest.write_text("not json")
    assert _compiled.fresh_modules(manifest, root, here) == {}


def test_modules_outside_the_hot_list_are_never_served(tmp_path):
    root, here, manifest, source = _fake_build(tmp_path)
    manifest.write_text(json.dumps({"furima.settings": _compiled.digest(source)}))
    assert _compiled.fresh_modules(manifest, root, here) == {}


def _compiled_in_use() -> bool:
    return _compiled.implementation().startswith("compiled")


@pytest.mark.skipif(PURE, reason="FURIMA_PURE_PYTHON=1 asks for the pure-Python engine")
def test_the_build_serves_every_hot_module_compiled():
    if not _compiled_in_use() and not IN_CI:
        pytest.skip("no fresh compiled build here (no C compiler or Cython at install time)")
    import furima.simulate.trade  # noqa: F401  (loads every hot module)

    for name in _compiled.HOT_MODULES:
        module = sys.modules[name]
        assert module.__file__.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)), name
        assert module.__name__ == name
        assert sys.modules[_compiled.compiled_name(name)] is module
    assert _compiled.implementation() == "compiled with Cython (11 of 11 hot modules)"


@pytest.mark.skipif(PURE, reason="FURIMA_PURE_PYTHON=1 asks for the pure-Python engine")
def test_compiled_and_pure_python_give_the_same_figures():
    if not _compiled_in_use() and not IN_CI:
        pytest.skip("no fresh compiled build here (no C compiler or Cython at install time)")
    arguments = ["--policy", "furima", "--policy", "rakuma-2016", "--trades", "3000"]
    arguments += ["--seed", "11", "--format", "json"]
    pure = subprocess.run(
        [str(Path(sys.executable).with_name("furima")), "simulate", *arguments],
        env={**os.environ, _compiled.PURE_PYTHON_VARIABLE: "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    behaviour = load_behaviour()
    summaries = [
        simulate(default_registry().resolve(policy), behaviour, 3000, 11)
        for policy in ("furima", "rakuma-2016")
    ]
    assert json.loads(pure.stdout) == json.loads(as_json(summaries, behaviour, 3000, 11))
