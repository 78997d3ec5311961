"""The userspace tools a user types, in the profile's dialect.

`TOOLS` (command name -> tool) is filled when first asked for: importing
the tools pulls in kbuild, which the GUI's first frame must not wait for.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:      # what __getattr__ hands out, for the type checker
    from kmodgui.userspace.base import TOOLS, ToolContext, ToolResult

__all__ = ["TOOLS", "ToolContext", "ToolResult"]

_TOOL_MODULES = ("coreutils", "dmesg", "make", "modtools", "system", "textutils")


def __getattr__(name: str) -> Any:
    if name in ("TOOLS", "ToolContext", "ToolResult"):
        for mod in _TOOL_MODULES:
            importlib.import_module(f"{__name__}.{mod}")
        base = importlib.import_module(f"{__name__}.base")
        return getattr(base, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
