"""Builds the optional compiled copy of the engine's hot modules (see furima/_compiled).

Everything else about the package is in pyproject.toml. The compiled modules are an
optimisation only: without Cython or a C compiler, or with FURIMA_PURE_PYTHON=1, the
package installs and runs as pure Python.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
COMPILED = ROOT / "src" / "furima" / "_compiled"


def _compiled_module():
    # The list of hot modules and the helpers live in the package (stdlib only), so setup.py
    # and the runtime finder cannot disagree about them.
    spec = importlib.util.spec_from_file_location("_furima_compiled", COMPILED / "__init__.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _clean() -> None:
    """No extension or manifest of an earlier build survives this one."""
    for stale in COMPILED.iterdir():
        if stale.name == "sources.json" or stale.suffix in (".so", ".pyd"):
            stale.unlink()


def extensions() -> list[Extension]:
    _clean()
    if os.environ.get("FURIMA_PURE_PYTHON") == "1":
        return []
    try:
        from Cython.Build import cythonize
    except ImportError:
        return []
    compiled = _compiled_module()
    root = ROOT / "src" / "furima"
    sources = {name: compiled.source_path(name, root) for name in compiled.HOT_MODULES}
    COMPILED.joinpath("sources.json").write_text(
        json.dumps({name: compiled.digest(path) for name, path in sources.items()}, indent=2)
        + "\n",
        encoding="utf-8",
    )
    built = cythonize(
        [
            Extension(compiled.compiled_name(name), [str(path.relative_to(ROOT))])
            for name, path in sources.items()
        ],
        compiler_directives={"language_level": 3, "binding": True},
        build_dir="build/cython",
        quiet=True,
    )
    for extension in built:
        # No C compiler: install anyway, as pure Python (see optional_build_ext; setuptools
        # also skips copying a missing optional extension into the source tree).
        extension.optional = True
    return built


class optional_build_ext(build_ext):
    """An extension that does not compile (no C compiler, no Python headers) is skipped with
    a warning: the module then runs as pure Python. (setuptools' own `optional` does not
    catch every way a compiler can fail.)"""

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except Exception as error:  # every extension here is optional
            self.warn(f"{ext.name} not compiled ({error}); furima runs it as pure Python")


setup(
    cmdclass={"build_ext": optional_build_ext},
    ext_modules=extensions(),
    options={"build_ext": {"parallel": os.cpu_count() or 1}},
)
