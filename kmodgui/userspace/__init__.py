"""The userspace tools a user types, in the profile's dialect.

Importing this package registers every command in `base.TOOLS`.
"""
from kmodgui.userspace import coreutils, dmesg, make, modtools, system  # noqa: F401
from kmodgui.userspace.base import TOOLS, ToolContext, ToolResult

__all__ = ["TOOLS", "ToolContext", "ToolResult"]
