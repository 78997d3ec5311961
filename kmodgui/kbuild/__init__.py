"""kbuild: module C source -> .ko object (see make.py).

`build`, `BuildResult` and `module_sources` are loaded on first use: the
compiler pulls in pcpp and pycparser, which the GUI's first frame must not
wait for.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:      # what __getattr__ hands out, for the type checker
    from kmodgui.kbuild.make import BuildResult, build, module_sources

__all__ = ["BuildResult", "build", "module_sources"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module(f"{__name__}.make"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
