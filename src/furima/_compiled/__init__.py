"""The engine and the simulator, compiled with Cython from their own Python sources.

The hottest modules (``HOT_MODULES``) are plain Python, and they stay the reference: tests
run them as they are. ``setup.py`` also compiles the very same files with Cython, when it
and a C compiler are there, into extension modules in this folder (about 1.3× faster: the
simulator's million trades are the reason). ``install()`` puts a finder in front of the
import system that serves a compiled module under its usual name, for example
``furima.process.engine``, but only while it is *fresh*: its source file still has the
SHA-256 recorded in ``sources.json`` when it was compiled. Edit a source and that module is
imported from the ``.py`` again until the next build, so a stale build never runs old rules.

``FURIMA_PURE_PYTHON=1`` turns the compiled modules off altogether.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import json
import os
import sys
from pathlib import Path

HOT_MODULES = (
    "furima.process.commands",
    "furima.process.deadlines",
    "furima.process.engine",
    "furima.process.ledger",
    "furima.process.model",
    "furima.process.when",
    "furima.simulate.distributions",
    "furima.simulate.persona",
    "furima.simulate.run",
    "furima.simulate.summary",
    "furima.simulate.trade",
)
"""What setup.py compiles: the modules a simulated trade spends its time in."""

HERE = Path(__file__).resolve().parent
PACKAGE_ROOT = HERE.parent  # src/furima (or site-packages/furima)
MANIFEST = HERE / "sources.json"
PURE_PYTHON_VARIABLE = "FURIMA_PURE_PYTHON"


def source_path(module: str, root: Path = PACKAGE_ROOT) -> Path:
    """The .py file of a module of the furima package."""
    return root.joinpath(*module.split(".")[1:]).with_suffix(".py")


def compiled_name(module: str) -> str:
    """The extension's own name: furima._compiled.<last part>. Python would prefer an
    extension next to its .py even after the .py changed, so they are built here instead;
    the last parts of the hot modules' names are all distinct."""
    return f"furima._compiled.{module.rsplit('.', 1)[1]}"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fresh_modules(
    manifest: Path = MANIFEST, root: Path = PACKAGE_ROOT, here: Path = HERE
) -> dict[str, Path]:
    """Compiled modules whose source is unchanged since they were built, by module name."""
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    found: dict[str, Path] = {}
    for module, sha in recorded.items():
        if module not in HOT_MODULES:
            continue
        source = source_path(module, root)
        extension = _extension_file(module, here)
        if extension is None or not source.is_file() or digest(source) != sha:
            continue
        found[module] = extension
    return found


def _extension_file(module: str, here: Path) -> Path | None:
    stem = module.rsplit(".", 1)[1]
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        candidate = here / f"{stem}{suffix}"
        if candidate.is_file():
            return candidate
    return None


class _AliasedExtensionLoader(importlib.machinery.ExtensionFileLoader):
    """Loads furima._compiled.engine as furima.process.engine, and registers it under both
    names: its functions and classes carry the compiled name in ``__module__``, and type
    hints and pickling look modules up by that name."""

    def exec_module(self, module) -> None:
        sys.modules[compiled_name(self.name)] = module
        super().exec_module(module)


class CompiledFinder:
    """A meta path finder serving fresh compiled modules under their usual names."""

    def __init__(self, modules: dict[str, Path]) -> None:
        self.modules = modules

    def find_spec(self, fullname, path=None, target=None):
        extension = self.modules.get(fullname)
        if extension is None:
            return None
        loader = _AliasedExtensionLoader(fullname, str(extension))
        return importlib.util.spec_from_file_location(fullname, extension, loader=loader)


_installed: CompiledFinder | None = None


def install() -> CompiledFinder | None:
    """Serve the fresh compiled modules (once per process; a no-op when there are none or
    FURIMA_PURE_PYTHON=1). Must run before the first import of a hot module."""
    global _installed
    if _installed is not None or os.environ.get(PURE_PYTHON_VARIABLE) == "1":
        return _installed
    modules = fresh_modules()
    if modules:
        _installed = CompiledFinder(modules)
        sys.meta_path.insert(0, _installed)
    return _installed


def implementation() -> str:
    """One line saying how the engine runs in this process, for benchmarks and --version."""
    loaded = [
        name
        for name in HOT_MODULES
        if name in sys.modules
        and Path(getattr(sys.modules[name], "__file__", "") or "").suffix not in ("", ".py")
    ]
    if not loaded:
        reason = (
            f"{PURE_PYTHON_VARIABLE}=1"
            if os.environ.get(PURE_PYTHON_VARIABLE) == "1"
            else "no fresh compiled build"
        )
        return f"pure Python ({reason})"
    return f"compiled with Cython ({len(loaded)} of {len(HOT_MODULES)} hot modules)"
